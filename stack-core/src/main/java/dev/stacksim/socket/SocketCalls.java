package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;


/**
 * The socket calls of one {@link Process}, as {@code net/socket.c} implements them: descriptor
 * lookup (EBADF, ENOTSOCK), argument checks in Linux's order, the protocol's {@link ProtoOps}, and
 * the generic waiting of blocking calls ({@link #blocking}). Every method returns a result
 * {@code >= 0} or {@code -errno}; {@link Process} turns the latter into {@link ErrnoException}.
 */
final class SocketCalls {
    private static final int EAGAIN = -Errno.EAGAIN.number();

    private final Process proc;
    private final SocketLayer layer;
    private final Blocking blocking;
    /**
     * The blocking calls' state, one of each kind, reused call after call in virtual time so that
     * a call allocates nothing; a call made while the same kind is in progress (from an event
     * callback during a wait) and every call in real time (several threads) take a fresh one.
     */
    private BlockingCall.Accept accept;
    private BlockingCall.Connect connect;
    private BlockingCall.Send send;
    private BlockingCall.Recv recv;
    /** socket()'s out-parameter: a kernel section runs one at a time on the loop's thread. */
    private final Socket[] created = new Socket[1];

    SocketCalls(Process proc, SocketLayer layer, Blocking blocking) {
        this.proc = proc;
        this.layer = layer;
        this.blocking = blocking;
    }

    Process proc() {
        return proc;
    }

    Blocking blockingSupport() {
        return blocking;
    }

    /** -EBADF or -ENOTSOCK for a descriptor that is not an open socket, else 0. */
    int lookupError(int fd) {
        OpenFile f = proc.table().get(fd);
        if (f == null) {
            return -Errno.EBADF.number();
        }
        return f.kind != OpenFile.Kind.SOCKET ? -Errno.ENOTSOCK.number() : 0;
    }

    /** The socket at {@code fd}, or null with -EBADF/-ENOTSOCK in {@code err[0]}. */
    Socket lookup(int fd, int[] err) {
        OpenFile f = proc.table().get(fd);
        if (f == null) {
            err[0] = -Errno.EBADF.number();
            return null;
        }
        if (f.kind != OpenFile.Kind.SOCKET) {
            err[0] = -Errno.ENOTSOCK.number();
            return null;
        }
        return f.socket;
    }

    /**
     * Runs {@code c}'s attempt until it gives something other than -EAGAIN, or the call may not
     * wait (then, as {@code __sys_recvfrom} does for an O_NONBLOCK file, send and recv pass
     * MSG_DONTWAIT on to the protocol): O_NONBLOCK on the file, MSG_DONTWAIT, a zero timeout, or
     * the timeout ran out (then one last try, as Linux re-checks after its wait returns). Waits on
     * the queue the attempt named with {@link Socket#blockOn}, else the socket's own.
     */
    int blocking(BlockingCall c) {
        c.begin();
        Blocking.Waiter w = c.waiter;
        while (true) {
            w.reset();
            int r = blocking.direct() ? c.getAsInt() : blocking.kernel(c);
            if (!w.isArmed()) {
                return r;
            }
            if (!blocking.sleep(w, c.deadline, c)) {
                c.last = true;
            }
        }
    }

    // ---------------------------------------------------------------- socket(), socketpair()

    /** {@code __sys_socket}: argument checks, then the family's create, then a descriptor. */
    int socket(int domain, int type, int protocol) {
        return blocking.direct() ? socketSection(domain, type, protocol)
                : blocking.kernel(() -> socketSection(domain, type, protocol));
    }

    private int socketSection(int domain, int type, int protocol) {
        Socket[] s = created;
        int r = create(domain, type, protocol, s);
        if (r < 0) {
            return r;
        }
        Socket sock = s[0];
        s[0] = null;
        int fd = proc.table().lowestFree();
        if (fd < 0) {
            sock.markReleased();
            sock.ops().release();
            return -Errno.EMFILE.number();
        }
        install(fd, sock, type);
        return fd;
    }

    /** {@code __sys_socketpair}: two descriptors first (EMFILE), then two sockets, then the family's pairing. */
    int socketpair(int domain, int type, int protocol, int[] sv) {
        return blocking.kernel(() -> {
            int flags = type & ~SOCK_TYPE_MASK;
            if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
                return -Errno.EINVAL.number();
            }
            FdTable t = proc.table();
            int fd1 = t.lowestFree();
            if (fd1 < 0) {
                return -Errno.EMFILE.number();
            }
            t.install(fd1, OpenFile.tty(), false); // reserve, as get_unused_fd_flags does
            int fd2 = t.lowestFree();
            t.remove(fd1);
            if (fd2 < 0) {
                return -Errno.EMFILE.number();
            }
            Socket[] a = new Socket[1];
            Socket[] b = new Socket[1];
            int r = create(domain, type, protocol, a);
            if (r < 0) {
                return r;
            }
            r = create(domain, type, protocol, b);
            if (r == 0) {
                r = a[0].ops().socketpair(b[0].ops());
            }
            if (r < 0) {
                for (Socket s : new Socket[] {a[0], b[0]}) {
                    if (s != null) {
                        s.markReleased();
                        s.ops().release();
                    }
                }
                return r;
            }
            install(fd1, a[0], type);
            install(fd2, b[0], type);
            sv[0] = fd1;
            sv[1] = fd2;
            return 0;
        });
    }

    /** {@code __sock_create}: EINVAL for flags, EAFNOSUPPORT, EINVAL for the type, then the family. */
    private int create(int domain, int type, int protocol, Socket[] out) {
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            return -Errno.EINVAL.number();
        }
        int t = type & SOCK_TYPE_MASK;
        if (domain < 0 || domain >= NPROTO) {
            return -Errno.EAFNOSUPPORT.number();
        }
        if (t >= SOCK_MAX) {
            return -Errno.EINVAL.number();
        }
        ProtocolFamily family = layer.family(domain);
        if (family == null) {
            return -Errno.EAFNOSUPPORT.number();
        }
        Socket s = new Socket(layer, domain, t, protocol, proc.uid());
        int r = family.create(s, t, protocol);
        if (r < 0) {
            return r;
        }
        out[0] = s;
        return 0;
    }

    /** Gives {@code s} an inode and an open file at {@code fd}, with the SOCK_* flags of {@code type}. */
    private void install(int fd, Socket s, int type) {
        s.setInode(layer.allocateInode());
        OpenFile f = OpenFile.socket(s);
        if ((type & SOCK_NONBLOCK) != 0) {
            f.flags |= O_NONBLOCK;
        }
        proc.table().install(fd, f, (type & SOCK_CLOEXEC) != 0);
    }

    // ---------------------------------------------------------------- addresses, listen, accept, connect

    int bind(int fd, SockAddr addr) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
            return addr == null ? -Errno.EFAULT.number() : s.ops().bind(addr);
        });
    }

    /** {@code __sys_listen}: a backlog above somaxconn (compared unsigned, so negative too) becomes somaxconn. */
    int listen(int fd, int backlog) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
            int max = layer.config().somaxconn();
            int b = Integer.compareUnsigned(backlog, max) > 0 ? max : backlog;
            return s.ops().listen(b);
        });
    }

    /** {@code __sys_accept4}: EINVAL for flags, a free descriptor before waiting (EMFILE), SO_RCVTIMEO. */
    int accept4(int fd, int flags) {
        // __sys_accept4 resolves the descriptor (EBADF, ENOTSOCK) before it looks at the flags.
        int bad = blocking.direct() ? lookupError(fd) : blocking.kernel(() -> lookupError(fd));
        if (bad < 0) {
            return bad;
        }
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            return -Errno.EINVAL.number();
        }
        BlockingCall.Accept c = accept == null || accept.inUse || blocking.realTime()
                ? new BlockingCall.Accept(this) : accept;
        if (!blocking.realTime()) {
            accept = c;
        }
        c.setUp(fd, flags);
        try {
            return blocking(c);
        } finally {
            c.done();
        }
    }

    /** Installs an accepted socket at {@code nfd} ({@code fd_install} after {@code do_accept}). */
    void installAccepted(int nfd, Socket child, int flags) {
        install(nfd, child, flags);
    }

    /**
     * {@code __sys_connect}: the protocol's connect; -EAGAIN waits and retries (SO_SNDTIMEO, then
     * EAGAIN); -EINPROGRESS on a blocking socket waits for POLLOUT/POLLERR/POLLHUP and then takes
     * {@link ProtoOps#connectResult()} (a timeout leaves EINPROGRESS, as {@code inet_stream_connect}).
     */
    int connect(int fd, SockAddr addr) {
        if (addr == null) {
            return -Errno.EFAULT.number();
        }
        BlockingCall.Connect c = connect == null || connect.inUse || blocking.realTime()
                ? new BlockingCall.Connect(this) : connect;
        if (!blocking.realTime()) {
            connect = c;
        }
        c.setUp(fd, addr);
        try {
            return blocking(c);
        } finally {
            c.done();
        }
    }

    SockAddr getname(int fd, boolean peer, int[] err) {
        return blocking.kernelObject(() -> {
            Socket s = lookup(fd, err);
            if (s == null) {
                return null;
            }
            SockAddr a = s.ops().getname(peer);
            if (a == null) {
                err[0] = -Errno.ENOTCONN.number();
            }
            return a;
        });
    }

    int shutdown(int fd, int how) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            return s == null ? err[0] : s.ops().shutdown(how);
        });
    }

    // ---------------------------------------------------------------- data

    /**
     * {@code __sys_sendto}: the protocol's sendmsg; on a blocking SOCK_STREAM socket the rest is
     * sent after each wake-up until all is queued (a timeout or an error returns what was sent).
     * EPIPE on a stream socket counts a SIGPIPE unless MSG_NOSIGNAL.
     */
    int send(boolean write, int fd, byte[] buf, int off, int len, int flags, SockAddr to) {
        BlockingCall.Send c = send == null || send.inUse || blocking.realTime() ? new BlockingCall.Send(this) : send;
        if (!blocking.realTime()) {
            send = c;
        }
        c.setUp(write, fd, buf, off, len, flags, to);
        try {
            int r = blocking(c);
            if (r == EAGAIN && c.total > 0) {
                return c.total;
            }
            if (r == -Errno.EPIPE.number() && c.stream && (flags & MSG_NOSIGNAL) == 0) {
                proc.raiseSigpipe();
            }
            return r;
        } finally {
            c.done();
        }
    }

    /**
     * {@code __sys_recvfrom}: the protocol's recvmsg; with MSG_WAITALL on a blocking SOCK_STREAM
     * socket, waits until {@code len} bytes, EOF or an error (then returns what it has).
     */
    int recv(boolean read, int fd, MsgHdr msg, int flags) {
        return recv(read, fd, msg, null, 0, 0, flags);
    }

    /** {@link #recv(boolean, int, MsgHdr, int)} into {@code buf[off, off + len)}, with the call's own header. */
    int recv(boolean read, int fd, byte[] buf, int off, int len, int flags) {
        return recv(read, fd, null, buf, off, len, flags);
    }

    private int recv(boolean read, int fd, MsgHdr given, byte[] buf, int off, int len, int flags) {
        BlockingCall.Recv c = recv == null || recv.inUse || blocking.realTime() ? new BlockingCall.Recv(this) : recv;
        if (!blocking.realTime()) {
            recv = c;
        }
        MsgHdr msg = given != null ? given : c.own.set(buf, off, len, null);
        c.setUp(read, fd, msg, flags);
        try {
            int r = blocking(c);
            msg.set(c.buf, c.off, c.len, c.from);
            msg.flags = c.msgFlags;
            if (r == EAGAIN && c.total > 0) {
                return c.total;
            }
            return r;
        } finally {
            c.done();
        }
    }

    // ---------------------------------------------------------------- options and ioctl

    int setsockopt(int fd, int level, int optname, int value) {
        return blocking.direct() ? setsockoptSection(fd, level, optname, value)
                : blocking.kernel(() -> setsockoptSection(fd, level, optname, value));
    }

    private int setsockoptSection(int fd, int level, int optname, int value) {
        int bad = lookupError(fd);
        if (bad < 0) {
            return bad;
        }
        Socket s = proc.table().get(fd).socket;
        return level == SOL_SOCKET ? s.setInt(optname, value) : s.ops().setsockopt(level, optname, value);
    }

    int getsockopt(int fd, int level, int optname, int[] value) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
            return level == SOL_SOCKET ? s.getInt(optname, value) : s.ops().getsockopt(level, optname, value);
        });
    }

    /** Options whose value is a string ({@code TCP_CONGESTION}); SOL_SOCKET has none Linux would take this way here. */
    int setString(int fd, int level, int optname, String value) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
            return level == SOL_SOCKET ? -Errno.ENOPROTOOPT.number() : s.ops().setsockoptString(level, optname, value);
        });
    }

    String getString(int fd, int level, int optname, int[] err) {
        return (String) blocking.kernelObject(() -> {
            Socket s = lookup(fd, err);
            if (s == null) {
                return null;
            }
            String[] v = new String[1];
            err[0] = level == SOL_SOCKET ? -Errno.ENOPROTOOPT.number() : s.ops().getsockoptString(level, optname, v);
            return err[0] == 0 ? v[0] : null;
        });
    }

    /** Options that take a struct: SO_LINGER ({@code Linger}) and the timeouts (nanoseconds). */
    int setStruct(int fd, int level, int optname, Linger linger, long timeoNanos) {
        return blocking.direct() ? setStructSection(fd, level, optname, linger, timeoNanos)
                : blocking.kernel(() -> setStructSection(fd, level, optname, linger, timeoNanos));
    }

    private int setStructSection(int fd, int level, int optname, Linger linger, long timeoNanos) {
        int bad = lookupError(fd);
        if (bad < 0) {
            return bad;
        }
        Socket s = proc.table().get(fd).socket;
        if (level != SOL_SOCKET) {
            // a level the protocol lacks is EOPNOTSUPP whatever the value; asked side-effect free
            int known = s.ops().getsockopt(level, optname, new int[1]);
            return known == -Errno.EOPNOTSUPP.number() ? known : -Errno.EINVAL.number();
        }
        if (linger != null && optname == SO_LINGER) {
            s.setLinger(linger);
            return 0;
        }
        if (linger == null && (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO)) {
            s.setTimeo(optname, timeoNanos);
            return 0;
        }
        int r = s.setInt(optname, 0);
        return r == -Errno.ENOPROTOOPT.number() ? r : -Errno.EINVAL.number();
    }

    Object getStruct(int fd, int optname, int[] err) {
        return blocking.kernelObject(() -> {
            Socket s = lookup(fd, err);
            if (s == null) {
                return null;
            }
            return switch (optname) {
                case SO_LINGER -> s.linger();
                case SO_RCVTIMEO -> s.rcvTimeoNanos();
                case SO_SNDTIMEO -> s.sndTimeoNanos();
                default -> {
                    err[0] = -Errno.EINVAL.number();
                    yield null;
                }
            };
        });
    }

    /** {@code sock_ioctl}: FIONREAD and SIOCOUTQ ask the protocol; anything else is ENOTTY. */
    int ioctl(int fd, int request) {
        return blocking.kernel(() -> {
            OpenFile f = proc.table().get(fd);
            if (f == null) {
                return -Errno.EBADF.number();
            }
            if ((request != FIONREAD && request != SIOCOUTQ) || f.kind == OpenFile.Kind.EPOLL) {
                return -Errno.ENOTTY.number();
            }
            if (f.kind == OpenFile.Kind.TTY) {
                return request == FIONREAD ? 0 : -Errno.ENOTTY.number();
            }
            return request == FIONREAD ? f.socket.ops().inq() : f.socket.ops().outq();
        });
    }
}
