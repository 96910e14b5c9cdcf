package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketLayerTest {
    private final TestHost host = new TestHost();

    @AfterEach
    void tearDown() {
        host.close();
    }

    @Test
    void defaultsAreLinuxs() {
        SocketLayer.Config c = SocketLayer.Config.defaults();
        assertEquals(212_992, c.rmemDefault());
        assertEquals(212_992, c.wmemMax());
        assertEquals(4096, c.somaxconn());
        assertEquals(10, c.unixMaxDgramQlen());
        assertEquals(1024, c.nofile());
        assertThrows(IllegalArgumentException.class, () -> new SocketLayer.Config(0, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void afUnixIsRegisteredAndOthersAreNot() {
        assertEquals(AF_UNIX, host.layer.family(AF_UNIX).family());
        assertNull(host.layer.family(AF_INET));
        assertNull(host.layer.family(99));
        assertThrows(IllegalArgumentException.class, () -> host.layer.registerFamily(new ProtocolFamily() {
            @Override
            public int family() {
                return NPROTO;
            }

            @Override
            public int create(Socket sock, int type, int protocol) {
                return 0;
            }
        }));
    }

    @Test
    void inodesAreDeterministicAndOnlyGivenToSocketsWithAFile() {
        Process a = host.spawn("a");
        Process b = host.spawn("b");
        a.socket(AF_UNIX, SOCK_STREAM, 0);
        assertThrows(ErrnoException.class, () -> b.socket(AF_UNIX, SOCK_STREAM, 6)); // no inode used
        b.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(List.of("0 -> /dev/pts/0", "1 -> /dev/pts/0", "2 -> /dev/pts/0", "3 -> socket:[12346]"), b.fds());
    }

    @Test
    void theNamespaceListsBoundPathsWithTheirInodes() {
        Process a = host.spawn("a");
        int fd = a.socket(AF_UNIX, SOCK_STREAM, 0);
        a.bind(fd, SockAddr.unix("/run/b.sock"));
        int g = a.socket(AF_UNIX, SOCK_DGRAM, 0);
        a.bind(g, SockAddr.unix("/run/a.sock"));
        a.close(g);
        assertEquals(Map.of("/run/a.sock", 0, "/run/b.sock", 12345), host.layer.unixNamespace().inodes());
        assertTrue(host.layer.unixNamespace().paths().contains("/run/a.sock"));
    }

    @Test
    void listenClampsTheBacklogToSomaxconnUnsigned() {
        host.layer.setConfig(new SocketLayer.Config(212_992, 212_992, 212_992, 212_992, 1, 10, 1024));
        Process a = host.spawn("a");
        Process c = host.spawn("c");
        int lfd = a.socket(AF_UNIX, SOCK_STREAM, 0);
        a.bind(lfd, SockAddr.unix("/l"));
        a.listen(lfd, -1);                                   // unsigned: huge, so somaxconn = 1
        for (int i = 0; i < 2; i++) {                        // backlog 1 admits two (queue > backlog is full)
            c.connect(c.socket(AF_UNIX, SOCK_STREAM, 0), SockAddr.unix("/l"));
        }
        int nb = c.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> c.connect(nb, SockAddr.unix("/l"))).errno());
    }
}
