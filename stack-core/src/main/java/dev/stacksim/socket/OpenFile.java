package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.O_RDWR;
import static dev.stacksim.socket.SocketConstants.POLLOUT;
import static dev.stacksim.socket.SocketConstants.POLLWRNORM;

import java.util.ArrayList;
import java.util.List;

/**
 * An open file ({@code struct file}): what descriptors point to. {@code dup()} and {@code fork()}
 * make more descriptors for the same open file, so they share its status flags (O_NONBLOCK) and
 * its reference count; the socket behind it is released when the last reference goes
 * ({@code fput} → {@code sock_close}). Descriptor flags (FD_CLOEXEC) belong to the descriptor,
 * not here.
 */
final class OpenFile {
    /** What the file is. */
    enum Kind {
        /** The process's terminal, {@code /dev/pts/0} (fds 0, 1, 2). */
        TTY,
        /** A socket. */
        SOCKET,
        /** An epoll instance. */
        EPOLL
    }

    final Kind kind;
    /** The socket, for {@link Kind#SOCKET}. */
    final Socket socket;
    /** The epoll instance, for {@link Kind#EPOLL}. */
    final Eventpoll epoll;
    /** Descriptors (in all processes) referring to this file ({@code f_count}). */
    int refs = 1;
    /** Status flags: O_RDWR, O_NONBLOCK ({@code f_flags}). */
    int flags = O_RDWR;
    /**
     * Epoll items watching this file, removed when the file goes ({@code eventpoll_release}); null
     * until the first {@code EPOLL_CTL_ADD} (most files are never watched: 48 bytes each saved).
     */
    List<Eventpoll.Item> watchers;

    private OpenFile(Kind kind, Socket socket, Eventpoll epoll) {
        this.kind = kind;
        this.socket = socket;
        this.epoll = epoll;
    }

    static OpenFile tty() {
        return new OpenFile(Kind.TTY, null, null);
    }

    static OpenFile socket(Socket socket) {
        return new OpenFile(Kind.SOCKET, socket, null);
    }

    static OpenFile epoll(Eventpoll epoll) {
        return new OpenFile(Kind.EPOLL, null, epoll);
    }

    /** The readiness mask ({@code vfs_poll}); a terminal is always writable and never readable here. */
    int poll() {
        return switch (kind) {
            case TTY -> POLLOUT | POLLWRNORM;
            case SOCKET -> socket.ops().poll();
            case EPOLL -> epoll.pollMask();
        };
    }

    /** The queue to wait on for a change of {@link #poll()}, null for a terminal (it never changes). */
    WaitQueue waitQueue() {
        return switch (kind) {
            case TTY -> null;
            case SOCKET -> socket.waitQueue();
            case EPOLL -> epoll.pollWait;
        };
    }

    /** The last reference went: release the socket or the epoll instance, forget epoll items. */
    void release() {
        if (watchers != null && !watchers.isEmpty()) {
            for (Eventpoll.Item item : new ArrayList<>(watchers)) {
                item.owner().remove(item);
            }
        }
        if (kind == Kind.SOCKET) {
            socket.markReleased();
            socket.ops().release();
        } else if (kind == Kind.EPOLL) {
            epoll.release();
        }
    }

    /** Adds an epoll item watching this file. */
    void addWatcher(Eventpoll.Item item) {
        if (watchers == null) {
            watchers = new ArrayList<>(1);
        }
        watchers.add(item);
    }

    /** Removes an epoll item watching this file. */
    void removeWatcher(Eventpoll.Item item) {
        if (watchers != null) {
            watchers.remove(item);
        }
    }

    /** The {@code /proc/<pid>/fd} link target: {@code socket:[12345]}. */
    String describe() {
        return switch (kind) {
            case TTY -> "/dev/pts/0";
            case SOCKET -> "socket:[" + socket.inode() + "]";
            case EPOLL -> "anon_inode:[eventpoll]";
        };
    }

    @Override
    public String toString() {
        return "OpenFile[" + describe() + " refs=" + refs + " flags=0x" + Integer.toHexString(flags) + "]";
    }
}
