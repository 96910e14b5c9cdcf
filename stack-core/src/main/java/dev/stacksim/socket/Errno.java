package dev.stacksim.socket;

/**
 * Linux error numbers (x86-64, {@code include/uapi/asm-generic/errno*.h}) with glibc's
 * {@code strerror} texts: what a failing socket call returns in {@code errno}.
 *
 * <p>{@code EWOULDBLOCK} is {@link #EAGAIN} and {@code ENOTSUP} is {@link #EOPNOTSUPP} on Linux,
 * as here.
 */
public enum Errno {
    /** 1: not the owner. */
    EPERM(1, "Operation not permitted"),
    /** 2: no such file (an AF_UNIX path that does not exist). */
    ENOENT(2, "No such file or directory"),
    /** 4: a blocking call was interrupted. */
    EINTR(4, "Interrupted system call"),
    /** 5: I/O error. */
    EIO(5, "Input/output error"),
    /** 9: the descriptor is not open. */
    EBADF(9, "Bad file descriptor"),
    /** 11: a non-blocking call would block (also EWOULDBLOCK). */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** 12: out of memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** 13: permission denied (a port below 1024 without privilege). */
    EACCES(13, "Permission denied"),
    /** 14: a bad user pointer. */
    EFAULT(14, "Bad address"),
    /** 17: the file exists (an AF_UNIX path already bound). */
    EEXIST(17, "File exists"),
    /** 20: a path component is not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** 22: an invalid argument (bind on a bound socket, accept on a non-listener, bad shutdown how). */
    EINVAL(22, "Invalid argument"),
    /** 23: the system-wide file table is full. */
    ENFILE(23, "Too many open files in system"),
    /** 24: the process's descriptor table is full (RLIMIT_NOFILE). */
    EMFILE(24, "Too many open files"),
    /** 25: an ioctl the file does not know ({@code ENOIOCTLCMD} as user space sees it). */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** 29: seek on a socket. */
    ESPIPE(29, "Illegal seek"),
    /** 32: write to a connection that can no longer be written (SIGPIPE unless MSG_NOSIGNAL). */
    EPIPE(32, "Broken pipe"),
    /** 36: an AF_UNIX path longer than sun_path. */
    ENAMETOOLONG(36, "File name too long"),
    /** 38: the call is not implemented. */
    ENOSYS(38, "Function not implemented"),
    /** 64: the host is not on the network (ICMP host isolated, {@code icmp_err_convert}). */
    ENONET(64, "Machine is not on the network"),
    /** 71: a protocol error (ICMP parameter problem reported to a UDP socket). */
    EPROTO(71, "Protocol error"),
    /** 88: a socket call on a descriptor that is not a socket. */
    ENOTSOCK(88, "Socket operation on non-socket"),
    /** 89: send on an unconnected datagram socket without an address. */
    EDESTADDRREQ(89, "Destination address required"),
    /** 90: a datagram larger than the socket can send. */
    EMSGSIZE(90, "Message too long"),
    /** 91: a protocol that does not fit the socket type. */
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    /** 92: an unknown socket option or level. */
    ENOPROTOOPT(92, "Protocol not available"),
    /** 93: an unknown protocol for the family. */
    EPROTONOSUPPORT(93, "Protocol not supported"),
    /** 94: a socket type the family does not support. */
    ESOCKTNOSUPPORT(94, "Socket type not supported"),
    /** 95: an operation the socket type does not support (listen on UDP; also ENOTSUP). */
    EOPNOTSUPP(95, "Operation not supported"),
    /** 96: an unsupported protocol family. */
    EPFNOSUPPORT(96, "Protocol family not supported"),
    /** 97: an address of the wrong family, or an unsupported family in socket(). */
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    /** 98: the address and port are taken. */
    EADDRINUSE(98, "Address already in use"),
    /** 99: not a local address, or no ephemeral port left. */
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    /** 100: the network is down. */
    ENETDOWN(100, "Network is down"),
    /** 101: no route to the network. */
    ENETUNREACH(101, "Network is unreachable"),
    /** 102: the connection was dropped by a network reset. */
    ENETRESET(102, "Network dropped connection on reset"),
    /** 103: the connection was aborted locally. */
    ECONNABORTED(103, "Software caused connection abort"),
    /** 104: the peer reset the connection. */
    ECONNRESET(104, "Connection reset by peer"),
    /** 105: no buffer space. */
    ENOBUFS(105, "No buffer space available"),
    /** 106: connect on a connected or listening socket. */
    EISCONN(106, "Transport endpoint is already connected"),
    /** 107: the socket is not connected (recv, getpeername, shutdown on an unconnected socket). */
    ENOTCONN(107, "Transport endpoint is not connected"),
    /** 108: send after shutdown. */
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    /** 110: the connection timed out (SYN retries, keepalive, user timeout). */
    ETIMEDOUT(110, "Connection timed out"),
    /** 111: nobody listens there: the peer answered the SYN with a RST. */
    ECONNREFUSED(111, "Connection refused"),
    /** 112: the host is down. */
    EHOSTDOWN(112, "Host is down"),
    /** 113: no route to the host (ARP failed: ICMP host unreachable). */
    EHOSTUNREACH(113, "No route to host"),
    /** 114: a non-blocking connect is already in progress. */
    EALREADY(114, "Operation already in progress"),
    /** 115: a non-blocking connect has started. */
    EINPROGRESS(115, "Operation now in progress");

    private static final Errno[] BY_NUMBER = new Errno[116];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The Linux number ({@code errno}). */
    public int number() {
        return number;
    }

    /** glibc's {@code strerror} text. */
    public String text() {
        return text;
    }

    /** The errno with that Linux number, or {@code null} when this enum does not define it. */
    public static Errno of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** {@code EADDRINUSE (98) Address already in use}. */
    @Override
    public String toString() {
        return name() + " (" + number + ") " + text;
    }
}
