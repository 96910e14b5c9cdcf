package dev.stacksim.packetdrill;

import dev.stacksim.socket.EpollEvent;
import dev.stacksim.socket.PollFd;

import java.util.ArrayList;
import java.util.List;

/**
 * The epoll lines of a script, as packetdrill writes them:
 * <pre>
 *   +0 epoll_create(1) = 5
 *   +0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLOUT, fd=4}) = 0
 *   +0 epoll_wait(5, {events=EPOLLOUT, fd=4}, 1, 0) = 1
 *   +0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0
 * </pre>
 * The expected events of {@code epoll_wait} are one struct or a list of them; {@code fd=} is a
 * script descriptor, {@code u32=}, {@code u64=} and {@code ptr=} are raw data.
 */
final class EpollCalls {
    private EpollCalls() {
    }

    static SyscallExecutor.Outcome run(SyscallExecutor x, SyscallSpec spec, SyscallArgs a) {
        switch (spec.name()) {
            case "epoll_create": {
                a.expectCount(1);
                int size = a.s32(0);
                return created(x, spec, () -> {
                    if (size <= 0) {
                        throw new dev.stacksim.socket.ErrnoException(dev.stacksim.socket.Errno.EINVAL,
                                "epoll_create(" + size + ")");
                    }
                    return x.process().epoll_create1(0);
                });
            }
            case "epoll_create1": {
                a.expectCount(1);
                int flags = a.s32(0);
                return created(x, spec, () -> x.process().epoll_create1(flags));
            }
            case "epoll_ctl": {
                a.expectCount(4);
                int epfd = x.live(a.s32(0));
                int op = a.s32(1);
                int fd = x.live(a.s32(2));
                Expr ev = a.get(3);
                int events = ev instanceof Expr.Struct s && s.get("events") != null ? SyscallArgs.s32(s.get("events")) : 0;
                long data = ev instanceof Expr.Struct s ? data(x, s, fd) : fd;
                return x.exact(spec, () -> {
                    x.process().epoll_ctl(epfd, op, fd, events, data);
                    return 0;
                });
            }
            default: {
                a.expectCount(4);
                int epfd = x.live(a.s32(0));
                int max = a.s32(2);
                int timeout = a.s32(3);
                EpollEvent[] out = EpollEvent.array(Math.max(max, 1));
                SyscallExecutor.Outcome o = x.exact(spec, () -> x.process().epoll_wait(epfd, out, max, timeout));
                List<Expr.Struct> want = expected(a.get(1));
                for (int i = 0; i < o.result() && i < want.size(); i++) {
                    Expr.Struct w = want.get(i);
                    int events = SyscallArgs.s32(w.get("events"));
                    if (out[i].events != events) {
                        throw new SyscallError("epoll_event->events does not match: expected: "
                                + PollFd.eventNames(events) + " actual: " + PollFd.eventNames(out[i].events));
                    }
                    long data = data(x, w, -1);
                    if (w.get("events") != null && w.fields().size() > 1 && out[i].data != data) {
                        throw new SyscallError("epoll_event->data does not match: expected: " + data + " actual: "
                                + out[i].data);
                    }
                }
                return o;
            }
        }
    }

    private interface Create {
        int run();
    }

    private static SyscallExecutor.Outcome created(SyscallExecutor x, SyscallSpec spec, Create c) {
        SyscallExecutor.Outcome o = x.exactOrFd(spec, c::run);
        if (o.result() >= 0) {
            x.recordFd(SyscallArgs.s32(spec.result()), (int) o.result());
        }
        return o;
    }

    /** The data a struct carries: {@code fd=} mapped to the live descriptor, or {@code u32}/{@code u64}/{@code ptr}. */
    private static long data(SyscallExecutor x, Expr.Struct s, long dflt) {
        if (s.get("fd") != null) {
            return x.live(SyscallArgs.s32(s.get("fd")));
        }
        for (String k : new String[] {"u32", "u64", "ptr"}) {
            if (s.get(k) != null) {
                return SyscallArgs.value(s.get(k));
            }
        }
        return dflt;
    }

    private static List<Expr.Struct> expected(Expr e) {
        List<Expr.Struct> out = new ArrayList<>();
        if (e instanceof Expr.Struct s) {
            out.add(s);
        } else if (e instanceof Expr.ListExpr l) {
            for (Expr i : l.items()) {
                if (i instanceof Expr.Struct s) {
                    out.add(s);
                }
            }
        } else if (!(e instanceof Expr.Ellipsis)) {
            throw new SyscallError("epoll_event specified incorrectly");
        }
        return out;
    }
}
