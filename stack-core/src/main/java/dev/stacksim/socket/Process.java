package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * A process of a simulated host: a pid, a uid and a descriptor table, and the socket calls of
 * {@code socket(7)} under their C names with Linux's semantics. Made by {@link SocketLayer#spawn}
 * (in a full simulation: {@code host.spawn("httpd")}).
 *
 * <h2>Errors</h2>
 * A call that fails in C (returns -1 and sets {@code errno}) throws {@link ErrnoException} here,
 * carrying the {@link Errno} and the call as strace shows it:
 * {@code bind(3, /run/app.sock): EADDRINUSE (98) Address already in use}. Every case returns the
 * errno Linux 6.x returns; the tests cite what was observed on a real kernel.
 *
 * <h2>Descriptors</h2>
 * 0, 1 and 2 are open from the start on the process's terminal ({@code /dev/pts/0}; socket calls on
 * them are ENOTSOCK). New descriptors take the lowest free number below RLIMIT_NOFILE (1024; then
 * EMFILE). {@link #fork()} and {@link #dup} make more descriptors for the same open file:
 * {@link #close} acts on the socket only when the last of them goes (in every process), while
 * {@link #shutdown} acts at once. O_NONBLOCK belongs to the open file (shared by dups), FD_CLOEXEC
 * to the descriptor.
 *
 * <h2>Blocking</h2>
 * Blocking calls ({@code accept}, {@code connect}, {@code send}, {@code recv}, {@code poll},
 * {@code epoll_wait}) on a blocking socket wait as a real process would. In virtual time the
 * calling thread runs the event loop meanwhile, so one test thread can play both ends of a
 * connection; a call that nothing left in the simulation can complete throws
 * {@link SimulationStalledException} instead of hanging, and a call that would have to block inside
 * an event callback throws {@link IllegalStateException}. SO_RCVTIMEO, SO_SNDTIMEO and poll
 * timeouts are simulation time. In real time ({@link dev.stacksim.sim.EventLoop#isRealTime()}) each
 * call runs on the loop's thread and a blocked caller's thread parks until a wake-up.
 *
 * <h2>Signals</h2>
 * There is no signal delivery: SIGPIPE, whose default action would kill the process, is counted
 * instead ({@link #sigpipeCount()}) each time a send on a broken stream fails with EPIPE without
 * MSG_NOSIGNAL.
 */
public final class Process {
    private final SocketLayer layer;
    private final int pid;
    private String name;
    private final int uid;
    private final Blocking blocking;
    private final SocketCalls calls;
    private final PollCalls polls;
    private FdTable table;
    private boolean exited;
    private long sigpipes;

    Process(SocketLayer layer, int pid, String name, int uid, Process parent) {
        this.layer = layer;
        this.pid = pid;
        this.name = name;
        this.uid = uid;
        this.blocking = new Blocking(layer.loop());
        this.calls = new SocketCalls(this, layer, blocking);
        this.polls = new PollCalls(this, blocking);
        if (parent == null) {
            table = new FdTable(layer.config().nofile());
            OpenFile tty = OpenFile.tty();
            tty.refs = 3;
            for (int fd = 0; fd < 3; fd++) {
                table.install(fd, tty, false);
            }
        } else {
            table = parent.table.copy();
        }
    }

    FdTable table() {
        return table;
    }

    void raiseSigpipe() {
        sigpipes++;
    }

    /** The process id. */
    public int pid() {
        return pid;
    }

    /** The command name ({@code comm}). */
    public String name() {
        return name;
    }

    /** The user id: 0 is root. */
    public int uid() {
        return uid;
    }

    /** The socket layer (host) the process runs on. */
    public SocketLayer layer() {
        return layer;
    }

    /** Whether the process has not exited. */
    public boolean isAlive() {
        return !exited;
    }

    /** SIGPIPEs this process would have received (EPIPE on a stream send without MSG_NOSIGNAL). */
    public long sigpipeCount() {
        return sigpipes;
    }

    /** The RLIMIT_NOFILE soft limit: descriptors are numbered below it. */
    public int rlimitNofile() {
        return table.limit();
    }

    /** Sets RLIMIT_NOFILE ({@code setrlimit}); descriptors already open above it stay open. */
    public void setRlimitNofile(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("setrlimit: RLIMIT_NOFILE=" + limit);
        }
        table.setLimit(limit);
    }

    // ---------------------------------------------------------------- processes and descriptors

    /**
     * {@code fork()}: a child with a new pid and a copy of the descriptor table: every descriptor
     * refers to the same open file as the parent's (one more reference each), FD_CLOEXEC copied.
     */
    public Process fork() {
        alive("fork()");
        return blocking.kernelObject(() -> layer.fork(this));
    }

    /** {@code execve()}: closes the descriptors marked FD_CLOEXEC and takes the new name. */
    public void execve(String newName) {
        alive("execve(\"" + newName + "\")");
        blocking.kernel(() -> {
            for (int fd : table.open()) {
                if (table.cloexec(fd)) {
                    closeFd(fd);
                }
            }
            name = newName;
            return 0;
        });
    }

    /** {@code exit()}: closes every descriptor and leaves the process table. Further calls throw. */
    public void exit() {
        alive("exit()");
        blocking.kernel(() -> {
            for (int fd : table.open()) {
                closeFd(fd);
            }
            exited = true;
            layer.exited(this);
            return 0;
        });
    }

    /**
     * {@code ls -l /proc/<pid>/fd}: one line per open descriptor, {@code "3 -> socket:[12345]"},
     * {@code "0 -> /dev/pts/0"}, {@code "5 -> anon_inode:[eventpoll]"}.
     */
    public List<String> fds() {
        return blocking.kernelObject(() -> {
            List<String> out = new ArrayList<>();
            for (int fd : table.open()) {
                out.add(fd + " -> " + table.get(fd).describe());
            }
            return out;
        });
    }

    /**
     * The socket behind descriptor {@code fd} ({@code sockfd_lookup}): what a protocol-level call
     * that takes a descriptor works on (attaching a reuseport selector, inspecting a socket's
     * queues in a test). The socket's protocol half is {@link Socket#ops()}. EBADF for a closed
     * descriptor, ENOTSOCK for one that is not a socket.
     */
    public Socket sockfdLookup(int fd) {
        int[] err = new int[1];
        Socket s = blocking.kernelObject(() -> calls.lookup(fd, err));
        check(err[0], () -> "sockfd_lookup(" + fd + ")");
        return s;
    }

    /** {@code close(fd)}: the descriptor goes; the socket is released with the last reference. EBADF. */
    public void close(int fd) {
        int r = blocking.direct() ? closeFd(fd) : blocking.kernel(() -> closeFd(fd));
        if (r < 0) {
            fail(r, "close(" + fd + ")");
        }
    }

    private int closeFd(int fd) {
        OpenFile f = table.remove(fd);
        if (f == null) {
            return -Errno.EBADF.number();
        }
        if (--f.refs == 0) {
            f.release();
        }
        return 0;
    }

    /** {@code dup(fd)}: the lowest free descriptor for the same open file, FD_CLOEXEC clear. EBADF, EMFILE. */
    public int dup(int fd) {
        return check(blocking.kernel(() -> {
            OpenFile f = table.get(fd);
            if (f == null) {
                return -Errno.EBADF.number();
            }
            int nfd = table.lowestFree();
            if (nfd < 0) {
                return -Errno.EMFILE.number();
            }
            f.refs++;
            table.install(nfd, f, false);
            return nfd;
        }), () -> "dup(" + fd + ")");
    }

    /**
     * {@code dup2(oldfd, newfd)}: makes {@code newfd} refer to oldfd's open file, closing what it
     * referred to; {@code newfd} itself when equal. EBADF for a closed oldfd or a newfd outside
     * 0..RLIMIT_NOFILE-1.
     */
    public int dup2(int oldfd, int newfd) {
        return check(blocking.kernel(() -> {
            OpenFile f = table.get(oldfd);
            if (f == null || newfd < 0 || newfd >= table.limit()) {
                return -Errno.EBADF.number();
            }
            if (oldfd == newfd) {
                return newfd;
            }
            OpenFile old = table.remove(newfd);
            f.refs++;
            table.install(newfd, f, false);
            if (old != null && --old.refs == 0) {
                old.release();
            }
            return newfd;
        }), () -> "dup2(" + oldfd + ", " + newfd + ")");
    }

    /**
     * {@code fcntl(fd, cmd, arg)}: F_GETFD/F_SETFD (FD_CLOEXEC, per descriptor), F_GETFL (O_RDWR,
     * O_NONBLOCK) and F_SETFL (only O_NONBLOCK changes, shared by every descriptor of the open
     * file). EBADF; EINVAL for another command.
     */
    public int fcntl(int fd, int cmd, int arg) {
        return check(blocking.kernel(() -> {
            OpenFile f = table.get(fd);
            if (f == null) {
                return -Errno.EBADF.number();
            }
            switch (cmd) {
                case F_GETFD:
                    return table.cloexec(fd) ? FD_CLOEXEC : 0;
                case F_SETFD:
                    table.setCloexec(fd, (arg & FD_CLOEXEC) != 0);
                    return 0;
                case F_GETFL:
                    return f.flags;
                case F_SETFL:
                    f.flags = (f.flags & ~O_NONBLOCK) | (arg & O_NONBLOCK);
                    return 0;
                default:
                    return -Errno.EINVAL.number();
            }
        }), () -> "fcntl(" + fd + ", " + cmd + ", " + arg + ")");
    }

    /** {@code fcntl(fd, cmd)} for the GET commands. */
    public int fcntl(int fd, int cmd) {
        return fcntl(fd, cmd, 0);
    }

    /**
     * {@code ioctl(fd, FIONREAD)}: bytes waiting to be read (a stream: all queued bytes; a datagram
     * socket: the next datagram's length), returned instead of written through a pointer.
     * EINVAL on a listener, ENOTTY for other requests.
     */
    public int ioctl(int fd, int request) {
        return check(calls.ioctl(fd, request), () -> "ioctl(" + fd + ", 0x" + Integer.toHexString(request) + ")");
    }

    // ---------------------------------------------------------------- socket calls

    /**
     * {@code socket(domain, type, protocol)}: a new socket's descriptor. {@code type} may carry
     * SOCK_NONBLOCK and SOCK_CLOEXEC. EINVAL for other flags or a type >= SOCK_MAX; EAFNOSUPPORT for
     * an unknown or unregistered family (AF_INET6); ESOCKTNOSUPPORT, EPROTONOSUPPORT from the family;
     * EMFILE.
     */
    public int socket(int domain, int type, int protocol) {
        alive("socket");
        int r = calls.socket(domain, type, protocol);
        if (r < 0) {
            Errno e = Errno.of(-r);
            ProtocolFamily family = layer.family(domain);
            String detail = e == null || family == null ? null : family.explain(type & SOCK_TYPE_MASK, protocol, e);
            if (detail != null) {
                throw new ErrnoException(e, "socket(" + SocketConstants.describeSocketArgs(domain, type, protocol) + ")", detail);
            }
        }
        return r >= 0 ? r : fail(r, "socket(" + SocketConstants.describeSocketArgs(domain, type, protocol) + ")");
    }

    /** {@code socketpair(domain, type, protocol, sv)}: two connected sockets; EOPNOTSUPP for AF_INET. */
    public int[] socketpair(int domain, int type, int protocol) {
        alive("socketpair");
        int[] sv = new int[2];
        check(calls.socketpair(domain, type, protocol, sv), () -> "socketpair(" + SocketConstants.describeSocketArgs(domain, type, protocol) + ")");
        return sv;
    }

    /** {@code bind(fd, addr)}: EINVAL when bound, EADDRINUSE when taken, EBADF, ENOTSOCK. */
    public void bind(int fd, SockAddr addr) {
        check(calls.bind(fd, addr), () -> "bind(" + fd + ", " + addr + ")");
    }

    /** {@code listen(fd, backlog)}: the backlog is clamped to net.core.somaxconn. */
    public void listen(int fd, int backlog) {
        check(calls.listen(fd, backlog), () -> "listen(" + fd + ", " + backlog + ")");
    }

    /** {@code accept(fd)}: {@link #accept4} without flags. */
    public int accept(int fd) {
        return accept4(fd, 0);
    }

    /**
     * {@code accept4(fd, flags)}: the next connection's descriptor; flags SOCK_NONBLOCK and
     * SOCK_CLOEXEC set up the new one (nothing is inherited from the listener's file). EAGAIN when
     * non-blocking and empty, EINVAL when not listening, EMFILE.
     */
    public int accept4(int fd, int flags) {
        int r = calls.accept4(fd, flags);
        return r >= 0 ? r : fail(r, acceptCall(fd, flags));
    }

    static String acceptCall(int fd, int flags) {
        return (flags == 0 ? "accept(" + fd : "accept4(" + fd + ", " + flags) + ")";
    }

    /**
     * {@code connect(fd, addr)}. A blocking socket returns once connected (or fails: ECONNREFUSED,
     * ETIMEDOUT); a non-blocking one may answer EINPROGRESS (TCP) or EAGAIN (AF_UNIX, full backlog).
     */
    public void connect(int fd, SockAddr addr) {
        int r = calls.connect(fd, addr);
        if (r < 0) {
            fail(r, connectCall(fd, addr));
        }
    }

    static String connectCall(int fd, SockAddr addr) {
        return "connect(" + fd + ", " + addr + ")";
    }

    /** {@code send(fd, buf, len, flags)} of {@code buf[off, off + len)}: the bytes queued. */
    public int send(int fd, byte[] buf, int off, int len, int flags) {
        return sendto(fd, buf, off, len, flags, null);
    }

    /** {@code send(fd, buf, buf.length, flags)}. */
    public int send(int fd, byte[] buf, int flags) {
        return sendto(fd, buf, 0, buf.length, flags, null);
    }

    /**
     * {@code sendto(fd, buf, len, flags, to)} of {@code buf[off, off + len)}; {@code to} null is
     * {@code send}. A blocking stream socket returns when all is queued. EPIPE (and a SIGPIPE unless
     * MSG_NOSIGNAL), EAGAIN, EMSGSIZE, ENOTCONN, EISCONN ...
     */
    public int sendto(int fd, byte[] buf, int off, int len, int flags, SockAddr to) {
        checkRange(buf, off, len);
        int r = calls.send(false, fd, buf, off, len, flags, to);
        return r >= 0 ? r : fail(r, sendCall(fd, len, flags, to));
    }

    static String sendCall(int fd, int len, int flags, SockAddr to) {
        return (to == null ? "send(" : "sendto(") + fd + ", len=" + len + ", " + flagNames(flags)
                + (to == null ? "" : ", " + to) + ")";
    }

    /** {@code sendto(fd, buf, buf.length, flags, to)}. */
    public int sendto(int fd, byte[] buf, int flags, SockAddr to) {
        return sendto(fd, buf, 0, buf.length, flags, to);
    }

    /** {@code write(fd, buf, len)}: send without flags on a socket; a terminal takes everything. */
    public int write(int fd, byte[] buf, int off, int len) {
        checkRange(buf, off, len);
        OpenFile.Kind kind = kindOf(fd);
        if (kind == OpenFile.Kind.TTY) {
            return len;
        }
        if (kind == OpenFile.Kind.EPOLL) {
            throw new ErrnoException(Errno.EINVAL, "write(" + fd + ", len=" + len + ")");
        }
        int r = calls.send(true, fd, buf, off, len, 0, null);
        return r >= 0 ? r : fail(r, writeCall(fd, len));
    }

    static String writeCall(int fd, int len) {
        return "write(" + fd + ", len=" + len + ")";
    }

    /**
     * {@code recv(fd, buf, len, flags)} into {@code buf[off, off + len)}: the bytes copied, 0 at EOF;
     * with MSG_TRUNC on a datagram socket the datagram's real length. MSG_PEEK, MSG_WAITALL,
     * MSG_DONTWAIT. EAGAIN, ECONNRESET, EINVAL (AF_UNIX stream not connected), ENOTCONN.
     */
    public int recv(int fd, byte[] buf, int off, int len, int flags) {
        checkRange(buf, off, len);
        int r = calls.recv(false, fd, buf, off, len, flags);
        return r >= 0 ? r : fail(r, recvCall(fd, len, flags));
    }

    /** {@code recv} of at most {@code maxLen} bytes, returned as an array of exactly the bytes read. */
    public byte[] recv(int fd, int maxLen, int flags) {
        byte[] buf = new byte[maxLen];
        int n = recv(fd, buf, 0, maxLen, flags);
        return java.util.Arrays.copyOf(buf, Math.min(n, maxLen));
    }

    /** {@code recvfrom(fd, buf, len, flags, &from, &fromlen)}: the count and the sender's address. */
    public RecvFrom recvfrom(int fd, byte[] buf, int off, int len, int flags) {
        MsgHdr msg = new MsgHdr(buf, off, len);
        int n = recvmsg(fd, msg, flags);
        return new RecvFrom(n, msg.name, msg.flags);
    }

    /**
     * {@code recvmsg(fd, msg, flags)} with one buffer: the allocation-free form of recv/recvfrom;
     * fills {@link MsgHdr#name} (the sender) and {@link MsgHdr#flags} (MSG_TRUNC).
     */
    public int recvmsg(int fd, MsgHdr msg, int flags) {
        int r = calls.recv(false, fd, msg, flags);
        return r >= 0 ? r : fail(r, recvCall(fd, msg.len, flags));
    }

    static String recvCall(int fd, int len, int flags) {
        return "recv(" + fd + ", len=" + len + ", " + flagNames(flags) + ")";
    }

    /** {@code read(fd, buf, len)}: recv without flags on a socket; a terminal reads EOF (0). */
    public int read(int fd, byte[] buf, int off, int len) {
        checkRange(buf, off, len);
        OpenFile.Kind kind = kindOf(fd);
        if (kind == OpenFile.Kind.TTY) {
            return 0;
        }
        if (kind == OpenFile.Kind.EPOLL) {
            throw new ErrnoException(Errno.EINVAL, "read(" + fd + ", len=" + len + ")");
        }
        int r = calls.recv(true, fd, buf, off, len, 0);
        return r >= 0 ? r : fail(r, readCall(fd, len));
    }

    static String readCall(int fd, int len) {
        return "read(" + fd + ", len=" + len + ")";
    }

    /** {@code shutdown(fd, how)}: acts at once, however many descriptors share the socket. EINVAL for a bad how. */
    public void shutdown(int fd, int how) {
        check(calls.shutdown(fd, how), () -> "shutdown(" + fd + ", " + how + ")");
    }

    /** {@code getsockname(fd)}: the local address (an unbound AF_UNIX socket has the empty path). */
    public SockAddr getsockname(int fd) {
        int[] err = new int[1];
        SockAddr a = calls.getname(fd, false, err);
        check(err[0], () -> "getsockname(" + fd + ")");
        return a;
    }

    /** {@code getpeername(fd)}: the peer's address; ENOTCONN when not connected. */
    public SockAddr getpeername(int fd) {
        int[] err = new int[1];
        SockAddr a = calls.getname(fd, true, err);
        check(err[0], () -> "getpeername(" + fd + ")");
        return a;
    }

    // ---------------------------------------------------------------- options

    /**
     * {@code setsockopt(fd, level, optname, &value, sizeof(int))}. SOL_SOCKET: SO_REUSEADDR,
     * SO_REUSEPORT (AF_INET only, else EOPNOTSUPP), SO_KEEPALIVE, SO_SNDBUF/SO_RCVBUF (Linux stores
     * {@code max(2 * min(value, wmem_max/rmem_max), SOCK_MIN_*)}; getsockopt shows the doubled
     * value); read-only options and unknown ones ENOPROTOOPT. Other levels go to the protocol
     * (AF_UNIX: EOPNOTSUPP).
     */
    public void setsockopt(int fd, int level, int optname, int value) {
        int r = calls.setsockopt(fd, level, optname, value);
        if (r < 0) {
            fail(r, "setsockopt(" + fd + ", " + level + ", " + optname + ", [" + value + "])");
        }
    }

    /** {@code setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger)}; a non-zero onoff is stored as 1. */
    public void setsockopt(int fd, int level, int optname, Linger linger) {
        int r = calls.setStruct(fd, level, optname, linger, 0);
        if (r < 0) {
            fail(r, "setsockopt(" + fd + ", " + level + ", " + optname + ", " + linger + ")");
        }
    }

    /**
     * {@code setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO or SO_SNDTIMEO, &timeval)} with the timeout as a
     * {@link Duration} of simulation time: zero means none (block forever), a negative value makes
     * the call never wait (Linux's treatment of a negative {@code tv_sec}). Unlike Linux there is
     * no rounding to jiffies.
     */
    public void setsockopt(int fd, int level, int optname, Duration timeout) {
        check(calls.setStruct(fd, level, optname, null, timeout.toNanos()), () -> "setsockopt(" + fd + ", " + level + ", " + optname + ", " + timeout + ")");
    }

    /**
     * {@code setsockopt(fd, level, optname, name, strlen(name))} of an option whose value is a
     * string: {@code TCP_CONGESTION} with an algorithm's name ({@code "reno"}, {@code "cubic"}).
     */
    public void setsockopt(int fd, int level, int optname, String value) {
        check(calls.setString(fd, level, optname, value), () -> "setsockopt(" + fd + ", " + level + ", " + optname + ", \"" + value + "\")");
    }

    /** {@code getsockopt(fd, level, optname, buf, &len)} of an option whose value is a string ({@code TCP_CONGESTION}). */
    public String getsockoptString(int fd, int level, int optname) {
        int[] err = new int[1];
        String v = calls.getString(fd, level, optname, err);
        check(err[0], () -> "getsockopt(" + fd + ", " + level + ", " + optname + ")");
        return v;
    }

    /** {@code getsockopt(fd, level, optname)} of an int option; SO_ERROR reads and clears the pending error. */
    public int getsockopt(int fd, int level, int optname) {
        int[] v = new int[1];
        check(calls.getsockopt(fd, level, optname, v), () -> "getsockopt(" + fd + ", " + level + ", " + optname + ")");
        return v[0];
    }

    /** {@code getsockopt(fd, SOL_SOCKET, SO_LINGER)}. */
    public Linger getsockoptLinger(int fd) {
        int[] err = new int[1];
        Object v = calls.getStruct(fd, SO_LINGER, err);
        check(err[0], () -> "getsockopt(" + fd + ", SOL_SOCKET, SO_LINGER)");
        return (Linger) v;
    }

    /** {@code getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO or SO_SNDTIMEO)}: {@link Duration#ZERO} when none is set. */
    public Duration getsockoptTimeout(int fd, int optname) {
        int[] err = new int[1];
        Object v = calls.getStruct(fd, optname, err);
        check(err[0], () -> "getsockopt(" + fd + ", SOL_SOCKET, " + optname + ")");
        long nanos = (Long) v;
        return nanos == Socket.NO_TIMEOUT ? Duration.ZERO : Duration.ofNanos(nanos);
    }

    // ---------------------------------------------------------------- readiness

    /**
     * {@code poll(fds, nfds, timeout)}: fills each entry's revents and returns how many are non-zero;
     * waits up to {@code timeoutMs} milliseconds of simulation time (-1: forever, 0: not at all).
     */
    public int poll(PollFd[] fds, int timeoutMs) {
        Supplier<String> call = () -> "poll(" + java.util.Arrays.toString(fds) + ", " + fds.length + ", " + timeoutMs + ")";
        return check(polls.poll(call, fds, timeoutMs), call);
    }

    /**
     * {@code select(nfds, readfds, writefds, exceptfds, timeout)} with {@link BitSet}s as fd_sets
     * (null for none; replaced by the ready descriptors) and a {@link Duration} timeout (null:
     * forever). Returns the number of bits set. EBADF for a descriptor in a set that is not open.
     */
    public int select(int nfds, BitSet readfds, BitSet writefds, BitSet exceptfds, Duration timeout) {
        Supplier<String> call = () -> "select(" + nfds + ", " + readfds + ", " + writefds + ", " + exceptfds + ", " + timeout + ")";
        return check(polls.select(call, nfds, readfds, writefds, exceptfds, timeout == null ? -1 : timeout.toNanos()), call);
    }

    /** {@code epoll_create1(flags)}: a new epoll instance; flags 0 or EPOLL_CLOEXEC, else EINVAL. */
    public int epoll_create1(int flags) {
        return check(polls.epollCreate1(flags), () -> "epoll_create1(" + flags + ")");
    }

    /** {@code epoll_ctl(epfd, op, fd, {events, data.fd = fd})}. */
    public void epoll_ctl(int epfd, int op, int fd, int events) {
        epoll_ctl(epfd, op, fd, events, fd);
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data})}: ADD (EEXIST), MOD and DEL (ENOENT); EPOLLET,
     * EPOLLONESHOT, EPOLLEXCLUSIVE (ADD only, not with ONESHOT: EINVAL). EBADF, EINVAL for fd == epfd
     * or a non-epoll epfd. EPOLLERR and EPOLLHUP are always watched.
     */
    public void epoll_ctl(int epfd, int op, int fd, int events, long data) {
        check(polls.epollCtl(epfd, op, fd, events, data), () -> "epoll_ctl(" + epfd + ", " + op + ", " + fd + ", "
                + PollFd.eventNames(events) + ")");
    }

    /**
     * {@code epoll_wait(epfd, events, maxevents, timeout)}: fills up to {@code maxevents} entries of
     * {@code events} and returns how many; waits up to {@code timeoutMs} of simulation time
     * (-1: forever). EINVAL for maxevents <= 0.
     */
    public int epoll_wait(int epfd, EpollEvent[] events, int maxevents, int timeoutMs) {
        Supplier<String> call = () -> "epoll_wait(" + epfd + ", " + maxevents + ", " + timeoutMs + ")";
        return check(polls.epollWait(call, epfd, events, maxevents, timeoutMs), call);
    }

    // ---------------------------------------------------------------- helpers

    private OpenFile.Kind kindOf(int fd) {
        return blocking.direct() ? kindSection(fd) : blocking.kernelObject(() -> kindSection(fd));
    }

    private OpenFile.Kind kindSection(int fd) {
        OpenFile f = table.get(fd);
        return f == null ? OpenFile.Kind.SOCKET : f.kind; // a closed fd fails as EBADF in the socket path
    }

    private void alive(String call) {
        if (exited) {
            throw new IllegalStateException(call + ": process " + pid + " (" + name + ") has exited");
        }
    }

    private static void checkRange(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("buf.length=" + (buf == null ? "null" : buf.length) + " off=" + off + " len=" + len);
        }
    }

    /** Throws the ErrnoException for a negative result, naming the call; returns {@code r} otherwise. */
    private static int check(int r, Supplier<String> call) {
        return r >= 0 ? r : fail(r, call.get());
    }

    /** Throws the ErrnoException for the negative result {@code r} of {@code call}. */
    private static int fail(int r, String call) {
        Errno e = Errno.of(-r);
        if (e == null) {
            throw new IllegalStateException(call + ": protocol returned unknown errno " + (-r));
        }
        throw new ErrnoException(e, call);
    }

    static String flagNames(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        int[] bits = {MSG_OOB, MSG_PEEK, MSG_DONTROUTE, MSG_TRUNC, MSG_DONTWAIT, MSG_EOR, MSG_WAITALL, MSG_NOSIGNAL};
        String[] names = {"MSG_OOB", "MSG_PEEK", "MSG_DONTROUTE", "MSG_TRUNC", "MSG_DONTWAIT", "MSG_EOR", "MSG_WAITALL", "MSG_NOSIGNAL"};
        int rest = flags;
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Process[pid=" + pid + " " + name + " uid=" + uid + (exited ? " exited" : "") + "]";
    }
}
