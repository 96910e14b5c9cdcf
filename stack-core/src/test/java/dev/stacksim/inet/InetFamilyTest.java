package dev.stacksim.inet;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** socket(AF_INET, ...) on a host; errno values observed on Linux 6.18. */
class InetFamilyTest {
    private final Lab lab = new Lab(1);
    private final Host host = lab.add(Host.builder(lab.loop, lab.pool, "h").build());
    private final Process root = host.spawn("root");
    private final Process user = host.spawn("user", 1000);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private static ErrnoException fails(Runnable r) {
        return assertThrows(ErrnoException.class, r::run);
    }

    @Test
    void datagramSocketsAreUdpWhateverTheProtocolSays() {
        int fd = user.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(IPPROTO_UDP, user.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL), "0 resolves to UDP");
        assertEquals(SOCK_DGRAM, user.getsockopt(fd, SOL_SOCKET, SO_TYPE));
        assertEquals(AF_INET, user.getsockopt(fd, SOL_SOCKET, SO_DOMAIN));
        int fd2 = user.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
        assertEquals(IPPROTO_UDP, user.getsockopt(fd2, SOL_SOCKET, SO_PROTOCOL));
    }

    @Test
    void streamSocketsAreTcp() {
        int fd = user.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(IPPROTO_TCP, user.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL), "0 resolves to TCP");
        assertEquals(SOCK_STREAM, user.getsockopt(fd, SOL_SOCKET, SO_TYPE));
        int fd2 = user.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assertEquals(IPPROTO_TCP, user.getsockopt(fd2, SOL_SOCKET, SO_PROTOCOL));
        assertEquals(Errno.EPROTONOSUPPORT, fails(() -> user.socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)).errno());
    }

    @Test
    void protocolsAreCheckedAsInetCreateDoes() {
        assertEquals(Errno.EPROTONOSUPPORT, fails(() -> user.socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP)).errno());
        assertEquals(Errno.EPROTONOSUPPORT, fails(() -> user.socket(AF_INET, SOCK_DGRAM, 262)).errno());
        assertEquals(Errno.EINVAL, fails(() -> user.socket(AF_INET, SOCK_DGRAM, 300)).errno(), "above IPPROTO_MAX");
        assertEquals(Errno.EINVAL, fails(() -> user.socket(AF_INET, SOCK_DGRAM, -1)).errno());
        assertEquals(Errno.ESOCKTNOSUPPORT, fails(() -> user.socket(AF_INET, SOCK_SEQPACKET, 0)).errno());
    }

    @Test
    void pingSocketsAreRefusedByTheDefaultPingGroupRange() {
        ErrnoException e = fails(() -> root.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
        assertEquals(Errno.EACCES, e.errno(), "ping_group_range 1 0: even root");
        assertTrue(e.getMessage().contains("ping_group_range"), e.getMessage());
    }

    @Test
    void rawSocketsNeedRootAndAreNotModelled() {
        assertEquals(Errno.EPROTONOSUPPORT, fails(() -> user.socket(AF_INET, SOCK_RAW, 0)).errno(),
                "the raw entry matches only a named protocol, before the capability check");
        ErrnoException e = fails(() -> user.socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().contains("CAP_NET_RAW"), e.getMessage());
        ErrnoException r = fails(() -> root.socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
        assertEquals(Errno.ESOCKTNOSUPPORT, r.errno());
        assertTrue(r.getMessage().contains("not modelled"), r.getMessage());
    }

    @Test
    void aRegisteredStreamProtocolIsChosen() {
        InetFamily f = new InetFamily();
        assertTrue(!f.hasType(SOCK_STREAM));
        f.register(SOCK_DGRAM, IPPROTO_UDP, s -> null);
        assertThrows(IllegalArgumentException.class, () -> f.register(SOCK_DGRAM, IPPROTO_UDP, s -> null));
        f.register(SOCK_STREAM, IPPROTO_TCP, s -> null);
        assertTrue(f.hasType(SOCK_STREAM));
        assertEquals(null, f.explain(SOCK_STREAM, 0, Errno.ESOCKTNOSUPPORT));
    }

    @Test
    void socketpairIsNotForInet() {
        assertEquals(Errno.EOPNOTSUPP, fails(() -> user.socketpair(AF_INET, SOCK_DGRAM, 0)).errno());
    }
}
