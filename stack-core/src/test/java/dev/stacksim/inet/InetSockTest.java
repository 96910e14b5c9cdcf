package dev.stacksim.inet;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bind, getsockname/getpeername and SOL_IP options of AF_INET sockets; errno values observed on Linux 6.18. */
class InetSockTest {
    private final Lab lab = new Lab(3);
    private final VethPair veth = lab.veth("eth0", "eth0");
    private final Host host = lab.host("h", veth.first(), "10.0.0.1/24");
    private final Host peer = lab.host("p", veth.second(), "10.0.0.2/24");
    private final Process root = host.spawn("root");
    private final Process alice = host.spawn("alice", 1000);
    private final Process bob = host.spawn("bob", 1001);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private int udp(Process p) {
        return p.socket(AF_INET, SOCK_DGRAM, 0);
    }

    @Test
    void bindChecksTheFamilyTheAddressThePrivilegeThenTheState() {
        int fd = udp(alice);
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> alice.bind(fd, SockAddr.unix("/tmp/x"))));
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> alice.bind(fd, SockAddr.of("10.9.9.9", 80))),
                "a foreign address fails before the privileged port");
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> alice.bind(fd, SockAddr.of("10.0.0.2", 5000))), "the peer's");
        assertEquals(Errno.EACCES, errno(() -> alice.bind(fd, SockAddr.any(1023))));
        alice.bind(fd, SockAddr.any(1024));
        assertEquals(Errno.EINVAL, errno(() -> alice.bind(fd, SockAddr.any(1025))), "already bound");
        assertEquals(Errno.EINVAL, errno(() -> alice.bind(fd, SockAddr.any(1024))));
        int r = udp(root);
        root.bind(r, SockAddr.any(53));
        assertEquals(SockAddr.any(53), root.getsockname(r));
    }

    @Test
    void broadcastMulticastAndZeroNetAddressesMayBeBound() {
        alice.bind(udp(alice), SockAddr.of("10.0.0.255", 5000));
        alice.bind(udp(alice), SockAddr.of("255.255.255.255", 5000));
        alice.bind(udp(alice), SockAddr.of("224.0.0.1", 5000));
        alice.bind(udp(alice), SockAddr.of("127.0.0.1", 5000));
        alice.bind(udp(alice), SockAddr.of("127.1.2.3", 5000)); // lo holds all of 127/8
    }

    @Test
    void theUnprivilegedPortStartIsASysctl() {
        host.sysctl("net.ipv4.ip_unprivileged_port_start", 80);
        alice.bind(udp(alice), SockAddr.any(80));
        assertEquals(Errno.EACCES, errno(() -> alice.bind(udp(alice), SockAddr.any(79))));
        assertThrows(IllegalArgumentException.class, () -> host.sysctl("net.ipv4.ip_unprivileged_port_start", 40000),
                "it may not reach into ip_local_port_range");
        assertThrows(IllegalArgumentException.class, () -> host.sysctl("net.ipv4.ip_local_port_range", 50, 60));
    }

    /**
     * The bind conflict matrix: a socket of uid 1000 holds port P, a second (uid 1000 or 1001)
     * binds P. Rows: SO_REUSEADDR/SO_REUSEPORT of the first; columns: of the second and its uid.
     * Every cell was observed on Linux 6.18 (unshare -n, python), for each address pair below.
     */
    @Test
    void bindConflictMatrixMatchesLinux() {
        //                    second: ra rp uid   00/1000 00/1001 01/1000 01/1001 10/1000 10/1001 11/1000 11/1001
        String[] observed = {
            /* first ra=0 rp=0 */ "X X X X X X X X",
            /* first ra=0 rp=1 */ "X X . X X X . X",
            /* first ra=1 rp=0 */ "X X X X . . . .",
            /* first ra=1 rp=1 */ "X X . X . . . .",
        };
        String[][] addrs = {{"0.0.0.0", "0.0.0.0"}, {"10.0.0.1", "0.0.0.0"}, {"0.0.0.0", "10.0.0.1"}};
        int port = 6000;
        for (String[] pair : addrs) {
            for (int first = 0; first < 4; first++) {
                String[] cells = observed[first].split(" ");
                for (int second = 0; second < 8; second++) {
                    port++;
                    int a = udp(alice);
                    alice.setsockopt(a, SOL_SOCKET, SO_REUSEADDR, first >> 1);
                    alice.setsockopt(a, SOL_SOCKET, SO_REUSEPORT, first & 1);
                    alice.bind(a, SockAddr.of(pair[0], port));
                    Process p = (second & 1) == 0 ? alice : bob;
                    int b = udp(p);
                    p.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, second >> 2);
                    p.setsockopt(b, SOL_SOCKET, SO_REUSEPORT, (second >> 1) & 1);
                    String got;
                    try {
                        p.bind(b, SockAddr.of(pair[1], port));
                        got = ".";
                    } catch (ErrnoException e) {
                        assertEquals(Errno.EADDRINUSE, e.errno());
                        got = "X";
                    }
                    assertEquals(cells[second], got, pair[0] + " then " + pair[1] + ", first " + first + ", second "
                            + second);
                    alice.close(a);
                    p.close(b);
                }
            }
        }
        int a = udp(alice);
        alice.bind(a, SockAddr.of("10.0.0.1", 7000));
        bob.bind(udp(bob), SockAddr.of("127.0.0.1", 7000)); // disjoint addresses never conflict
    }

    @Test
    void closingFreesThePort() {
        int a = udp(alice);
        alice.bind(a, SockAddr.any(5353));
        assertEquals(Errno.EADDRINUSE, errno(() -> bob.bind(udp(bob), SockAddr.any(5353))));
        alice.close(a);
        bob.bind(udp(bob), SockAddr.any(5353));
    }

    @Test
    void bindZeroIsEphemeralAndExhaustionIsEaddrinuseForBind() {
        host.sysctl("net.ipv4.ip_local_port_range", 40000, 40001);
        int a = udp(alice);
        alice.bind(a, SockAddr.any(0));
        int b = udp(alice);
        alice.bind(b, SockAddr.of("10.0.0.1", 0));
        int pa = ((SockAddr.Inet) alice.getsockname(a)).port();
        int pb = ((SockAddr.Inet) alice.getsockname(b)).port();
        assertEquals(40000 + 40001, pa + pb, "both ports of the range");
        assertEquals(Errno.EADDRINUSE, errno(() -> alice.bind(udp(alice), SockAddr.any(0))),
                "udp_lib_get_port fails with EADDRINUSE (observed on 6.18)");
        int c = udp(alice);
        assertEquals(Errno.EAGAIN, errno(() -> alice.sendto(c, new byte[1], 0, SockAddr.of("10.0.0.2", 9))),
                "autobind on send: EAGAIN at once, even blocking");
        assertEquals(Errno.EAGAIN, errno(() -> alice.connect(c, SockAddr.of("10.0.0.2", 9))), "and on connect");
        assertEquals(SockAddr.any(0), alice.getsockname(c), "still unbound");
    }

    @Test
    void namesFollowBindAndConnect() {
        int fd = udp(alice);
        assertEquals(SockAddr.any(0), alice.getsockname(fd), "unbound: 0.0.0.0:0");
        assertEquals(Errno.ENOTCONN, errno(() -> alice.getpeername(fd)));
        alice.bind(fd, SockAddr.any(5000));
        alice.connect(fd, SockAddr.of("10.0.0.2", 53));
        assertEquals(SockAddr.of("10.0.0.1", 5000), alice.getsockname(fd), "the route's source replaces 0.0.0.0");
        assertEquals(SockAddr.of("10.0.0.2", 53), alice.getpeername(fd));
        int lo = udp(alice);
        alice.connect(lo, SockAddr.of("127.0.0.1", 53));
        SockAddr.Inet name = (SockAddr.Inet) alice.getsockname(lo);
        assertEquals("127.0.0.1", name.address().toString());
        int p = name.port();
        assertEquals(true, p >= 32768 && p <= 60999, "autobound: " + p);
    }

    @Test
    void ipOptionsAreKeptAndCheckedAsIpSetsockopt() {
        int fd = udp(alice);
        assertEquals(64, alice.getsockopt(fd, SOL_IP, IP_TTL), "unset: net.ipv4.ip_default_ttl");
        alice.setsockopt(fd, SOL_IP, IP_TTL, 7);
        assertEquals(7, alice.getsockopt(fd, SOL_IP, IP_TTL));
        alice.setsockopt(fd, SOL_IP, IP_TTL, -1);
        assertEquals(64, alice.getsockopt(fd, SOL_IP, IP_TTL));
        assertEquals(Errno.EINVAL, errno(() -> alice.setsockopt(fd, SOL_IP, IP_TTL, 0)));
        assertEquals(Errno.EINVAL, errno(() -> alice.setsockopt(fd, SOL_IP, IP_TTL, 256)));
        alice.setsockopt(fd, SOL_IP, IP_TOS, 0x1b8);
        assertEquals(0xb8, alice.getsockopt(fd, SOL_IP, IP_TOS));
        alice.setsockopt(fd, SOL_IP, IP_RECVERR, 1);
        assertEquals(1, alice.getsockopt(fd, SOL_IP, IP_RECVERR));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.setsockopt(fd, SOL_IP, 99, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.setsockopt(fd, SOL_TCP, TCP_NODELAY, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.getsockopt(fd, SOL_UDP, 1)));
        alice.setsockopt(fd, SOL_SOCKET, SO_BROADCAST, 1);
        assertEquals(1, alice.getsockopt(fd, SOL_SOCKET, SO_BROADCAST));
        alice.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1); // AF_INET accepts it
        assertEquals(1, alice.getsockopt(fd, SOL_SOCKET, SO_REUSEPORT));
    }
}
