package dev.stacksim.tcp;

import dev.stacksim.host.GatedPair;
import dev.stacksim.host.Host;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code /proc/net/tcp}: first its format against lines captured on Linux 6.18 (the kernel's
 * pointer column zeroed), then the lines the simulated stack prints for each TCP state.
 */
class TcpProcTest {
    private static final int LO = 0x7F000001;
    private static final long MS = 1_000_000L;
    private static final long INF = TcpInfo.TCP_INFINITE_SSTHRESH;

    /** A line captured from the kernel, its {@code %pK} zeroed, padding removed. */
    private static String kernel(String captured) {
        assertEquals(TcpProc.PROC_WIDTH, captured.length(), "captured lines are padded to 149");
        return captured.replaceAll(" [0-9a-f]{16}( |$)", " 0000000000000000$1").stripTrailing();
    }

    private static TcpSockInfo sock(TcpState st, int laddr, int lport, int raddr, int rport, int tx, int rx,
            int timer, long remaining, int retrans, int uid, long inode, int refcnt, long rto, long ato, int qack,
            int cwnd, long ssthresh) {
        return new TcpSockInfo(TcpSockInfo.Kind.SOCK, st, laddr, lport, raddr, rport, tx, rx, st == TcpState.LISTEN ? 3 : 0,
                0, timer, remaining, retrans, retrans, uid, 0, inode, refcnt, rto, ato, qack, cwnd, (int) ssthresh, null);
    }

    @Nested
    class KernelFormat {
        @Test
        void listenerPrintsAcceptQueueAsRxQueueAndFastOpenLimitLast() {
            assertEquals(kernel("   0: 0100007F:251D 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 737286 3 000000005360fe49 100 0 0 10 0                    "),
                    TcpProc.line(sock(TcpState.LISTEN, LO, 9501, 0, 0, 0, 2, 0, 0, 0, 0, 737286, 3, 1000 * MS, 0, 0, 10, INF), 0));
        }

        @Test
        void establishedPrintsRtoAtoQuickAckCwndAndMinusOneInSlowStart() {
            assertEquals(kernel("   6: 0100007F:0050 0100007F:9C43 01 00000000:000003E8 00:00000000 00000000     0        0 737291 1 000000009d72395e 20 4 33 11 -1                   "),
                    TcpProc.line(sock(TcpState.ESTABLISHED, LO, 80, LO, 40003, 0, 1000, 0, 0, 0, 0, 737291, 1, 204 * MS, 40 * MS, 33, 11, INF), 6));
        }

        @Test
        void unacceptedChildHasInodeZeroButItsOwnersUid() {
            assertEquals(kernel("   2: 0100007F:2328 0100007F:C590 08 00000000:00000001 00:00000000 00000000  1000        0 0 1 0000000067b123f9 20 4 0 10 -1                         "),
                    TcpProc.line(sock(TcpState.CLOSE_WAIT, LO, 9000, LO, 50576, 0, 1, 0, 0, 0, 1000, 0, 1, 204 * MS, 40 * MS, 0, 10, INF), 2));
        }

        @Test
        void synSentCountsItsSynInTxQueueAndShowsTheRetransmitTimer() {
            assertEquals(kernel("   9: 0100007F:9C48 0200090A:0050 02 00000001:00000000 01:00000045 00000000     0        0 737300 2 00000000c12ce646 100 0 0 10 -1                   "),
                    TcpProc.line(sock(TcpState.SYN_SENT, LO, 40008, 0x0A090002, 80, 1, 0, 1, 695 * MS, 0, 0, 737300, 2, 1000 * MS, 0, 0, 10, INF), 9));
            assertEquals(kernel("   9: 0100007F:9C48 0200090A:0050 02 00000001:00000000 01:00000026 00000001     0        0 737300 2 00000000c12ce646 100 0 0 1 -1                    "),
                    TcpProc.line(sock(TcpState.SYN_SENT, LO, 40008, 0x0A090002, 80, 1, 0, 1, 389 * MS, 1, 0, 737300, 2, 1000 * MS, 0, 0, 1, INF), 9));
        }

        @Test
        void keepaliveIsTimerTwoInClockTicks() {
            assertEquals(kernel("  16: 0100007F:9C47 0100007F:0050 01 00000000:00000000 02:000AFC61 00000000     0        0 737298 3 0000000077a6ec07 20 0 0 10 -1                    "),
                    TcpProc.line(sock(TcpState.ESTABLISHED, LO, 40007, LO, 80, 0, 0, 2, 7_199_695 * MS, 0, 0, 737298, 3, 204 * MS, 0, 0, 10, INF), 16));
        }

        @Test
        void requestSockPrintsSt03InodeAndRefcountZeroAndStopsAfterThePointer() {
            TcpSockInfo req = new TcpSockInfo(TcpSockInfo.Kind.REQUEST, TcpState.NEW_SYN_RECV, LO, 80, 0x0A090003, 50000,
                    0, 0, 0, 0, 1, 695 * MS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
            assertEquals(kernel("   5: 0100007F:0050 0300090A:C350 03 00000000:00000000 01:00000045 00000000     0        0 0 0 000000007d204ec5                                      "),
                    TcpProc.line(req, 5));
            TcpSockInfo later = new TcpSockInfo(TcpSockInfo.Kind.REQUEST, TcpState.NEW_SYN_RECV, LO, 80, 0x0A090003, 50000,
                    0, 0, 0, 0, 1, 1385 * MS, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
            assertEquals(kernel("   5: 0100007F:0050 0300090A:C350 03 00000000:00000000 01:0000008A 00000001     0        0 0 0 000000007d204ec5                                      "),
                    TcpProc.line(later, 5));
        }

        @Test
        void timeWaitAndFinWait2MinisocksPrintTimerThreeAndRefcountThree() {
            TcpSockInfo tw = new TcpSockInfo(TcpSockInfo.Kind.TIME_WAIT, TcpState.TIME_WAIT, LO, 40005, LO, 80,
                    0, 0, 0, 0, 3, 59_695 * MS, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, null);
            assertEquals(kernel("  14: 0100007F:9C45 0100007F:0050 06 00000000:00000000 03:00001751 00000000     0        0 0 3 0000000030818e32                                      "),
                    TcpProc.line(tw, 14));
            TcpSockInfo fw2 = new TcpSockInfo(TcpSockInfo.Kind.TIME_WAIT, TcpState.FIN_WAIT2, LO, 40006, LO, 80,
                    0, 0, 0, 0, 3, 59_695 * MS, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, null);
            assertEquals(kernel("  15: 0100007F:9C46 0100007F:0050 05 00000000:00000000 03:00001751 00000000     0        0 0 3 0000000031abac0e                                      "),
                    TcpProc.line(fw2, 15));
        }

        @Test
        void headerIsPaddedLikeEveryLine() {
            try (GatedPair p = new GatedPair(1)) {
                assertEquals("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n",
                        p.a.procNetTcp());
            }
        }
    }

    /** The line of {@code h}'s /proc/net/tcp for local port {@code lport} and remote port {@code rport}, unpadded. */
    private static String line(Host h, int lport, int rport) {
        String want = String.format(":%04X ", lport);
        String peer = String.format(":%04X ", rport);
        List<String> found = Arrays.stream(h.procNetTcp().split("\n")).skip(1)
                .filter(l -> l.substring(6, 20).endsWith(want) && l.substring(20, 34).endsWith(peer))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), () -> "one line for " + lport + " -> " + rport + " in\n" + h.procNetTcp());
        assertEquals(TcpProc.PROC_WIDTH, found.get(0).length());
        return found.get(0).stripTrailing();
    }

    /** A listener on 0.0.0.0:8080 (backlog 8) on b, owned by uid 1000. */
    private static int listen(Process srv) {
        int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.of("0.0.0.0", 8080));
        srv.listen(lfd, 8);
        return lfd;
    }

    /** A connection from 10.0.0.1:{@code port} to 10.0.0.2:8080. */
    private static int connect(Process cli, int port) {
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(fd, SockAddr.of("10.0.0.1", port));
        cli.connect(fd, SockAddr.of("10.0.0.2", 8080));
        return fd;
    }

    @Nested
    class States {
        @Test
        void listenWithQueuedChildren() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                connect(cli, 40001);
                connect(cli, 40002);
                p.runMillis(300);
                assertEquals("   0: 00000000:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 12345 3 0000000000000000 100 0 0 10 0", line(p.b, 8080, 0));
                assertEquals("   1: 0200000A:1F90 0100000A:9C41 01 00000000:00000000 00:00000000 00000000  1000        0 0 1 0000000000000000 20 0 0 10 -1", line(p.b, 8080, 40001));
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 20 0 0 10 -1", line(p.a, 40001, 8080));
                TcpSockInfo l = TcpProc.sockets(p.b.tcp()).get(0);
                assertEquals(TcpSockInfo.Kind.SOCK, l.kind());
                assertEquals(2, l.rxQueue());
                assertEquals(0, l.txQueue(), "/proc/net/tcp has no column for the backlog");
                assertEquals(2, l.ssRecvQ());
                assertEquals(8, l.ssSendQ(), "ss shows the backlog as Send-Q");
                assertEquals(2, l.info().unacked(), "tcp_info of a listener: unacked is the accept queue");
                assertEquals(8, l.info().sacked(), "... and sacked the backlog");
            }
        }

        @Test
        void requestSockAndSynSentWhileTheSynAckIsLost() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                connect(cli, 40001);
                p.runMillis(300);
                p.gate.blockIn = true;
                int fd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                cli.bind(fd, SockAddr.of("10.0.0.1", 40007));
                assertThrows(RuntimeException.class, () -> cli.connect(fd, SockAddr.of("10.0.0.2", 8080)));
                p.runMillis(300);
                assertEquals("   2: 0200000A:1F90 0100000A:9C47 03 00000000:00000000 01:00000046 00000000  1000        0 0 0 0000000000000000", line(p.b, 8080, 40007));
                assertEquals("   1: 0100000A:9C47 0200000A:1F90 02 00000001:00000000 01:00000046 00000000  1000        0 12346 2 0000000000000000 100 0 0 10 -1", line(p.a, 40007, 8080));
                assertEquals("   0: 00000000:1F90 00000000:0000 0A 00000000:00000001 00:00000000 00000000  1000        0 12345 3 0000000000000000 100 0 0 10 0", line(p.b, 8080, 0));
                p.runMillis(1000);
                assertEquals("   2: 0200000A:1F90 0100000A:9C47 03 00000000:00000000 01:000000AA 00000001  1000        0 0 0 0000000000000000", line(p.b, 8080, 40007));
                assertEquals("   1: 0100000A:9C47 0200000A:1F90 02 00000001:00000000 01:00000046 00000001  1000        0 12346 2 0000000000000000 100 0 0 10 -1", line(p.a, 40007, 8080));
            }
        }

        @Test
        void unreadAndUnackedBytes() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                int fd = connect(cli, 40001);
                srv.accept(lfd);
                cli.send(fd, new byte[5], 0);
                p.runMillis(300);
                assertEquals("   1: 0200000A:1F90 0100000A:9C41 01 00000000:00000005 00:00000000 00000000  1000        0 12346 1 0000000000000000 20 4 30 10 -1", line(p.b, 8080, 40001));
                p.gate.blockIn = true;
                cli.send(fd, new byte[100], 0);
                p.runMillis(300);
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 01 00000064:00000000 01:0000000A 00000000  1000        0 12345 2 0000000000000000 20 0 0 10 -1", line(p.a, 40001, 8080));
            }
        }

        @Test
        void finWait1LastAckAndClosingWaitForTheAckOfTheirFin() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                int[] c = new int[3];
                int[] s = new int[3];
                for (int i = 0; i < 3; i++) {
                    c[i] = connect(cli, 40001 + i);
                    s[i] = srv.accept(lfd);
                }
                p.runMillis(300);
                p.gate.blockIn = true;
                cli.shutdown(c[0], SHUT_WR);            // 40001: FIN_WAIT1, its FIN never acknowledged
                cli.shutdown(c[1], SHUT_WR);            // 40002: the server goes CLOSE_WAIT, then LAST_ACK
                p.runMillis(1);
                srv.close(s[1]);
                p.gate.blockOut = true;                 // 40003: both FINs lost, then only the client's gets through
                cli.shutdown(c[2], SHUT_WR);
                srv.shutdown(s[2], SHUT_WR);
                p.runMillis(1);
                p.gate.blockOut = false;
                p.runMillis(1500);
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 04 00000001:00000000 01:0000000A 00000002  1000        0 12345 2 0000000000000000 80 0 0 1 7", line(p.a, 40001, 8080));
                assertEquals("   2: 0200000A:1F90 0100000A:9C42 09 00000001:00000001 01:0000000A 00000002  1000        0 0 2 0000000000000000 80 4 28 1 7", line(p.b, 8080, 40002));
                assertEquals("   3: 0200000A:1F90 0100000A:9C43 0B 00000001:00000001 01:0000000A 00000002  1000        0 12348 2 0000000000000000 80 4 30 1 7", line(p.b, 8080, 40003));
            }
        }

        @Test
        void finWait2AndCloseWaitAfterAHalfClose() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                int fd = connect(cli, 40001);
                srv.accept(lfd);
                cli.shutdown(fd, SHUT_WR);
                p.runMillis(300);
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 05 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 20 0 0 10 -1", line(p.a, 40001, 8080));
                assertEquals("   1: 0200000A:1F90 0100000A:9C41 08 00000000:00000001 00:00000000 00000000  1000        0 12346 1 0000000000000000 20 4 0 10 -1", line(p.b, 8080, 40001));
            }
        }

        @Test
        void orphanInFinWait2AndTimeWaitAreMinisocks() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                int c1 = connect(cli, 40001);
                srv.accept(lfd);
                int c2 = connect(cli, 40002);
                int s2 = srv.accept(lfd);
                cli.close(c1);                          // the peer never closes: FIN_WAIT2 minisock
                cli.close(c2);
                p.runMillis(1);
                srv.close(s2);                          // closed both ways, client first: TIME_WAIT
                p.runMillis(300);
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 05 00000000:00000000 03:00001752 00000000     0        0 0 3 0000000000000000", line(p.a, 40001, 8080));
                assertEquals("   1: 0100000A:9C42 0200000A:1F90 06 00000000:00000000 03:00001752 00000000     0        0 0 3 0000000000000000", line(p.a, 40002, 8080));
            }
        }

        @Test
        void keepaliveAndZeroWindowProbeTimers() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                Process cli = p.a.spawn("cli", 1000);
                int c1 = connect(cli, 40001);
                srv.accept(lfd);
                cli.setsockopt(c1, SOL_SOCKET, SO_KEEPALIVE, 1);
                int c2 = connect(cli, 40002);
                srv.accept(lfd);
                cli.fcntl(c2, F_SETFL, O_NONBLOCK);
                byte[] chunk = new byte[16384];
                for (int k = 0; k < 40; k++) {
                    try {
                        cli.send(c2, chunk, 0);
                    } catch (RuntimeException e) {
                        p.runMillis(50);
                    }
                }
                p.runMillis(2000);
                assertEquals("   0: 0100000A:9C41 0200000A:1F90 01 00000000:00000000 02:000AFB71 00000000  1000        0 12345 2 0000000000000000 20 0 0 10 -1", line(p.a, 40001, 8080));
                assertEquals("   1: 0100000A:9C42 0200000A:1F90 01 0004A9A0:00000000 04:0000003A 00000000  1000        0 12346 2 0000000000000000 20 0 0 66 -1", line(p.a, 40002, 8080));
            }
        }

        @Test
        void listenersComeFirstThenTheEstablishedTableInAddressOrder() {
            try (GatedPair p = new GatedPair(7)) {
                Process srv = p.b.spawn("srv", 1000);
                int lfd = listen(srv);
                int l2 = srv.socket(AF_INET, SOCK_STREAM, 0);
                srv.bind(l2, SockAddr.of("10.0.0.2", 7000));
                srv.listen(l2, 4);
                Process cli = p.a.spawn("cli", 1000);
                connect(cli, 40002);
                connect(cli, 40001);
                p.runMillis(10);
                assertEquals("  sl  local_address rem_address   \n"
                + "   0: 0200000A:1B58 00000000:0000 \n"
                + "   1: 00000000:1F90 00000000:0000 \n"
                + "   2: 0200000A:1F90 0100000A:9C41 \n"
                + "   3: 0200000A:1F90 0100000A:9C42 ", p.b.procNetTcp().lines().map(l -> l.substring(0, 34)).collect(Collectors.joining("\n")));
            }
        }
    }
}
