package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.MSG_PEEK;
import static dev.stacksim.socket.SocketConstants.MSG_WAITALL;
import static dev.stacksim.socket.SocketConstants.O_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.POLLERR;
import static dev.stacksim.socket.SocketConstants.POLLHUP;
import static dev.stacksim.socket.SocketConstants.POLLOUT;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

import java.util.function.IntSupplier;

/**
 * The state of one blocking socket call ({@code accept}, {@code connect}, {@code send},
 * {@code recv}) across its tries: what it was asked, how far it got, its deadline and its
 * {@link Blocking.Waiter}. {@link #getAsInt()} is one try, the kernel section that runs on the
 * loop's thread: look the descriptor up, try the protocol, and arm the waiter when it must wait.
 *
 * <p>Linux keeps this state on the sleeping task's kernel stack. Here a {@link SocketCalls} keeps
 * one object of each kind and reuses it call after call in virtual time, so that a blocking call
 * allocates nothing: a million idle connections then cost the garbage collector nothing per
 * operation (issue #9). {@link #inUse} marks a call in progress; a nested call of the same kind
 * (an event callback calling while a test thread waits) and every call in real time (several
 * threads may call one process) take a fresh object.
 */
abstract class BlockingCall implements IntSupplier, Blocking.Described {
    private static final int EAGAIN = -Errno.EAGAIN.number();
    private static final byte[] NO_BYTES = new byte[0];

    final SocketCalls calls;
    final Blocking.Waiter waiter;
    /** Between {@code setUp} and {@link #done}. */
    boolean inUse;
    int fd;
    /** MSG_DONTWAIT: the call never waits. */
    boolean dontWait;
    /** SO_SNDTIMEO rather than SO_RCVTIMEO bounds the wait. */
    boolean sendSide;
    /** The wait's deadline once the first wait began; {@link Long#MIN_VALUE} before. */
    long deadline;
    /** The timeout ran out: one last try, without waiting. */
    boolean last;
    /** The socket of the latest try, for the stall message. */
    Socket seen;

    BlockingCall(SocketCalls calls) {
        this.calls = calls;
        this.waiter = calls.blockingSupport().newWaiter();
    }

    final void arm(int fd, boolean dontWait, boolean sendSide) {
        this.inUse = true;
        this.fd = fd;
        this.dontWait = dontWait;
        this.sendSide = sendSide;
    }

    /** Before the first try. */
    final void begin() {
        deadline = Long.MIN_VALUE;
        last = false;
        seen = null;
    }

    /** After the call: forget what it referred to, free the object for the next call. */
    void done() {
        seen = null;
        inUse = false;
    }

    /**
     * One try of the protocol's operation.
     *
     * @param sock     the socket
     * @param mayBlock whether the call may still wait (blocking socket, no MSG_DONTWAIT, time left)
     * @return the result, or -EAGAIN to wait for a wake-up and try again (when {@code mayBlock})
     */
    abstract int attempt(Socket sock, boolean mayBlock);

    @Override
    public final int getAsInt() {
        OpenFile f = calls.proc().table().get(fd);
        if (f == null) {
            return -Errno.EBADF.number();
        }
        if (f.kind != OpenFile.Kind.SOCKET) {
            return -Errno.ENOTSOCK.number();
        }
        Socket s = f.socket;
        seen = s;
        long timeo = sendSide ? s.sndTimeoNanos() : s.rcvTimeoNanos();
        boolean mayBlock = !last && !dontWait && (f.flags & O_NONBLOCK) == 0 && timeo != 0;
        int res = attempt(s, mayBlock);
        WaitQueue q = s.takeBlockOn();
        if (res == EAGAIN && mayBlock) {
            if (deadline == Long.MIN_VALUE) {
                deadline = calls.blockingSupport().deadline(timeo);
            }
            waiter.arm(q);
        }
        return res;
    }

    @Override
    public final String state() {
        Socket s = seen;
        return s == null ? "no socket" : s.ops().describeState();
    }

    /** {@code accept4}: the next connection from the accept queue, installed at the lowest free descriptor. */
    static final class Accept extends BlockingCall {
        private final Socket[] child = new Socket[1];
        private int flags;

        Accept(SocketCalls calls) {
            super(calls);
        }

        void setUp(int fd, int flags) {
            arm(fd, false, false);
            this.flags = flags;
        }

        @Override
        int attempt(Socket s, boolean mayBlock) {
            int nfd = calls.proc().table().lowestFree();
            if (nfd < 0) {
                return -Errno.EMFILE.number();
            }
            int r = s.ops().accept(child);
            if (r < 0) {
                return r;
            }
            Socket c = child[0];
            child[0] = null;
            calls.installAccepted(nfd, c, flags);
            return nfd;
        }

        @Override
        public String call() {
            return Process.acceptCall(fd, flags);
        }
    }

    /**
     * {@code connect}: the protocol's connect; -EINPROGRESS on a blocking socket waits for
     * POLLOUT/POLLERR/POLLHUP and then takes {@link ProtoOps#connectResult()}.
     */
    static final class Connect extends BlockingCall {
        private SockAddr addr;
        private boolean inProgress;

        Connect(SocketCalls calls) {
            super(calls);
        }

        void setUp(int fd, SockAddr addr) {
            arm(fd, false, true);
            this.addr = addr;
            this.inProgress = false;
        }

        @Override
        void done() {
            addr = null;
            super.done();
        }

        @Override
        int attempt(Socket s, boolean mayBlock) {
            if (!inProgress) {
                OpenFile f = calls.proc().table().get(fd);
                int res = s.ops().connect(addr, f.flags);
                if (res != -Errno.EINPROGRESS.number() || !mayBlock) {
                    return res;
                }
                inProgress = true;
            }
            if ((s.ops().poll() & (POLLOUT | POLLERR | POLLHUP)) != 0) {
                inProgress = false;
                return s.ops().connectResult();
            }
            return mayBlock ? EAGAIN : -Errno.EINPROGRESS.number();
        }

        @Override
        public String call() {
            return Process.connectCall(fd, addr);
        }
    }

    /** {@code send}/{@code sendto}/{@code write}: on a blocking stream socket, until all is queued. */
    static final class Send extends BlockingCall {
        private final MsgHdr msg = new MsgHdr();
        private boolean write;
        private byte[] buf;
        private int off;
        private int len;
        private int flags;
        private SockAddr to;
        /** Bytes queued so far. */
        int total;
        /** The socket is SOCK_STREAM (EPIPE raises SIGPIPE). */
        boolean stream;

        Send(SocketCalls calls) {
            super(calls);
        }

        void setUp(boolean write, int fd, byte[] buf, int off, int len, int flags, SockAddr to) {
            arm(fd, (flags & MSG_DONTWAIT) != 0, true);
            this.write = write;
            this.buf = buf;
            this.off = off;
            this.len = len;
            this.flags = flags;
            this.to = to;
            this.total = 0;
            this.stream = false;
        }

        @Override
        void done() {
            buf = null;
            to = null;
            msg.set(NO_BYTES, 0, 0, null);
            super.done();
        }

        @Override
        int attempt(Socket s, boolean mayBlock) {
            stream = s.type() == SOCK_STREAM;
            msg.set(buf, off + total, len - total, to);
            int res = s.ops().sendmsg(msg, mayBlock ? flags : flags | MSG_DONTWAIT);
            if (res < 0) {
                return total > 0 && res != EAGAIN ? total : res;
            }
            total += res;
            if (stream && mayBlock && total < len) {
                return EAGAIN;
            }
            return total;
        }

        @Override
        public String call() {
            return write ? Process.writeCall(fd, len) : Process.sendCall(fd, len, flags, to);
        }
    }

    /** {@code recv}/{@code recvfrom}/{@code read}: with MSG_WAITALL on a stream, until {@code len} bytes. */
    static final class Recv extends BlockingCall {
        /** The header of a plain {@code recv}/{@code read} into an array (recvmsg brings its own). */
        final MsgHdr own = new MsgHdr();
        private boolean read;
        private MsgHdr msg;
        byte[] buf;
        int off;
        int len;
        private int flags;
        /** Bytes copied so far. */
        int total;
        /** The sender, from the last try that named one. */
        SockAddr from;
        /** MSG_TRUNC and the like, from every try. */
        int msgFlags;

        Recv(SocketCalls calls) {
            super(calls);
        }

        void setUp(boolean read, int fd, MsgHdr msg, int flags) {
            arm(fd, (flags & MSG_DONTWAIT) != 0, false);
            this.read = read;
            this.msg = msg;
            this.buf = msg.buf;
            this.off = msg.off;
            this.len = msg.len;
            this.flags = flags;
            this.total = 0;
            this.from = null;
            this.msgFlags = 0;
        }

        @Override
        void done() {
            msg = null;
            buf = null;
            from = null;
            own.set(NO_BYTES, 0, 0, null);
            super.done();
        }

        @Override
        int attempt(Socket s, boolean mayBlock) {
            msg.set(buf, off + total, len - total, null);
            int res = s.ops().recvmsg(msg, mayBlock ? flags : flags | MSG_DONTWAIT);
            if (msg.name != null) {
                from = msg.name;
            }
            msgFlags |= msg.flags;
            if (res < 0) {
                return total > 0 && res != EAGAIN ? total : res;
            }
            total += res;
            boolean waitAll = (flags & (MSG_WAITALL | MSG_PEEK)) == MSG_WAITALL && s.type() == SOCK_STREAM;
            if (waitAll && mayBlock && res > 0 && total < len) {
                return EAGAIN;
            }
            return total;
        }

        @Override
        public String call() {
            return read ? Process.readCall(fd, len) : Process.recvCall(fd, len, flags);
        }
    }
}
