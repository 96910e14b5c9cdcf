package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.*;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.socket.WaitQueue;
import java.util.ArrayDeque;

/**
 * An AF_UNIX SOCK_DGRAM socket ({@code unix_dgram_ops}): datagrams between sockets of one host,
 * with their boundaries, <b>reliable and ordered</b>, unlike UDP: a datagram is never dropped for
 * want of room; the sender waits instead.
 *
 * <h2>Flow control</h2>
 * Two limits stop a sender (both observed on Linux 6.18):
 * <ul>
 *   <li>its own send buffer: datagrams stay charged to it until read, and a send waits while
 *       {@code sk_wmem_alloc >= sk_sndbuf};</li>
 *   <li>the receiver's queue length, when the receiver is not connected back to the sender: more
 *       than {@code net.unix.max_dgram_qlen} (10) queued makes the sender wait on the receiver's
 *       {@code peer_wait} (or answer EAGAIN). A socketpair never hits it, since each end is
 *       connected to the other.</li>
 * </ul>
 * A datagram longer than {@code sndbuf - 32} is EMSGSIZE. Reading a datagram into a short buffer
 * truncates it (MSG_TRUNC in the message flags; with MSG_TRUNC in the call, the real length is
 * returned). A connected receiver accepts datagrams only from its peer (else EPERM). A peer that
 * closed makes the next send ECONNREFUSED and dissolves the association (the one after is ENOTCONN).
 */
public final class UnixDgram extends UnixSock {
    /** The sender of each queued datagram, in step with {@link #receiveQueue}. */
    private final ArrayDeque<UnixSock> senders = new ArrayDeque<>();
    private final int[] err = new int[1];
    /**
     * Relays a wake-up of a full peer's {@code peer_wait} to this socket's own queue, so that poll
     * and epoll see POLLOUT return ({@code unix_dgram_peer_wake_relay}); registered by {@link #poll}.
     */
    private final WaitQueue.Entry relay = key -> {
        disconnectRelay();
        sock.writeSpace();
        return false;
    };
    private WaitQueue relayedOn;
    /**
     * {@code sk_state == TCP_ESTABLISHED}: set on both ends by connect (the target too, though it
     * has no peer) and by socketpair; cleared when a send finds the peer gone, and on the old target
     * of a reconnect that has no peer of its own (Linux 6.x, observed on 6.18 in /proc/net/unix).
     */
    private boolean established;

    UnixDgram(Socket sock) {
        super(sock);
    }

    @Override
    boolean established() {
        return established;
    }

    /** {@code unix_dgram_connect}: sets the default destination, which then alone may send to us. */
    @Override
    public int connect(SockAddr addr, int fileFlags) {
        UnixSock other = findOther(addr, err);
        if (other == null) {
            return err[0];
        }
        if (!maySend(other)) {
            return -Errno.EPERM.number();
        }
        UnixSock old = peer;
        if (old != other) {
            disconnectRelay();
        }
        peer = other;
        established = true;
        ((UnixDgram) other).established = true;
        if (old != null && old != other && old.peer == null) {
            ((UnixDgram) old).established = false;
        }
        return 0;
    }

    /** {@code unix_may_send}: an unconnected socket takes from anyone, a connected one from its peer. */
    private boolean maySend(UnixSock other) {
        return other.peer == null || other.peer == this;
    }

    @Override
    public int listen(int backlog) {
        return -Errno.EOPNOTSUPP.number();
    }

    @Override
    public int accept(Socket[] newSock) {
        return -Errno.EOPNOTSUPP.number();
    }

    /** {@code unix_dgram_sendmsg}, checks in Linux's order. */
    @Override
    public int sendmsg(MsgHdr msg, int flags) {
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        if (msg.name == null && peer == null) {
            return -Errno.ENOTCONN.number();
        }
        if (msg.len > sock.sndbuf() - 32) {
            return -Errno.EMSGSIZE.number();
        }
        // sock_alloc_send_pskb: the pending error, then SEND_SHUTDOWN (6.18: EPIPE), then room
        int e = sock.takeError();
        if (e != 0) {
            return -e;
        }
        if ((sock.shutdownBits() & Socket.SEND_SHUTDOWN) != 0) {
            return -Errno.EPIPE.number();
        }
        if (sock.wmemAlloc() >= sock.sndbuf()) {
            return -Errno.EAGAIN.number();
        }
        UnixSock other;
        if (msg.name != null) {
            other = findOther(msg.name, err);
            if (other == null) {
                return err[0];
            }
        } else {
            other = peer;
            if (other.dead) {
                peer = null;
                established = false;
                disconnectRelay();
                return -Errno.ECONNREFUSED.number();
            }
        }
        if (!maySend(other)) {
            return -Errno.EPERM.number();
        }
        if ((other.sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
            return -Errno.EPIPE.number();
        }
        if (other != this && other.peer != this && full(other)) {
            sock.blockOn(other.peerWait);
            return -Errno.EAGAIN.number();
        }
        SkBuff skb = sock.layer().pool().alloc(msg.len);
        skb.putBytes(msg.buf, msg.off, msg.len);
        skb.setOwner(sock.wmem());
        other.receiveQueue.add(skb);
        ((UnixDgram) other).senders.add(this);
        other.sock.dataReady();
        return msg.len;
    }

    /** {@code unix_recvq_full}: more than max_dgram_qlen datagrams queued. */
    private boolean full(UnixSock other) {
        return other.receiveQueue.size() > sock.layer().config().unixMaxDgramQlen();
    }

    /** {@code __unix_dgram_recvmsg}: one datagram per call, truncated to the buffer. */
    @Override
    public int recvmsg(MsgHdr msg, int flags) {
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        SkBuff skb = receiveQueue.peek();
        if (skb == null) {
            int e = sock.takeError();
            if (e != 0) {
                return -e;
            }
            // __skb_recv_datagram: a non-blocking call says EAGAIN even after SHUT_RD (observed on
            // 6.18); only a caller that would wait learns of the shutdown, as 0
            boolean wouldWait = (flags & MSG_DONTWAIT) == 0;
            return wouldWait && (sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0 ? 0 : -Errno.EAGAIN.number();
        }
        int real = skb.len();
        int copy = Math.min(real, msg.len);
        skb.getBytes(skb.data(), msg.buf, msg.off, copy);
        msg.name = senders.peek().address();
        if (copy < real) {
            msg.flags |= MSG_TRUNC;
        }
        if ((flags & MSG_PEEK) == 0) {
            receiveQueue.poll();
            senders.poll();
            skb.consume();
            peerWait.wakeUp(POLLOUT | POLLWRNORM | POLLWRBAND);
        }
        return (flags & MSG_TRUNC) != 0 ? real : copy;
    }

    @Override
    public void release() {
        disconnectRelay();
        senders.clear();
        releaseCommon();
        peer = null;
    }

    /** {@code unix_dgram_poll}. */
    @Override
    public int poll() {
        int mask = 0;
        int shut = sock.shutdownBits();
        if (sock.error() != 0) {
            mask |= POLLERR;
        }
        if ((shut & Socket.RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (shut == Socket.SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if (!receiveQueue.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        }
        boolean writable = ((long) sock.wmemAlloc() << 2) <= sock.sndbuf();
        UnixSock other = peer;
        if (writable && other != null && other.peer != this && !other.dead && full(other)) {
            // unix_dgram_peer_wake_me: not writable until the peer drains; relay its wake-up to us
            writable = false;
            if (relayedOn != other.peerWait) {
                disconnectRelay();
                other.peerWait.add(relay);
                relayedOn = other.peerWait;
            }
        }
        if (writable) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    private void disconnectRelay() {
        if (relayedOn != null) {
            relayedOn.remove(relay);
            relayedOn = null;
        }
    }

    /** {@code unix_write_space}: writable at a quarter of the send buffer. */
    @Override
    public void writeSpace() {
        if (((long) sock.wmemAlloc() << 2) <= sock.sndbuf()) {
            sock.writeSpace();
        }
    }

    @Override
    public boolean isListening() {
        return false;
    }

    /** The length of the next datagram, as {@code unix_inq_len} for a datagram socket. */
    @Override
    public int inq() {
        SkBuff skb = receiveQueue.peek();
        return skb == null ? 0 : skb.len();
    }

    @Override
    public int socketpair(ProtoOps other) {
        UnixDgram o = (UnixDgram) other;
        peer = o;
        o.peer = this;
        established = true;
        o.established = true;
        return 0;
    }

    @Override
    public String describeState() {
        return (peer != null ? "connected to " + peer.address() : "unconnected") + ", receive queue "
                + (receiveQueue.isEmpty() ? "empty" : receiveQueue.size() + " datagrams")
                + ", sndbuf " + sock.wmemAlloc() + "/" + sock.sndbuf();
    }

    @Override
    public String toString() {
        return "UnixDgram[" + address() + " " + describeState() + "]";
    }
}
