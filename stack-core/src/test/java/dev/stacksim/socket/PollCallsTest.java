package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.BitSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** poll and select in virtual time. */
class PollCallsTest {
    private final TestHost host = new TestHost();
    private final Process p = host.spawn("app");

    @AfterEach
    void tearDown() {
        host.close();
    }

    @Test
    void pollTimesOutInVirtualTimeWithNothingReady() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        PollFd[] fds = {new PollFd(sv[0], POLLIN)};
        assertEquals(0, p.poll(fds, 1500));
        assertEquals(1_500_000_000L, host.loop.now());               // exactly the timeout, instantly
        assertEquals(0, fds[0].revents);
    }

    @Test
    void pollReturnsWhenDataArrivesBeforeTheTimeout() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        host.loop.schedule(Duration.ofMillis(7), () -> p.send(sv[1], new byte[2], MSG_DONTWAIT));
        PollFd[] fds = {new PollFd(sv[0], POLLIN), new PollFd(-1, POLLIN)};
        assertEquals(1, p.poll(fds, 1000));
        assertEquals(7_000_000L, host.loop.now());
        assertEquals(POLLIN, fds[0].revents);
        assertEquals(0, fds[1].revents);                              // a negative fd is skipped
    }

    @Test
    void pollReportsNvalForAClosedDescriptorAndHupWithoutAsking() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        p.close(sv[1]);
        PollFd[] fds = {new PollFd(sv[0], 0), new PollFd(sv[1], POLLIN)};
        assertEquals(2, p.poll(fds, 0));
        assertEquals(POLLHUP, fds[0].revents);
        assertEquals(POLLNVAL, fds[1].revents);
    }

    @Test
    void pollOfAnUnconnectedStreamSocketIsOutAndHup() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        PollFd[] fds = {new PollFd(fd, POLLIN | POLLOUT)};
        assertEquals(1, p.poll(fds, 0));
        assertEquals(POLLOUT | POLLHUP, fds[0].revents);              // 6.18: POLLOUT|POLLHUP (0x14)
    }

    @Test
    void pollForeverWithNothingToWakeItFailsClearly() {
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.bind(lfd, SockAddr.unix("/l"));
        p.listen(lfd, 1);
        SimulationStalledException e = assertThrows(SimulationStalledException.class,
                () -> p.poll(new PollFd[] {new PollFd(lfd, POLLIN)}, -1));
        assertEquals("poll([{fd=3, events=POLLIN, revents=0}], 1, -1): would block forever: no events left "
                + "(no descriptor ready: 3: LISTEN, accept queue empty)", e.getMessage());
    }

    @Test
    void selectMarksReadableAndWritableDescriptors() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        p.send(sv[0], new byte[1], 0);
        BitSet r = new BitSet();
        r.set(sv[0]);
        r.set(sv[1]);
        BitSet w = new BitSet();
        w.set(sv[0]);
        assertEquals(2, p.select(sv[1] + 1, r, w, null, Duration.ZERO));
        assertEquals(BitSet.valueOf(new long[] {1L << sv[1]}), r);
        assertEquals(BitSet.valueOf(new long[] {1L << sv[0]}), w);
    }

    @Test
    void selectTimesOutAndClearsTheSets() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        BitSet r = new BitSet();
        r.set(sv[0]);
        assertEquals(0, p.select(sv[0] + 1, r, null, null, Duration.ofMillis(20)));
        assertEquals(new BitSet(), r);
        assertEquals(20_000_000L, host.loop.now());
    }

    @Test
    void selectOfAClosedDescriptorIsEbadf() {
        BitSet r = new BitSet();
        r.set(9);
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> p.select(10, r, null, null, null)).errno());
    }
}
