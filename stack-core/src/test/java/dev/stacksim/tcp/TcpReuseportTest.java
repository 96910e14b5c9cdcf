package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Linger;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SO_REUSEPORT groups ({@code sock_reuseport.c}): listeners of one owner on one address and port
 * share the incoming connections by a keyed hash of the 4-tuple scaled onto the group
 * ({@code reuseport_select_sock_by_hash}), not round-robin; a selector (standing in for a reuseport
 * BPF program) may choose instead; a member that closes resets the children queued on it.
 */
class TcpReuseportTest {
    private static final long MS = 1_000_000L;

    private static int[] group(Process srv, int n, int backlog) {
        int[] fds = new int[n];
        for (int i = 0; i < n; i++) {
            fds[i] = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(fds[i], SOL_SOCKET, SO_REUSEPORT, 1);
            srv.bind(fds[i], TcpLab.addr("0.0.0.0", 80));
            srv.listen(fds[i], backlog);
        }
        return fds;
    }

    /** The member whose accept queue holds a child, or -1. */
    private static int holder(Process srv, int[] fds) {
        for (int i = 0; i < fds.length; i++) {
            if (sock(srv, fds[i]).acceptQueueLength() > 0) {
                return i;
            }
        }
        return -1;
    }

    /** Connects from client port {@code port} (bound), returns which member took it, and clears up with RSTs. */
    private static int connectFrom(TcpLab lab, Process cli, Process srv, int[] fds, int port) {
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(fd, TcpLab.addr("0.0.0.0", port));
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        lab.run(MS);
        int h = holder(srv, fds);
        int c = srv.accept(fds[h]);
        cli.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Linger(1, 0));
        cli.close(fd);
        srv.close(c);
        lab.run(MS);
        return h;
    }

    @Test
    void fourListenersShareTenThousandConnectionsWithinAFewPercent() {
        try (TcpLab lab = new TcpLab(51, true)) {
            Process srv = lab.b.spawn("srv");
            int[] fds = group(srv, 4, 4096);
            Process cli = lab.a.spawn("cli");
            cli.setRlimitNofile(20_000);
            for (int i = 0; i < 10_000; i++) {
                lab.connectNonBlocking(cli, 80);
                if (i % 100 == 99) {
                    lab.run(MS);
                }
            }
            lab.run(100 * MS);
            int total = 0;
            List<Integer> counts = new ArrayList<>();
            for (int fd : fds) {
                int n = sock(srv, fd).acceptQueueLength();
                counts.add(n);
                total += n;
                assertTrue(Math.abs(n - 2500) <= 125, "within 5% of 2500: " + counts);
            }
            assertEquals(10_000, total, counts.toString());
        }
    }

    @Test
    void theSameFourTupleAlwaysLandsOnTheSameListener() {
        try (TcpLab lab = new TcpLab(52)) {
            Process srv = lab.b.spawn("srv");
            int[] fds = group(srv, 4, 16);
            Process cli = lab.a.spawn("cli");
            List<Integer> first = new ArrayList<>();
            for (int port = 5000; port < 5012; port++) {
                first.add(connectFrom(lab, cli, srv, fds, port));
            }
            for (int round = 0; round < 3; round++) {
                for (int port = 5000; port < 5012; port++) {
                    assertEquals(first.get(port - 5000), connectFrom(lab, cli, srv, fds, port), "port " + port);
                }
            }
            assertTrue(first.stream().distinct().count() > 1, "spread: " + first);
            assertNotEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3), first, "a hash, not round-robin");
        }
    }

    @Test
    void aSelectorChoosesTheMemberAndAnOutOfRangeAnswerFallsBackToTheHash() {
        try (TcpLab lab = new TcpLab(53)) {
            Process srv = lab.b.spawn("srv");
            int[] fds = group(srv, 4, 16);
            Process cli = lab.a.spawn("cli");
            List<Integer> byHash = new ArrayList<>();
            for (int port = 6000; port < 6008; port++) {
                byHash.add(connectFrom(lab, cli, srv, fds, port));
            }
            // attached through any member: it belongs to the group
            lab.b.tcp().attachReuseportSelector(srv, fds[1], (saddr, sport, daddr, dport, n) -> n - 1);
            for (int port = 6000; port < 6008; port++) {
                assertEquals(3, connectFrom(lab, cli, srv, fds, port));
            }
            lab.b.tcp().attachReuseportSelector(srv, fds[0], (saddr, sport, daddr, dport, n) -> sport % 2 == 0 ? -1 : 0);
            for (int port = 6000; port < 6008; port++) {
                assertEquals(port % 2 == 0 ? byHash.get(port - 6000) : 0, connectFrom(lab, cli, srv, fds, port));
            }
            lab.b.tcp().attachReuseportSelector(srv, fds[2], null);
            for (int port = 6000; port < 6008; port++) {
                assertEquals(byHash.get(port - 6000), connectFrom(lab, cli, srv, fds, port));
            }
            ErrnoException e = assertThrows(ErrnoException.class, () -> lab.b.tcp().attachReuseportSelector(srv, fds[2], null));
            assertEquals(Errno.ENOENT, e.errno());
        }
    }

    @Test
    void aSelectorNeedsSoReuseport() {
        try (TcpLab lab = new TcpLab(54)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> lab.b.tcp().attachReuseportSelector(srv, lfd, (s, sp, d, dp, n) -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(Errno.EBADF, assertThrows(ErrnoException.class,
                    () -> lab.b.tcp().attachReuseportSelector(srv, 99, (s, sp, d, dp, n) -> 0)).errno());
            // before listen(): kept for the group the socket starts
            int fd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
            lab.b.tcp().attachReuseportSelector(srv, fd, (s, sp, d, dp, n) -> n - 1);
            srv.bind(fd, TcpLab.addr("0.0.0.0", 81));
            srv.listen(fd, 8);
            int fd2 = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(fd2, SOL_SOCKET, SO_REUSEPORT, 1);
            srv.bind(fd2, TcpLab.addr("0.0.0.0", 81));
            srv.listen(fd2, 8);
            Process cli = lab.a.spawn("cli");
            for (int i = 0; i < 4; i++) {
                lab.connectNonBlocking(cli, 81);
            }
            lab.run(MS);
            assertEquals(0, sock(srv, fd).acceptQueueLength());
            assertEquals(4, sock(srv, fd2).acceptQueueLength(), "n - 1: the newest member");
        }
    }

    /**
     * A member that closes resets the children queued on it ({@code inet_csk_listen_stop},
     * tcp_migrate_req 0); the other members keep theirs, and new connections spread over those
     * left (the last member takes the leaver's slot).
     */
    @Test
    void aClosingMemberResetsTheChildrenQueuedOnIt() {
        try (TcpLab lab = new TcpLab(55)) {
            Process srv = lab.b.spawn("srv");
            int[] fds = group(srv, 4, 64);
            Process cli = lab.a.spawn("cli");
            int[] cfds = new int[40];
            for (int i = 0; i < 40; i++) {
                cfds[i] = lab.connectNonBlocking(cli, 80);
            }
            lab.run(10 * MS);
            int onFirst = sock(srv, fds[0]).acceptQueueLength();
            assertTrue(onFirst > 0);
            long rstsBefore = TcpLab.mib(lab.b, "OutRsts");
            srv.close(fds[0]);
            lab.run(10 * MS);
            assertEquals(onFirst, TcpLab.mib(lab.b, "OutRsts") - rstsBefore);
            int reset = 0;
            for (int fd : cfds) {
                if (sock(cli, fd).tcpState() == TcpState.CLOSE) {
                    reset++;
                    ErrnoException e = assertThrows(ErrnoException.class, () -> cli.recv(fd, new byte[1], 0, 1, 0));
                    assertEquals(Errno.ECONNRESET, e.errno());
                }
            }
            assertEquals(onFirst, reset);
            int left = 0;
            for (int i = 1; i < 4; i++) {
                left += sock(srv, fds[i]).acceptQueueLength();
            }
            assertEquals(40 - onFirst, left);
            for (int i = 0; i < 30; i++) {
                lab.connectNonBlocking(cli, 80);
            }
            lab.run(10 * MS);
            int after = 0;
            for (int i = 1; i < 4; i++) {
                after += sock(srv, fds[i]).acceptQueueLength();
            }
            assertEquals(70 - onFirst, after, "the other three take every new connection");
        }
    }

    /** {@code __inet_lookup_listener}: a listener bound to the destination address wins over 0.0.0.0. */
    @Test
    void aListenerOnTheAddressWinsOverTheWildcard() {
        try (TcpLab lab = new TcpLab(56)) {
            Process srv = lab.b.spawn("srv");
            int any = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(any, SOL_SOCKET, SO_REUSEPORT, 1);
            srv.bind(any, TcpLab.addr("0.0.0.0", 80));
            srv.listen(any, 8);
            int specific = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(specific, SOL_SOCKET, SO_REUSEPORT, 1);
            srv.bind(specific, TcpLab.addr("10.0.0.2", 80));
            srv.listen(specific, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            lab.run(MS);
            assertEquals(1, sock(srv, specific).acceptQueueLength());
            assertEquals(0, sock(srv, any).acceptQueueLength());
            SockAddr.Inet local = (SockAddr.Inet) srv.getsockname(srv.accept(specific));
            assertEquals("10.0.0.2", local.address().toString());
        }
    }
}
