package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generic socket calls: argument checks of socket()/socketpair() in Linux's order, descriptor
 * errors, and how blocking calls wait. Expected errnos observed on Linux 6.18 with Python's socket
 * module (e.g. {@code socket.socket(AF_UNIX, SOCK_STREAM, 6)} → EPROTONOSUPPORT).
 */
class SocketCallsTest {
    private final TestHost host = new TestHost();
    private final Process p = host.spawn("app");

    @AfterEach
    void tearDown() {
        host.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    @Test
    void socketArgumentErrorsAsLinux() {
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> p.socket(AF_UNIX, SOCK_STREAM, 6)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> p.socket(AF_UNIX, SOCK_STREAM, -1)));
        assertEquals(Errno.EINVAL, errno(() -> p.socket(AF_UNIX, 99, 0)));              // >= SOCK_MAX
        assertEquals(Errno.EINVAL, errno(() -> p.socket(AF_UNIX, 11, 0)));
        assertEquals(Errno.ESOCKTNOSUPPORT, errno(() -> p.socket(AF_UNIX, 10, 0)));
        assertEquals(Errno.ESOCKTNOSUPPORT, errno(() -> p.socket(AF_UNIX, 4, 0)));
        assertEquals(Errno.ESOCKTNOSUPPORT, errno(() -> p.socket(AF_UNIX, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> p.socket(AF_UNIX, SOCK_STREAM | 0x10000, 0))); // unknown flag
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> p.socket(46, SOCK_STREAM, 0)));    // >= NPROTO
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> p.socket(45, SOCK_STREAM, 0)));    // not registered
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> p.socket(-1, SOCK_STREAM, 0)));
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> p.socket(AF_INET6, SOCK_STREAM, 0))); // not simulated
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> p.socket(AF_INET, SOCK_STREAM, 0)));  // until TCP registers
        p.socket(AF_UNIX, SOCK_STREAM, 1);                                                 // PF_UNIX is accepted
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> p.socketpair(AF_UNIX, SOCK_STREAM, 6)));
        assertEquals(Errno.EINVAL, errno(() -> p.socketpair(AF_UNIX, SOCK_STREAM | 0x10000, 0)));
    }

    @Test
    void aFamilyWithoutSocketpairIsEopnotsuppAndLeavesNothingBehind() {
        host.layer.registerFamily(new ProtocolFamily() {
            @Override
            public int family() {
                return AF_INET;
            }

            @Override
            public int create(Socket sock, int type, int protocol) {
                // borrow AF_UNIX's datagram ops to stand in for a protocol without socketpair
                return new dev.stacksim.socket.unix.UnixFamily().create(sock, type, protocol) < 0 ? -1
                        : installNoPair(sock);
            }

            private int installNoPair(Socket sock) {
                ProtoOps inner = sock.ops();
                sock.setOps(new ForwardingOps(inner));
                return 0;
            }
        });
        assertEquals(Errno.EOPNOTSUPP, errno(() -> p.socketpair(AF_INET, SOCK_DGRAM, 0)));  // 6.18: ENOTSUP
        assertEquals(3, p.socket(AF_UNIX, SOCK_STREAM, 0));
    }

    /** Forwards everything but socketpair, which falls back to the interface default. */
    private record ForwardingOps(ProtoOps in) implements ProtoOps {
        public Socket socket() { return in.socket(); }
        public int bind(SockAddr a) { return in.bind(a); }
        public int connect(SockAddr a, int f) { return in.connect(a, f); }
        public int listen(int b) { return in.listen(b); }
        public int accept(Socket[] s) { return in.accept(s); }
        public int sendmsg(MsgHdr m, int f) { return in.sendmsg(m, f); }
        public int recvmsg(MsgHdr m, int f) { return in.recvmsg(m, f); }
        public int shutdown(int h) { return in.shutdown(h); }
        public void release() { in.release(); }
        public int poll() { return in.poll(); }
        public SockAddr getname(boolean peer) { return in.getname(peer); }
        public boolean isListening() { return in.isListening(); }
        public int inq() { return in.inq(); }
        public String describeState() { return in.describeState(); }
    }

    @Test
    void optionsOfOtherLevelsAreEopnotsuppOnUnixAndUnknownOnesEnoprotoopt() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Errno.EOPNOTSUPP, errno(() -> p.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1))); // 6.18
        assertEquals(Errno.EOPNOTSUPP, errno(() -> p.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> p.setsockopt(fd, 12345, 1, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> p.getsockopt(fd, SOL_SOCKET, 999)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> p.setsockopt(fd, SOL_SOCKET, 999, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_TYPE, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_ERROR, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, 1)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1))); // not AF_INET
        p.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 0);
        assertEquals(Errno.EINVAL, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, Duration.ofSeconds(1))));
        assertEquals(Errno.EINVAL, errno(() -> p.setsockopt(fd, SOL_SOCKET, SO_LINGER, 1)));
        assertEquals(Errno.ENOTSOCK, errno(() -> p.setsockopt(0, SOL_SOCKET, SO_REUSEADDR, 1)));
    }

    @Test
    void soRcvtimeoOfZeroMeansForeverAndNegativeMeansNeverWait() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Duration.ZERO, p.getsockoptTimeout(sv[0], SO_RCVTIMEO));
        p.setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, Duration.ofMillis(1500));
        assertEquals(Duration.ofMillis(1500), p.getsockoptTimeout(sv[0], SO_RCVTIMEO));
        p.setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, Duration.ofSeconds(-1));
        assertEquals(Duration.ZERO, p.getsockoptTimeout(sv[0], SO_RCVTIMEO)); // 6.18: reads back {0, 0}
        assertEquals(Errno.EAGAIN, errno(() -> p.recv(sv[0], 10, 0)));       // and recv does not wait
        assertEquals(0, host.loop.now());
        p.setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, Duration.ZERO);
        assertThrows(SimulationStalledException.class, () -> p.recv(sv[0], 10, 0));
    }

    @Test
    void sndtimeoBoundsABlockedSendAndReturnsWhatWasQueued() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, 4096);
        p.setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, Duration.ofMillis(100));
        int n = p.send(sv[0], new byte[50_000], 0);
        assertTrue(n > 0 && n < 50_000, "partial send: " + n);
        assertEquals(100_000_000L, host.loop.now());
        assertEquals(Errno.EAGAIN, errno(() -> p.send(sv[0], new byte[10], 0)));
        assertEquals(200_000_000L, host.loop.now());
    }

    @Test
    void aBlockingCallInsideAnEventCallbackFailsClearly() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        host.loop.schedule(Duration.ofMillis(1), () -> p.recv(sv[0], 10, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> host.loop.runUntilIdle());
        assertTrue(e.getMessage().startsWith("recv(" + sv[0] + ", len=10, 0): cannot block: "), e.getMessage());
        assertTrue(e.getMessage().contains("called from inside an event callback"), e.getMessage());
    }

    @Test
    void nonBlockingCallsWorkInsideEventCallbacks() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int[] got = {-1};
        host.loop.schedule(Duration.ofMillis(1), () -> p.send(sv[0], new byte[] {7}, MSG_DONTWAIT));
        host.loop.schedule(Duration.ofMillis(2), () -> got[0] = p.recv(sv[1], new byte[4], 0, 4, MSG_DONTWAIT));
        host.loop.runUntilIdle();
        assertEquals(1, got[0]);
    }

    @Test
    void errorMessagesNameTheCallAndItsArguments() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> p.recv(sv[0], new byte[8], 0, 8, MSG_DONTWAIT | MSG_PEEK));
        assertEquals("recv(3, len=8, MSG_PEEK|MSG_DONTWAIT): EAGAIN (11) Resource temporarily unavailable", e.getMessage());
        assertEquals("recv(3, len=8, MSG_PEEK|MSG_DONTWAIT)", e.call());
        SimulationStalledException s = assertThrows(SimulationStalledException.class, () -> p.recv(sv[0], 8, 0));
        assertEquals("recv(3, len=8, 0): would block forever: no events left (connected to @, receive queue empty, "
                + "sndbuf 0/212992)", s.getMessage());
    }

    @Test
    void fionreadOnATerminalIsZeroAndOtherRequestsEnotty() {
        assertEquals(0, p.ioctl(0, FIONREAD));
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Errno.ENOTTY, errno(() -> p.ioctl(fd, 0x5401)));
        assertEquals(Errno.EBADF, errno(() -> p.ioctl(77, FIONREAD)));
    }

    @Test
    void accept4LooksAtTheDescriptorBeforeTheFlags() {
        // 6.18: accept4(-1, 0x1234) is EBADF, not EINVAL
        assertEquals(Errno.EBADF, errno(() -> p.accept4(-1, 0x1234)));
        assertEquals(Errno.ENOTSOCK, errno(() -> p.accept4(0, 0x1234)));
    }
}
