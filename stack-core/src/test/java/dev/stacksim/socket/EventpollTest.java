package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** epoll: level vs edge triggering, one-shot, exclusive wake-ups, errors (observed on Linux 6.18). */
class EventpollTest {
    private final TestHost host = new TestHost();
    private final Process p = host.spawn("app");
    private final EpollEvent[] ev = EpollEvent.array(8);

    @AfterEach
    void tearDown() {
        host.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    @Test
    void levelTriggeredReportsAgainWhileDataRemains() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN);
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));
        p.send(sv[0], new byte[10], 0);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(EPOLLIN, ev[0].events);
        assertEquals(sv[1], ev[0].fd());
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));          // not read yet: reported again
        p.recv(sv[1], 4, 0);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));          // 6 bytes left
        p.recv(sv[1], 100, 0);
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));
    }

    @Test
    void edgeTriggeredReportsOncePerArrival() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN | EPOLLET);
        p.send(sv[0], new byte[10], 0);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));          // data still there, but no new edge
        p.send(sv[0], new byte[1], 0);                        // a new arrival is a new edge
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(11, p.ioctl(sv[1], FIONREAD));
    }

    @Test
    void oneShotDisarmsUntilModRearms() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN | EPOLLONESHOT, 42L);
        p.send(sv[0], new byte[1], 0);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(42L, ev[0].data);
        p.send(sv[0], new byte[1], 0);
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));          // disarmed, even with new data
        p.epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], EPOLLIN | EPOLLONESHOT, 43L);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));          // MOD re-checks: ready now
        assertEquals(43L, ev[0].data);
    }

    @Test
    void hupRdhupAndErrAreReported() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], EPOLLIN | EPOLLRDHUP);
        p.send(sv[0], new byte[3], 0);                        // sv[1] will close with this unread
        p.close(sv[1]);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR, ev[0].events);
        int[] sv2 = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep2 = p.epoll_create1(0);
        p.epoll_ctl(ep2, EPOLL_CTL_ADD, sv2[0], EPOLLIN);
        p.close(sv2[1]);
        assertEquals(1, p.epoll_wait(ep2, ev, 8, 0));
        assertEquals(EPOLLIN | EPOLLHUP, ev[0].events);       // 6.18: (fd, 17) — RDHUP only when asked
    }

    @Test
    void epollWaitBlocksInVirtualTimeUntilDataArrivesOrTheTimeoutPasses() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(EPOLL_CLOEXEC);
        assertEquals(FD_CLOEXEC, p.fcntl(ep, F_GETFD));
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN);
        assertEquals(0, p.epoll_wait(ep, ev, 8, 250));
        assertEquals(250_000_000L, host.loop.now());
        host.loop.schedule(Duration.ofMillis(40), () -> p.send(sv[0], new byte[1], MSG_DONTWAIT));
        assertEquals(1, p.epoll_wait(ep, ev, 8, -1));
        assertEquals(290_000_000L, host.loop.now());
        p.recv(sv[1], 1, 0);
        SimulationStalledException e = assertThrows(SimulationStalledException.class, () -> p.epoll_wait(ep, ev, 8, -1));
        assertEquals("epoll_wait(" + ep + ", 8, -1): would block forever: no events left (no ready events among 1 watched)",
                e.getMessage());
    }

    @Test
    void maxeventsLimitsAndTheRestComesNext() {
        int ep = p.epoll_create1(0);
        int[] a = p.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        int[] b = p.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, a[0], EPOLLOUT);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, b[0], EPOLLOUT);
        assertEquals(1, p.epoll_wait(ep, ev, 1, 0));
        assertEquals(a[0], ev[0].fd());
        assertEquals(1, p.epoll_wait(ep, ev, 1, 0));
        assertEquals(b[0], ev[0].fd());                       // round robin through the ready list
        assertEquals(2, p.epoll_wait(ep, ev, 8, 0));
    }

    @Test
    void exclusiveItemsWakeOneWaitingInstance() {
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.bind(lfd, SockAddr.unix("/l"));
        p.listen(lfd, 16);
        int epA = p.epoll_create1(0);
        int epB = p.epoll_create1(0);
        p.epoll_ctl(epA, EPOLL_CTL_ADD, lfd, EPOLLIN | EPOLLEXCLUSIVE);
        p.epoll_ctl(epB, EPOLL_CTL_ADD, lfd, EPOLLIN | EPOLLEXCLUSIVE);
        Process cli = host.spawn("client");
        int c1 = cli.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        host.loop.schedule(Duration.ofMillis(5), () -> cli.connect(c1, SockAddr.unix("/l")));
        assertEquals(1, p.epoll_wait(epA, ev, 8, -1));        // A was waiting: the wake-up stops at A
        assertEquals(0, p.epoll_wait(epB, ev, 8, 0));         // B was not woken although lfd is readable
        p.accept(lfd);
        // nobody waiting: an exclusive wake-up goes on to every item (ep_poll_callback returns 0)
        int c2 = cli.socket(AF_UNIX, SOCK_STREAM, 0);
        cli.connect(c2, SockAddr.unix("/l"));
        assertEquals(1, p.epoll_wait(epB, ev, 8, 0));
        assertEquals(1, p.epoll_wait(epA, ev, 8, 0));
    }

    @Test
    void withoutExclusiveEveryInstanceIsWoken() {
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.bind(lfd, SockAddr.unix("/l"));
        p.listen(lfd, 16);
        int epA = p.epoll_create1(0);
        int epB = p.epoll_create1(0);
        p.epoll_ctl(epA, EPOLL_CTL_ADD, lfd, EPOLLIN);
        p.epoll_ctl(epB, EPOLL_CTL_ADD, lfd, EPOLLIN);
        Process cli = host.spawn("client");
        int c1 = cli.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        host.loop.schedule(Duration.ofMillis(5), () -> cli.connect(c1, SockAddr.unix("/l")));
        assertEquals(1, p.epoll_wait(epA, ev, 8, -1));
        assertEquals(1, p.epoll_wait(epB, ev, 8, 0));         // the thundering herd
    }

    @Test
    void aRegistrationLivesAsLongAsTheOpenFileNotTheDescriptor() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN);
        int d = p.dup(sv[1]);
        p.close(sv[1]);
        p.send(sv[0], new byte[1], 0);
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(sv[1], ev[0].fd());                      // still the closed descriptor's number
        assertEquals(Errno.EBADF, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], 0)));
        p.close(d);                                           // the file goes: so does the item
        assertEquals(0, p.epoll_wait(ep, ev, 8, 0));
    }

    @Test
    void ctlErrorsAsLinux() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_create1(1)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN)));       // self
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], EPOLLIN);
        assertEquals(Errno.EEXIST, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], EPOLLIN)));
        assertEquals(Errno.ENOENT, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], EPOLLIN)));
        assertEquals(Errno.ENOENT, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], 0)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], EPOLLIN | EPOLLEXCLUSIVE)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1],
                EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT)));
        // 6.18: EPOLLEXCLUSIVE only goes with IN, OUT, ERR, HUP, ET (EPOLLEXCLUSIVE_OK_BITS)
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN | EPOLLRDNORM | EPOLLEXCLUSIVE)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLPRI | EPOLLEXCLUSIVE)));
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN | EPOLLEXCLUSIVE | EPOLLET);                  // 6.18: allowed
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], EPOLLIN)));   // exclusive item
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_ctl(sv[0], EPOLL_CTL_ADD, sv[1], EPOLLIN))); // not an epoll
        assertEquals(Errno.EBADF, errno(() -> p.epoll_ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_wait(ep, ev, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> p.epoll_wait(sv[0], ev, 1, 0)));
        assertEquals(Errno.EBADF, errno(() -> p.epoll_wait(99, ev, 1, 0)));
        assertEquals(Errno.ENOTSOCK, errno(() -> p.recv(ep, 1, 0)));
        p.epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], 0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, 1, EPOLLOUT);                                              // a terminal is pollable
        assertEquals(1, p.epoll_wait(ep, ev, 8, 0));
        assertEquals(1, ev[0].fd());
    }

    @Test
    void pollOnTheEpollDescriptorSeesItsReadyItems() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        p.epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN);
        PollFd pfd = new PollFd(ep, POLLIN);
        assertEquals(0, p.poll(new PollFd[] {pfd}, 0));
        host.loop.schedule(Duration.ofMillis(3), () -> p.send(sv[0], new byte[1], MSG_DONTWAIT));
        assertEquals(1, p.poll(new PollFd[] {pfd}, -1));
        assertTrue((pfd.revents & POLLIN) != 0);
        assertEquals(3_000_000L, host.loop.now());
    }
}
