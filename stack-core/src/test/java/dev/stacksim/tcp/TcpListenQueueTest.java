package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.mib;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The two queues of a listener, as Linux 6.x keeps them: the accept queue holds backlog + 1
 * children, a SYN arriving while it is full is dropped without an answer (the client resends on
 * its own schedule), a final ACK arriving while it is full is dropped and its request kept
 * (tcp_abort_on_overflow 0) or answered with RST (1); the SYN queue is bounded by the backlog.
 */
class TcpListenQueueTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Nested
    class AcceptQueueFull {
        /**
         * Observed on Linux 6.18 (loopback in a private netns, Python): listen(2), five
         * non-blocking connects 50 ms apart. ss: LISTEN Recv-Q 3 Send-Q 2, three ESTAB, two
         * SYN-SENT; nstat ListenOverflows 2, ListenDrops 2, PassiveOpens 3, ActiveOpens 5. The
         * two resend their SYNs at +1, +2, +3, +4, +5 s (1.013 s apart on the real kernel, timer
         * slack of jiffies), each counted again (ListenOverflows 10 at 4.5 s); after an accept at
         * 4.35 s the fourth client's SYN at 5 s completes, the fifth's is dropped again (+1) and
         * again at 7 s (+1).
         */
        @Test
        void listenTwoWithFiveClientsQueuesThreeAndDropsTheOtherSyns() {
            try (TcpLab lab = new TcpLab(11)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 8080, 2);
                Process cli = lab.a.spawn("cli");
                int[] fds = new int[5];
                for (int i = 0; i < 5; i++) {
                    lab.runUntil(i * 50 * MS);
                    fds[i] = lab.connectNonBlocking(cli, 8080);
                }
                lab.runUntil(250 * MS);
                TcpSock l = sock(srv, lfd);
                assertEquals(3, l.acceptQueueLength());
                assertEquals(2, l.maxAckBacklog());
                assertEquals(3, l.receiveQueueBytes(), "ss Recv-Q of LISTEN is the accept queue");
                assertEquals(0, l.synQueueLength());
                for (int i = 0; i < 3; i++) {
                    assertEquals(TcpState.ESTABLISHED, sock(cli, fds[i]).tcpState());
                }
                assertEquals(TcpState.SYN_SENT, sock(cli, fds[3]).tcpState());
                assertEquals(TcpState.SYN_SENT, sock(cli, fds[4]).tcpState());
                assertEquals(2, ext(lab.b, "ListenOverflows"));
                assertEquals(2, ext(lab.b, "ListenDrops"));
                assertEquals(3, mib(lab.b, "PassiveOpens"));
                assertEquals(5, mib(lab.a, "ActiveOpens"));

                lab.runUntil(4350 * MS);
                assertEquals(10, ext(lab.b, "ListenOverflows"), "every resent SYN is counted again");
                assertEquals(10, ext(lab.b, "ListenDrops"));
                int c = srv.accept(lfd);
                assertEquals(sock(cli, fds[0]).localPort(), ((dev.stacksim.socket.SockAddr.Inet) srv.getpeername(c)).port(),
                        "accept hands out the oldest");
                lab.runUntil(8 * S);
                assertEquals(TcpState.ESTABLISHED, sock(cli, fds[3]).tcpState());
                assertEquals(TcpState.SYN_SENT, sock(cli, fds[4]).tcpState());
                assertEquals(12, ext(lab.b, "ListenOverflows"));
                assertEquals(3, l.acceptQueueLength());

                int p4 = sock(cli, fds[3]).localPort();
                int p5 = sock(cli, fds[4]).localPort();
                List<TcpLab.Seg> syn4 = lab.segs(s -> s.sport() == p4 && s.flags().equals("S"));
                assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), TcpLab.times(syn4, 150 * MS),
                        "SYN resent on tcp_syn_linear_timeouts' 1 s steps");
                assertTrue(syn4.stream().allMatch(s -> s.seq() == syn4.get(0).seq()), "same ISN every time");
                List<TcpLab.Seg> syn5 = lab.segs(s -> s.sport() == p5 && s.flags().equals("S"));
                assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0), TcpLab.times(syn5, 200 * MS),
                        "linear for four resends, then doubling");
                assertEquals(List.of("a S", "b S.", "a ."), TcpLab.flow(lab.conn(p4)).subList(5, 8),
                        "the sixth SYN finds room");
                assertTrue(lab.conn(p5).stream().allMatch(s -> s.flags().equals("S")), "never answered, no RST");
            }
        }

        @Test
        void listenZeroStillQueuesOneConnection() {
            try (TcpLab lab = new TcpLab(12)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 0);
                Process cli = lab.a.spawn("cli");
                int f1 = lab.connectNonBlocking(cli, 80);
                lab.run(10 * MS);
                int f2 = lab.connectNonBlocking(cli, 80);
                lab.run(100 * MS);
                assertEquals(1, sock(srv, lfd).acceptQueueLength());
                assertEquals(TcpState.ESTABLISHED, sock(cli, f1).tcpState());
                assertEquals(TcpState.SYN_SENT, sock(cli, f2).tcpState());
                assertEquals(1, ext(lab.b, "ListenOverflows"));
            }
        }

        @Test
        void backlogIsClampedBySomaxconn() {
            try (TcpLab lab = new TcpLab(13)) {
                lab.b.sysctl("net.core.somaxconn", 3);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 1000);
                assertEquals(3, sock(srv, lfd).maxAckBacklog());
                int lfd2 = srv.socket(AF_INET, SOCK_STREAM, 0);
                srv.bind(lfd2, TcpLab.addr("0.0.0.0", 81));
                srv.listen(lfd2, -1);
                assertEquals(3, sock(srv, lfd2).maxAckBacklog(), "a negative backlog is somaxconn (unsigned compare)");
                srv.listen(lfd2, 1);
                assertEquals(1, sock(srv, lfd2).maxAckBacklog(), "listen() again only changes the backlog");
            }
        }

        @Test
        void acceptHandsOutChildrenInOrderOfTheirHandshakes() {
            try (TcpLab lab = new TcpLab(14)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 8);
                Process cli = lab.a.spawn("cli");
                int[] ports = new int[4];
                for (int i = 0; i < 4; i++) {
                    ports[i] = sock(cli, lab.connectNonBlocking(cli, 80)).localPort();
                    lab.run(10 * MS);
                }
                for (int i = 0; i < 4; i++) {
                    int c = srv.accept(lfd);
                    assertEquals(ports[i], ((dev.stacksim.socket.SockAddr.Inet) srv.getpeername(c)).port());
                }
                // a blocking accept on the empty queue, nothing left to happen: the simulation says so
                assertThrows(dev.stacksim.socket.SimulationStalledException.class, () -> srv.accept(lfd));
                srv.fcntl(lfd, F_SETFL, O_NONBLOCK);
                assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> srv.accept(lfd)).errno());
            }
        }

        @Test
        void childThatGotDataAndFinBeforeAcceptIsAcceptedInCloseWaitWithItsData() {
            try (TcpLab lab = new TcpLab(15)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 8);
                Process cli = lab.a.spawn("cli");
                int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
                cli.send(fd, TcpLab.bytes("GET / HTTP/1.0\r\n\r\n"), 0);
                cli.close(fd);
                lab.run(100 * MS);
                assertEquals(1, sock(srv, lfd).acceptQueueLength());
                int c = srv.accept(lfd);
                assertEquals(TcpState.CLOSE_WAIT, sock(srv, c).tcpState());
                // Linux 6.18, the same on loopback: ss Recv-Q 19 (the FIN counts), FIONREAD 18; after
                // a recv of more than 18 bytes both are 0 (the read takes the FIN: found_fin_ok)
                assertEquals(19, sock(srv, c).receiveQueueBytes());
                assertEquals(18, srv.ioctl(c, FIONREAD));
                byte[] buf = new byte[100];
                assertEquals("GET / HTTP/1.0\r\n\r\n", TcpLab.str(buf, srv.recv(c, buf, 0, 100, 0)));
                assertEquals(0, sock(srv, c).receiveQueueBytes());
                assertEquals(0, srv.recv(c, buf, 0, 100, 0), "then EOF");
            }
        }
    }

    @Nested
    class LateAckWithFullQueue {
        /**
         * Several SYNs arrive together, before any final ACK: all get a request sock (the accept
         * queue is not full yet), then the ACKs arrive in turn and the late ones find the queue
         * full. Linux ({@code tcp_check_req} → {@code tcp_v4_syn_recv_sock} fails,
         * {@code listen_overflow}): ListenOverflows and ListenDrops, the ACK dropped, the request
         * marked acked and kept; its SYN-ACK timer resends at 1, 3, 7 s and the client's answer
         * (a dup ACK) tries again, which succeeds once an accept made room.
         *
         * <p>Observed on Linux 6.18 with hand-made peers (listen(2), one completed connection, then
         * three SYNs and their three ACKs): ListenOverflows 1, ListenDrops 1, ss shows the fourth
         * as SYN-RECV beside three ESTAB; its SYN-ACK was resent at 1.08, 3.10, 7.29 and 15.48 s
         * (TCPTimeouts, TCPSynRetrans 3 by 8 s), and after an accept the ACK of the 15 s one made
         * the child.
         */
        @Test
        void abortOnOverflowZeroKeepsTheRequestAndResendsTheSynAck() {
            try (TcpLab lab = new TcpLab(21)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 2);
                Process cli = lab.a.spawn("cli");
                lab.connectNonBlocking(cli, 80);
                lab.run(10 * MS);
                // three SYNs cross the wire together: three requests, then three ACKs for two places
                int f2 = lab.connectNonBlocking(cli, 80);
                int f3 = lab.connectNonBlocking(cli, 80);
                int f4 = lab.connectNonBlocking(cli, 80);
                lab.run(10 * MS);
                TcpSock l = sock(srv, lfd);
                assertEquals(3, l.acceptQueueLength());
                assertEquals(1, l.synQueueLength(), "the late ACK's request stays");
                assertEquals(TcpState.ESTABLISHED, sock(cli, f4).tcpState(), "the client believes it is connected");
                assertEquals(1, ext(lab.b, "ListenOverflows"));
                assertEquals(1, ext(lab.b, "ListenDrops"));
                int p4 = sock(cli, f4).localPort();
                long t0 = lab.conn(p4).get(1).time();
                lab.run(8 * S);
                List<TcpLab.Seg> synacks = lab.segs(s -> s.dport() == p4 && s.flags().equals("S."));
                assertEquals(List.of(0.0, 1.0, 3.0, 7.0), TcpLab.times(synacks, t0), "SYN-ACK resent at 1, 3, 7 s");
                // each resent SYN-ACK is an old SYN to the ESTABLISHED client: a challenge ACK (RFC 5961 4.2)
                assertEquals(List.of("a S", "b S.", "a .", "b S.", "a .", "b S.", "a .", "b S.", "a ."),
                        TcpLab.flow(lab.conn(p4)));
                assertEquals(3, ext(lab.a, "TCPSYNChallenge"));
                assertEquals(4, ext(lab.b, "ListenOverflows"), "each answer overflows again");
                srv.accept(lfd);
                lab.run(8 * S);
                assertEquals(3, l.acceptQueueLength(), "the answer to the 15 s SYN-ACK made the child");
                assertEquals(0, l.synQueueLength());
                assertEquals(TcpState.ESTABLISHED, sock(cli, f2).tcpState());
                assertEquals(TcpState.ESTABLISHED, sock(cli, f3).tcpState());
            }
        }

        @Test
        void abortOnOverflowOneAnswersTheLateAckWithRst() {
            try (TcpLab lab = new TcpLab(22)) {
                lab.b.sysctl("net.ipv4.tcp_abort_on_overflow", 1);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 2);
                Process cli = lab.a.spawn("cli");
                lab.connectNonBlocking(cli, 80);
                lab.run(10 * MS);
                lab.connectNonBlocking(cli, 80);
                lab.connectNonBlocking(cli, 80);
                int f4 = lab.connectNonBlocking(cli, 80);
                int p4 = sock(cli, f4).localPort();
                lab.run(10 * MS);
                TcpSock l = sock(srv, lfd);
                assertEquals(3, l.acceptQueueLength());
                assertEquals(0, l.synQueueLength(), "the request is dropped");
                assertEquals(List.of("a S", "b S.", "a .", "b R"), TcpLab.flow(lab.conn(p4)));
                TcpLab.Seg ack = lab.conn(p4).get(2);
                TcpLab.Seg rst = lab.conn(p4).get(3);
                assertEquals(ack.ack(), rst.seq(), "RST from the ACK's ack number");
                assertEquals(TcpState.CLOSE, sock(cli, f4).tcpState());
                ErrnoException e = assertThrows(ErrnoException.class, () -> cli.recv(f4, new byte[1], 0, 1, 0));
                assertEquals(Errno.ECONNRESET, e.errno());
                assertEquals(1, ext(lab.b, "ListenOverflows"));
                assertEquals(1, ext(lab.b, "EmbryonicRsts"));
            }
        }
    }

    @Nested
    class SynQueue {
        /**
         * With syncookies off the SYN queue holds backlog + 1 requests
         * ({@code inet_csk_reqsk_queue_is_full}: qlen &gt; backlog); the next SYN is dropped
         * (TCPReqQFullDrop, ListenDrops), with syncookies 1 it gets a cookie instead. Observed on
         * Linux 6.18 with eight hand-made SYNs on listen(4): syncookies 0, five in SYN-RECV,
         * TCPReqQFullDrop 3, ListenDrops 3; syncookies 1, five in SYN-RECV, eight SYN-ACKs,
         * TCPReqQFullDoCookies 3, SyncookiesSent 3.
         */
        @Test
        void synQueueIsBoundedByTheBacklog() {
            try (TcpLab lab = new TcpLab(31)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 0);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 4);
                for (int i = 0; i < 8; i++) {
                    lab.inject(TcpLab.ip("10.1.0." + (i + 1)), TcpLab.B, TcpLab.linuxSyn(40000 + i, 80, 1000 * i, 7), null);
                }
                lab.run(10 * MS);
                assertEquals(5, sock(srv, lfd).synQueueLength());
                assertEquals(3, ext(lab.b, "TCPReqQFullDrop"));
                assertEquals(3, ext(lab.b, "ListenDrops"));
                assertEquals(5, lab.segs(s -> s.flags().equals("S.")).size());
            }
        }

        @Test
        void withSyncookiesOneAFullSynQueueAnswersWithCookies() {
            try (TcpLab lab = new TcpLab(32)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 4);
                for (int i = 0; i < 8; i++) {
                    lab.inject(TcpLab.ip("10.1.0." + (i + 1)), TcpLab.B, TcpLab.linuxSyn(40000 + i, 80, 1000 * i, 7), null);
                }
                lab.run(10 * MS);
                assertEquals(5, sock(srv, lfd).synQueueLength());
                assertEquals(3, ext(lab.b, "TCPReqQFullDoCookies"));
                assertEquals(3, ext(lab.b, "SyncookiesSent"));
                assertEquals(0, ext(lab.b, "ListenDrops"));
                assertEquals(8, lab.segs(s -> s.flags().equals("S.")).size());
            }
        }

        /**
         * Without syncookies, once fewer than a quarter of tcp_max_syn_backlog's slots are left,
         * SYNs from peers not proven alive are dropped (ListenDrops only), even while the SYN
         * queue is below the backlog. Observed on Linux 6.18 (tcp_max_syn_backlog 8, listen(100),
         * ten SYNs): seven in SYN-RECV, ListenDrops +3, TCPReqQFullDrop +0.
         */
        @Test
        void withoutCookiesTheLastQuarterOfMaxSynBacklogIsKept() {
            try (TcpLab lab = new TcpLab(33)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 0);
                lab.b.sysctl("net.ipv4.tcp_max_syn_backlog", 8);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 100);
                for (int i = 0; i < 10; i++) {
                    lab.inject(TcpLab.ip("10.1.0." + (i + 1)), TcpLab.B, TcpLab.linuxSyn(40000 + i, 80, 1000 * i, 7), null);
                }
                lab.run(10 * MS);
                // 8 - qlen < 2 drops from qlen 7 on
                assertEquals(7, sock(srv, lfd).synQueueLength());
                assertEquals(3, ext(lab.b, "ListenDrops"));
                assertEquals(0, ext(lab.b, "TCPReqQFullDrop"));
            }
        }
    }
}
