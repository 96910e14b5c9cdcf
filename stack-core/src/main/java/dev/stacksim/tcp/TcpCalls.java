package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.wire.Ipv4Address;

import static dev.stacksim.socket.SocketConstants.*;

/**
 * The socket calls of {@code net/ipv4/tcp.c} and {@code af_inet.c} that {@link TcpSock} answers
 * for the socket layer ({@code tcp_sendmsg}, {@code tcp_recvmsg}, {@code tcp_shutdown},
 * {@code tcp_poll}, {@code inet_stream_connect}, {@code tcp_disconnect}), kept apart from the
 * control block as the kernel keeps its functions apart from {@code struct tcp_sock}. Each takes
 * the socket it works on.
 */
final class TcpCalls {
    private TcpCalls() {
    }

    /** {@code tcp_sendmsg_locked}: copies into the send buffer, then pushes. */
    static int sendmsg(TcpSock tp, MsgHdr msg, int flags) {
        if (tp.tstate != TcpState.ESTABLISHED && tp.tstate != TcpState.CLOSE_WAIT) {
            // sk_stream_wait_connect
            int e = tp.socket().takeError();
            if (e != 0) {
                return -e;
            }
            if (tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV) {
                return -Errno.EPIPE.number();
            }
            return -Errno.EAGAIN.number();
        }
        if (tp.socket().error() != 0 || (tp.socket().shutdownBits() & Socket.SEND_SHUTDOWN) != 0) {
            int e = tp.socket().takeError();
            return e != 0 ? -e : -Errno.EPIPE.number();
        }
        int copied = tp.tcp.output().sendmsg(tp, msg.buf, msg.off, msg.len, flags);
        if (copied == 0 && msg.len > 0) {
            return -Errno.EAGAIN.number();
        }
        return copied;
    }

    /** {@code tcp_recvmsg_locked}: copies from the receive queue; the error, EOF and state rules after. */
    static int recvmsg(TcpSock tp, MsgHdr msg, int flags) {
        if (tp.tstate == TcpState.LISTEN) {
            return -Errno.ENOTCONN.number();
        }
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EINVAL.number();
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        int copied = 0;
        int seq = tp.copiedSeq;
        for (SkBuff skb : tp.receiveQueue) {
            if (copied >= msg.len) {
                break;
            }
            int offset = seq - TcpSkbCb.seq(skb);
            int avail = skb.len() - offset;
            if (avail <= 0) {
                continue;
            }
            int chunk = Math.min(avail, msg.len - copied);
            skb.getBytes(skb.data() + offset, msg.buf, msg.off + copied, chunk);
            copied += chunk;
            seq += chunk;
        }
        // found_fin_ok: a read that wants more than the data left takes the FIN too, so that
        // ss shows Recv-Q 0 after it (before, the FIN counts: a CLOSE_WAIT socket shows data + 1)
        boolean finTaken = !peek && tp.sockDone && copied < msg.len && seq == tp.rcvNxt - 1;
        if (finTaken) {
            seq++;
        }
        if (!peek && copied > 0) {
            tp.copiedSeq = seq;
            for (SkBuff skb; (skb = tp.receiveQueue.peekFirst()) != null; ) {
                if (TcpSeq.before(tp.copiedSeq, TcpSkbCb.seq(skb) + skb.len())) {
                    break;
                }
                tp.receiveQueue.pollFirst();
                skb.consume();
            }
            TcpBuffers.rcvSpaceAdjust(tp);
            tp.tcp.output().cleanupRbuf(tp, copied);
        }
        if (copied > 0 || msg.len == 0) {
            msg.name = null;
            return copied;
        }
        if (finTaken) {
            tp.copiedSeq = seq;
        }
        if (tp.sockDone) {
            return 0;
        }
        int e = tp.socket().takeError();
        if (e != 0) {
            return -e;
        }
        if ((tp.socket().shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
            return 0;
        }
        if (tp.tstate == TcpState.CLOSE) {
            return -Errno.ENOTCONN.number();
        }
        return -Errno.EAGAIN.number();
    }

    /**
     * {@code inet_shutdown} + {@code tcp_shutdown}: the bits are set and, for SHUT_WR, a FIN sent
     * from ESTABLISHED, SYN_RECV or CLOSE_WAIT. A SYN_SENT socket, or a listener shut for reading,
     * is disconnected instead. ENOTCONN only for a CLOSE socket (whose bits are set all the same).
     */
    static int shutdown(TcpSock tp, int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            return -Errno.EINVAL.number();
        }
        int bits = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
        if (tp.sockState == TcpSock.SS_CONNECTING && tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV
                && tp.tstate != TcpState.CLOSE) {
            tp.sockState = TcpSock.SS_CONNECTED;
        }
        int err = 0;
        switch (tp.tstate) {
            case LISTEN -> {
                if ((bits & Socket.RCV_SHUTDOWN) != 0) {
                    tp.disconnect();
                }
            }
            case SYN_SENT -> tp.disconnect();
            default -> {
                if (tp.tstate == TcpState.CLOSE) {
                    err = -Errno.ENOTCONN.number();
                }
                tp.socket().addShutdown(bits);
                if ((bits & Socket.SEND_SHUTDOWN) != 0 && (tp.tstate == TcpState.ESTABLISHED
                        || tp.tstate == TcpState.SYN_RECV || tp.tstate == TcpState.CLOSE_WAIT)) {
                    tp.closeStateAndFin();
                }
            }
        }
        tp.socket().stateChange();
        return err;
    }

    /** {@code tcp_poll}. */
    static int poll(TcpSock tp) {
        if (tp.tstate == TcpState.LISTEN) {
            return tp.listener.acceptQueue.isEmpty() ? 0 : POLLIN | POLLRDNORM;
        }
        int mask = 0;
        int shut = tp.socket().shutdownBits();
        if (shut == Socket.SHUTDOWN_MASK || tp.tstate == TcpState.CLOSE) {
            mask |= POLLHUP;
        }
        if ((shut & Socket.RCV_SHUTDOWN) != 0) {
            mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        }
        if (tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV) {
            if (tp.rcvNxt != tp.copiedSeq) {
                mask |= POLLIN | POLLRDNORM;
            }
            if ((shut & Socket.SEND_SHUTDOWN) != 0 || tp.streamWriteable()) {
                mask |= POLLOUT | POLLWRNORM;
            } else {
                tp.sndbufFull = true; // SOCK_NOSPACE: the writer waits for room, let the buffer grow
            }
        }
        if (tp.socket().error() != 0) {
            mask |= POLLERR;
        }
        return mask;
    }

    /**
     * {@code inet_stream_connect} + {@code tcp_v4_connect}: checks, route, source address,
     * ephemeral port (even ports first), ISN and timestamp offset, SYN_SENT, the SYN.
     */
    static int connect(TcpSock tp, SockAddr addr, int fileFlags) {
        if (addr instanceof SockAddr.Unspec) {
            return tp.disconnect();
        }
        switch (tp.sockState) {
            case TcpSock.SS_CONNECTED -> {
                return -Errno.EISCONN.number();
            }
            case TcpSock.SS_CONNECTING -> {
                if (tp.tstate == TcpState.SYN_SENT || tp.tstate == TcpState.SYN_RECV) {
                    return -Errno.EALREADY.number();
                }
                int r = tp.connectResult();
                return r == 0 ? 0 : r;
            }
            default -> {
            }
        }
        if (tp.tstate != TcpState.CLOSE) {
            return -Errno.EISCONN.number();
        }
        if (!(addr instanceof SockAddr.Inet in)) {
            return -Errno.EAFNOSUPPORT.number();
        }
        int err = tp.tcp.connect(tp, in.address().toInt(), in.port());
        if (err < 0) {
            return err;
        }
        tp.sockState = TcpSock.SS_CONNECTING;
        return -Errno.EINPROGRESS.number();
    }

    /**
     * After the wait of a connect (the socket became writable, or failed): 0 when connected; the
     * pending error (or ECONNABORTED) when the connection died, the socket back to unconnected.
     */
    static int connectResult(TcpSock tp) {
        if (tp.tstate == TcpState.SYN_SENT || tp.tstate == TcpState.SYN_RECV) {
            return -Errno.EINPROGRESS.number();
        }
        if (tp.tstate == TcpState.CLOSE) {
            int e = tp.socket().takeError();
            tp.sockState = TcpSock.SS_UNCONNECTED;
            tp.disconnect();
            return e != 0 ? -e : -Errno.ECONNABORTED.number();
        }
        tp.sockState = TcpSock.SS_CONNECTED;
        return 0;
    }

    /**
     * {@code tcp_disconnect} (connect with AF_UNSPEC, SO_LINGER {1, 0}): RST when a connection
     * needs one, queues dropped, back to an unconnected CLOSE socket.
     */
    static int disconnect(TcpSock tp) {
        TcpState old = tp.tstate;
        if (old != TcpState.CLOSE) {
            tp.setState(TcpState.CLOSE);
        }
        if (old == TcpState.LISTEN) {
            tp.listener.stop();
            tp.listener = null;
        } else if (TcpSock.needReset(old)) {
            tp.tcp.output().sendActiveReset(tp);
            tp.socket().setError(Errno.ECONNRESET);
        } else if (old == TcpState.SYN_SENT) {
            tp.socket().setError(Errno.ECONNRESET);
        }
        TcpTimers.clearXmitTimers(tp);
        tp.writeQueuePurge();
        TcpSock.purgeQueue(tp.receiveQueue);
        TcpSock.purgeQueue(tp.oooQueue);
        tp.setPeer(0, 0);
        tp.sockState = TcpSock.SS_UNCONNECTED;
        tp.socket().clearShutdown();
        tp.sockDone = false;
        tp.srttUs = 0;
        tp.mdevUs = 0;
        tp.rto = TcpConstants.TCP_TIMEOUT_INIT;
        tp.backoff = 0;
        tp.retransmits = 0;
        tp.sndCwnd = TcpConstants.TCP_INIT_CWND;
        tp.sndSsthresh = Integer.MAX_VALUE;
        // tcp_disconnect: tcp_clear_retrans and a fresh congestion state
        tp.sackedOut = 0;
        tp.lostOut = 0;
        tp.retransOut = 0;
        tp.undoMarker = 0;
        tp.undoRetrans = -1;
        tp.caState = TcpCaState.OPEN;
        tp.numSacks = 0;
        tp.dsack = false;
        tp.tlpHighSeq = 0;
        tp.priorSsthresh = 0;
        return 0;
    }

    /** {@code inet_listen}; see {@link TcpListener}. */
    static int listen(TcpSock tp, int backlog) {
        if (tp.sockState != TcpSock.SS_UNCONNECTED) {
            return -Errno.EINVAL.number();
        }
        if (tp.tstate != TcpState.CLOSE && tp.tstate != TcpState.LISTEN) {
            return -Errno.EINVAL.number();
        }
        if (tp.tstate == TcpState.LISTEN) {
            tp.listener.maxAckBacklog = backlog;
            return 0;
        }
        return tp.tcp.listenStart(tp, backlog);
    }

    /** {@code inet_csk_accept}: the oldest child of the accept queue. */
    static int accept(TcpSock tp, Socket[] newSock) {
        if (tp.tstate != TcpState.LISTEN) {
            return -Errno.EINVAL.number();
        }
        TcpSock child = tp.listener.accept();
        if (child == null) {
            return -Errno.EAGAIN.number();
        }
        newSock[0] = child.socket();
        return 0;
    }


    static SockAddr getname(TcpSock tp, boolean peer) {
        if (peer) {
            if (tp.remotePort() == 0 || (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.SYN_SENT)
                    && tp.sockState != TcpSock.SS_CONNECTED) {
                return null;
            }
            return SockAddr.of(Ipv4Address.of(tp.remoteAddr()), tp.remotePort());
        }
        return SockAddr.of(Ipv4Address.of(tp.localAddr() != 0 ? tp.localAddr() : tp.saddr()), tp.localPort());
    }


    static String describeState(TcpSock tp) {
        return switch (tp.tstate) {
            case LISTEN -> "LISTEN, accept queue " + (tp.listener.acceptQueue.isEmpty() ? "empty"
                    : tp.listener.acceptQueue.size() + " waiting");
            case SYN_SENT -> "SYN_SENT, no answer yet";
            default -> tp.tstate.name() + (tp.inq() == 0 ? ", receive queue empty"
                    : ", " + tp.inq() + " bytes to read");
        };
    }
}
