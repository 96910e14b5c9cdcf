package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.*;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import java.util.ArrayDeque;

/**
 * An AF_UNIX SOCK_STREAM socket ({@code unix_stream_ops}): a byte stream to one peer in the same
 * host, connected by {@code socketpair()} or by {@code connect()} to a listener bound to a path.
 *
 * <h2>Connecting</h2>
 * {@code connect()} completes at once, without the listener doing anything
 * ({@code unix_stream_connect}): it makes the server-side socket (an "embryo") connected to the
 * client, queues it on the listener and returns 0; the client may send before {@code accept()}.
 * The listener's queue is full when it holds more than the backlog ({@code unix_recvq_full}), so
 * {@code listen(0)} still admits one; then a connect blocks on the listener's {@code peer_wait} (or
 * answers EAGAIN when non-blocking) until an accept makes room.
 *
 * <h2>Data</h2>
 * A send cuts the bytes into skbs of at most {@code min(sndbuf/2 - 64, 64 KiB)} bytes, each charged
 * to the sender and queued on the peer; the send stops when the sender's send buffer is used up
 * ({@code sk_wmem_alloc >= sk_sndbuf}, checked before each skb as {@code sock_alloc_send_pskb}
 * does). A receive reads across skbs; MSG_PEEK leaves them queued; MSG_TRUNC is ignored, as Linux.
 *
 * <h2>Closing</h2>
 * Release marks the peer fully shut down (EOF, POLLHUP); if this side still had unread data the
 * peer also gets ECONNRESET as its pending error, reported once after it read what it had
 * (observed on 6.18: data, then ECONNRESET, then 0). Send to a closed or SHUT_RD peer is EPIPE.
 */
public final class UnixStream extends UnixSock {
    /** TCP state numbers, as Linux reuses them for AF_UNIX. */
    static final int TCP_ESTABLISHED = 1;
    static final int TCP_CLOSE = 7;
    static final int TCP_LISTEN = 10;
    /** Largest payload of one skb. */
    static final int MAX_SKB_DATA = 65536;

    private int state = TCP_CLOSE;
    private int backlog;
    /** A listener's connected embryos, waiting for accept(). */
    private final ArrayDeque<UnixStream> acceptQueue = new ArrayDeque<>();
    private final int[] err = new int[1];
    /** Queued on a listener, not yet accepted: it has no file and so no inode. */
    private boolean embryo;

    UnixStream(Socket sock) {
        super(sock);
    }

    @Override
    boolean established() {
        return state == TCP_ESTABLISHED;
    }

    @Override
    boolean embryo() {
        return embryo;
    }

    /** Connections waiting for accept() (a listener's {@code sk_receive_queue} length). */
    int acceptQueueLength() {
        return acceptQueue.size();
    }

    /** The listen backlog ({@code sk_max_ack_backlog}). */
    int backlog() {
        return backlog;
    }

    @Override
    public int connect(SockAddr addr, int fileFlags) {
        UnixSock found = findOther(addr, err);
        if (found == null) {
            return err[0];
        }
        UnixStream other = (UnixStream) found;
        if (other.state != TCP_LISTEN || (other.sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
            return -Errno.ECONNREFUSED.number();
        }
        if (other.acceptQueue.size() > other.backlog) {
            sock.blockOn(other.peerWait);
            return -Errno.EAGAIN.number();
        }
        if (state == TCP_ESTABLISHED) {
            return -Errno.EISCONN.number();
        }
        if (state != TCP_CLOSE) {
            return -Errno.EINVAL.number();
        }
        Socket child = new Socket(sock.layer(), AF_UNIX, SOCK_STREAM, other.sock.protocol(), other.sock.ownerUid());
        child.inheritFrom(other.sock);
        UnixStream embryo = new UnixStream(child);
        child.setOps(embryo);
        embryo.state = TCP_ESTABLISHED;
        embryo.embryo = true;
        embryo.path = other.path;
        embryo.peer = this;
        peer = embryo;
        state = TCP_ESTABLISHED;
        other.acceptQueue.add(embryo);
        other.sock.dataReady();
        return 0;
    }

    @Override
    public int listen(int newBacklog) {
        if (path == null) {
            return -Errno.EINVAL.number();
        }
        if (state != TCP_CLOSE && state != TCP_LISTEN) {
            return -Errno.EINVAL.number();
        }
        if (newBacklog > backlog) {
            peerWait.wakeUp(0);
        }
        backlog = newBacklog;
        state = TCP_LISTEN;
        return 0;
    }

    @Override
    public int accept(Socket[] newSock) {
        if (state != TCP_LISTEN) {
            return -Errno.EINVAL.number();
        }
        UnixStream embryo = acceptQueue.poll();
        if (embryo == null) {
            return -Errno.EAGAIN.number();
        }
        peerWait.wakeUp(0);
        embryo.embryo = false;
        newSock[0] = embryo.sock;
        return 0;
    }

    @Override
    public int sendmsg(MsgHdr msg, int flags) {
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        if (msg.name != null) {
            return state == TCP_ESTABLISHED ? -Errno.EISCONN.number() : -Errno.EOPNOTSUPP.number();
        }
        UnixSock other = peer;
        if (other == null) {
            return -Errno.ENOTCONN.number();
        }
        if ((sock.shutdownBits() & Socket.SEND_SHUTDOWN) != 0) {
            return -Errno.EPIPE.number();
        }
        int sent = 0;
        while (sent < msg.len) {
            if (other.dead || (other.sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
                return sent > 0 ? sent : -Errno.EPIPE.number();
            }
            if (sock.wmemAlloc() >= sock.sndbuf()) {
                return sent > 0 ? sent : -Errno.EAGAIN.number();
            }
            int size = Math.min(msg.len - sent, Math.min((sock.sndbuf() >> 1) - 64, MAX_SKB_DATA));
            SkBuff skb = sock.layer().pool().alloc(size);
            skb.putBytes(msg.buf, msg.off + sent, size);
            skb.setOwner(sock.wmem());
            other.receiveQueue.add(skb);
            other.sock.dataReady();
            sent += size;
        }
        return sent;
    }

    @Override
    public int recvmsg(MsgHdr msg, int flags) {
        if (state != TCP_ESTABLISHED) {
            return -Errno.EINVAL.number();
        }
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        int copied = 0;
        int skip = 0;
        for (SkBuff skb = receiveQueue.peek(); copied < msg.len && skb != null; ) {
            int chunk = Math.min(skb.len() - skip, msg.len - copied);
            skb.getBytes(skb.data() + skip, msg.buf, msg.off + copied, chunk);
            copied += chunk;
            if (peek) {
                if (skip + chunk < skb.len()) {
                    break;
                }
                skb = nextAfter(skb);
                skip = 0;
            } else if (chunk == skb.len()) {
                receiveQueue.poll();
                skb.consume();
                skb = receiveQueue.peek();
            } else {
                skb.pull(chunk);
                break;
            }
        }
        if (copied > 0 || msg.len == 0) {
            msg.name = peer != null ? peer.address() : null;
            return copied;
        }
        int e = sock.takeError();
        if (e != 0) {
            return -e;
        }
        if ((sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
            return 0;
        }
        return -Errno.EAGAIN.number();
    }

    private SkBuff nextAfter(SkBuff skb) {
        boolean found = false;
        for (SkBuff s : receiveQueue) {
            if (found) {
                return s;
            }
            found = s == skb;
        }
        return null;
    }

    @Override
    public void release() {
        UnixStream other = (UnixStream) peer;
        boolean hadData = !receiveQueue.isEmpty();
        state = TCP_CLOSE;
        sock.addShutdown(Socket.SHUTDOWN_MASK);
        UnixStream embryo;
        while ((embryo = acceptQueue.poll()) != null) {
            embryo.releaseEmbryo();
        }
        releaseCommon();
        if (other != null) {
            resetPeer(other, hadData);
        }
    }

    /** A never-accepted server socket goes with its listener: its client sees ECONNRESET. */
    private void releaseEmbryo() {
        UnixStream other = (UnixStream) peer;
        state = TCP_CLOSE;
        sock.addShutdown(Socket.SHUTDOWN_MASK);
        releaseCommon();
        if (other != null) {
            resetPeer(other, true);
        }
    }

    /** {@code unix_release_sock} on the peer: fully shut down, ECONNRESET if data was lost. */
    private static void resetPeer(UnixStream other, boolean dataLost) {
        other.sock.addShutdown(Socket.SHUTDOWN_MASK);
        if (dataLost) {
            other.sock.setError(Errno.ECONNRESET);
        }
        other.sock.stateChange();
    }

    /** {@code unix_poll}. */
    @Override
    public int poll() {
        int mask = 0;
        int shut = sock.shutdownBits();
        if (sock.error() != 0) {
            mask |= POLLERR;
        }
        if (shut == Socket.SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if ((shut & Socket.RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (!receiveQueue.isEmpty() || !acceptQueue.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        }
        if (state == TCP_CLOSE) {
            mask |= POLLHUP;
        }
        if (writable()) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    /** {@code unix_writable}: not listening, and at most a quarter of the send buffer in use. */
    private boolean writable() {
        return state != TCP_LISTEN && ((long) sock.wmemAlloc() << 2) <= sock.sndbuf();
    }

    /** {@code unix_write_space}. */
    @Override
    public void writeSpace() {
        if (writable()) {
            sock.writeSpace();
        }
    }

    @Override
    public boolean isListening() {
        return state == TCP_LISTEN;
    }

    @Override
    public int inq() {
        return state == TCP_LISTEN ? -Errno.EINVAL.number() : queuedBytes();
    }

    @Override
    public int socketpair(ProtoOps other) {
        UnixStream o = (UnixStream) other;
        peer = o;
        o.peer = this;
        state = TCP_ESTABLISHED;
        o.state = TCP_ESTABLISHED;
        return 0;
    }

    @Override
    public String describeState() {
        return switch (state) {
            case TCP_LISTEN -> "LISTEN, accept queue " + (acceptQueue.isEmpty() ? "empty" : acceptQueue.size()
                    + "/" + backlog);
            case TCP_ESTABLISHED -> "ESTABLISHED, receive queue " + (receiveQueue.isEmpty() ? "empty"
                    : queuedBytes() + " bytes") + shutdownText() + ", sndbuf " + sock.wmemAlloc() + "/" + sock.sndbuf();
            default -> "CLOSE, not connected";
        };
    }

    private String shutdownText() {
        int s = sock.shutdownBits();
        return s == 0 ? "" : s == Socket.SHUTDOWN_MASK ? ", shut down" : (s & Socket.RCV_SHUTDOWN) != 0
                ? ", peer shut down writing" : ", shut down writing";
    }

    @Override
    public String toString() {
        return "UnixStream[" + address() + " " + describeState() + "]";
    }
}
