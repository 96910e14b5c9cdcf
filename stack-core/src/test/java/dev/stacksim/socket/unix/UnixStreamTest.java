package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SimulationStalledException;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.TestHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AF_UNIX stream sockets. Expected errnos were observed on Linux 6.18 with small Python programs
 * (AF_UNIX sockets on this machine's kernel); each test says what was seen.
 */
class UnixStreamTest {
    private final TestHost host = new TestHost();
    private final Process srv = host.spawn("server");
    private final Process cli = host.spawn("client");

    @AfterEach
    void tearDown() {
        host.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private int listener(String path, int backlog) {
        int lfd = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.unix(path));
        srv.listen(lfd, backlog);
        return lfd;
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    @Test
    void oneThreadPlaysBothEndsOfAnExchangeInVirtualTime() {
        int lfd = listener("/run/echo.sock", 5);
        int fd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.unix("/run/echo.sock"));   // completes at once: unix_stream_connect
        int cfd = srv.accept(lfd);                           // already queued
        assertEquals(5, cli.send(fd, bytes("hello"), 0));
        assertEquals("hello", str(srv.recv(cfd, 100, 0)));
        srv.send(cfd, bytes("HELLO"), 0);
        assertEquals("HELLO", str(cli.recv(fd, 100, 0)));
        assertEquals(SockAddr.unix("/run/echo.sock"), cli.getpeername(fd));
        assertEquals(SockAddr.unix("/run/echo.sock"), srv.getsockname(cfd)); // accepted socket: the listener's name
        assertEquals(SockAddr.unix(""), cli.getsockname(fd));
        assertEquals(SockAddr.unix(""), srv.getpeername(cfd));
    }

    @Test
    void accept4SetsUpTheNewDescriptorFromItsFlagsOnly() {
        int lfd = listener("/a4", 4);
        srv.fcntl(lfd, F_SETFL, O_NONBLOCK);
        for (int i = 0; i < 2; i++) {
            cli.connect(cli.socket(AF_UNIX, SOCK_STREAM, 0), SockAddr.unix("/a4"));
        }
        int plain = srv.accept(lfd);
        assertEquals(O_RDWR, srv.fcntl(plain, F_GETFL));           // O_NONBLOCK is not inherited
        assertEquals(0, srv.fcntl(plain, F_GETFD));
        int flagged = srv.accept4(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC);
        assertEquals(O_RDWR | O_NONBLOCK, srv.fcntl(flagged, F_GETFL));
        assertEquals(FD_CLOEXEC, srv.fcntl(flagged, F_GETFD));
        assertEquals(Errno.EINVAL, errno(() -> srv.accept4(lfd, MSG_PEEK)));
        ErrnoException e = assertThrows(ErrnoException.class, () -> srv.accept4(lfd, SOCK_NONBLOCK));
        assertEquals("accept4(3, 2048): EAGAIN (11) Resource temporarily unavailable", e.getMessage());
    }

    @Test
    void readAndWriteAreRecvAndSendWithoutFlags() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(3, cli.write(sv[0], bytes("abc"), 0, 3));
        byte[] buf = new byte[8];
        assertEquals(3, cli.read(sv[1], buf, 2, 6));
        assertEquals("abc", new String(buf, 2, 3, StandardCharsets.US_ASCII));
        cli.close(sv[0]);
        assertEquals(0, cli.read(sv[1], buf, 0, 8));
    }

    @Test
    void clientMaySendBeforeAccept() {
        int lfd = listener("/s", 1);
        int fd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.unix("/s"));
        assertEquals(5, cli.send(fd, bytes("early"), 0)); // 6.18: send before accept -> 5
        int cfd = srv.accept(lfd);
        assertEquals("early", str(srv.recv(cfd, 100, 0)));
    }

    @Test
    void recvReadsAcrossSendsPeekLeavesDataAndTruncIsIgnored() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.send(sv[0], bytes("hello"), 0);
        cli.send(sv[0], bytes("world"), 0);
        assertEquals(10, cli.ioctl(sv[1], FIONREAD));
        assertEquals("hel", str(cli.recv(sv[1], 3, MSG_PEEK)));
        assertEquals("hel", str(cli.recv(sv[1], 3, MSG_TRUNC))); // 6.18: MSG_TRUNC on a stream returns data
        assertEquals("loworld", str(cli.recv(sv[1], 100, 0)));
        assertEquals(0, cli.ioctl(sv[1], FIONREAD));
    }

    @Test
    void peekSpansSkbsWithoutConsuming() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.send(sv[0], bytes("ab"), 0);
        cli.send(sv[0], bytes("cd"), 0);
        assertEquals("abc", str(cli.recv(sv[1], 3, MSG_PEEK)));
        assertEquals("abcd", str(cli.recv(sv[1], 10, 0)));
    }

    @Test
    void eofAfterPeerShutWriteThenPeerMayStillReceive() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.send(sv[0], bytes("last"), 0);
        cli.shutdown(sv[0], SHUT_WR);
        assertEquals(POLLIN | POLLOUT | POLLRDHUP | POLLRDNORM | POLLWRNORM | POLLWRBAND, mask(sv[1]));
        assertEquals("last", str(cli.recv(sv[1], 100, 0)));
        assertEquals(0, cli.recv(sv[1], new byte[10], 0, 10, 0));          // EOF
        assertEquals(Errno.EPIPE, errno(() -> cli.send(sv[0], bytes("x"), MSG_NOSIGNAL)));
        assertEquals(4, cli.send(sv[1], bytes("back"), 0));                 // 6.18: the other way still works
        assertEquals("back", str(cli.recv(sv[0], 100, 0)));
    }

    private int mask(int fd) {
        dev.stacksim.socket.PollFd p = new dev.stacksim.socket.PollFd(fd, 0xFFFF);
        cli.poll(new dev.stacksim.socket.PollFd[] {p}, 0);
        return p.revents;
    }

    @Test
    void sendAfterPeerCloseIsEpipeAndCountsSigpipeWithoutMsgNosignal() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.close(sv[1]);
        // 6.18: POLLIN|POLLOUT|POLLRDHUP|POLLHUP after a clean close of the peer
        assertEquals(POLLIN | POLLOUT | POLLRDHUP | POLLHUP, mask(sv[0]) & (POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR));
        assertEquals(0, cli.recv(sv[0], new byte[4], 0, 4, 0));
        ErrnoException e = assertThrows(ErrnoException.class, () -> cli.send(sv[0], bytes("x"), 0));
        assertEquals("send(" + sv[0] + ", len=1, 0): EPIPE (32) Broken pipe", e.getMessage());
        assertEquals(1, cli.sigpipeCount());
        assertEquals(Errno.EPIPE, errno(() -> cli.send(sv[0], bytes("x"), MSG_NOSIGNAL)));
        assertEquals(1, cli.sigpipeCount());
    }

    @Test
    void closeWithUnreadDataGivesPeerEconnresetOnceAfterItsOwnData() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.send(sv[0], bytes("abc"), 0);   // unread by sv[1]
        cli.send(sv[1], bytes("xyz"), 0);   // unread by sv[0]
        cli.close(sv[1]);
        assertTrue((mask(sv[0]) & POLLERR) != 0);
        // 6.18: recv -> b'xyz', recv -> ECONNRESET, SO_ERROR -> 0, recv -> b''
        assertEquals("xyz", str(cli.recv(sv[0], 10, 0)));
        assertEquals(Errno.ECONNRESET, errno(() -> cli.recv(sv[0], 10, 0)));
        assertEquals(0, cli.getsockopt(sv[0], SOL_SOCKET, SO_ERROR));
        assertEquals(0, cli.recv(sv[0], 10, 0).length);
    }

    @Test
    void soErrorReadsAndClearsEconnreset() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.send(sv[0], bytes("unread"), 0);
        cli.close(sv[1]);
        assertEquals(104, cli.getsockopt(sv[0], SOL_SOCKET, SO_ERROR)); // 6.18: SO_ERROR -> 104
        assertEquals(0, cli.getsockopt(sv[0], SOL_SOCKET, SO_ERROR));
        assertEquals(0, cli.recv(sv[0], 10, 0).length);
    }

    @Test
    void errnoTableOfConnectBindListenAcceptAsObservedOnLinux() {
        int a = srv.socket(AF_UNIX, SOCK_STREAM, 0);
        srv.bind(a, SockAddr.unix("/a"));
        assertEquals(Errno.EINVAL, errno(() -> srv.bind(a, SockAddr.unix("/b"))));        // bound already
        int b = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        ErrnoException inUse = assertThrows(ErrnoException.class, () -> cli.bind(b, SockAddr.unix("/a")));
        assertEquals("bind(" + b + ", /a): EADDRINUSE (98) Address already in use", inUse.getMessage());
        assertEquals(Errno.EINVAL, errno(() -> cli.bind(b, SockAddr.of("10.0.0.1", 80))));  // wrong family
        assertEquals(Errno.ENOENT, errno(() -> cli.connect(b, SockAddr.unix("/zz"))));
        assertEquals(Errno.ECONNREFUSED, errno(() -> cli.connect(b, SockAddr.unix("/a")))); // bound, not listening
        int g = srv.socket(AF_UNIX, SOCK_DGRAM, 0);
        srv.bind(g, SockAddr.unix("/g"));
        assertEquals(Errno.EPROTOTYPE, errno(() -> cli.connect(b, SockAddr.unix("/g"))));
        int c = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Errno.EINVAL, errno(() -> cli.listen(c, 5)));                          // unbound
        assertEquals(Errno.EOPNOTSUPP, errno(() -> srv.listen(g, 5)));                      // datagram
        assertEquals(Errno.EINVAL, errno(() -> srv.accept(a)));                             // not listening
        assertEquals(Errno.ENOTCONN, errno(() -> cli.send(c, bytes("x"), 0)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> cli.sendto(c, bytes("x"), 0, SockAddr.unix("/a"))));
        assertEquals(Errno.EINVAL, errno(() -> cli.recv(c, 10, 0)));                        // not connected
        assertEquals(Errno.EINVAL, errno(() -> cli.recv(c, 10, MSG_DONTWAIT)));
        assertEquals(Errno.ENOTCONN, errno(() -> cli.getpeername(c)));
        cli.shutdown(c, SHUT_RDWR);                                                          // 6.18: 0 when unconnected
        assertEquals(Errno.EINVAL, errno(() -> cli.shutdown(c, 3)));
        srv.listen(a, 0);
        srv.listen(a, 3);                                                                    // again: new backlog
        assertEquals(Errno.EINVAL, errno(() -> srv.connect(a, SockAddr.unix("/a"))));     // on a listener
        int x = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(x, SockAddr.unix("/a"));
        assertEquals(Errno.EISCONN, errno(() -> cli.connect(x, SockAddr.unix("/a"))));
        assertEquals(Errno.EINVAL, errno(() -> cli.listen(x, 1)));                          // connected
        assertEquals(Errno.EISCONN, errno(() -> cli.sendto(x, bytes("x"), 0, SockAddr.unix("/a"))));
        assertEquals(1, srv.getsockopt(a, SOL_SOCKET, SO_ACCEPTCONN));
        assertEquals(Errno.EINVAL, errno(() -> srv.ioctl(a, FIONREAD)));                    // 6.18: listener EINVAL
    }

    @Test
    void backlogZeroAdmitsOneThenNonBlockingConnectIsEagain() {
        int lfd = listener("/L", 0);
        int a = cli.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        cli.connect(a, SockAddr.unix("/L"));
        int b = cli.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(Errno.EAGAIN, errno(() -> cli.connect(b, SockAddr.unix("/L"))));     // 6.18: EAGAIN
        assertEquals(Errno.EAGAIN, errno(() -> cli.connect(b, SockAddr.unix("/L"))));
        srv.accept(lfd);
        cli.connect(b, SockAddr.unix("/L"));                                                 // room again
    }

    @Test
    void blockingConnectToAFullBacklogWaitsForAnAccept() {
        int lfd = listener("/L", 0);
        int a = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(a, SockAddr.unix("/L"));
        host.loop.schedule(Duration.ofMillis(30), () -> srv.accept4(lfd, SOCK_NONBLOCK));
        int b = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(b, SockAddr.unix("/L"));                     // waits until the accept at 30 ms
        assertEquals(30_000_000L, host.loop.now());
    }

    @Test
    void blockingConnectToAFullBacklogWithNothingLeftFailsClearly() {
        listener("/L", 0);
        int a = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(a, SockAddr.unix("/L"));
        int b = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        SimulationStalledException e = assertThrows(SimulationStalledException.class,
                () -> cli.connect(b, SockAddr.unix("/L")));
        assertEquals("connect(" + b + ", /L): would block forever: no events left (CLOSE, not connected)", e.getMessage());
    }

    @Test
    void acceptOnAnEmptyListenerFailsClearlyInsteadOfHanging() {
        int lfd = listener("/L", 5);
        SimulationStalledException e = assertThrows(SimulationStalledException.class, () -> srv.accept(lfd));
        assertEquals("accept(3): would block forever: no events left (LISTEN, accept queue empty)", e.getMessage());
        int nb = srv.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        srv.bind(nb, SockAddr.unix("/nb"));
        srv.listen(nb, 1);
        assertEquals(Errno.EAGAIN, errno(() -> srv.accept(nb)));
    }

    @Test
    void acceptWaitsForAConnectionScheduledLater() {
        int lfd = listener("/L", 5);
        int fd = cli.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        host.loop.schedule(Duration.ofSeconds(2), () -> cli.connect(fd, SockAddr.unix("/L")));
        int cfd = srv.accept(lfd);
        assertEquals(2_000_000_000L, host.loop.now());
        assertEquals(4, cfd);
        assertTrue(srv.fds().get(4).matches("4 -> socket:\\[\\d+\\]"), srv.fds().toString());
    }

    @Test
    void closingAListenerResetsConnectionsNotYetAccepted() {
        int lfd = listener("/L", 5);
        int fd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.unix("/L"));
        cli.send(fd, bytes("lost"), 0);
        srv.close(lfd);
        assertEquals(Errno.ECONNRESET, errno(() -> cli.recv(fd, 10, 0)));
        assertEquals(0, cli.recv(fd, 10, 0).length);
        assertEquals(Errno.EPIPE, errno(() -> cli.send(fd, bytes("x"), MSG_NOSIGNAL)));
    }

    @Test
    void theSocketFileOutlivesItsSocketUntilUnlinked() {
        int lfd = listener("/q", 1);
        srv.close(lfd);
        int a = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        // 6.18: connect after the listener closed -> ECONNREFUSED; bind -> EADDRINUSE; the path exists
        assertEquals(Errno.ECONNREFUSED, errno(() -> cli.connect(a, SockAddr.unix("/q"))));
        assertEquals(Errno.EADDRINUSE, errno(() -> cli.bind(a, SockAddr.unix("/q"))));
        assertTrue(host.layer.unixNamespace().exists("/q"));
        host.layer.unlink("/q");
        cli.bind(a, SockAddr.unix("/q"));
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> host.layer.unlink("/nonexistent")).errno());
    }

    @Test
    void anUnlinkedSocketKeepsItsNameButCannotBeReached() {
        int lfd = listener("/u", 1);
        host.layer.unlink("/u");
        assertEquals(SockAddr.unix("/u"), srv.getsockname(lfd));                            // 6.18: still /u
        int a = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Errno.ENOENT, errno(() -> cli.connect(a, SockAddr.unix("/u"))));
    }

    @Test
    void fullSendBufferBlocksTheWriterUntilTheReaderDrains() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, 4096);                                  // sndbuf 8192
        cli.fcntl(sv[0], F_SETFL, O_NONBLOCK);
        int queued = 0;
        try {
            while (true) {
                queued += cli.send(sv[0], new byte[1000], 0);
            }
        } catch (ErrnoException e) {
            assertEquals(Errno.EAGAIN, e.errno());
        }
        assertEquals(queued, cli.ioctl(sv[1], FIONREAD));
        assertEquals(0, mask(sv[0]) & POLLOUT);
        cli.fcntl(sv[0], F_SETFL, 0);
        // the reader drains at 5 ms intervals; the blocking send of 20000 bytes completes in pieces
        byte[] sink = new byte[100_000];
        int[] got = {0};
        for (int i = 1; i <= 40; i++) {
            host.loop.schedule(Duration.ofMillis(5L * i), () -> {
                try {
                    got[0] += cli.recv(sv[1], sink, got[0], sink.length - got[0], MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    assertEquals(Errno.EAGAIN, e.errno());
                }
            });
        }
        assertEquals(20_000, cli.send(sv[0], new byte[20_000], 0));
        host.loop.runUntilIdle();
        assertEquals(queued + 20_000, got[0]);
        assertTrue(host.loop.now() > 0);
    }

    @Test
    void msgWaitallCollectsUntilTheBufferIsFull() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        host.loop.schedule(Duration.ofMillis(1), () -> cli.send(sv[0], bytes("abc"), MSG_DONTWAIT));
        host.loop.schedule(Duration.ofMillis(2), () -> cli.send(sv[0], bytes("defg"), MSG_DONTWAIT));
        byte[] buf = new byte[6];
        assertEquals(6, cli.recv(sv[1], buf, 0, 6, MSG_WAITALL));
        assertArrayEquals(bytes("abcdef"), buf);
        assertEquals(2_000_000L, host.loop.now());
        assertEquals("g", str(cli.recv(sv[1], 10, 0)));
    }

    @Test
    void rcvtimeoExpiresInVirtualTimeWithEagain() {
        int[] sv = cli.socketpair(AF_UNIX, SOCK_STREAM, 0);
        cli.setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, Duration.ofMillis(250));
        assertEquals(Errno.EAGAIN, errno(() -> cli.recv(sv[1], 10, 0)));
        assertEquals(250_000_000L, host.loop.now());
    }
}
