package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.sim.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blocking calls in real-time mode: calls hop onto the loop's thread, blocked threads park. */
class BlockingTest {
    private final EventLoop loop = EventLoop.realTime(3);
    private final TestHost host = new TestHost(loop, SocketLayer.Config.defaults());
    private final Process p = host.spawn("threads");

    @AfterEach
    void tearDown() {
        try {
            host.close();
        } finally {
            loop.close();
        }
    }

    @Test
    void aThreadBlockedInRecvWakesWhenAnotherThreadSends() throws Exception {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> p.recv(sv[1], 100, 0));
        p.send(sv[0], "over threads".getBytes(StandardCharsets.US_ASCII), 0);
        assertArrayEquals("over threads".getBytes(StandardCharsets.US_ASCII), reader.get(10, TimeUnit.SECONDS));
    }

    @Test
    void epollWaitParksUntilAnotherThreadMakesASocketReadable() throws Exception {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN, 77L);
        EpollEvent[] events = EpollEvent.array(4);
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> p.epoll_wait(ep, events, 4, -1));
        p.send(sv[0], new byte[] {1, 2, 3}, 0);
        assertEquals(1, waiter.get(10, TimeUnit.SECONDS));
        assertEquals(77L, events[0].data);
        assertTrue((events[0].events & EPOLLIN) != 0);
    }

    @Test
    void pollParksUntilAnotherThreadMakesASocketReadable() throws Exception {
        int[] sv = p.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        PollFd[] fds = {new PollFd(sv[1], POLLIN)};
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> p.poll(fds, -1));
        p.send(sv[0], new byte[] {9}, 0);
        assertEquals(1, waiter.get(10, TimeUnit.SECONDS));
        assertTrue((fds[0].revents & POLLIN) != 0);
    }

    @Test
    void acceptParksUntilAConnectFromAnotherThread() throws Exception {
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.bind(lfd, SockAddr.unix("/rt"));
        p.listen(lfd, 4);
        CompletableFuture<Integer> acceptor = CompletableFuture.supplyAsync(() -> p.accept(lfd));
        int c = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.connect(c, SockAddr.unix("/rt"));
        int a = acceptor.get(10, TimeUnit.SECONDS);
        p.send(c, new byte[] {42}, 0);
        assertEquals(42, p.recv(a, 1, 0)[0]);
    }

    @Test
    void rcvtimeoExpiresByTheWallClockInRealTime() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        p.setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, Duration.ofMillis(30));
        long start = loop.now();
        ErrnoException e = assertThrows(ErrnoException.class, () -> p.recv(sv[0], 10, 0));
        assertEquals(Errno.EAGAIN, e.errno());
        assertTrue(loop.now() - start >= 30_000_000L, "waited " + (loop.now() - start) + " ns");
    }

    @Test
    void aBlockingCallOnTheLoopsOwnThreadFailsInsteadOfDeadlocking() throws Exception {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> loop.submit(() -> p.recv(sv[0], 10, 0)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("cannot block on the event loop's own thread"),
                e.getCause().getMessage());
    }
}
