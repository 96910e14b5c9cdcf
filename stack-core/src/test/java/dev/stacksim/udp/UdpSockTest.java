package dev.stacksim.udp;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.udp.UdpLab.addr;
import static dev.stacksim.udp.UdpLab.bytes;
import static dev.stacksim.udp.UdpLab.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SimulationStalledException;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The calls on UDP sockets between two hosts; expected errno values observed on Linux 6.18. */
class UdpSockTest {
    private final UdpLab lab = new UdpLab(21);
    private final Process cli = lab.a.spawn("client", 1000);
    private final Process srv = lab.b.spawn("server", 1000);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private static int mask(Process p, int fd) {
        PollFd pfd = new PollFd(fd, 0xFFFF);
        p.poll(new PollFd[] {pfd}, 0);
        return pfd.revents;
    }

    private int server(int port) {
        int fd = srv.socket(AF_INET, SOCK_DGRAM, 0);
        srv.bind(fd, SockAddr.any(port));
        return fd;
    }

    private int client() {
        return cli.socket(AF_INET, SOCK_DGRAM, 0);
    }

    private long udp(dev.stacksim.host.Host h, String counter) {
        return h.snmp().get("Udp" + counter);
    }

    private Socket socketOf(Process p, int fd) {
        SockAddr.Inet local = (SockAddr.Inet) p.getsockname(fd);
        dev.stacksim.host.Host h = p == srv ? lab.b : lab.a;
        int slot = h.udp().table().slot(local.port());
        for (int i = 0; i < h.udp().table().chainLength(slot); i++) {
            UdpSock s = (UdpSock) h.udp().table().binder(slot, i);
            if (s.port() == local.port()) {
                return s.socket();
            }
        }
        throw new AssertionError("no socket on port " + local.port());
    }

    @Test
    void datagramsKeepTheirBoundariesAndSayWhoSentThem() {
        int s = server(9000);
        int c = client();
        cli.sendto(c, bytes("hello"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c, bytes("world!"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c, new byte[0], 0, addr("10.0.0.2", 9000));
        byte[] buf = new byte[100];
        RecvFrom r1 = srv.recvfrom(s, buf, 0, 100, 0);
        assertEquals("hello", str(buf, r1.length()));
        SockAddr.Inet me = (SockAddr.Inet) cli.getsockname(c);
        assertEquals(SockAddr.any(me.port()), me, "autobound on the first send, to no address");
        me = addr("10.0.0.1", me.port());
        assertEquals(me, r1.from(), "the datagram carries the route's source address");
        assertEquals(6, srv.recvfrom(s, buf, 0, 100, 0).length(), "one datagram per call, never merged");
        RecvFrom empty = srv.recvfrom(s, buf, 0, 100, 0);
        assertEquals(0, empty.length(), "an empty datagram is a datagram");
        assertEquals(me, empty.from());
        assertEquals(Errno.EAGAIN, errno(() -> srv.recv(s, 100, MSG_DONTWAIT)));
        assertEquals(3, udp(lab.a, "OutDatagrams"));
        assertEquals(3, udp(lab.b, "InDatagrams"));
    }

    @Test
    void aShortBufferTruncatesAndMsgTruncReportsTheRealLength() {
        int s = server(9000);
        int c = client();
        cli.sendto(c, bytes("0123456789"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c, bytes("abcdefghij"), 0, addr("10.0.0.2", 9000));
        byte[] buf = new byte[4];
        RecvFrom r = srv.recvfrom(s, buf, 0, 4, 0);
        assertEquals(4, r.length());
        assertEquals(MSG_TRUNC, r.flags());
        assertEquals("0123", str(buf, 4));
        MsgHdr msg = new MsgHdr(buf, 0, 4);
        assertEquals(10, srv.recvmsg(s, msg, MSG_TRUNC), "MSG_TRUNC in the call: the real length");
        assertEquals("abcd", str(buf, 4));
        assertEquals(MSG_TRUNC, msg.flags);
        assertEquals(Errno.EAGAIN, errno(() -> srv.recv(s, 100, MSG_DONTWAIT)), "the rest of each is gone");
    }

    @Test
    void peekLeavesTheDatagramAndFionreadGivesItsLength() {
        int s = server(9000);
        int c = client();
        cli.sendto(c, bytes("peekaboo"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c, bytes("2nd"), 0, addr("10.0.0.2", 9000));
        assertArrayEquals(bytes("peek"), srv.recv(s, 4, MSG_PEEK));
        assertEquals(8, srv.ioctl(s, FIONREAD), "the next datagram's length, not the queue's");
        assertEquals(0, udp(lab.b, "InDatagrams"), "a peek is not a read");
        assertArrayEquals(bytes("peekaboo"), srv.recv(s, 100, 0));
        assertEquals(3, srv.ioctl(s, FIONREAD));
        assertArrayEquals(bytes("2nd"), srv.recv(s, 100, 0));
        assertEquals(0, srv.ioctl(s, FIONREAD));
        assertEquals(2, udp(lab.b, "InDatagrams"));
    }

    @Test
    void sendChecksComeInLinuxsOrder() {
        int c = client();
        assertEquals(Errno.EDESTADDRREQ, errno(() -> cli.send(c, bytes("x"), 0)));
        assertEquals(Errno.EINVAL, errno(() -> cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 0))));
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> cli.sendto(c, bytes("x"), 0, SockAddr.unix("/x"))));
        assertEquals(Errno.EMSGSIZE, errno(() -> cli.sendto(c, new byte[70000], 0, addr("10.0.0.2", 0))),
                "over 65535 fails before the address is looked at");
        assertEquals(Errno.EINVAL, errno(() -> cli.sendto(c, new byte[65508], 0, addr("10.0.0.2", 0))));
        assertEquals(Errno.EMSGSIZE, errno(() -> cli.sendto(c, new byte[65508], 0, addr("10.0.0.2", 9))));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> cli.sendto(c, bytes("x"), MSG_OOB, addr("10.0.0.2", 9))));
        assertEquals(Errno.ENETUNREACH, errno(() -> cli.sendto(c, bytes("x"), 0, addr("192.168.7.7", 9))));
        assertEquals(1, lab.a.snmp().get("IpOutNoRoutes"));
        assertEquals(Errno.EACCES, errno(() -> cli.sendto(c, bytes("x"), 0, addr("10.0.0.255", 9))));
        assertEquals(Errno.EACCES, errno(() -> cli.sendto(c, bytes("x"), 0, addr("255.255.255.255", 9))));
        assertEquals(Errno.EACCES, errno(() -> cli.connect(c, addr("10.0.0.255", 9))));
        cli.setsockopt(c, SOL_SOCKET, SO_BROADCAST, 1);
        assertEquals(1, cli.sendto(c, bytes("x"), 0, addr("10.0.0.255", 9)));
        assertEquals(1, udp(lab.a, "OutDatagrams"), "only the broadcast went out");
    }

    @Test
    void theLargestDatagramIsFragmentedAndArrivesWhole() {
        int s = server(9000);
        int c = client();
        byte[] big = new byte[Udp.MAX_PAYLOAD];
        new SplittableRandom(5).nextBytes(big);
        assertEquals(65507, cli.sendto(c, big, 0, addr("10.0.0.2", 9000)));
        assertArrayEquals(big, srv.recv(s, 70000, 0));
        assertEquals(45, lab.a.snmp().get("IpFragCreates"), "65515 bytes of UDP in 1480-byte pieces");
        assertEquals(1, lab.a.snmp().get("IpFragOKs"));
        assertEquals(1, lab.b.snmp().get("IpReasmOKs"));
    }

    @Test
    void connectSetsTheDefaultPeerAndFiltersEveryoneElse() {
        int s = server(9000);
        int c1 = client();
        cli.bind(c1, SockAddr.any(5001));
        int c2 = client();
        cli.bind(c2, SockAddr.any(5002));
        srv.connect(s, addr("10.0.0.1", 5001));
        cli.sendto(c2, bytes("intruder"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c1, bytes("friend"), 0, addr("10.0.0.2", 9000));
        assertArrayEquals(bytes("friend"), srv.recv(s, 100, 0));
        lab.settle();
        assertEquals(Errno.EAGAIN, errno(() -> srv.recv(s, 100, MSG_DONTWAIT)));
        assertEquals(1, udp(lab.b, "NoPorts"), "the intruder's datagram found no socket");
        assertEquals(1, lab.b.snmp().get("IcmpOutDestUnreachs"));
        assertEquals(0, cli.getsockopt(c2, SOL_SOCKET, SO_ERROR), "an unconnected sender ignores the ICMP error");
        assertEquals(1, srv.send(s, bytes("k"), 0), "send without an address goes to the peer");
        assertArrayEquals(bytes("k"), cli.recv(c1, 10, 0));
    }

    @Test
    void portUnreachableFailsTheNextCallOfAConnectedSocket() {
        int c = client();
        cli.connect(c, addr("10.0.0.2", 9));
        assertEquals(1, cli.send(c, bytes("x"), 0), "the first send succeeds: the error comes later");
        lab.settle();
        assertEquals(POLLERR, mask(cli, c) & POLLERR);
        assertEquals(Errno.ECONNREFUSED, errno(() -> cli.send(c, bytes("x"), 0)));
        assertEquals(1, cli.send(c, bytes("x"), 0), "the error was taken by the failed call");
        lab.settle();
        assertEquals(111, cli.getsockopt(c, SOL_SOCKET, SO_ERROR), "SO_ERROR reads and clears it");
        assertEquals(0, cli.getsockopt(c, SOL_SOCKET, SO_ERROR));
        cli.send(c, bytes("x"), 0);
        lab.settle();
        assertEquals(Errno.ECONNREFUSED, errno(() -> cli.recv(c, 10, MSG_DONTWAIT)), "recv reports it too");
        assertEquals(Errno.EAGAIN, errno(() -> cli.recv(c, 10, MSG_DONTWAIT)));
        assertEquals(3, udp(lab.b, "NoPorts"));
        assertEquals(3, lab.a.snmp().get("IcmpInDestUnreachs"));
    }

    @Test
    void anErrorComesBeforeQueuedData() {
        int s = server(9000);
        int c = client();
        cli.bind(c, SockAddr.any(5000));
        cli.connect(c, addr("10.0.0.2", 9000));
        srv.sendto(s, bytes("data"), 0, addr("10.0.0.1", 5000));
        srv.close(s);
        cli.send(c, bytes("x"), 0);
        lab.settle();
        assertEquals(Errno.ECONNREFUSED, errno(() -> cli.recv(c, 10, 0)), "__skb_recv_udp: sock_error first");
        assertArrayEquals(bytes("data"), cli.recv(c, 10, 0));
    }

    @Test
    void unconnectedSocketsHearIcmpErrorsOnlyWithIpRecverr() {
        int c = client();
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9));
        lab.settle();
        assertEquals(0, mask(cli, c) & POLLERR);
        cli.setsockopt(c, SOL_IP, IP_RECVERR, 1);
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9));
        lab.settle();
        assertEquals(111, cli.getsockopt(c, SOL_SOCKET, SO_ERROR));
    }

    @Test
    void theReceiveBufferLimitDropsAndCounts() {
        int s = server(9000);
        srv.setsockopt(s, SOL_SOCKET, SO_RCVBUF, 4096);
        assertEquals(8192, srv.getsockopt(s, SOL_SOCKET, SO_RCVBUF), "doubled");
        int c = client();
        for (int i = 0; i < 20; i++) {
            cli.sendto(c, new byte[100], 0, addr("10.0.0.2", 9000));
        }
        lab.settle();
        Socket sock = socketOf(srv, s);
        int queued = 0;
        while (true) {
            int before = sock.rmemAlloc();
            try {
                srv.recv(s, 200, MSG_PEEK | MSG_DONTWAIT);
            } catch (ErrnoException e) {
                break;
            }
            srv.recv(s, 200, 0);
            int truesize = before - sock.rmemAlloc();
            if (queued == 0) {
                // what was queued: while the memory in use stayed within the limit, one more was taken
                long expected = Math.min(20, 8192 / truesize + 1);
                assertEquals(expected * truesize, before, "truesize " + truesize);
            }
            queued++;
        }
        assertTrue(queued > 0 && queued < 20, "queued " + queued);
        assertEquals(20 - queued, udp(lab.b, "RcvbufErrors"));
        assertEquals(20 - queued, udp(lab.b, "InErrors"));
        assertEquals(queued, udp(lab.b, "InDatagrams"));
    }

    @Test
    void shutdownSetsTheBitsEvenWhenItAnswersEnotconn() {
        int s = server(9000);
        assertEquals(Errno.ENOTCONN, errno(() -> srv.shutdown(s, SHUT_RD)), "inet_shutdown on TCP_CLOSE");
        assertEquals(Errno.EAGAIN, errno(() -> srv.recv(s, 10, MSG_DONTWAIT)), "non-blocking: EAGAIN");
        assertEquals(0, srv.recv(s, 10, 0).length, "blocking: 0, at once");
        int c = client();
        cli.sendto(c, bytes("late"), 0, addr("10.0.0.2", 9000));
        lab.settle();
        assertArrayEquals(bytes("late"), srv.recv(s, 10, 0), "datagrams still arrive after SHUT_RD");
        assertEquals(Errno.EINVAL, errno(() -> srv.shutdown(s, 3)));
        assertEquals(Errno.EINVAL, errno(() -> srv.shutdown(s, -1)));
    }

    @Test
    void shutWrOnAConnectedSocketMakesSendsFailWithEpipeWithoutSigpipe() {
        int c = client();
        cli.connect(c, addr("10.0.0.2", 9000));
        cli.shutdown(c, SHUT_WR);
        assertEquals(Errno.EPIPE, errno(() -> cli.send(c, bytes("x"), 0)));
        assertEquals(0, cli.sigpipeCount(), "SIGPIPE is for streams");
        cli.shutdown(c, SHUT_RD);
        assertEquals(POLLHUP | POLLRDHUP | POLLIN, mask(cli, c) & (POLLHUP | POLLRDHUP | POLLIN));
    }

    @Test
    void pollShowsRoomToWriteAndDataToRead() {
        int s = server(9000);
        assertEquals(POLLOUT | POLLWRNORM | POLLWRBAND, mask(srv, s));
        int c = client();
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9000));
        PollFd pfd = new PollFd(s, POLLIN);
        assertEquals(1, srv.poll(new PollFd[] {pfd}, -1), "poll runs the simulation until it arrives");
        assertEquals(POLLIN, pfd.revents);
    }

    @Test
    void blockingRecvRunsTheSimulationAndNeverHangs() {
        int s = server(9000);
        int c = client();
        long t0 = lab.lab.loop.now();
        cli.sendto(c, bytes("ping"), 0, addr("10.0.0.2", 9000));
        assertArrayEquals(bytes("ping"), srv.recv(s, 10, 0));
        assertTrue(lab.lab.loop.now() > t0, "virtual time passed (ARP, then the datagram)");
        SimulationStalledException e = assertThrows(SimulationStalledException.class, () -> srv.recv(s, 10, 0));
        assertTrue(e.getMessage().contains("UNCONN 0.0.0.0:9000"), e.getMessage());
        srv.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, Duration.ofMillis(250));
        long t1 = lab.lab.loop.now();
        assertEquals(Errno.EAGAIN, errno(() -> srv.recv(s, 10, 0)));
        assertEquals(t1 + SimTime.millis(250), lab.lab.loop.now(), "SO_RCVTIMEO in virtual time");
    }

    @Test
    void aFullSendBufferBlocksOrFailsWithEagainAndCounts() {
        // 10.0.0.3 does not answer ARP: datagrams wait in the neighbour queue, charged to the socket
        int c = client();
        cli.setsockopt(c, SOL_SOCKET, SO_SNDBUF, 4096);
        Socket sock = null;
        int sent = 0;
        while (true) {
            try {
                cli.sendto(c, new byte[1000], MSG_DONTWAIT, addr("10.0.0.3", 9000));
                sent++;
                if (sock == null) {
                    sock = socketOf(cli, c);
                }
            } catch (ErrnoException e) {
                assertEquals(Errno.EAGAIN, e.errno());
                break;
            }
        }
        assertTrue(sock.wmemAlloc() >= sock.sndbuf() && sent >= 2, "sent " + sent + " wmem " + sock.wmemAlloc());
        assertEquals(1, udp(lab.a, "SndbufErrors"));
        assertEquals(0, mask(cli, c) & POLLOUT, "not writable");
        long t0 = lab.lab.loop.now();
        assertEquals(1000, cli.sendto(c, new byte[1000], 0, addr("10.0.0.3", 9000)),
                "a blocking send waits until ARP gives up and frees the queue");
        assertTrue(lab.lab.loop.now() - t0 >= SimTime.seconds(1), "waited " + SimTime.format(lab.lab.loop.now() - t0));
        assertEquals(1, udp(lab.a, "SndbufErrors"), "waiting is not an error");
        lab.settle();
        assertEquals(0, sock.wmemAlloc());
        assertEquals(POLLOUT, mask(cli, c) & POLLOUT);
    }

    @Test
    void closeFreesQueuedDatagramsAndThePort() {
        int s = server(9000);
        int c = client();
        for (int i = 0; i < 3; i++) {
            cli.sendto(c, bytes("unread"), 0, addr("10.0.0.2", 9000));
        }
        lab.settle();
        assertTrue(lab.b.procNetUdp().contains(":2328 "), lab.b.procNetUdp());
        srv.close(s);
        assertEquals(1, lab.b.procNetUdp().lines().count(), "only the header: " + lab.b.procNetUdp());
        server(9000);
    }

    @Test
    void hostCloseClosesEveryProcesssSockets() {
        int s = server(9000);
        int c = client();
        cli.sendto(c, bytes("unread"), 0, addr("10.0.0.2", 9000));
        lab.settle();
        lab.b.close();
        assertEquals(0, lab.b.sockets().processes().size());
        assertEquals(0, lab.b.udp().table().size());
        assertTrue(!srv.isAlive());
        assertEquals(3, s, "the first descriptor after 0, 1 and 2");
    }
}
