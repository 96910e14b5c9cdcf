package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Linger;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Closing a connection (RFC 9293 3.6) as Linux's {@code tcp_close}, {@code tcp_shutdown} and the
 * states after them do it: FIN_WAIT1, FIN_WAIT2, CLOSING, TIME_WAIT on the active side; CLOSE_WAIT
 * and LAST_ACK on the passive one; the aborts that send RST instead of FIN.
 */
class TcpCloseTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    TcpLab lab;
    Process cli;
    Process srv;
    int fd;
    int cfd;
    int port;
    String aName;
    String bName;

    @BeforeEach
    void connect() {
        lab = new TcpLab(61);
        srv = lab.b.spawn("srv");
        int lfd = lab.listen(srv, 80, 8);
        cli = lab.a.spawn("cli");
        fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        cfd = srv.accept(lfd);
        srv.close(lfd);
        port = sock(cli, fd).localPort();
        aName = "10.0.0.1:" + port + " -> 10.0.0.2:80";
        bName = "10.0.0.2:80 -> 10.0.0.1:" + port;
        lab.run(MS);
        lab.clearWire();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private List<String> flow() {
        return TcpLab.flow(lab.conn(port));
    }

    @Nested
    class ActiveClose {
        @Test
        void closeGoesThroughFinWait1FinWait2AndTimeWaitForSixtySeconds() {
            cli.close(fd);
            lab.run(MS);
            assertEquals(List.of("a F.", "b ."), flow());
            srv.close(cfd);
            lab.run(MS);
            assertEquals(List.of("a F.", "b .", "b F.", "a ."), flow());
            assertEquals(List.of("ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT"), lab.statesOf("a", aName));
            assertEquals(List.of("ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSE"), lab.statesOf("b", bName));
            long twStart = lab.now();
            lab.run(59 * S);
            assertEquals(0, ext(lab.a, "TW"));
            lab.run(2 * S);
            assertEquals(1, ext(lab.a, "TW"), "TIME_WAIT ends after 60 s (TCP_TIMEWAIT_LEN)");
            assertEquals(List.of("ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE"), lab.statesOf("a", aName));
            assertTrue(lab.now() - twStart >= 60 * S);
        }

        @Test
        void closeOfOneOfTwoDescriptorsDoesNothingButShutdownActsAtOnce() {
            int dup = cli.dup(fd);
            cli.close(fd);
            lab.run(MS);
            assertEquals(List.of(), flow(), "the open file still has a reference");
            assertEquals(TcpState.ESTABLISHED, sock(cli, dup).tcpState());
            cli.shutdown(dup, SHUT_WR);
            lab.run(MS);
            assertEquals(List.of("a F.", "b ."), flow());
            assertEquals(TcpState.FIN_WAIT2, sock(cli, dup).tcpState());
        }

        /**
         * An orphan in FIN_WAIT2 ({@code tcp_close} after the FIN was acked) waits
         * {@code tcp_fin_timeout}, as a TIME_WAIT minisock in substate FIN_WAIT2, then vanishes
         * without a word; the peer's later data finds no socket and gets a RST.
         */
        @Test
        void anOrphanInFinWait2GoesAwayAfterTcpFinTimeout() {
            lab.a.sysctl("net.ipv4.tcp_fin_timeout", 30);
            cli.close(fd);
            lab.run(29 * S);
            assertEquals(List.of("a F.", "b ."), flow());
            srv.send(cfd, TcpLab.bytes("late"), 0);
            lab.run(MS);
            assertEquals(List.of("a F.", "b .", "b P.", "a R"), flow(), "data after close is answered with RST");
            assertEquals(TcpState.CLOSE, sock(srv, cfd).tcpState());
            ErrnoException e = assertThrows(ErrnoException.class, () -> srv.send(cfd, TcpLab.bytes("x"), MSG_NOSIGNAL));
            assertEquals(Errno.EPIPE, e.errno(), "RST in CLOSE_WAIT: EPIPE");
        }

        /**
         * tcp_fin_timeout above 60 s: the orphan first waits fin_timeout - 60 on its keepalive
         * timer, then {@code tcp_keepalive_timer} hands it to a FIN_WAIT2 minisock for
         * fin_timeout - 60 again. So 70 s gives 20 s in all. Observed on Linux 6.18: with
         * tcp_fin_timeout 70 the orphan's keepalive timer showed 10 s and the connection was gone
         * from ss after 20.8 s.
         */
        @Test
        void aFinTimeoutAboveSixtySecondsIsSpentTwiceLessSixty() {
            lab.a.sysctl("net.ipv4.tcp_fin_timeout", 70);
            cli.close(fd);
            lab.run(MS);
            lab.run(19_900 * MS);
            assertEquals(0, ext(lab.a, "TW"));
            int again = cli.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
                    () -> cli.bind(again, TcpLab.addr("0.0.0.0", port))).errno(), "the FIN_WAIT2 minisock holds the port");
            lab.run(200 * MS);
            assertEquals(1, ext(lab.a, "TW"), "the minisock's time is up at 20 s (TCPTimeWaited counts it)");
            cli.bind(again, TcpLab.addr("0.0.0.0", port));
        }

        @Test
        void anOrphanInFinWait2WithoutNewsVanishesAfterTheTimeout() {
            lab.a.sysctl("net.ipv4.tcp_fin_timeout", 30);
            cli.close(fd);
            lab.run(31 * S);
            lab.clearWire();
            srv.send(cfd, TcpLab.bytes("late"), 0);
            lab.run(MS);
            List<TcpLab.Seg> c = lab.conn(port);
            assertEquals(List.of("b P.", "a R"), TcpLab.flow(c), "no socket any more: RST (tcp_v4_send_reset)");
            assertEquals(c.get(0).ack(), c.get(1).seq());
        }
    }

    @Nested
    class Shutdown {
        @Test
        void shutWrSendsFinAndLaterSendsFailWithEpipe() {
            cli.shutdown(fd, SHUT_WR);
            lab.run(MS);
            assertEquals(List.of("a F.", "b ."), flow());
            srv.send(cfd, TcpLab.bytes("still"), 0);
            byte[] buf = new byte[8];
            assertEquals("still", TcpLab.str(buf, cli.recv(fd, buf, 0, 8, 0)), "the other direction still works");
            assertEquals(0, srv.recv(cfd, buf, 0, 8, 0), "the server reads EOF");
            long sigpipes = cli.sigpipeCount();
            ErrnoException e = assertThrows(ErrnoException.class, () -> cli.send(fd, TcpLab.bytes("x"), 0));
            assertEquals(Errno.EPIPE, e.errno());
            assertEquals(sigpipes + 1, cli.sigpipeCount());
        }

        @Test
        void shutRdReturnsEofOnceTheQueueIsEmptyButDataIsStillAcked() {
            srv.send(cfd, TcpLab.bytes("before"), 0);
            lab.run(MS);
            cli.shutdown(fd, SHUT_RD);
            byte[] buf = new byte[16];
            assertEquals("before", TcpLab.str(buf, cli.recv(fd, buf, 0, 16, 0)), "what was queued is still read");
            assertEquals(0, cli.recv(fd, buf, 0, 16, 0));
            lab.clearWire();
            srv.send(cfd, TcpLab.bytes("after"), 0);
            lab.run(MS);
            assertEquals(List.of("b P.", "a ."), flow(), "data arriving in ESTABLISHED is queued and ACKed");
            assertEquals(TcpState.ESTABLISHED, sock(cli, fd).tcpState());
        }

        @Test
        void shutRdwrThenDataIsAnsweredWithRst() {
            cli.shutdown(fd, SHUT_RDWR);
            lab.run(MS);
            srv.send(cfd, TcpLab.bytes("data"), 0);
            lab.run(MS);
            assertEquals(List.of("a F.", "b .", "b P.", "a R"), flow(), "tcp_reset, then tcp_v4_send_reset: RST from the ACK number, no ACK");
            assertEquals(1, ext(lab.a, "TCPAbortOnData"));
            assertEquals(TcpState.CLOSE, sock(cli, fd).tcpState());
        }

        @Test
        void badHowIsEinvalAndAnUnconnectedSocketIsEnotconn() {
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> cli.shutdown(fd, 3)).errno());
            int fresh = cli.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, () -> cli.shutdown(fresh, SHUT_WR)).errno());
        }
    }

    @Nested
    class PassiveClose {
        @Test
        void peerFinMakesCloseWaitAndOurCloseGoesThroughLastAck() {
            srv.close(cfd);
            lab.run(MS);
            assertEquals(TcpState.CLOSE_WAIT, sock(cli, fd).tcpState());
            byte[] buf = new byte[4];
            assertEquals(0, cli.recv(fd, buf, 0, 4, 0));
            cli.close(fd);
            lab.run(MS);
            assertEquals(List.of("b F.", "a .", "a F.", "b ."), flow());
            assertEquals(List.of("ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSE"), lab.statesOf("a", aName));
        }

        /** RFC 9293 figure 13: both FINs cross; each side passes CLOSING and ends in TIME_WAIT. */
        @Test
        void simultaneousCloseGoesThroughClosingOnBothSides() {
            cli.close(fd);
            srv.close(cfd);
            lab.run(MS);
            assertEquals(List.of("a F.", "b F.", "a .", "b ."), flow());
            assertEquals(List.of("ESTABLISHED", "FIN_WAIT1", "CLOSING", "TIME_WAIT"), lab.statesOf("a", aName));
            assertEquals(List.of("ESTABLISHED", "FIN_WAIT1", "CLOSING", "TIME_WAIT"), lab.statesOf("b", bName));
        }
    }

    /**
     * Observed on Linux 6.18 against hand-made peers: close() with 6 unread bytes sent R. (ack =
     * rcv_nxt, with timestamps); SO_LINGER {1, 0} then close() sent R.; data to an orphan in
     * FIN_WAIT2 got R at its ACK number without options; a listener closed with two children
     * queued sent R. to each.
     */
    @Nested
    class Abort {
        /** RFC 2525 2.17: close() with unread data sends RST, not FIN (TCPAbortOnClose). */
        @Test
        void closeWithUnreadDataSendsRst() {
            srv.send(cfd, TcpLab.bytes("unread"), 0);
            lab.run(MS);
            lab.clearWire();
            cli.close(fd);
            lab.run(MS);
            List<TcpLab.Seg> c = lab.conn(port);
            assertEquals(List.of("a R."), TcpLab.flow(c));
            assertEquals(1, ext(lab.a, "TCPAbortOnClose"));
            assertEquals(TcpState.CLOSE, sock(srv, cfd).tcpState());
            assertEquals(Errno.ECONNRESET, assertThrows(ErrnoException.class,
                    () -> srv.recv(cfd, new byte[1], 0, 1, 0)).errno());
            assertEquals(0, srv.recv(cfd, new byte[1], 0, 1, 0), "ECONNRESET once, then EOF");
        }

        @Test
        void lingerOnWithZeroTimeSendsRstAndLeavesNoTimeWait() {
            cli.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Linger(1, 0));
            cli.close(fd);
            lab.run(MS);
            assertEquals(List.of("a R."), flow());
            assertEquals(1, ext(lab.a, "TCPAbortOnData"));
            int again = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.bind(again, TcpLab.addr("0.0.0.0", port)); // no TIME_WAIT holds the port
        }

        @Test
        void closingAListenerResetsTheChildrenInItsAcceptQueue() {
            Process s2 = lab.b.spawn("s2");
            int l2 = lab.listen(s2, 81, 8);
            int c1 = lab.connectNonBlocking(cli, 81);
            int c2 = lab.connectNonBlocking(cli, 81);
            lab.run(MS);
            assertEquals(2, sock(s2, l2).acceptQueueLength());
            lab.clearWire();
            s2.close(l2);
            lab.run(MS);
            assertEquals(2, lab.segs(s -> s.sport() == 81 && s.flags().equals("R.")).size());
            assertEquals(TcpState.CLOSE, sock(cli, c1).tcpState());
            assertEquals(TcpState.CLOSE, sock(cli, c2).tcpState());
            assertEquals(Errno.ECONNRESET, assertThrows(ErrnoException.class,
                    () -> cli.recv(c1, new byte[1], 0, 1, 0)).errno());
        }
    }
}
