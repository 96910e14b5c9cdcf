package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.SHUT_RD;
import static dev.stacksim.socket.SocketConstants.SHUT_RDWR;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.socket.WaitQueue;
import java.util.ArrayDeque;

/**
 * What AF_UNIX stream and datagram sockets share ({@code struct unix_sock}): the bound path, the
 * peer, the receive queue of skbs, and {@code peer_wait}, the queue senders blocked on this
 * socket (a full datagram queue, a full backlog) sleep on.
 *
 * <p>Data skbs stay charged to the <i>sending</i> socket's {@link Socket#wmem()} until the receiver
 * consumes them, as in Linux: a slow reader fills its peer's SO_SNDBUF, which is what blocks the
 * writer. The receiver's SO_RCVBUF plays no part.
 */
abstract sealed class UnixSock implements ProtoOps permits UnixStream, UnixDgram {
    /** The generic socket. */
    final Socket sock;
    /** The host's path namespace. */
    final UnixNamespace namespace;
    /** The bound path (or, for an accepted stream socket, its listener's), null when unnamed. */
    String path;
    /** The connected peer, null when none. */
    UnixSock peer;
    /** Received skbs, oldest first. */
    final ArrayDeque<SkBuff> receiveQueue = new ArrayDeque<>();
    /** Senders waiting for room in this socket ({@code u->peer_wait}). */
    final WaitQueue peerWait = new WaitQueue();
    /** Released ({@code SOCK_DEAD}). */
    boolean dead;

    UnixSock(Socket sock) {
        this.sock = sock;
        this.namespace = sock.layer().unixNamespace();
        namespace.register(this);
    }

    /** Whether {@code sk_state} is TCP_ESTABLISHED, which /proc/net/unix shows as SS_CONNECTED. */
    abstract boolean established();

    /** Whether this is a server socket not yet accepted: no file yet, so no inode ({@code sk_socket == NULL}). */
    boolean embryo() {
        return false;
    }

    @Override
    public Socket socket() {
        return sock;
    }

    /** This socket's address: its path, or the empty (unnamed) one. */
    SockAddr.Unix address() {
        return new SockAddr.Unix(path == null ? "" : path);
    }

    /**
     * {@code unix_bind}: EINVAL for another family or an empty path (Linux would autobind to an
     * abstract name, not modelled), EADDRINUSE when the file exists, EINVAL when already bound
     * (checked after the path, as Linux creates the file first).
     */
    @Override
    public int bind(SockAddr addr) {
        if (!(addr instanceof SockAddr.Unix u) || u.path().isEmpty()) {
            return -Errno.EINVAL.number();
        }
        if (namespace.exists(u.path())) {
            return -Errno.EADDRINUSE.number();
        }
        if (path != null) {
            return -Errno.EINVAL.number();
        }
        namespace.create(u.path(), this);
        path = u.path();
        return 0;
    }

    /**
     * Finds the socket bound at {@code addr} ({@code unix_find_other}): the socket, or null with
     * the error in {@code err[0]}: EINVAL for a bad address, ENOENT for no file, ECONNREFUSED for
     * a file whose socket is gone, EPROTOTYPE for a socket of another type.
     */
    UnixSock findOther(SockAddr addr, int[] err) {
        if (!(addr instanceof SockAddr.Unix u) || u.path().isEmpty()) {
            err[0] = -Errno.EINVAL.number();
            return null;
        }
        if (!namespace.exists(u.path())) {
            err[0] = -Errno.ENOENT.number();
            return null;
        }
        UnixSock other = namespace.lookup(u.path());
        if (other == null || other.dead) {
            err[0] = -Errno.ECONNREFUSED.number();
            return null;
        }
        if (other.sock.type() != sock.type()) {
            err[0] = -Errno.EPROTOTYPE.number();
            return null;
        }
        return other;
    }

    /**
     * {@code unix_shutdown}: any socket, connected or not (Linux 6.18 answers 0 on an unconnected
     * one); a stream's peer gets the mirror bits (our SHUT_WR is its RCV_SHUTDOWN: EOF).
     */
    @Override
    public int shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            return -Errno.EINVAL.number();
        }
        int mode = how + 1;
        sock.addShutdown(mode);
        sock.stateChange();
        UnixSock other = peer;
        if (other != null && sock.type() == SOCK_STREAM) {
            int peerMode = 0;
            if ((mode & Socket.RCV_SHUTDOWN) != 0) {
                peerMode |= Socket.SEND_SHUTDOWN;
            }
            if ((mode & Socket.SEND_SHUTDOWN) != 0) {
                peerMode |= Socket.RCV_SHUTDOWN;
            }
            other.sock.addShutdown(peerMode);
            other.sock.stateChange();
        }
        return 0;
    }

    @Override
    public SockAddr getname(boolean wantPeer) {
        if (!wantPeer) {
            return address();
        }
        return peer == null ? null : peer.address();
    }

    /** Frees every queued skb as a drop on close, and leaves the path file behind. */
    void releaseCommon() {
        dead = true;
        namespace.unregister(this);
        if (path != null) {
            namespace.socketGone(path, this);
        }
        SkBuff skb;
        while ((skb = receiveQueue.poll()) != null) {
            skb.free(DropReason.SOCKET_CLOSE);
        }
        peerWait.wakeUp(0);
    }

    /** Bytes queued, summed over skbs (a stream's FIONREAD). */
    int queuedBytes() {
        int n = 0;
        for (SkBuff skb : receiveQueue) {
            n += skb.len();
        }
        return n;
    }
}
