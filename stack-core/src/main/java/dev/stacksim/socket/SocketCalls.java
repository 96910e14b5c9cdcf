package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

import java.util.function.Supplier;

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

    SocketCalls(Process proc, SocketLayer layer, Blocking blocking) {
        this.proc = proc;
        this.layer = layer;
        this.blocking = blocking;
    }

    /** One try of a blocking call, on the loop's thread. */
    @FunctionalInterface
    interface Attempt {
        /**
         * @param sock     the socket
         * @param mayBlock whether the call may still wait (blocking socket, no MSG_DONTWAIT, time left)
         * @return the result, or -EAGAIN to wait for a wake-up and try again (when {@code mayBlock})
         */
        int run(Socket sock, boolean mayBlock);
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
     * Runs {@code attempt} until it gives something other than -EAGAIN, or the call may not wait
     * (then, as {@code __sys_recvfrom} does for an O_NONBLOCK file, send and recv pass MSG_DONTWAIT
     * on to the protocol):
     * O_NONBLOCK on the file, MSG_DONTWAIT, a zero timeout, or the timeout ran out (then one last
     * try, as Linux re-checks after its wait returns). Waits on the queue the attempt named with
     * {@link Socket#blockOn}, else the socket's own.
     */
    int blocking(Supplier<String> call, int fd, boolean dontWait, boolean sendSide, Attempt attempt) {
        long[] deadline = {Long.MIN_VALUE};
        boolean[] last = {false};
        Socket[] seen = new Socket[1];
        while (true) {
            Blocking.Waiter w = blocking.newWaiter();
            int r = blocking.kernel(() -> {
                OpenFile f = proc.table().get(fd);
                if (f == null) {
                    return -Errno.EBADF.number();
                }
                if (f.kind != OpenFile.Kind.SOCKET) {
                    return -Errno.ENOTSOCK.number();
                }
                Socket s = f.socket;
                seen[0] = s;
                long timeo = sendSide ? s.sndTimeoNanos() : s.rcvTimeoNanos();
                boolean mayBlock = !last[0] && !dontWait && (f.flags & O_NONBLOCK) == 0 && timeo != 0;
                int res = attempt.run(s, mayBlock);
                WaitQueue q = s.takeBlockOn();
                if (res == EAGAIN && mayBlock) {
                    if (deadline[0] == Long.MIN_VALUE) {
                        deadline[0] = blocking.deadline(timeo);
                    }
                    w.arm(q);
                }
                return res;
            });
            if (!w.isArmed()) {
                return r;
            }
            if (!blocking.sleep(w, deadline[0], call, () -> seen[0].ops().describeState())) {
                last[0] = true;
            }
        }
    }

    // ---------------------------------------------------------------- socket(), socketpair()

    /** {@code __sys_socket}: argument checks, then the family's create, then a descriptor. */
    int socket(int domain, int type, int protocol) {
        return blocking.kernel(() -> {
            Socket[] s = new Socket[1];
            int r = create(domain, type, protocol, s);
            if (r < 0) {
                return r;
            }
            int fd = proc.table().lowestFree();
            if (fd < 0) {
                s[0].markReleased();
                s[0].ops().release();
                return -Errno.EMFILE.number();
            }
            install(fd, s[0], type);
            return fd;
        });
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
    int accept4(Supplier<String> call, int fd, int flags) {
        // __sys_accept4 resolves the descriptor (EBADF, ENOTSOCK) before it looks at the flags.
        int bad = blocking.kernel(() -> {
            int[] err = new int[1];
            return lookup(fd, err) == null ? err[0] : 0;
        });
        if (bad < 0) {
            return bad;
        }
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            return -Errno.EINVAL.number();
        }
        Socket[] child = new Socket[1];
        return blocking(call, fd, false, false, (s, mayBlock) -> {
            int nfd = proc.table().lowestFree();
            if (nfd < 0) {
                return -Errno.EMFILE.number();
            }
            int r = s.ops().accept(child);
            if (r < 0) {
                return r;
            }
            install(nfd, child[0], flags);
            return nfd;
        });
    }

    /**
     * {@code __sys_connect}: the protocol's connect; -EAGAIN waits and retries (SO_SNDTIMEO, then
     * EAGAIN); -EINPROGRESS on a blocking socket waits for POLLOUT/POLLERR/POLLHUP and then takes
     * {@link ProtoOps#connectResult()} (a timeout leaves EINPROGRESS, as {@code inet_stream_connect}).
     */
    int connect(Supplier<String> call, int fd, SockAddr addr) {
        if (addr == null) {
            return -Errno.EFAULT.number();
        }
        boolean[] inProgress = {false};
        int r = blocking(call, fd, false, true, (s, mayBlock) -> {
            if (!inProgress[0]) {
                OpenFile f = proc.table().get(fd);
                int res = s.ops().connect(addr, f.flags);
                if (res != -Errno.EINPROGRESS.number() || !mayBlock) {
                    return res;
                }
                inProgress[0] = true;
            }
            if ((s.ops().poll() & (POLLOUT | POLLERR | POLLHUP)) != 0) {
                inProgress[0] = false;
                return s.ops().connectResult();
            }
            return mayBlock ? EAGAIN : -Errno.EINPROGRESS.number();
        });
        return r;
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
    int send(Supplier<String> call, int fd, byte[] buf, int off, int len, int flags, SockAddr to) {
        MsgHdr msg = new MsgHdr();
        int[] total = {0};
        boolean[] stream = {false};
        int r = blocking(call, fd, (flags & MSG_DONTWAIT) != 0, true, (s, mayBlock) -> {
            stream[0] = s.type() == SOCK_STREAM;
            msg.set(buf, off + total[0], len - total[0], to);
            int res = s.ops().sendmsg(msg, mayBlock ? flags : flags | MSG_DONTWAIT);
            if (res < 0) {
                return total[0] > 0 && res != EAGAIN ? total[0] : res;
            }
            total[0] += res;
            if (stream[0] && mayBlock && total[0] < len) {
                return EAGAIN;
            }
            return total[0];
        });
        if (r == EAGAIN && total[0] > 0) {
            return total[0];
        }
        if (r == -Errno.EPIPE.number() && stream[0] && (flags & MSG_NOSIGNAL) == 0) {
            proc.raiseSigpipe();
        }
        return r;
    }

    /**
     * {@code __sys_recvfrom}: the protocol's recvmsg; with MSG_WAITALL on a blocking SOCK_STREAM
     * socket, waits until {@code len} bytes, EOF or an error (then returns what it has).
     */
    int recv(Supplier<String> call, int fd, MsgHdr msg, int flags) {
        byte[] buf = msg.buf;
        int off = msg.off;
        int len = msg.len;
        int[] total = {0};
        SockAddr[] from = {null};
        int[] msgFlags = {0};
        int r = blocking(call, fd, (flags & MSG_DONTWAIT) != 0, false, (s, mayBlock) -> {
            msg.set(buf, off + total[0], len - total[0], null);
            int res = s.ops().recvmsg(msg, mayBlock ? flags : flags | MSG_DONTWAIT);
            if (msg.name != null) {
                from[0] = msg.name;
            }
            msgFlags[0] |= msg.flags;
            if (res < 0) {
                return total[0] > 0 && res != EAGAIN ? total[0] : res;
            }
            total[0] += res;
            boolean waitAll = (flags & (MSG_WAITALL | MSG_PEEK)) == MSG_WAITALL && s.type() == SOCK_STREAM;
            if (waitAll && mayBlock && res > 0 && total[0] < len) {
                return EAGAIN;
            }
            return total[0];
        });
        msg.set(buf, off, len, from[0]);
        msg.flags = msgFlags[0];
        if (r == EAGAIN && total[0] > 0) {
            return total[0];
        }
        return r;
    }

    // ---------------------------------------------------------------- options and ioctl

    int setsockopt(int fd, int level, int optname, int value) {
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
            return level == SOL_SOCKET ? s.setInt(optname, value) : s.ops().setsockopt(level, optname, value);
        });
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
        return blocking.kernel(() -> {
            int[] err = new int[1];
            Socket s = lookup(fd, err);
            if (s == null) {
                return err[0];
            }
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
        });
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
