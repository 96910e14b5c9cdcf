package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkbOwner;

/**
 * A socket as every protocol has it: Linux's {@code struct socket} together with the
 * protocol-independent part of {@code struct sock} (buffer sizes and their accounting, options,
 * the pending error, shutdown bits, the wait queue). The protocol's own state lives in its
 * {@link ProtoOps} instance, reached with {@link #ops()}.
 *
 * <pre>
 *   fd 3 ──► open file (refcount, O_NONBLOCK) ──► Socket (inode, options, wait queue) ──► ProtoOps
 *   fd 4 ──┘  (dup, fork share the open file)                                         (UnixStream, TcpSock)
 * </pre>
 *
 * <h2>Buffer accounting</h2>
 * {@link #wmem()} and {@link #rmem()} are {@link SkbOwner}s: an skb charged to {@code wmem()}
 * adds its truesize to {@link #wmemAlloc()} ({@code skb_set_owner_w}), and when it is freed the
 * socket calls {@link ProtoOps#writeSpace()} ({@code sock_wfree} → {@code sk_write_space}); the
 * receive side counts {@link #rmemAlloc()} the same way ({@code skb_set_owner_r}). Protocols
 * compare them with {@link #sndbuf()} and {@link #rcvbuf()}.
 *
 * <h2>Waking</h2>
 * A protocol calls {@link #dataReady()} when something can be read, {@link #writeSpace()} when
 * something can be written, {@link #stateChange()} when the state moved (connected, closed, error):
 * each wakes {@link #waitQueue()} with the matching poll key, which is what blocked callers,
 * {@code poll()} and epoll items wait on.
 *
 * <p>Only the event loop's thread touches a socket.
 */
public final class Socket {
    /** {@code sk_shutdown} bit: no more receiving. */
    public static final int RCV_SHUTDOWN = 1;
    /** {@code sk_shutdown} bit: no more sending. */
    public static final int SEND_SHUTDOWN = 2;
    /** Both shutdown bits. */
    public static final int SHUTDOWN_MASK = 3;
    /**
     * The smallest send buffer SO_SNDBUF can set: {@code SOCK_MIN_SNDBUF = 2 * (2048 + 256)};
     * observed on Linux 6.18: {@code setsockopt(SO_SNDBUF, 1)} reads back 4608.
     */
    public static final int SOCK_MIN_SNDBUF = 4608;
    /** The smallest receive buffer: {@code SOCK_MIN_RCVBUF = 2048 + 256}; SO_RCVBUF 1 reads back 2304. */
    public static final int SOCK_MIN_RCVBUF = 2304;
    /** A timeout that never expires ({@code MAX_SCHEDULE_TIMEOUT}): the default of SO_RCVTIMEO/SO_SNDTIMEO. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final SocketLayer layer;
    private final int family;
    private int type;
    private int protocol;
    private final int ownerUid;
    /** The inode number, {@code socket:[N]}; 0 until the socket gets an open file. */
    private int inode;
    private ProtoOps ops;
    private final WaitQueue waitQueue = new WaitQueue();

    private boolean reuseAddr;
    private boolean reusePort;
    private boolean keepAlive;
    private boolean broadcast;
    private int rcvbuf;
    private int sndbuf;
    private boolean rcvbufLocked;
    private boolean sndbufLocked;
    private Linger linger = Linger.OFF;
    /** SO_RCVTIMEO in nanoseconds; {@link #NO_TIMEOUT} for none, 0 for "never wait". */
    private long rcvTimeo = NO_TIMEOUT;
    private long sndTimeo = NO_TIMEOUT;
    /** The pending error ({@code sk_err}), an errno number or 0. */
    private int err;
    private int shutdown;
    private int wmemAlloc;
    private int rmemAlloc;
    private boolean released;
    /** Set by an operation returning -EAGAIN: the queue whose wake-up lets it retry. */
    private WaitQueue blockOn;
    /** Set by an operation returning an -EAGAIN that no wake-up can cure: return it at once. */
    private boolean noWait;

    private final SkbOwner wmemOwner = new SkbOwner() {
        @Override
        public void charge(SkBuff skb, int truesize) {
            wmemAlloc += truesize;
        }

        @Override
        public void uncharge(SkBuff skb, int truesize) {
            wmemAlloc -= truesize;
            if (ops != null && !released) {
                ops.writeSpace();
            }
        }
    };

    private final SkbOwner rmemOwner = new SkbOwner() {
        @Override
        public void charge(SkBuff skb, int truesize) {
            rmemAlloc += truesize;
        }

        @Override
        public void uncharge(SkBuff skb, int truesize) {
            rmemAlloc -= truesize;
        }
    };

    /**
     * A new socket with the layer's default buffer sizes ({@code sock_init_data}); its family's
     * {@link ProtocolFamily#create} installs the ops. A protocol making a child (an accepted
     * connection) calls this too, then {@link #inheritFrom}.
     *
     * @param ownerUid the uid of the creating process (SO_REUSEPORT's same-owner rule)
     */
    public Socket(SocketLayer layer, int family, int type, int protocol, int ownerUid) {
        this.layer = layer;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.ownerUid = ownerUid;
        SocketLayer.Config c = layer.config();
        this.rcvbuf = c.rmemDefault();
        this.sndbuf = c.wmemDefault();
    }

    /**
     * Sets the protocol's default buffer sizes, unless SO_SNDBUF/SO_RCVBUF locked them: TCP's
     * {@code tcp_init_sock} uses {@code net.ipv4.tcp_wmem[1]} and {@code tcp_rmem[1]} instead of
     * the {@code net.core} defaults.
     */
    public void setBufferDefaults(int sndbuf, int rcvbuf) {
        if (!sndbufLocked) {
            this.sndbuf = sndbuf;
        }
        if (!rcvbufLocked) {
            this.rcvbuf = rcvbuf;
        }
    }

    /**
     * TCP's auto-tuning grows the buffers ({@code tcp_sndbuf_expand}, {@code tcp_rcv_space_adjust}),
     * never past what SO_SNDBUF/SO_RCVBUF locked, and never shrinks them here.
     */
    public void autotune(int sndbuf, int rcvbuf) {
        if (!sndbufLocked && sndbuf > this.sndbuf) {
            this.sndbuf = sndbuf;
        }
        if (!rcvbufLocked && rcvbuf > this.rcvbuf) {
            this.rcvbuf = rcvbuf;
        }
    }

    /** Copies the options a child inherits from its listener ({@code sk_clone_lock}). */
    public void inheritFrom(Socket parent) {
        reuseAddr = parent.reuseAddr;
        keepAlive = parent.keepAlive;
        broadcast = parent.broadcast;
        rcvbuf = parent.rcvbuf;
        sndbuf = parent.sndbuf;
        rcvbufLocked = parent.rcvbufLocked;
        sndbufLocked = parent.sndbufLocked;
        linger = parent.linger;
        rcvTimeo = parent.rcvTimeo;
        sndTimeo = parent.sndTimeo;
    }

    // ---------------------------------------------------------------- identity

    /** The socket layer (host) this socket lives in. */
    public SocketLayer layer() {
        return layer;
    }

    /** The address family (SO_DOMAIN). */
    public int family() {
        return family;
    }

    /** The socket type (SO_TYPE). */
    public int type() {
        return type;
    }

    /** Changes the type during {@link ProtocolFamily#create}: AF_UNIX makes SOCK_RAW a SOCK_DGRAM, as Linux. */
    public void setType(int type) {
        this.type = type;
    }

    /** The protocol number (SO_PROTOCOL): as given to socket(), or what the family resolved 0 to. */
    public int protocol() {
        return protocol;
    }

    /**
     * Sets the protocol during {@link ProtocolFamily#create}: {@code inet_create} resolves
     * protocol 0 to the type's default, so SO_PROTOCOL of {@code socket(AF_INET, SOCK_DGRAM, 0)}
     * reads 17.
     */
    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    /** The uid of the process that created the socket ({@code sock_i_uid}). */
    public int ownerUid() {
        return ownerUid;
    }

    /** The inode number shown as {@code socket:[N]}; 0 while no file refers to the socket. */
    public int inode() {
        return inode;
    }

    void setInode(int inode) {
        this.inode = inode;
    }

    /** The protocol operations; null only before {@link ProtocolFamily#create}. */
    public ProtoOps ops() {
        return ops;
    }

    /** Installs the protocol operations (from {@link ProtocolFamily#create} or for an accepted child). */
    public void setOps(ProtoOps ops) {
        this.ops = ops;
    }

    /** The queue that blocked callers, poll and epoll wait on ({@code sk_sleep(sk)}). */
    public WaitQueue waitQueue() {
        return waitQueue;
    }

    /** Whether the last file reference is gone and {@link ProtoOps#release()} ran. */
    public boolean isReleased() {
        return released;
    }

    void markReleased() {
        released = true;
    }

    // ---------------------------------------------------------------- waking

    /** Wakes readers ({@code sock_def_readable}): key POLLIN | POLLRDNORM. */
    public void dataReady() {
        waitQueue.wakeUp(POLLIN | POLLRDNORM | POLLRDBAND);
    }

    /** Wakes writers ({@code sk_stream_write_space}): key POLLOUT | POLLWRNORM | POLLWRBAND. */
    public void writeSpace() {
        waitQueue.wakeUp(POLLOUT | POLLWRNORM | POLLWRBAND);
    }

    /** Wakes everybody ({@code sock_def_wakeup}, {@code sk_state_change}): key 0 matches all. */
    public void stateChange() {
        waitQueue.wakeUp(0);
    }

    /**
     * Names the queue a blocked caller should wait on before the operation returns -EAGAIN, when it
     * is not this socket's own: an AF_UNIX sender waits on the full receiver's {@code peer_wait}.
     */
    public void blockOn(WaitQueue queue) {
        this.blockOn = queue;
    }

    /**
     * Says that the -EAGAIN the operation is about to return must reach the caller at once, even
     * on a blocking socket: Linux answers EAGAIN without sleeping when {@code inet_autobind} finds
     * no free ephemeral port, and no wake-up would change that.
     */
    public void doNotWait() {
        this.noWait = true;
    }

    /**
     * The queue named by {@link #blockOn} since the last call, or this socket's own; null after
     * {@link #doNotWait()} (the caller then does not wait). Clears both.
     */
    WaitQueue takeBlockOn() {
        WaitQueue q = noWait ? null : blockOn != null ? blockOn : waitQueue;
        blockOn = null;
        noWait = false;
        return q;
    }

    // ---------------------------------------------------------------- state shared by all protocols

    /** The pending error without clearing it ({@code sk->sk_err}); 0 for none. */
    public int error() {
        return err;
    }

    /** Sets the pending error (e.g. ECONNRESET) and wakes everybody ({@code sk_error_report}). */
    public void setError(Errno errno) {
        this.err = errno.number();
        waitQueue.wakeUp(POLLERR);
    }

    /** Takes the pending error and clears it ({@code sock_error}): what SO_ERROR reads; 0 for none. */
    public int takeError() {
        int e = err;
        err = 0;
        return e;
    }

    /** The shutdown bits, {@link #RCV_SHUTDOWN} and {@link #SEND_SHUTDOWN} ({@code sk_shutdown}). */
    public int shutdownBits() {
        return shutdown;
    }

    /** Clears the shutdown bits ({@code tcp_disconnect} makes a socket usable again). */
    public void clearShutdown() {
        shutdown = 0;
    }

    /** Adds shutdown bits. */
    public void addShutdown(int bits) {
        shutdown |= bits & SHUTDOWN_MASK;
    }

    /** Send-buffer memory in use: truesize of skbs charged to {@link #wmem()} ({@code sk_wmem_alloc}). */
    public int wmemAlloc() {
        return wmemAlloc;
    }

    /** Receive-buffer memory in use ({@code sk_rmem_alloc}). */
    public int rmemAlloc() {
        return rmemAlloc;
    }

    /** The owner to charge sent skbs to ({@code skb_set_owner_w}). */
    public SkbOwner wmem() {
        return wmemOwner;
    }

    /** The owner to charge received skbs to ({@code skb_set_owner_r}). */
    public SkbOwner rmem() {
        return rmemOwner;
    }

    // ---------------------------------------------------------------- options (sk_setsockopt)

    /** SO_REUSEADDR. */
    public boolean reuseAddr() {
        return reuseAddr;
    }

    /** SO_REUSEPORT. */
    public boolean reusePort() {
        return reusePort;
    }

    /** SO_KEEPALIVE. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** SO_BROADCAST ({@code SOCK_BROADCAST}): datagrams may be sent to a broadcast address. */
    public boolean broadcast() {
        return broadcast;
    }

    /** The receive buffer limit in bytes, already doubled ({@code sk_rcvbuf}). */
    public int rcvbuf() {
        return rcvbuf;
    }

    /** The send buffer limit in bytes, already doubled ({@code sk_sndbuf}). */
    public int sndbuf() {
        return sndbuf;
    }

    /** Whether SO_RCVBUF was set by the user ({@code SOCK_RCVBUF_LOCK}): TCP then stops auto-tuning. */
    public boolean rcvbufLocked() {
        return rcvbufLocked;
    }

    /** Whether SO_SNDBUF was set by the user ({@code SOCK_SNDBUF_LOCK}). */
    public boolean sndbufLocked() {
        return sndbufLocked;
    }

    /** SO_LINGER. */
    public Linger linger() {
        return linger;
    }

    /** SO_RCVTIMEO in nanoseconds of simulation time; {@link #NO_TIMEOUT} when unset. */
    public long rcvTimeoNanos() {
        return rcvTimeo;
    }

    /** SO_SNDTIMEO in nanoseconds of simulation time; {@link #NO_TIMEOUT} when unset. */
    public long sndTimeoNanos() {
        return sndTimeo;
    }

    /**
     * SOL_SOCKET integer options, as {@code sk_setsockopt}: 0 or -errno. Buffer sizes double the
     * value after clamping it (as unsigned) to rmem_max/wmem_max, with SOCK_MIN_* floors.
     */
    int setInt(int optname, int val) {
        boolean on = val != 0;
        switch (optname) {
            case SO_REUSEADDR -> reuseAddr = on;
            case SO_REUSEPORT -> {
                // sk_setsockopt: "if (valbool && !sk_is_inet(sk)) ret = -EOPNOTSUPP"
                if (on && family != AF_INET) {
                    return -Errno.EOPNOTSUPP.number();
                }
                reusePort = on;
            }
            case SO_KEEPALIVE -> keepAlive = on;
            case SO_BROADCAST -> broadcast = on;
            case SO_SNDBUF -> {
                long v = Integer.toUnsignedLong(val);
                // sk_setsockopt: min_t(u32, val, max) then min_t(int, val, INT_MAX / 2) before doubling
                long clamped = Math.min(Math.min(v, layer.config().wmemMax()), Integer.MAX_VALUE / 2);
                sndbufLocked = true;
                sndbuf = (int) Math.max(clamped * 2, SOCK_MIN_SNDBUF);
                if (ops != null) {
                    // sk_setsockopt calls sk->sk_write_space: a bigger buffer may unblock a writer
                    ops.writeSpace();
                }
            }
            case SO_RCVBUF -> {
                long v = Integer.toUnsignedLong(val);
                // sk_setsockopt: min_t(u32, val, max) then min_t(int, val, INT_MAX / 2) before doubling
                long clamped = Math.min(Math.min(v, layer.config().rmemMax()), Integer.MAX_VALUE / 2);
                rcvbufLocked = true;
                rcvbuf = (int) Math.max(clamped * 2, SOCK_MIN_RCVBUF);
            }
            case SO_TYPE, SO_ERROR, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN -> {
                return -Errno.ENOPROTOOPT.number();
            }
            case SO_LINGER, SO_RCVTIMEO, SO_SNDTIMEO -> {
                // these take a struct; an int is too short (optlen < sizeof), as Linux answers
                return -Errno.EINVAL.number();
            }
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        if (ops != null) {
            ops.socketOptionChanged(optname);
        }
        return 0;
    }

    /** SOL_SOCKET integer options, as {@code sk_getsockopt}: the value in {@code out[0]}; 0 or -errno. */
    int getInt(int optname, int[] out) {
        switch (optname) {
            case SO_REUSEADDR -> out[0] = reuseAddr ? 1 : 0;
            case SO_REUSEPORT -> out[0] = reusePort ? 1 : 0;
            case SO_KEEPALIVE -> out[0] = keepAlive ? 1 : 0;
            case SO_BROADCAST -> out[0] = broadcast ? 1 : 0;
            case SO_SNDBUF -> out[0] = sndbuf;
            case SO_RCVBUF -> out[0] = rcvbuf;
            case SO_TYPE -> out[0] = type;
            case SO_DOMAIN -> out[0] = family;
            case SO_PROTOCOL -> out[0] = protocol;
            case SO_ERROR -> out[0] = takeError();
            case SO_ACCEPTCONN -> out[0] = ops != null && ops.isListening() ? 1 : 0;
            // sk_getsockopt copies min(len, sizeof) bytes: an int reads the struct's first field,
            // l_onoff of the linger, tv_sec of the timeout (on a little-endian 64-bit host).
            case SO_LINGER -> out[0] = linger.onoff();
            case SO_RCVTIMEO -> out[0] = rcvTimeo == NO_TIMEOUT ? 0 : (int) (rcvTimeo / 1_000_000_000L);
            case SO_SNDTIMEO -> out[0] = sndTimeo == NO_TIMEOUT ? 0 : (int) (sndTimeo / 1_000_000_000L);
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    /** SO_LINGER: Linux keeps {@code l_onoff} as a flag, so any non-zero value reads back as 1. */
    void setLinger(Linger value) {
        linger = new Linger(value.onoff() != 0 ? 1 : 0, value.linger());
        if (ops != null) {
            ops.socketOptionChanged(SO_LINGER);
        }
    }

    /**
     * SO_RCVTIMEO/SO_SNDTIMEO ({@code sock_set_timeout}): zero means no timeout; a negative value
     * makes the timeout 0 (the call then never waits), which is what Linux does with a negative
     * {@code tv_sec}.
     */
    void setTimeo(int optname, long nanos) {
        long v = nanos == 0 ? NO_TIMEOUT : Math.max(nanos, 0);
        if (optname == SO_RCVTIMEO) {
            rcvTimeo = v;
        } else {
            sndTimeo = v;
        }
    }

    @Override
    public String toString() {
        return "Socket[inode=" + inode + " family=" + family + " type=" + type + " protocol=" + protocol
                + (ops != null ? " " + ops.describeState() : "") + "]";
    }
}
