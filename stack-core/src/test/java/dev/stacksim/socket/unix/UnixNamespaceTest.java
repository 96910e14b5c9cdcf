package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /proc/net/unix. The expected lines were observed on Linux 6.18 (Python sockets, rows picked out
 * by inode); each test quotes them. Linux prints a hashed kernel address in the first column to
 * root and zeros to other readers; we print zeros.
 */
class UnixNamespaceTest {
    private static final String HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n";
    private static final String NUM = "0000000000000000: ";

    private final TestHost host = new TestHost();
    private final Process srv = host.spawn("server");
    private final Process cli = host.spawn("client");

    @AfterEach
    void tearDown() {
        host.close();
    }

    /** The inode of {@code fd}, from {@code ls -l /proc/<pid>/fd}. */
    private static int inode(Process p, int fd) {
        for (String line : p.fds()) {
            if (line.startsWith(fd + " -> socket:[")) {
                return Integer.parseInt(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
            }
        }
        throw new AssertionError("fd " + fd + " is no socket: " + p.fds());
    }

    private static String row(int ref, int flags, int type, int st, int inode, String path) {
        return NUM + String.format("%08X %08X %08X %04X %02X %5d", ref, 0, flags, type, st, inode)
                + (path == null ? "" : " " + path) + "\n";
    }

    private String proc() {
        return host.layer.procNetUnix();
    }

    @Test
    void noSocketsIsTheHeaderAlone() {
        assertEquals(HEADER, proc());
    }

    @Test
    void boundStreamSocketBeforeAndAfterListen() {
        int lfd = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        int ino = inode(srv, lfd);
        srv.bind(lfd, SockAddr.unix("/run/l.sock"));
        // 6.18: "...: 00000002 00000000 00000000 0001 01 106115 /tmp/pu/b.sock"
        assertEquals(HEADER + row(2, 0, 1, 1, ino, "/run/l.sock"), proc());
        srv.listen(lfd, 5);
        // 6.18: "...: 00000002 00000000 00010000 0001 01 106103 /tmp/pu/l.sock"
        assertEquals(HEADER + row(2, 0x10000, 1, 1, ino, "/run/l.sock"), proc());
    }

    @Test
    void pendingConnectionShowsAnEmbryoWithoutInodeThenTheAcceptedSocket() {
        int lfd = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.unix("/run/l2.sock"));
        srv.listen(lfd, 5);
        int cfd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(cfd, SockAddr.unix("/run/l2.sock"));
        int l = inode(srv, lfd);
        int c = inode(cli, cfd);
        // 6.18, before accept (embryo, listener, client):
        //   "...: 00000003 00000000 00000000 0001 02     0 /tmp/pu/l2.sock"
        //   "...: 00000002 00000000 00010000 0001 01 105053 /tmp/pu/l2.sock"
        //   "...: 00000003 00000000 00000000 0001 03 105054"
        assertEquals(HEADER
                + row(3, 0, 1, 2, 0, "/run/l2.sock")
                + row(2, 0x10000, 1, 1, l, "/run/l2.sock")
                + row(3, 0, 1, 3, c, null), proc());
        int afd = srv.accept(lfd);
        int a = inode(srv, afd);
        // 6.18, after accept, the accepted socket has a new inode and the listener's path:
        //   "...: 00000003 00000000 00000000 0001 03 105057 /tmp/pu/l2.sock"
        assertEquals(HEADER
                + row(2, 0x10000, 1, 1, l, "/run/l2.sock")
                + row(3, 0, 1, 3, c, null)
                + row(3, 0, 1, 3, a, "/run/l2.sock"), proc());
        cli.close(cfd);
        // 6.18, client closed: gone; the accepted socket drops to 2, still 03:
        //   "...: 00000002 00000000 00000000 0001 03 106107 /tmp/pu/l.sock"
        assertEquals(HEADER
                + row(2, 0x10000, 1, 1, l, "/run/l2.sock")
                + row(2, 0, 1, 3, a, "/run/l2.sock"), proc());
        srv.close(afd);
        assertEquals(HEADER + row(2, 0x10000, 1, 1, l, "/run/l2.sock"), proc());
    }

    @Test
    void closingTheListenerTakesItsEmbryosAlong() {
        int lfd = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.unix("/run/l3.sock"));
        srv.listen(lfd, 5);
        int cfd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(cfd, SockAddr.unix("/run/l3.sock"));
        srv.close(lfd);
        // 6.18, listener closed with a pending connection: only the client, refcount 2, still 03:
        //   "...: 00000002 00000000 00000000 0001 03 106142"
        assertEquals(HEADER + row(2, 0, 1, 3, inode(cli, cfd), null), proc());
    }

    @Test
    void connectedStreamSocketpairThenOneEndClosed() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int a = inode(cli, sv[0]);
        int b = inode(cli, sv[1]);
        // 6.18: "...: 00000003 00000000 00000000 0001 03 106108"
        //       "...: 00000003 00000000 00000000 0001 03 106109"
        assertEquals(HEADER + row(3, 0, 1, 3, a, null) + row(3, 0, 1, 3, b, null), proc());
        cli.shutdown(sv[0], SHUT_RDWR);
        assertEquals(HEADER + row(3, 0, 1, 3, a, null) + row(3, 0, 1, 3, b, null), proc(), "shutdown changes nothing");
        cli.close(sv[0]);
        // 6.18: "...: 00000002 00000000 00000000 0001 03 106109"
        assertEquals(HEADER + row(2, 0, 1, 3, b, null), proc());
    }

    @Test
    void datagramSocketpairIsConnectedAtBothEnds() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        // 6.18: "...: 00000003 00000000 00000000 0002 03 106110" (and 106111)
        assertEquals(HEADER + row(3, 0, 2, 3, inode(cli, sv[0]), null) + row(3, 0, 2, 3, inode(cli, sv[1]), null),
                proc());
        int b = inode(cli, sv[1]);
        cli.close(sv[0]);
        // 6.18: "...: 00000002 00000000 00000000 0002 03 106146"
        assertEquals(HEADER + row(2, 0, 2, 3, b, null), proc());
    }

    @Test
    void unboundDatagramSocketThenClosed() {
        int fd = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        // 6.18: "...: 00000002 00000000 00000000 0002 01 106112"
        assertEquals(HEADER + row(2, 0, 2, 1, inode(cli, fd), null), proc());
        cli.close(fd);
        assertEquals(HEADER, proc());
    }

    @Test
    void datagramConnectMarksBothEndsAndCountsConnectorsOnTheTarget() {
        int bfd = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(bfd, SockAddr.unix("/run/d.sock"));
        int b = inode(srv, bfd);
        // 6.18: "...: 00000002 00000000 00000000 0002 01 106113 /tmp/pu/d.sock"
        assertEquals(HEADER + row(2, 0, 2, 1, b, "/run/d.sock"), proc());
        int u1 = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        int u2 = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        cli.connect(u1, SockAddr.unix("/run/d.sock"));
        cli.connect(u2, SockAddr.unix("/run/d.sock"));
        // 6.18, two connectors (target, u, u2):
        //   "...: 00000004 00000000 00000000 0002 03 105058 /tmp/pu/d2.sock"
        //   "...: 00000002 00000000 00000000 0002 03 105060"
        //   "...: 00000002 00000000 00000000 0002 03 105059"
        assertEquals(HEADER + row(4, 0, 2, 3, b, "/run/d.sock")
                + row(2, 0, 2, 3, inode(cli, u1), null) + row(2, 0, 2, 3, inode(cli, u2), null), proc());
        cli.close(u1);
        cli.close(u2);
        // 6.18, both connectors closed: the target stays 03
        //   "...: 00000002 00000000 00000000 0002 03 105058 /tmp/pu/d2.sock"
        assertEquals(HEADER + row(2, 0, 2, 3, b, "/run/d.sock"), proc());
    }

    @Test
    void datagramSendToAClosedPeerLeavesTheConnectedState() {
        int bfd = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(bfd, SockAddr.unix("/run/d2.sock"));
        int u = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        cli.connect(u, SockAddr.unix("/run/d2.sock"));
        srv.close(bfd);
        // 6.18, target closed, before the send: "...: 00000002 00000000 00000000 0002 03 106501"
        assertEquals(HEADER + row(2, 0, 2, 3, inode(cli, u), null), proc());
        // ECONNREFUSED: unix_dgram_sendmsg drops the peer and sets TCP_CLOSE
        assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class, () -> cli.send(u, new byte[] {1}, 0)).errno());
        // 6.18, after: "...: 00000002 00000000 00000000 0002 01 106501"
        assertEquals(HEADER + row(2, 0, 2, 1, inode(cli, u), null), proc());
    }

    @Test
    void datagramReconnectLeavesTheOldTargetUnconnected() {
        int b1 = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(b1, SockAddr.unix("/run/e1"));
        int b2 = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(b2, SockAddr.unix("/run/e2"));
        int u = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        cli.connect(u, SockAddr.unix("/run/e1"));
        cli.connect(u, SockAddr.unix("/run/e2"));
        // 6.18 (e1, e2, u):
        //   "...: 00000002 00000000 00000000 0002 01 106499 /tmp/pu/e1"
        //   "...: 00000003 00000000 00000000 0002 03 106500 /tmp/pu/e2"
        //   "...: 00000002 00000000 00000000 0002 03 106501"
        assertEquals(HEADER + row(2, 0, 2, 1, inode(srv, b1), "/run/e1") + row(3, 0, 2, 3, inode(srv, b2), "/run/e2")
                + row(2, 0, 2, 3, inode(cli, u), null), proc());
    }

    /**
     * {@code ss -x}'s view ({@code unix_diag}): observed on 6.18 with {@code ss -xa}: a listener's
     * Recv-Q is its pending connections and Send-Q its backlog; a connection not yet accepted has
     * no inode and is not listed, so its client shows peer 0; a datagram socket's Recv-Q is the
     * length of its next datagram; a peer that closed shows as 0.
     */
    @Test
    void socketsAsUnixDiagReportsThem() {
        int l = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        srv.bind(l, SockAddr.unix("/run/echo.sock"));
        srv.listen(l, 5);
        int pending = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(pending, SockAddr.unix("/run/echo.sock"));
        int d = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(d, SockAddr.unix("/run/log.sock"));
        int d1 = cli.socket(AF_UNIX, SOCK_DGRAM, 0);
        cli.connect(d1, SockAddr.unix("/run/log.sock"));
        cli.send(d1, new byte[10], 0);
        cli.send(d1, new byte[3], 0);
        int[] pair = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        UnixNamespace ns = host.layer.unixNamespace();
        int wq = ns.sockets().get(3).wqueue();
        assertEquals(java.util.List.of(
                new UnixSockInfo(SOCK_STREAM, UnixSockInfo.TCP_LISTEN, 1, 5, "/run/echo.sock", inode(srv, l), 0),
                new UnixSockInfo(SOCK_STREAM, UnixSockInfo.TCP_ESTABLISHED, 0, 0, null, inode(cli, pending), 0),
                new UnixSockInfo(SOCK_DGRAM, UnixSockInfo.TCP_ESTABLISHED, 10, 0, "/run/log.sock", inode(srv, d), 0),
                new UnixSockInfo(SOCK_DGRAM, UnixSockInfo.TCP_ESTABLISHED, 0, wq, null, inode(cli, d1), inode(srv, d)),
                new UnixSockInfo(SOCK_STREAM, UnixSockInfo.TCP_ESTABLISHED, 0, 0, null, inode(cli, pair[0]), inode(cli, pair[1])),
                new UnixSockInfo(SOCK_STREAM, UnixSockInfo.TCP_ESTABLISHED, 0, 0, null, inode(cli, pair[1]), inode(cli, pair[0]))),
                ns.sockets());
        assertEquals(true, wq > 0, "two datagrams charged to the sender until read");
        cli.close(pair[1]);
        assertEquals(new UnixSockInfo(SOCK_STREAM, UnixSockInfo.TCP_ESTABLISHED, 0, 0, null, inode(cli, pair[0]), 0),
                ns.sockets().get(4));
    }
}
