package dev.stacksim.socket.unix;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * The AF_UNIX socket files of one host: path → the socket bound there. Binding a path creates
 * the file ({@code unix_bind} → {@code mknod}); closing the socket leaves the file behind, so that
 * a second {@code bind} fails with EADDRINUSE and {@code connect} with ECONNREFUSED until the
 * file is unlinked, exactly as on Linux (observed on 6.18: close the listener, then connect →
 * ECONNREFUSED, bind → EADDRINUSE; after {@code unlink} bind succeeds).
 */
public final class UnixNamespace {
    /** Path → the socket bound there, or null once it closed (the file remains). */
    private final TreeMap<String, UnixSock> files = new TreeMap<>();

    /** Creates the file for {@code sock}; false when the path exists (EADDRINUSE). */
    boolean create(String path, UnixSock sock) {
        if (files.containsKey(path)) {
            return false;
        }
        files.put(path, sock);
        return true;
    }

    /** Whether a file exists at {@code path}. */
    public boolean exists(String path) {
        return files.containsKey(path);
    }

    /** The socket bound at {@code path}, or null when none is (no file, or its socket closed). */
    UnixSock lookup(String path) {
        return files.get(path);
    }

    /** The socket at {@code path} closed: the file stays, pointing nowhere. */
    void socketGone(String path, UnixSock sock) {
        if (files.get(path) == sock) {
            files.put(path, null);
        }
    }

    /** Removes the file at {@code path} ({@code unlink}); false when there is none (ENOENT). */
    public boolean unlink(String path) {
        if (!files.containsKey(path)) {
            return false;
        }
        files.remove(path);
        return true;
    }

    /** The paths of existing socket files, sorted. */
    public NavigableSet<String> paths() {
        return Collections.unmodifiableNavigableSet(files.navigableKeySet());
    }

    /** Path → inode of the bound socket (0 for a file whose socket closed), sorted by path. */
    public Map<String, Integer> inodes() {
        TreeMap<String, Integer> out = new TreeMap<>();
        files.forEach((p, s) -> out.put(p, s == null ? 0 : s.socket().inode()));
        return out;
    }

    @Override
    public String toString() {
        return "UnixNamespace" + files.keySet();
    }
}
