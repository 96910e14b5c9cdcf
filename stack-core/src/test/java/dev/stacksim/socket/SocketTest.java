package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SOL_SOCKET options kept on the generic socket; values observed on Linux 6.18 unless noted. */
class SocketTest {
    private final TestHost host = new TestHost();
    private final Process p = host.spawn("app");

    @AfterEach
    void tearDown() {
        host.close();
    }

    @Test
    void buffersStartAtTheDefaultsAndDoubleWhatIsSet() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(212_992, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));
        assertEquals(212_992, p.getsockopt(fd, SOL_SOCKET, SO_SNDBUF));
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 10_000);
        assertEquals(20_000, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 1);
        assertEquals(Socket.SOCK_MIN_RCVBUF, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));   // 2304
        p.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1);
        assertEquals(Socket.SOCK_MIN_SNDBUF, p.getsockopt(fd, SOL_SOCKET, SO_SNDBUF));   // 4608
        // clamped to rmem_max before doubling; a negative value is a huge unsigned one
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100_000_000);
        assertEquals(2 * 212_992, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, -5);
        assertEquals(2 * 212_992, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));
    }

    @Test
    void theClampFollowsTheConfiguredMaximum() {
        host.layer.setConfig(new SocketLayer.Config(212_992, 212_992, 4_194_304, 4_194_304, 4096, 10, 1024));
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100_000_000);
        assertEquals(8_388_608, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)); // this machine: rmem_max 4194304
    }

    @Test
    void flagsReadBackAsOneAndIdentityOptionsDescribeTheSocket() {
        int fd = p.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_REUSEADDR));
        p.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 5);
        assertEquals(1, p.getsockopt(fd, SOL_SOCKET, SO_REUSEADDR));
        p.setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 7);
        assertEquals(1, p.getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE));
        assertEquals(SOCK_DGRAM, p.getsockopt(fd, SOL_SOCKET, SO_TYPE));
        assertEquals(AF_UNIX, p.getsockopt(fd, SOL_SOCKET, SO_DOMAIN));
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL));
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN));
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_ERROR));
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_REUSEPORT));
    }

    @Test
    void lingerStoresOnoffAsAFlag() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Linger.OFF, p.getsockoptLinger(fd));
        p.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Linger(5, 7));
        assertEquals(new Linger(1, 7), p.getsockoptLinger(fd));             // 6.18: (5, 7) reads (1, 7)
        assertEquals("{onoff=1, linger=7}", p.getsockoptLinger(fd).toString());
    }

    @Test
    void anAcceptedSocketInheritsTheListenersOptions() {
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, 5000);
        p.setsockopt(lfd, SOL_SOCKET, SO_KEEPALIVE, 1);
        p.bind(lfd, SockAddr.unix("/l"));
        p.listen(lfd, 1);
        int c = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.connect(c, SockAddr.unix("/l"));
        int a = p.accept(lfd);
        assertEquals(10_000, p.getsockopt(a, SOL_SOCKET, SO_RCVBUF));
        assertEquals(1, p.getsockopt(a, SOL_SOCKET, SO_KEEPALIVE));
        assertEquals(212_992, p.getsockopt(c, SOL_SOCKET, SO_RCVBUF));
    }

    @Test
    void soBroadcastIsAGenericFlag() {
        int fd = p.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_BROADCAST));
        p.setsockopt(fd, SOL_SOCKET, SO_BROADCAST, 5);
        assertEquals(1, p.getsockopt(fd, SOL_SOCKET, SO_BROADCAST)); // 6.18: any socket keeps it, as 1
    }

    @Test
    void hugeBufferSizesClampToHalfIntMaxBeforeDoublingAsLinuxDoes() {
        host.layer.setConfig(new SocketLayer.Config(212_992, 212_992, Integer.MAX_VALUE, Integer.MAX_VALUE, 4096, 10, 1024));
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, Integer.MAX_VALUE);
        p.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, -1);
        assertEquals(2_147_483_646, p.getsockopt(fd, SOL_SOCKET, SO_SNDBUF));
        assertEquals(2_147_483_646, p.getsockopt(fd, SOL_SOCKET, SO_RCVBUF));
        p.close(fd);
    }

    @Test
    void structOptionsReadAsAnIntGiveTheirFirstField() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Linger(1, 5));
        p.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, java.time.Duration.ofSeconds(3));
        assertEquals(1, p.getsockopt(fd, SOL_SOCKET, SO_LINGER), "l_onoff");
        assertEquals(3, p.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO), "tv_sec");
        assertEquals(0, p.getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO));
        p.close(fd);
    }
}
