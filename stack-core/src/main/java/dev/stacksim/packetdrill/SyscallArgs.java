package dev.stacksim.packetdrill;

import dev.stacksim.socket.Linger;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.wire.Ipv4Address;

import java.util.List;

/**
 * Turns a call's argument expressions into the values a {@link dev.stacksim.socket.Process} call
 * takes, as packetdrill's {@code s32_arg}, {@code s32_bracketed_arg}, {@code ellipsis_arg} and
 * friends do. A wrong shape is a {@link SyscallError} naming the argument.
 */
final class SyscallArgs {
    private final List<Expr> args;

    SyscallArgs(List<Expr> args) {
        this.args = args;
    }

    int count() {
        return args.size();
    }

    /** Fails unless there are exactly {@code n} arguments ({@code check_arg_count}). */
    void expectCount(int n) {
        if (args.size() != n) {
            throw new SyscallError("Expected " + n + " args but got " + args.size());
        }
    }

    /** Fails unless there are {@code min} to {@code max} arguments. */
    void expectCount(int min, int max, String call) {
        if (args.size() < min || args.size() > max) {
            throw new SyscallError(call + " expected " + min + "-" + max + " args but got " + args.size());
        }
    }

    Expr get(int i) {
        if (i >= args.size()) {
            throw new SyscallError("Argument list too short");
        }
        return args.get(i);
    }

    boolean isEllipsis(int i) {
        return get(i) instanceof Expr.Ellipsis;
    }

    /** Argument {@code i} as an int ({@code s32_arg}). */
    int s32(int i) {
        return s32(get(i));
    }

    /** Argument {@code i} as {@code [N]} or N ({@code s32_bracketed_arg}). */
    int bracketed(int i) {
        Expr e = get(i);
        if (e instanceof Expr.ListExpr l) {
            if (l.items().size() != 1) {
                throw new SyscallError("Expected [<integer>] but got a list of " + l.items().size());
            }
            return s32(l.items().get(0));
        }
        return s32(e);
    }

    /** An expression as an int: a number, a symbol, {@code a|b}, {@code htons(N)}. */
    static int s32(Expr e) {
        long v = value(e);
        if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
            throw new SyscallError("Value out of range for 32-bit integer: " + v);
        }
        return (int) v;
    }

    static long value(Expr e) {
        if (e instanceof Expr.Int i) {
            return i.value();
        }
        if (e instanceof Expr.Word w) {
            Long v = Symbols.lookup(w.name());
            if (v == null) {
                throw new SyscallError("unknown symbol: " + w.name());
            }
            return v;
        }
        if (e instanceof Expr.Or o) {
            return value(o.left()) | value(o.right());
        }
        if (e instanceof Expr.Call c && (c.function().equals("htons") || c.function().equals("htonl"))
                && c.args().size() == 1) {
            return value(c.args().get(0));
        }
        if (e instanceof Expr.Call c && c.function().equals("inet_addr") && c.args().size() == 1
                && c.args().get(0) instanceof Expr.Str s) {
            return Ipv4Address.parse(s.value()).toInt() & 0xFFFF_FFFFL;
        }
        throw new SyscallError("Bad type; actual: " + kind(e) + " expected: integer");
    }

    /**
     * Argument {@code i} as an IPv4 socket address: {@code ...} gives {@code dflt};
     * {@code {sa_family=AF_INET, sin_port=htons(P), sin_addr=inet_addr("A")}} gives A:P.
     */
    SockAddr.Inet sockaddr(int i, SockAddr.Inet dflt) {
        Expr e = get(i);
        if (e instanceof Expr.Ellipsis) {
            return dflt;
        }
        if (e instanceof Expr.Struct s && s.get("sin_port") != null && s.get("sin_addr") != null) {
            Expr fam = s.get("sa_family");
            if (fam != null && s32(fam) != dev.stacksim.socket.SocketConstants.AF_INET) {
                throw new SyscallError("only AF_INET socket addresses are supported, not " + fam);
            }
            int port = s32(s.get("sin_port"));
            int addr = s32(s.get("sin_addr"));
            return SockAddr.of(Ipv4Address.of(addr), port & 0xFFFF);
        }
        throw new SyscallError("Bad type; actual: " + kind(e) + " expected: ... or a sockaddr {sa_family=AF_INET, "
                + "sin_port=htons(P), sin_addr=inet_addr(\"A\")}");
    }

    /** Argument {@code i} as {@code {onoff=N, linger=N}}, or null when it is something else. */
    Linger linger(int i) {
        if (get(i) instanceof Expr.Struct s && s.get("onoff") != null && s.get("linger") != null) {
            return new Linger(s32(s.get("onoff")), s32(s.get("linger")));
        }
        return null;
    }

    /** Argument {@code i} as {@code [{fd=F, events=E[, revents=R]}, ...]}: the entries and the revents expected. */
    PollFd[] pollfds(int i, SockFds fds, int[] expectedRevents) {
        Expr e = get(i);
        if (!(e instanceof Expr.ListExpr l)) {
            throw new SyscallError("Bad type; actual: " + kind(e) + " expected: list of pollfd");
        }
        PollFd[] out = new PollFd[l.items().size()];
        for (int k = 0; k < out.length; k++) {
            if (!(l.items().get(k) instanceof Expr.Struct s) || s.get("fd") == null || s.get("events") == null) {
                throw new SyscallError("Bad type; expected: {fd=..., events=...[, revents=...]} in pollfd " + k);
            }
            out[k] = new PollFd(fds.live(s32(s.get("fd"))), s32(s.get("events")));
            Expr r = s.get("revents");
            expectedRevents[k] = r == null ? 0 : s32(r);
        }
        return out;
    }

    /** Maps script descriptors to live ones. */
    interface SockFds {
        int live(int scriptFd);
    }

    static String kind(Expr e) {
        if (e instanceof Expr.Ellipsis) {
            return "ellipsis";
        }
        if (e instanceof Expr.Int) {
            return "integer";
        }
        if (e instanceof Expr.Word) {
            return "word";
        }
        if (e instanceof Expr.Str) {
            return "string";
        }
        if (e instanceof Expr.ListExpr) {
            return "list";
        }
        if (e instanceof Expr.Struct) {
            return "struct";
        }
        if (e instanceof Expr.Or) {
            return "binary expression";
        }
        return "function call";
    }
}
