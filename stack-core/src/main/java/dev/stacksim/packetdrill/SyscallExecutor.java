package dev.stacksim.packetdrill;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Linger;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.wire.IpProtocol;

import static dev.stacksim.socket.SocketConstants.*;

/**
 * Makes a script's system calls on the simulated process ({@code run_system_call.c}): evaluates
 * the arguments ({@code ...} standing for the bind or connect address and for buffers of zeros),
 * calls the {@link Process} method of the same name, turns an {@link ErrnoException} into C's
 * {@code -1} and {@code errno}, and checks both against the line ({@code end_syscall}):
 * {@code Expected result 0 but got -1 with errno 111 (Connection refused)},
 * {@code Expected errno 11 (Resource temporarily unavailable) but got 115 (Operation now in progress)}.
 * Calls that return descriptors ({@code socket}, {@code accept}) only need a non-negative result
 * when the script expects one; the script's number is mapped to the live one from then on.
 *
 * <p>Supported: socket, bind, listen, accept, accept4, connect, read, readv, recv, recvfrom, write,
 * writev, send, sendto, close, shutdown, setsockopt, getsockopt (int and linger), fcntl, ioctl,
 * poll, getsockname, getpeername, epoll_create, epoll_create1, epoll_ctl, epoll_wait.
 */
final class SyscallExecutor {
    private final ScriptConfig config;
    private final Process proc;
    private final ScriptSockets sockets;

    SyscallExecutor(ScriptConfig config, Process proc, ScriptSockets sockets) {
        this.config = config;
        this.proc = proc;
        this.sockets = sockets;
    }

    /** What a call did: the result and errno it returned. */
    record Outcome(long result, Errno errno) {
        @Override
        public String toString() {
            return result + (errno == null ? "" : " " + errno.name() + " (" + errno.text() + ")");
        }
    }

    /** A live call whose failure is an {@link ErrnoException}. */
    @FunctionalInterface
    interface Call {
        long run();
    }

    /**
     * Runs {@code spec}; may block (in virtual time) inside the {@link Process} call.
     *
     * @return what the call returned
     * @throws SyscallError when the line cannot be run or its outcome differs from the script's
     */
    Outcome run(SyscallSpec spec) {
        SyscallArgs a = new SyscallArgs(spec.args());
        switch (spec.name()) {
            case "socket": return socket(spec, a);
            case "bind": return bind(spec, a);
            case "listen": {
                a.expectCount(2);
                int fd = a.s32(0);
                Outcome o = exact(spec, () -> {
                    proc.listen(live(fd), a.s32(1));
                    return 0;
                });
                ScriptSocket s = sockets.byScriptFd(fd);
                if (o.result() == 0 && s != null) {
                    s.state = ScriptSocket.State.PASSIVE_LISTENING;
                }
                return o;
            }
            case "accept":
            case "accept4": return accept(spec, a);
            case "connect": return connect(spec, a);
            case "read": {
                a.expectCount(3);
                int n = a.s32(2);
                return exact(spec, () -> proc.read(live(a.s32(0)), new byte[n], 0, n));
            }
            case "recv": {
                a.expectCount(4);
                int n = a.s32(2);
                return exact(spec, () -> proc.recv(live(a.s32(0)), new byte[n], 0, n, a.s32(3)));
            }
            case "recvfrom": {
                a.expectCount(6);
                int n = a.s32(2);
                return exact(spec, () -> proc.recvfrom(live(a.s32(0)), new byte[n], 0, n, a.s32(3)).length());
            }
            case "readv": {
                a.expectCount(3);
                int n = iovLength(a.get(1));
                return exact(spec, () -> proc.read(live(a.s32(0)), new byte[n], 0, n));
            }
            case "write": {
                a.expectCount(3);
                int n = a.s32(2);
                return exact(spec, () -> proc.write(live(a.s32(0)), new byte[n], 0, n));
            }
            case "writev": {
                a.expectCount(3);
                int n = iovLength(a.get(1));
                return exact(spec, () -> proc.write(live(a.s32(0)), new byte[n], 0, n));
            }
            case "send": {
                a.expectCount(4);
                int n = a.s32(2);
                return exact(spec, () -> proc.send(live(a.s32(0)), new byte[n], 0, n, a.s32(3)));
            }
            case "sendto": return sendto(spec, a);
            case "close": {
                a.expectCount(1);
                return exact(spec, () -> {
                    proc.close(live(a.s32(0)));
                    return 0;
                });
            }
            case "shutdown": {
                a.expectCount(2);
                return exact(spec, () -> {
                    proc.shutdown(live(a.s32(0)), a.s32(1));
                    return 0;
                });
            }
            case "setsockopt": return setsockopt(spec, a);
            case "getsockopt": return getsockopt(spec, a);
            case "fcntl": {
                a.expectCount(2, 3, "fcntl");
                int arg = a.count() == 3 ? a.s32(2) : 0;
                return exact(spec, () -> proc.fcntl(live(a.s32(0)), a.s32(1), arg));
            }
            case "ioctl": return ioctl(spec, a);
            case "poll": return poll(spec, a);
            case "getsockname":
            case "getpeername": return getname(spec, a);
            case "epoll_create":
            case "epoll_create1":
            case "epoll_ctl":
            case "epoll_wait": return EpollCalls.run(this, spec, a);
            default:
                throw new SyscallError("Unknown system call: '" + spec.name() + "'");
        }
    }

    Process process() {
        return proc;
    }

    /** The live descriptor for a script descriptor. */
    int live(int scriptFd) {
        return sockets.liveFd(scriptFd);
    }

    private Outcome socket(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(3);
        int domain = a.isEllipsis(0) ? AF_INET : a.s32(0);
        int type = a.s32(1);
        int protocol = a.s32(2);
        Outcome o = exactOrFd(spec, () -> proc.socket(domain, type, protocol));
        if (o.result() >= 0) {
            int scriptFd = SyscallArgs.s32(spec.result());
            int base = type & SOCK_TYPE_MASK;
            int proto = protocol != 0 ? protocol : base == SOCK_DGRAM ? IpProtocol.UDP : IpProtocol.TCP;
            recordFd(scriptFd, (int) o.result());
            sockets.newSocket(proto, scriptFd, (int) o.result());
        }
        return o;
    }

    private Outcome bind(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(3);
        int fd = a.s32(0);
        SockAddr.Inet addr = a.sockaddr(1, SockAddr.of(config.localIp(), config.bindPort()));
        Outcome o = exact(spec, () -> {
            proc.bind(live(fd), addr);
            return 0;
        });
        ScriptSocket s = sockets.byScriptFd(fd);
        if (o.result() == 0 && s != null) {
            s.localIp = addr.isWildcard() ? config.localIp().toInt() : addr.address().toInt();
            s.localPort = addr.port();
        }
        return o;
    }

    private Outcome accept(SyscallSpec spec, SyscallArgs a) {
        boolean four = spec.name().equals("accept4");
        a.expectCount(four ? 4 : 3);
        int flags = four ? a.s32(3) : 0;
        Outcome o = exactOrFd(spec, () -> proc.accept4(live(a.s32(0)), flags));
        if (o.result() >= 0) {
            int scriptFd = SyscallArgs.s32(spec.result());
            int port = -1;
            try {
                if (proc.getpeername((int) o.result()) instanceof SockAddr.Inet in) {
                    port = in.port();
                }
            } catch (ErrnoException e) {
                // reset before it was accepted: take the oldest candidate, as the queue is FIFO
            }
            ScriptSocket child = sockets.acceptable(port);
            if (child == null) {
                throw new SyscallError("unable to find socket matching accept() call");
            }
            child.scriptFd = scriptFd;
            child.liveFd = (int) o.result();
            recordFd(scriptFd, (int) o.result());
        }
        return o;
    }

    private Outcome connect(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(3);
        int fd = a.s32(0);
        SockAddr.Inet to = a.sockaddr(1, SockAddr.of(config.remoteIp(), config.connectPort()));
        ScriptSocket s = sockets.byScriptFd(fd);
        if (s != null) {
            sockets.connecting(s, to.address().toInt(), to.port());
        }
        return exact(spec, () -> {
            proc.connect(live(fd), to);
            return 0;
        });
    }

    private Outcome sendto(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(6);
        int fd = a.s32(0);
        int n = a.s32(2);
        SockAddr.Inet to = a.sockaddr(4, SockAddr.of(config.remoteIp(), config.connectPort()));
        ScriptSocket s = sockets.byScriptFd(fd);
        if (s != null) {
            sockets.connecting(s, to.address().toInt(), to.port());
        }
        return exact(spec, () -> proc.sendto(live(fd), new byte[n], 0, n, a.s32(3), to));
    }

    private Outcome setsockopt(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(5);
        int fd = a.s32(0);
        int level = a.s32(1);
        int name = a.s32(2);
        Linger linger = a.linger(3);
        if (linger != null) {
            return exact(spec, () -> {
                proc.setsockopt(live(fd), level, name, linger);
                return 0;
            });
        }
        if (a.get(3) instanceof Expr.Str) {
            throw new SyscallError("unsupported setsockopt value type: string");
        }
        int value = a.bracketed(3);
        return exact(spec, () -> {
            proc.setsockopt(live(fd), level, name, value);
            return 0;
        });
    }

    private Outcome getsockopt(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(5);
        int fd = a.s32(0);
        int level = a.s32(1);
        int name = a.s32(2);
        int scriptLen = a.bracketed(4);
        boolean struct = level == SOL_SOCKET && name == SO_LINGER;
        Object[] got = new Object[1];
        Outcome o = exact(spec, () -> {
            got[0] = struct ? proc.getsockoptLinger(live(fd)) : (Object) proc.getsockopt(live(fd), level, name);
            return 0;
        });
        if (o.result() != 0) {
            return o;
        }
        int liveLen = struct ? 8 : 4;
        if (liveLen != scriptLen) {
            throw new SyscallError("Bad getsockopt optlen: expected: " + scriptLen + " actual: " + liveLen);
        }
        if (struct) {
            Linger want = a.linger(3);
            Linger have = (Linger) got[0];
            if (want == null) {
                throw new SyscallError("unsupported getsockopt value type: " + SyscallArgs.kind(a.get(3)));
            }
            if (want.onoff() != have.onoff() || want.linger() != have.linger()) {
                throw new SyscallError("Bad getsockopt optval: expected: " + want + " actual: " + have);
            }
            return o;
        }
        int want = a.bracketed(3);
        int have = (Integer) got[0];
        if (want != have) {
            throw new SyscallError("Bad getsockopt optval: expected: " + want + " actual: " + have);
        }
        return o;
    }

    private Outcome ioctl(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(2, 3, "ioctl");
        int[] value = new int[1];
        Outcome o = exact(spec, () -> {
            value[0] = proc.ioctl(live(a.s32(0)), a.s32(1));
            return 0;
        });
        if (o.result() == 0 && a.count() == 3) {
            int want = a.bracketed(2);
            if (want != value[0]) {
                throw new SyscallError("Bad ioctl optval: expected: " + want + " actual: " + value[0]);
            }
        }
        return o;
    }

    private Outcome poll(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(3);
        int[] expected = new int[((Expr.ListExpr) listArg(a, 0)).items().size()];
        PollFd[] fds = a.pollfds(0, this::live, expected);
        int nfds = a.s32(1);
        if (nfds != fds.length) {
            throw new SyscallError("nfds " + nfds + " does not match " + fds.length + "-element pollfd array");
        }
        Outcome o = exact(spec, () -> proc.poll(fds, a.s32(2)));
        for (int i = 0; i < fds.length; i++) {
            if (fds[i].revents != expected[i]) {
                throw new SyscallError("Expected revents of " + PollFd.eventNames(expected[i]) + " but got "
                        + PollFd.eventNames(fds[i].revents) + " for pollfd " + i);
            }
        }
        return o;
    }

    private Outcome getname(SyscallSpec spec, SyscallArgs a) {
        a.expectCount(3);
        boolean peer = spec.name().equals("getpeername");
        SockAddr[] got = new SockAddr[1];
        Outcome o = exact(spec, () -> {
            got[0] = peer ? proc.getpeername(live(a.s32(0))) : proc.getsockname(live(a.s32(0)));
            return 0;
        });
        if (o.result() == 0 && !a.isEllipsis(1)) {
            SockAddr.Inet want = a.sockaddr(1, null);
            if (!want.equals(got[0])) {
                throw new SyscallError("Bad " + spec.name() + " address: expected: " + want + " actual: " + got[0]);
            }
        }
        return o;
    }

    private static Expr listArg(SyscallArgs a, int i) {
        if (!(a.get(i) instanceof Expr.ListExpr)) {
            throw new SyscallError("Bad type; actual: " + SyscallArgs.kind(a.get(i)) + " expected: list");
        }
        return a.get(i);
    }

    /** {@code [{..., N}, ...]}: the total length of an iovec array of buffers of zeros. */
    private static int iovLength(Expr e) {
        if (!(e instanceof Expr.ListExpr l)) {
            throw new SyscallError("Bad type; actual: " + SyscallArgs.kind(e) + " expected: iovec list");
        }
        int n = 0;
        for (Expr item : l.items()) {
            if (!(item instanceof Expr.Struct s) || s.fields().size() != 2) {
                throw new SyscallError("Bad type; expected: {..., len} in an iovec");
            }
            n += SyscallArgs.s32(s.fields().get(1).value());
        }
        return n;
    }

    void recordFd(int scriptFd, int liveFd) {
        if (scriptFd < 0) {
            throw new SyscallError("invalid socket fd " + scriptFd + " in script");
        }
        boolean reused = sockets.knows(scriptFd);
        try {
            sockets.addFd(scriptFd, liveFd, reused);
        } catch (IllegalArgumentException e) {
            throw new SyscallError(e.getMessage());
        }
    }

    /** Runs a call whose result must equal the script's ({@code CHECK_EXACT}). */
    Outcome exact(SyscallSpec spec, Call call) {
        return check(spec, invoke(call), false);
    }

    /** Runs a call returning a descriptor ({@code CHECK_FD}): any non-negative result will do. */
    Outcome exactOrFd(SyscallSpec spec, Call call) {
        return check(spec, invoke(call), true);
    }

    private static Outcome invoke(Call call) {
        try {
            return new Outcome(call.run(), null);
        } catch (ErrnoException e) {
            return new Outcome(-1, e.errno());
        }
    }

    /** {@code end_syscall}: the result, then the errno. */
    private static Outcome check(SyscallSpec spec, Outcome o, boolean fdMode) {
        long expected = SyscallArgs.value(spec.result());
        int expected32 = (int) expected;
        String errnoText = o.errno() == null ? "0 (Success)" : o.errno().number() + " (" + o.errno().text() + ")";
        if (fdMode && expected32 >= 0) {
            if (o.result() < 0) {
                throw new SyscallError("Expected non-negative result but got " + o.result() + " with errno " + errnoText);
            }
        } else if ((int) o.result() != expected32) {
            throw new SyscallError("Expected result " + expected32 + " but got " + o.result() + " with errno " + errnoText);
        }
        if (spec.errno() != null) {
            Long want = Symbols.lookup(spec.errno());
            Errno e = want == null ? null : Errno.of(want.intValue());
            if (e == null) {
                throw new SyscallError("unknown errno: " + spec.errno());
            }
            if (o.errno() != e) {
                throw new SyscallError("Expected errno " + e.number() + " (" + e.text() + ") but got " + errnoText);
            }
        }
        return o;
    }
}
