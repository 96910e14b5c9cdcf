package dev.stacksim.socket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ErrnoTest {
    @Test
    void numbersAreLinuxs() {
        assertEquals(9, Errno.EBADF.number());
        assertEquals(11, Errno.EAGAIN.number());
        assertEquals(22, Errno.EINVAL.number());
        assertEquals(32, Errno.EPIPE.number());
        assertEquals(98, Errno.EADDRINUSE.number());
        assertEquals(99, Errno.EADDRNOTAVAIL.number());
        assertEquals(104, Errno.ECONNRESET.number());
        assertEquals(106, Errno.EISCONN.number());
        assertEquals(107, Errno.ENOTCONN.number());
        assertEquals(110, Errno.ETIMEDOUT.number());
        assertEquals(111, Errno.ECONNREFUSED.number());
        assertEquals(114, Errno.EALREADY.number());
        assertEquals(115, Errno.EINPROGRESS.number());
    }

    @Test
    void lookupByNumberRoundTrips() {
        for (Errno e : Errno.values()) {
            assertSame(e, Errno.of(e.number()));
        }
        assertNull(Errno.of(0));
        assertNull(Errno.of(3));
        assertNull(Errno.of(1000));
    }

    @Test
    void exceptionMessageNamesTheCallAndTheErrnoAsLinuxPrintsIt() {
        ErrnoException e = new ErrnoException(Errno.EADDRINUSE, "bind(3, 0.0.0.0:9501)");
        assertEquals("bind(3, 0.0.0.0:9501): EADDRINUSE (98) Address already in use", e.getMessage());
        assertSame(Errno.EADDRINUSE, e.errno());
        assertEquals("bind(3, 0.0.0.0:9501)", e.call());
    }

    @Test
    void sockAddrPrintsLikeSsAndRejectsBadPorts() {
        assertEquals("10.0.0.2:9501", SockAddr.of("10.0.0.2", 9501).toString());
        assertEquals("0.0.0.0:80", SockAddr.any(80).toString());
        assertEquals(SocketConstants.AF_INET, SockAddr.any(80).family());
        assertEquals(SocketConstants.AF_UNIX, SockAddr.unix("/run/a.sock").family());
        assertEquals("sockaddr_in: port=65536 not in 0..65535",
                assertThrows(IllegalArgumentException.class, () -> SockAddr.any(65536)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SockAddr.unix("x".repeat(108)));
    }

    @Test
    void aDetailFollowsLinuxsText() {
        ErrnoException e = new ErrnoException(Errno.ESOCKTNOSUPPORT, "socket(2, 1, 0)", "TCP is not built yet");
        assertEquals("socket(2, 1, 0): ESOCKTNOSUPPORT (94) Socket type not supported - TCP is not built yet",
                e.getMessage());
        assertEquals("TCP is not built yet", e.detail());
        assertNull(new ErrnoException(Errno.EBADF, "close(9)").detail());
        assertEquals(64, Errno.ENONET.number());
        assertEquals(71, Errno.EPROTO.number());
    }
}
