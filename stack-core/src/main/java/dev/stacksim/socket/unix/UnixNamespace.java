package dev.stacksim.socket.unix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * The AF_UNIX socket files of one host: path → the socket bound there. Binding a path creates
 * the file ({@code unix_bind} → {@code mknod}); closing the socket leaves the file behind, so that
 * a second {@code bind} fails with EADDRINUSE and {@code connect} with ECONNREFUSED until the
 * file is unlinked, exactly as on Linux (observed on 6.18: close the listener, then connect →
 * ECONNREFUSED, bind → EADDRINUSE; after {@code unlink} bind succeeds).
 *
 * <p>It also keeps the host's live AF_UNIX sockets (Linux's {@code net->unx.table}: a socket is
 * hashed from {@code unix_create1} until {@code unix_release_sock}), which {@link #procNetUnix()}
 * prints.
 */
public final class UnixNamespace {
    /** {@code __SO_ACCEPTCON}: the listening flag /proc/net/unix shows. */
    private static final int SO_ACCEPTCON = 1 << 16;
    /** {@code socket_state} values ({@code include/uapi/linux/net.h}) /proc/net/unix prints. */
    private static final int SS_UNCONNECTED = 1;
    private static final int SS_CONNECTING = 2;
    private static final int SS_CONNECTED = 3;

    /** Path → the socket bound there, or null once it closed (the file remains). */
    private final TreeMap<String, UnixSock> files = new TreeMap<>();
    /** Every socket from creation until release, in creation order. */
    private final LinkedHashSet<UnixSock> sockets = new LinkedHashSet<>();

    /** A socket was created (socket, socketpair, or a connect's embryo). */
    void register(UnixSock sock) {
        sockets.add(sock);
    }

    /** A socket was released: gone from /proc/net/unix. */
    void unregister(UnixSock sock) {
        sockets.remove(sock);
    }

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

    /**
     * {@code cat /proc/net/unix} ({@code unix_seq_show} in {@code net/unix/af_unix.c}): a header,
     * then one line per live socket:
     * <pre>
     * Num       RefCount Protocol Flags    Type St Inode Path
     * 0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/echo.sock
     * 0000000000000000: 00000003 00000000 00000000 0001 03 12346
     * </pre>
     * <ul>
     *   <li>Num: the {@code struct sock} address ({@code %pK}), all zeros as an unprivileged
     *       reader sees it;</li>
     *   <li>RefCount: {@code sk_refcnt}, 2 for a socket nobody is connected to (its own reference
     *       and the hash table's) plus one per live socket whose peer it is: 3 for each end of a
     *       connected stream pair, 2 for an end whose peer closed; a datagram socket connected to
     *       by n others shows 2 + n, the connectors 2;</li>
     *   <li>Protocol: always 0; Flags: {@code __SO_ACCEPTCON} (00010000) when listening;</li>
     *   <li>Type: 0001 stream, 0002 datagram;</li>
     *   <li>St: from {@code sk_state}, not {@code socket->state}: 03 (SS_CONNECTED) when
     *       TCP_ESTABLISHED, else 01 (SS_UNCONNECTED); a not-yet-accepted server socket, which has
     *       no {@code struct socket}, shows 02 (SS_CONNECTING). A datagram socket someone connected
     *       to shows 03 too, and keeps it after the connector closes (Linux 6.x);</li>
     *   <li>Inode: {@code %5lu}, 0 for a not-yet-accepted socket (it gets its inode at accept);</li>
     *   <li>Path: after a space when bound; an accepted socket (and its embryo) shows the
     *       listener's path. An abstract name prints as {@code @} then its bytes, NULs as {@code @}.</li>
     * </ul>
     * Linux walks its hash table (bucket order depends on kernel addresses); the rows here are
     * sorted by inode, sockets without one (embryos, inode 0) first, ties in creation order.
     * Observed on Linux 6.18; see UnixNamespaceTest for the exact lines.
     */
    public String procNetUnix() {
        Map<UnixSock, Integer> held = new IdentityHashMap<>();
        for (UnixSock s : sockets) {
            if (s.peer != null && !s.peer.dead) {
                held.merge(s.peer, 1, Integer::sum);
            }
        }
        List<UnixSock> rows = new ArrayList<>(sockets);
        rows.sort(Comparator.comparingLong(s -> s.embryo() ? 0 : Integer.toUnsignedLong(s.sock.inode())));
        StringBuilder out = new StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        for (UnixSock s : rows) {
            int state = s.established() ? (s.embryo() ? SS_CONNECTING : SS_CONNECTED) : SS_UNCONNECTED;
            out.append(String.format("0000000000000000: %08X %08X %08X %04X %02X %5d",
                    2 + held.getOrDefault(s, 0), 0, s.isListening() ? SO_ACCEPTCON : 0, s.sock.type(), state,
                    s.embryo() ? 0 : Integer.toUnsignedLong(s.sock.inode())));
            if (s.path != null) {
                out.append(' ').append(printable(s.path));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The live sockets as {@code unix_diag} dumps them for {@code ss -x}: every socket with an
     * inode (a connection not yet accepted has none and is left out, as {@code sk_diag_dump}
     * skips it), sorted by inode as {@link #procNetUnix()} sorts them (Linux walks its hash table).
     */
    public List<UnixSockInfo> sockets() {
        List<UnixSockInfo> out = new ArrayList<>();
        for (UnixSock s : sockets) {
            if (s.embryo() || s.sock.inode() == 0) {
                continue;
            }
            boolean listening = s.isListening();
            int rq = listening ? ((UnixStream) s).acceptQueueLength() : Math.max(0, s.inq());
            int wq = listening ? ((UnixStream) s).backlog() : s.sock.wmemAlloc();
            int state = listening ? UnixSockInfo.TCP_LISTEN
                    : s.established() ? UnixSockInfo.TCP_ESTABLISHED : UnixSockInfo.TCP_CLOSE;
            UnixSock p = s.peer;
            long peer = p == null || p.dead || p.embryo() ? 0 : Integer.toUnsignedLong(p.sock.inode());
            out.add(new UnixSockInfo(s.sock.type(), state, rq, wq, s.path == null ? null : printable(s.path),
                    Integer.toUnsignedLong(s.sock.inode()), peer));
        }
        out.sort(Comparator.comparingLong(UnixSockInfo::inode));
        return out;
    }

    /** An abstract name (leading NUL) as Linux prints it: {@code @}, NULs as {@code @}. */
    private static String printable(String path) {
        return path.startsWith("\0") ? '@' + path.substring(1).replace('\0', '@') : path;
    }

    @Override
    public String toString() {
        return "UnixNamespace" + files.keySet();
    }
}
