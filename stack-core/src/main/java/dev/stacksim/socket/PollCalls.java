package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code poll}, {@code select} and the {@code epoll_*} calls of one {@link Process}
 * ({@code fs/select.c}, {@code fs/eventpoll.c}). Results {@code >= 0} or {@code -errno}.
 *
 * <p>poll and select check every descriptor, and if none is ready wait on all their wait queues
 * at once ({@code poll_wait} entries), then check again; epoll_wait waits on its instance's own
 * queue, which the items' callbacks wake. Timeouts are in simulation time.
 */
final class PollCalls {
    /** select's "readable" bits ({@code POLLIN_SET}). */
    static final int POLLIN_SET = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;
    /** select's "writable" bits ({@code POLLOUT_SET}). */
    static final int POLLOUT_SET = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;
    /** select's "exceptional" bits ({@code POLLEX_SET}). */
    static final int POLLEX_SET = POLLPRI;

    private final Process proc;
    private final Blocking blocking;

    PollCalls(Process proc, Blocking blocking) {
        this.proc = proc;
        this.blocking = blocking;
    }

    private long deadlineMillis(int timeoutMs) {
        return timeoutMs < 0 ? Blocking.NEVER : blocking.deadline(timeoutMs * 1_000_000L);
    }

    /** {@code do_poll}: the number of entries with non-zero revents, 0 after the timeout. */
    int poll(Supplier<String> call, PollFd[] fds, int timeoutMs) {
        if (fds.length > proc.table().limit()) {
            return -Errno.EINVAL.number();
        }
        long deadline = deadlineMillis(timeoutMs);
        boolean last = timeoutMs == 0;
        while (true) {
            Blocking.Waiter w = blocking.newWaiter();
            boolean wait = !last;
            int n = blocking.kernel(() -> {
                int count = 0;
                for (PollFd p : fds) {
                    p.revents = 0;
                    if (p.fd < 0) {
                        continue;
                    }
                    OpenFile f = proc.table().get(p.fd);
                    p.revents = f == null ? POLLNVAL : f.poll() & (p.events | POLLERR | POLLHUP);
                    if (p.revents != 0) {
                        count++;
                    }
                }
                if (count == 0 && wait) {
                    for (PollFd p : fds) {
                        OpenFile f = p.fd < 0 ? null : proc.table().get(p.fd);
                        if (f != null) {
                            w.arm(f.waitQueue());
                        }
                    }
                    if (!w.isArmed()) {
                        w.arm(new WaitQueue()); // nothing can wake it: only the timeout ends the wait
                    }
                }
                return count;
            });
            if (!w.isArmed()) {
                return n;
            }
            if (!blocking.sleep(w, deadline, call, () -> "no descriptor ready: " + states(fds))) {
                last = true;
            }
        }
    }

    private String states(PollFd[] fds) {
        List<String> out = new ArrayList<>();
        for (PollFd p : fds) {
            OpenFile f = p.fd < 0 ? null : proc.table().get(p.fd);
            out.add(p.fd + ": " + (f == null ? "closed" : f.kind == OpenFile.Kind.SOCKET
                    ? f.socket.ops().describeState() : f.describe()));
        }
        return String.join("; ", out);
    }

    /**
     * {@code core_sys_select} over poll: EBADF for a set descriptor that is not open; the sets are
     * replaced by the ready ones; the total number of bits set is returned.
     */
    int select(Supplier<String> call, int nfds, BitSet readfds, BitSet writefds, BitSet exceptfds, long timeoutNanos) {
        if (nfds < 0) {
            return -Errno.EINVAL.number();
        }
        List<PollFd> list = new ArrayList<>();
        for (int fd = 0; fd < nfds; fd++) {
            int ev = (isSet(readfds, fd) ? POLLIN_SET : 0) | (isSet(writefds, fd) ? POLLOUT_SET : 0)
                    | (isSet(exceptfds, fd) ? POLLEX_SET : 0);
            if (ev != 0) {
                list.add(new PollFd(fd, ev));
            }
        }
        PollFd[] fds = list.toArray(new PollFd[0]);
        int bad = blocking.kernel(() -> {
            for (PollFd p : fds) {
                if (proc.table().get(p.fd) == null) {
                    return -Errno.EBADF.number();
                }
            }
            return 0;
        });
        if (bad < 0) {
            return bad;
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int r = poll(call, fds, timeoutMs);
        if (r < 0) {
            return r;
        }
        clear(readfds, nfds);
        clear(writefds, nfds);
        clear(exceptfds, nfds);
        int total = 0;
        for (PollFd p : fds) {
            total += mark(readfds, p, POLLIN_SET) + mark(writefds, p, POLLOUT_SET) + mark(exceptfds, p, POLLEX_SET);
        }
        return total;
    }

    private static boolean isSet(BitSet s, int fd) {
        return s != null && s.get(fd);
    }

    private static void clear(BitSet s, int nfds) {
        if (s != null) {
            s.clear(0, nfds);
        }
    }

    private static int mark(BitSet s, PollFd p, int bits) {
        if (s != null && (p.events & bits) != 0 && (p.revents & bits) != 0) {
            s.set(p.fd);
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- epoll

    /** {@code epoll_create1}: EINVAL for flags other than EPOLL_CLOEXEC, EMFILE. */
    int epollCreate1(int flags) {
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            return -Errno.EINVAL.number();
        }
        return blocking.kernel(() -> {
            int fd = proc.table().lowestFree();
            if (fd < 0) {
                return -Errno.EMFILE.number();
            }
            proc.table().install(fd, OpenFile.epoll(new Eventpoll()), (flags & EPOLL_CLOEXEC) != 0);
            return fd;
        });
    }

    /** {@code do_epoll_ctl}: EBADF for either descriptor, EINVAL when epfd is no epoll or fd == epfd. */
    int epollCtl(int epfd, int op, int fd, int events, long data) {
        return blocking.kernel(() -> {
            OpenFile ep = proc.table().get(epfd);
            OpenFile target = proc.table().get(fd);
            if (ep == null || target == null) {
                return -Errno.EBADF.number();
            }
            if (ep == target || ep.kind != OpenFile.Kind.EPOLL) {
                return -Errno.EINVAL.number();
            }
            return ep.epoll.ctl(op, fd, target, events, data);
        });
    }

    /** {@code do_epoll_wait}: EINVAL for maxevents <= 0 or a non-epoll descriptor, then harvest or wait. */
    int epollWait(Supplier<String> call, int epfd, EpollEvent[] events, int maxevents, int timeoutMs) {
        if (maxevents <= 0) {
            return -Errno.EINVAL.number();
        }
        if (events == null || events.length < maxevents) {
            return -Errno.EFAULT.number();
        }
        long deadline = deadlineMillis(timeoutMs);
        boolean last = timeoutMs == 0;
        Eventpoll[] seen = new Eventpoll[1];
        while (true) {
            Blocking.Waiter w = blocking.newWaiter();
            boolean wait = !last;
            int n = blocking.kernel(() -> {
                OpenFile f = proc.table().get(epfd);
                if (f == null) {
                    return -Errno.EBADF.number();
                }
                if (f.kind != OpenFile.Kind.EPOLL) {
                    return -Errno.EINVAL.number();
                }
                seen[0] = f.epoll;
                int got = f.epoll.harvest(events, maxevents);
                if (got == 0 && wait) {
                    w.armExclusive(f.epoll.wq);
                }
                return got;
            });
            if (!w.isArmed()) {
                return n;
            }
            if (!blocking.sleep(w, deadline, call, () -> "no ready events among " + seen[0].size() + " watched")) {
                last = true;
            }
        }
    }
}
