package dev.stacksim.socket;

/**
 * What a protocol does for one socket: the seam between the generic socket layer ({@link Process},
 * {@link Socket}) and a protocol family, modelled on Linux's {@code struct proto_ops}
 * ({@code include/linux/net.h}). AF_UNIX implements it in {@code dev.stacksim.socket.unix}; TCP
 * and UDP implement it for AF_INET.
 *
 * <h2>One instance per socket</h2>
 * Linux shares one ops table per protocol and reaches the per-socket state through
 * {@code sock->sk}; here the instance is both: a {@code TcpSock implements ProtoOps} holds the TCB
 * and is installed on its {@link Socket} with {@link Socket#setOps}. {@link #socket()} leads back.
 *
 * <h2>The contract</h2>
 * <ul>
 *   <li><b>Return values are kernel-style</b>: {@code >= 0} is success (a byte count where there is
 *       one), a negative value is {@code -errno} ({@code -Errno.EINVAL.number()}). No exceptions
 *       for errno cases: a non-blocking server loops on EAGAIN, and that must cost nothing. The
 *       generic layer turns {@code -errno} into an {@link ErrnoException} naming the call.</li>
 *   <li><b>Operations never block.</b> Where Linux would sleep ({@code sk_wait_data},
 *       {@code sock_wait_for_wmem}, {@code inet_wait_for_connect}), return {@code -EAGAIN}
 *       (for connect: {@code -EINPROGRESS}, see {@link #connect}). The generic layer then waits, in
 *       virtual or real time, honouring O_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO/SO_SNDTIMEO, until a
 *       wake-up of the socket's {@link WaitQueue} (or the queue named with
 *       {@link Socket#blockOn}) and calls the operation again. So every state change that could
 *       unblock a caller must wake a queue: {@link Socket#dataReady()}, {@link Socket#writeSpace()},
 *       {@link Socket#stateChange()}. When the caller will not wait (O_NONBLOCK, MSG_DONTWAIT, a
 *       spent timeout), {@link #sendmsg}/{@link #recvmsg} see MSG_DONTWAIT in their flags, as
 *       {@code __sys_recvfrom} adds it for an O_NONBLOCK file, for the few answers that differ
 *       (an AF_UNIX datagram recv after SHUT_RD: EAGAIN without waiting, 0 with).</li>
 *   <li><b>Stream loops are generic</b>: a blocking {@code send} on a SOCK_STREAM socket calls
 *       {@link #sendmsg} again with the rest until all is queued; {@code MSG_WAITALL} likewise
 *       calls {@link #recvmsg} until the buffer is full, EOF or an error. A partial count is a
 *       valid answer of both.</li>
 *   <li>Options of level SOL_SOCKET are handled generically on {@link Socket} (Linux
 *       {@code sk_setsockopt}); other levels come to {@link #setsockopt}/{@link #getsockopt}.</li>
 *   <li>Everything runs on the event loop's thread.</li>
 * </ul>
 */
public interface ProtoOps {
    /** The socket these operations belong to. */
    Socket socket();

    /** Binds to {@code addr} ({@code proto_ops.bind}): 0 or -errno (EINVAL when bound, EADDRINUSE ...). */
    int bind(SockAddr addr);

    /**
     * Connects to {@code addr} ({@code proto_ops.connect}). Returns 0 when connected,
     * {@code -EINPROGRESS} when the connection is under way (TCP's SYN sent; then the generic layer
     * of a blocking socket waits until {@link #poll} shows POLLOUT, POLLERR or POLLHUP and returns
     * {@link #connectResult()}), {@code -EAGAIN} to be called again after a wake-up (AF_UNIX with
     * a full backlog), or another -errno.
     *
     * @param addr       the peer
     * @param fileFlags  the open file's status flags (O_NONBLOCK), as Linux passes {@code file->f_flags}
     */
    int connect(SockAddr addr, int fileFlags);

    /**
     * The outcome of a connect that returned {@code -EINPROGRESS}, once the socket became writable
     * or failed: 0 or -errno. The default takes the pending error ({@code sock_error}), as
     * {@code inet_stream_connect} does.
     */
    default int connectResult() {
        int err = socket().takeError();
        return err == 0 ? 0 : -err;
    }

    /** Starts listening with {@code backlog} already clamped to somaxconn: 0 or -errno (EINVAL, EOPNOTSUPP). */
    int listen(int backlog);

    /**
     * Takes one connection off the accept queue ({@code proto_ops.accept}). On success stores the
     * new, fully set up {@link Socket} in {@code newSock[0]} (its ops installed, options inherited
     * with {@link Socket#inheritFrom}) and returns 0; the generic layer gives it an inode and a
     * file. Returns {@code -EAGAIN} when the queue is empty, EINVAL when not listening.
     */
    int accept(Socket[] newSock);

    /**
     * Queues {@code msg} for sending ({@code proto_ops.sendmsg}): the bytes sent (a stream may take
     * part of them), or -errno (EAGAIN when there is no room, EPIPE, ENOTCONN, EMSGSIZE ...).
     * The generic layer counts SIGPIPE for EPIPE unless MSG_NOSIGNAL.
     */
    int sendmsg(MsgHdr msg, int flags);

    /**
     * Receives into {@code msg} ({@code proto_ops.recvmsg}): bytes copied (0 at EOF), or with
     * MSG_TRUNC on a datagram socket the datagram's real length; or -errno (EAGAIN when nothing is
     * queued). Sets {@code msg.name} and {@code msg.flags}.
     */
    int recvmsg(MsgHdr msg, int flags);

    /** Shuts down {@code how} (SHUT_RD, SHUT_WR, SHUT_RDWR): 0 or -errno (EINVAL for another value, ENOTCONN). */
    int shutdown(int how);

    /**
     * The last file reference went ({@code proto_ops.release}): close the protocol side (TCP sends
     * its FIN or RST), free queued skbs. Called once; never fails.
     */
    void release();

    /**
     * The current readiness mask ({@code proto_ops.poll} without the wait-table side, which the
     * generic layer handles on {@link Socket#waitQueue()}): POLLIN, POLLOUT, POLLERR, POLLHUP,
     * POLLRDHUP with their RDNORM/WRNORM companions, as the Linux protocol computes them.
     */
    int poll();

    /**
     * The local ({@code peer == false}) or remote address ({@code proto_ops.getname}); null for a
     * peer that is not connected (ENOTCONN).
     */
    SockAddr getname(boolean peer);

    /** Whether the socket is listening: SO_ACCEPTCONN, and what accept() requires. */
    boolean isListening();

    /**
     * Bytes a FIONREAD ({@code SIOCINQ}) would report, or -errno: EINVAL on a listener, as Linux.
     */
    int inq();

    /**
     * Bytes a SIOCOUTQ would report ({@code tcp_ioctl}: queued and not yet acknowledged,
     * {@code write_seq - snd_una}), or -errno. Protocols without a send queue answer ENOTTY.
     */
    default int outq() {
        return -Errno.ENOTTY.number();
    }

    /**
     * The state for error messages and {@code /proc}: {@code "LISTEN, accept queue empty"},
     * {@code "ESTABLISHED, receive queue empty"}.
     */
    String describeState();

    /** Sets an option of a level other than SOL_SOCKET: 0 or -errno; default EOPNOTSUPP (Linux for AF_UNIX). */
    default int setsockopt(int level, int optname, int value) {
        return -Errno.EOPNOTSUPP.number();
    }

    /** Reads an option of a level other than SOL_SOCKET into {@code value[0]}: 0 or -errno; default EOPNOTSUPP. */
    default int getsockopt(int level, int optname, int[] value) {
        return -Errno.EOPNOTSUPP.number();
    }

    /**
     * Sets an option whose value is a string ({@code TCP_CONGESTION}): 0 or -errno; by default
     * what {@link #setsockopt(int, int, int)} answers for the option (an int option given a string
     * is EINVAL, an unknown one ENOPROTOOPT or EOPNOTSUPP).
     */
    default int setsockoptString(int level, int optname, String value) {
        int known = getsockopt(level, optname, new int[1]);
        return known == 0 ? -Errno.EINVAL.number() : known;
    }

    /** Reads an option whose value is a string into {@code value[0]}: 0 or -errno. */
    default int getsockoptString(int level, int optname, String[] value) {
        int known = getsockopt(level, optname, new int[1]);
        return known == 0 ? -Errno.EINVAL.number() : known;
    }

    /**
     * A SOL_SOCKET option changed that the protocol may act on: SO_KEEPALIVE starts TCP's
     * keepalive timer ({@code sk->sk_prot->keepalive}), SO_RCVBUF changes the window.
     */
    default void socketOptionChanged(int optname) {
    }

    /**
     * Send-buffer memory was freed ({@code sk->sk_write_space}): wake writers if the socket counts
     * as writable again. The default is {@code sock_def_write_space}: at most half of SO_SNDBUF in use.
     */
    default void writeSpace() {
        Socket s = socket();
        if ((s.wmemAlloc() << 1) <= s.sndbuf()) {
            s.writeSpace();
        }
    }

    /**
     * Connects this new socket with {@code other} of the same family and type, for
     * {@code socketpair()}: 0 or -errno; default EOPNOTSUPP (AF_INET has no socketpair).
     */
    default int socketpair(ProtoOps other) {
        return -Errno.EOPNOTSUPP.number();
    }
}
