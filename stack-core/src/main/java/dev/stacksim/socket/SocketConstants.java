package dev.stacksim.socket;

/**
 * The C constants of the socket API under their C names and with their Linux x86-64 values, so
 * that code reads like the C it models: {@code socket(AF_INET, SOCK_STREAM, 0)}. Import statically.
 */
public final class SocketConstants {
    private SocketConstants() {
    }

    // ---- address families (socket.h)
    /** Unspecified: {@code connect()} with it dissolves a datagram socket's association. */
    public static final int AF_UNSPEC = 0;
    /** Local sockets within a host (also AF_LOCAL). */
    public static final int AF_UNIX = 1;
    /** Synonym of {@link #AF_UNIX}. */
    public static final int AF_LOCAL = AF_UNIX;
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6 (not supported: socket() answers EAFNOSUPPORT). */
    public static final int AF_INET6 = 10;
    /** One past the highest family number Linux knows; socket() answers EAFNOSUPPORT at or above it. */
    public static final int NPROTO = 46;

    // ---- socket types, and flags or-ed into the type
    /** A connected, reliable byte stream: TCP for AF_INET. */
    public static final int SOCK_STREAM = 1;
    /** Datagrams: UDP for AF_INET, reliable and ordered for AF_UNIX. */
    public static final int SOCK_DGRAM = 2;
    /** Raw IP. */
    public static final int SOCK_RAW = 3;
    /** Reliable datagrams with boundaries over a connection (AF_UNIX). */
    public static final int SOCK_SEQPACKET = 5;
    /** One past the highest socket type; socket() answers EINVAL at or above it. */
    public static final int SOCK_MAX = 11;
    /** The bits of the type argument that hold the type; the rest are flags. */
    public static final int SOCK_TYPE_MASK = 0xf;
    /** Or-ed into the type: the new socket is non-blocking (O_NONBLOCK). */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Or-ed into the type: close the descriptor on exec (FD_CLOEXEC). */
    public static final int SOCK_CLOEXEC = 0x80000;

    // ---- protocols
    /** The default protocol for the type. */
    public static final int IPPROTO_IP = 0;
    /** TCP. */
    public static final int IPPROTO_TCP = 6;
    /** UDP. */
    public static final int IPPROTO_UDP = 17;
    /** ICMP (with SOCK_DGRAM: a ping socket). */
    public static final int IPPROTO_ICMP = 1;
    /** Raw IP packets (with SOCK_RAW: the caller writes the IP header). */
    public static final int IPPROTO_RAW = 255;
    /** One past the largest protocol number socket(AF_INET, ...) accepts (262 is MPTCP). */
    public static final int IPPROTO_MAX = 263;

    // ---- socket options, level SOL_IP (ip(7))
    /** The IP level of setsockopt/getsockopt ({@code IPPROTO_IP}). */
    public static final int SOL_IP = 0;
    /** IP_TOS: the TOS byte (DSCP and ECN) of datagrams sent. */
    public static final int IP_TOS = 1;
    /** IP_TTL: the TTL of datagrams sent; -1 restores {@code net.ipv4.ip_default_ttl}. */
    public static final int IP_TTL = 2;
    /** IP_RECVERR: report every ICMP error to the socket (SO_ERROR), connected or not. */
    public static final int IP_RECVERR = 11;

    // ---- socket options, level SOL_UDP
    /** The UDP level of setsockopt/getsockopt. */
    public static final int SOL_UDP = 17;

    // ---- socket options, level SOL_SOCKET
    /** The socket level of setsockopt/getsockopt. */
    public static final int SOL_SOCKET = 1;
    /** Allow binding a port held by a non-listening socket (TIME_WAIT): see inet_bind_conflict. */
    public static final int SO_REUSEADDR = 2;
    /** getsockopt: the socket type. */
    public static final int SO_TYPE = 3;
    /** getsockopt: the pending error, cleared by reading it. */
    public static final int SO_ERROR = 4;
    /** Bypass routing. */
    public static final int SO_DONTROUTE = 5;
    /** Allow sending to broadcast addresses. */
    public static final int SO_BROADCAST = 6;
    /** Send buffer size; Linux doubles the value set. */
    public static final int SO_SNDBUF = 7;
    /** Receive buffer size; Linux doubles the value set. */
    public static final int SO_RCVBUF = 8;
    /** Send keepalive probes on an idle connection. */
    public static final int SO_KEEPALIVE = 9;
    /** Urgent data inline. */
    public static final int SO_OOBINLINE = 10;
    /** {onoff, linger}: how close() treats unsent data; {1, 0} resets. */
    public static final int SO_LINGER = 13;
    /** Let several sockets bind one address and port; listeners share connections by hash. */
    public static final int SO_REUSEPORT = 15;
    /** Receive low-water mark. */
    public static final int SO_RCVLOWAT = 18;
    /** Send low-water mark. */
    public static final int SO_SNDLOWAT = 19;
    /** Receive timeout, in virtual time here. */
    public static final int SO_RCVTIMEO = 20;
    /** Send timeout, in virtual time here. */
    public static final int SO_SNDTIMEO = 21;
    /** getsockopt: 1 when listening. */
    public static final int SO_ACCEPTCONN = 30;
    /** getsockopt: the protocol. */
    public static final int SO_PROTOCOL = 38;
    /** getsockopt: the family. */
    public static final int SO_DOMAIN = 39;

    // ---- TCP options, level IPPROTO_TCP (SOL_TCP)
    /** The TCP level of setsockopt/getsockopt. */
    public static final int SOL_TCP = IPPROTO_TCP;
    /** Disable Nagle's algorithm. */
    public static final int TCP_NODELAY = 1;
    /** The MSS. */
    public static final int TCP_MAXSEG = 2;
    /** Hold partial segments until uncorked. */
    public static final int TCP_CORK = 3;
    /** Idle time before the first keepalive probe, seconds. */
    public static final int TCP_KEEPIDLE = 4;
    /** Time between keepalive probes, seconds. */
    public static final int TCP_KEEPINTVL = 5;
    /** Probes before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    /** SYN retransmissions before connect() fails. */
    public static final int TCP_SYNCNT = 7;
    /** Orphaned FIN_WAIT2 lifetime, seconds. */
    public static final int TCP_LINGER2 = 8;
    /** Wake accept() only when data arrives. */
    public static final int TCP_DEFER_ACCEPT = 9;
    /** Clamp the advertised window. */
    public static final int TCP_WINDOW_CLAMP = 10;
    /** Connection information (struct tcp_info). */
    public static final int TCP_INFO = 11;
    /** Send ACKs at once instead of delaying them. */
    public static final int TCP_QUICKACK = 12;
    /** The congestion control algorithm by name. */
    public static final int TCP_CONGESTION = 13;
    /** Milliseconds unacknowledged data may wait before the connection is dropped. */
    public static final int TCP_USER_TIMEOUT = 18;

    // ---- send/recv flags
    /** Out-of-band data. */
    public static final int MSG_OOB = 0x1;
    /** Read without removing from the queue. */
    public static final int MSG_PEEK = 0x2;
    /** Bypass routing. */
    public static final int MSG_DONTROUTE = 0x4;
    /** recv: report a datagram's real length even when truncated. */
    public static final int MSG_TRUNC = 0x20;
    /** Do not block for this call only. */
    public static final int MSG_DONTWAIT = 0x40;
    /** End of record. */
    public static final int MSG_EOR = 0x80;
    /** recv: wait for the full amount. */
    public static final int MSG_WAITALL = 0x100;
    /** send: no SIGPIPE on a broken connection, just EPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** More data follows: do not push a partial segment yet ({@code MSG_MORE}, TCP and UDP corking per call). */
    public static final int MSG_MORE = 0x8000;

    // ---- shutdown
    /** Stop receiving. */
    public static final int SHUT_RD = 0;
    /** Stop sending: a FIN goes out. */
    public static final int SHUT_WR = 1;
    /** Both. */
    public static final int SHUT_RDWR = 2;

    // ---- fcntl and ioctl
    /** Access mode: read and write (what F_GETFL shows for a socket). */
    public static final int O_RDWR = 0x2;
    /** File status flag: non-blocking I/O. */
    public static final int O_NONBLOCK = 0x800;
    /** Open flag: close on exec. */
    public static final int O_CLOEXEC = 0x80000;
    /** fcntl: get the descriptor flags. */
    public static final int F_GETFD = 1;
    /** fcntl: set the descriptor flags. */
    public static final int F_SETFD = 2;
    /** fcntl: get the file status flags. */
    public static final int F_GETFL = 3;
    /** fcntl: set the file status flags. */
    public static final int F_SETFL = 4;
    /** Descriptor flag: close on exec. */
    public static final int FD_CLOEXEC = 1;
    /** ioctl: bytes waiting to be read. */
    public static final int FIONREAD = 0x541B;
    /** {@code ioctl} request: bytes in the send queue not yet acknowledged ({@code SIOCOUTQ}, {@code TIOCOUTQ}). */
    public static final int SIOCOUTQ = 0x5411;

    // ---- poll and epoll events (the low bits are shared)
    /** Readable (or a connection to accept). */
    public static final int POLLIN = 0x001;
    /** Urgent data. */
    public static final int POLLPRI = 0x002;
    /** Writable. */
    public static final int POLLOUT = 0x004;
    /** An error is pending. */
    public static final int POLLERR = 0x008;
    /** Hung up: both directions closed. */
    public static final int POLLHUP = 0x010;
    /** The descriptor is not open. */
    public static final int POLLNVAL = 0x020;
    /** Normal data readable (set with POLLIN by sockets). */
    public static final int POLLRDNORM = 0x040;
    /** Priority band data readable. */
    public static final int POLLRDBAND = 0x080;
    /** Normal data writable (set with POLLOUT by sockets). */
    public static final int POLLWRNORM = 0x100;
    /** Priority band data writable. */
    public static final int POLLWRBAND = 0x200;
    /** The peer shut down its writing side. */
    public static final int POLLRDHUP = 0x2000;
    /** epoll: readable. */
    public static final int EPOLLIN = POLLIN;
    /** epoll: urgent data. */
    public static final int EPOLLPRI = POLLPRI;
    /** epoll: writable. */
    public static final int EPOLLOUT = POLLOUT;
    /** epoll: error. */
    public static final int EPOLLERR = POLLERR;
    /** epoll: hang up. */
    public static final int EPOLLHUP = POLLHUP;
    /** epoll: peer shut down writing. */
    public static final int EPOLLRDHUP = POLLRDHUP;
    /** epoll: normal data readable. */
    public static final int EPOLLRDNORM = POLLRDNORM;
    /** epoll: normal data writable. */
    public static final int EPOLLWRNORM = POLLWRNORM;
    /** epoll: wake one waiter of several (for listeners shared by threads). */
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    /** epoll: disarm after one event. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** epoll: edge-triggered. */
    public static final int EPOLLET = 1 << 31;
    /** epoll_ctl: add a descriptor. */
    public static final int EPOLL_CTL_ADD = 1;
    /** epoll_ctl: remove a descriptor. */
    public static final int EPOLL_CTL_DEL = 2;
    /** epoll_ctl: change the events. */
    public static final int EPOLL_CTL_MOD = 3;
    /** epoll_create1: close on exec. */
    public static final int EPOLL_CLOEXEC = O_CLOEXEC;

    // ---- addresses
    /** {@code 0.0.0.0} as a host-order number. */
    public static final int INADDR_ANY = 0;
    /** {@code 127.0.0.1} as a host-order number. */
    public static final int INADDR_LOOPBACK = 0x7F00_0001;
    /** {@code 255.255.255.255}, the limited broadcast, as a host-order number. */
    public static final int INADDR_BROADCAST = 0xFFFF_FFFF;

    /**
     * The arguments of {@code socket(2)} as {@code strace} prints them:
     * {@code AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP}; unknown values as numbers.
     */
    public static String describeSocketArgs(int domain, int type, int protocol) {
        String d = switch (domain) {
            case AF_UNIX -> "AF_UNIX";
            case AF_INET -> "AF_INET";
            case AF_INET6 -> "AF_INET6";
            default -> Integer.toString(domain);
        };
        int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        String t = switch (base) {
            case SOCK_STREAM -> "SOCK_STREAM";
            case SOCK_DGRAM -> "SOCK_DGRAM";
            case SOCK_RAW -> "SOCK_RAW";
            case SOCK_SEQPACKET -> "SOCK_SEQPACKET";
            default -> Integer.toString(base);
        };
        if ((type & SOCK_NONBLOCK) != 0) {
            t += "|SOCK_NONBLOCK";
        }
        if ((type & SOCK_CLOEXEC) != 0) {
            t += "|SOCK_CLOEXEC";
        }
        String p = switch (protocol) {
            case IPPROTO_IP -> domain == AF_UNIX ? "0" : "IPPROTO_IP";
            case IPPROTO_TCP -> "IPPROTO_TCP";
            case IPPROTO_UDP -> "IPPROTO_UDP";
            default -> Integer.toString(protocol);
        };
        return d + ", " + t + ", " + p;
    }
}
