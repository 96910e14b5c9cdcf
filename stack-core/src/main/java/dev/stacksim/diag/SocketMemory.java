package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.Socket;
import dev.stacksim.socket.SocketConstants;
import dev.stacksim.tcp.RequestSock;
import dev.stacksim.tcp.Tcp;
import dev.stacksim.tcp.TcpMemory;
import dev.stacksim.tcp.TcpSock;
import dev.stacksim.udp.UdpSock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How much memory a host's sockets hold, as the stack itself accounts for it: per kind of socket
 * (TCP by state, TIME_WAIT minisocks, request socks, UDP, AF_UNIX), how many there are, an
 * estimate of the heap their objects take, and the buffer memory charged to them (receive and
 * send bytes, and the skbs their queues hold). Got from {@link HostViews#memory()}.
 *
 * <h2>How the heap is estimated</h2>
 * Each socket lists the objects it owns ({@link TcpMemory#forEachHeapObject} for TCP; the
 * socket layer's objects are listed here from how {@code Socket}, {@code WaitQueue} and
 * {@code OpenFile} create them), and {@link HeapLayout} sizes each from its class's fields with
 * HotSpot's compressed-oops layout. No heap is walked and nothing is measured: the figure is
 * what the objects' shapes imply, checked against {@code jcmd GC.class_histogram} by
 * {@code SocketMemoryTest}. Skbs are not in it: they are buffer memory, counted apart. The
 * tables no socket owns (the established table's buckets) are a row of
 * their own, {@code tables}.
 *
 * <pre>
 * kind                  count  heap/each     heap  rmem  wmem  skbs
 * TCP ESTABLISHED      100000       1544  147.3 MiB     0     0     0
 * TCP LISTEN                4       1664    6.5 KiB     0     0     0
 * tables                                    2.5 MiB
 * total                100004             149.8 MiB     0     0     0
 * </pre>
 *
 * <p>The walk visits every socket (and every descriptor of every process, to find the sockets
 * without a port): O(sockets). Call it on the host's loop thread, between runs.
 */
public final class SocketMemory {
    /**
     * One kind of socket.
     *
     * @param kind      {@code "TCP " + state}, {@code "TCP TIME_WAIT"}, {@code "TCP SYN_RECV (request)"},
     *                  {@code "UDP"}, {@code "UNIX"}, {@code "tables"}
     * @param count     how many
     * @param heapBytes the estimated heap of all of them (objects, not buffers)
     * @param rmemBytes bytes charged to their receive buffers
     * @param wmemBytes bytes charged to their send side (TCP: the send queue, {@code sk_wmem_queued})
     * @param skbs      skbs held in their queues (TCP)
     */
    public record Row(String kind, long count, long heapBytes, long rmemBytes, long wmemBytes, long skbs) {
        /** The estimated heap of one, on average (0 when there are none). */
        public long heapEach() {
            return count == 0 ? 0 : heapBytes / count;
        }

        Row plus(long n, long heap, long rmem, long wmem, long skb) {
            return new Row(kind, count + n, heapBytes + heap, rmemBytes + rmem, wmemBytes + wmem, skbs + skb);
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, long[]> objects = new TreeMap<>();
    private final long pooledSkbs;

    private SocketMemory(long pooledSkbs) {
        this.pooledSkbs = pooledSkbs;
    }

    /** Takes the report for {@code host}. */
    public static SocketMemory of(Host host) {
        SocketMemory m = new SocketMemory(host.pool().outstanding());
        Set<Socket> held = heldSockets(host);
        Tcp tcp = host.tcp();
        Set<TcpSock> tcpHeld = TcpMemory.tcpSockets(held);
        TcpMemory.forEachSocket(tcp, tcpHeld, tp -> {
            Socket s = tp.socket();
            long[] heap = {0};
            TcpMemory.forEachHeapObject(tp, (type, len) -> heap[0] += m.count(type, len));
            heap[0] += m.socketObjects(s, held.contains(s));
            m.add("TCP " + tp.tcpState().name(), heap[0], s.rmemAlloc(), tp.wmemQueued(),
                    TcpMemory.skbsQueued(tp));
        });
        int tw = TcpMemory.timewaitCount(tcp);
        if (tw > 0) {
            long[] heap = {0};
            TcpMemory.forEachTimewaitHeapObject(tcp, (type, len) -> heap[0] += m.count(type, len));
            m.rows.put("TCP TIME_WAIT", new Row("TCP TIME_WAIT", tw, heap[0], 0, 0, 0));
        }
        TcpMemory.forEachRequestSock(tcp, rs -> m.add("TCP SYN_RECV (request)", m.count(RequestSock.class, -1), 0, 0, 0));
        for (Socket s : held) {
            if (s.ops() instanceof TcpSock) {
                continue;
            }
            long heap = m.count(s.ops().getClass(), -1) + m.socketObjects(s, true);
            if (s.ops() instanceof UdpSock) {
                heap += m.count(ArrayDeque.class, -1) + m.count(Object[].class, 17); // its receive queue
                m.add("UDP", heap, s.rmemAlloc(), s.wmemAlloc(), 0);
            } else {
                m.add(s.family() == SocketConstants.AF_UNIX ? "UNIX" : "family " + s.family(), heap, s.rmemAlloc(), s.wmemAlloc(), 0);
            }
        }
        int[] tables = TcpMemory.tableSizes(tcp);
        long tableBytes = HeapLayout.arraySize(Object[].class, tables[0])
                + (tables[2] == 0 ? 0 : HeapLayout.arraySize(Object[].class, hashMapTable(tables[2])));
        m.rows.put("tables", new Row("tables", 0, tableBytes, 0, 0, 0));
        return m;
    }

    /** The rows, TCP first, {@code tables} last. */
    public List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** The row of {@code kind} ({@code "TCP ESTABLISHED"}, {@code "UDP"} ...), or an empty one. */
    public Row row(String kind) {
        return rows.getOrDefault(kind, new Row(kind, 0, 0, 0, 0, 0));
    }

    /** All rows added up. */
    public Row total() {
        Row t = new Row("total", 0, 0, 0, 0, 0);
        for (Row r : rows.values()) {
            t = t.plus(r.count(), r.heapBytes(), r.rmemBytes(), r.wmemBytes(), r.skbs());
        }
        return t;
    }

    /**
     * The stack's own class histogram: for each class (arrays as {@code Object[5]}), how many
     * objects the sockets were found to own and their estimated bytes, {@code {count, bytes}}.
     */
    public Map<String, long[]> objects() {
        return Collections.unmodifiableMap(objects);
    }

    /** Skbs allocated from the host's pool and not released (all hosts sharing it; NIC rings included). */
    public long pooledSkbs() {
        return pooledSkbs;
    }

    /** The report as a table, then the objects by estimated bytes. */
    public String render() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append(String.format(Locale.ROOT, "%-24s %9s %9s %11s %9s %9s %6s%n", "kind", "count", "heap/each", "heap",
                "rmem", "wmem", "skbs"));
        List<Row> all = rows();
        all.add(total());
        for (Row r : all) {
            sb.append(String.format(Locale.ROOT, "%-24s %9s %9s %11s %9d %9d %6d%n", r.kind(),
                    r.kind().equals("tables") ? "" : Long.toString(r.count()),
                    r.count() == 0 ? "" : Long.toString(r.heapEach()), bytes(r.heapBytes()), r.rmemBytes(),
                    r.wmemBytes(), r.skbs()));
        }
        sb.append("skbs outstanding in the pool: ").append(pooledSkbs).append('\n');
        sb.append(String.format(Locale.ROOT, "%n%10s %11s  %s%n", "objects", "bytes", "class"));
        objects.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%10d %11d  %s%n", e.getValue()[0],
                        e.getValue()[1], e.getKey())));
        return sb.toString();
    }

    @Override
    public String toString() {
        Row t = total();
        return "SocketMemory[sockets=" + t.count() + " heap=" + bytes(t.heapBytes()) + "]";
    }

    // ---------------------------------------------------------------- the walk

    /** Every socket a descriptor of a process of {@code host} refers to, each once. */
    static Set<Socket> heldSockets(Host host) {
        Set<Socket> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Process p : host.sockets().processes()) {
            for (String fd : p.fds()) {
                if (fd.contains("socket:[")) {
                    out.add(p.sockfdLookup(Integer.parseInt(fd.substring(0, fd.indexOf(' ')))));
                }
            }
        }
        return out;
    }

    /**
     * The socket layer's objects of one socket, as {@code Socket} creates them: the socket, its
     * wait queue (with an entry array and a flag array once something waited on it, two more once
     * two were woken at once), its two buffer owners (inner classes holding the socket); and, when a descriptor refers to it, the open file with its
     * list of epoll watchers ({@code new ArrayList<>(1)}). A descriptor table's slot is the
     * process's, not the socket's.
     */
    private long socketObjects(Socket s, boolean hasFile) {
        long b = count(Socket.class, -1) + count(dev.stacksim.socket.WaitQueue.class, -1);
        for (int len : s.waitQueue().arrayLengths()) {
            if (len > 0) {
                b += count(Object[].class, len) + count(boolean[].class, len);
            }
        }
        for (int i = 0; i < 2; i++) {
            b += count(TcpMemory.LAMBDA_ONE_CAPTURE, -1);
        }
        if (hasFile) {
            b += count(OPEN_FILE, -1);
        }
        return b;
    }

    private static final Class<?> OPEN_FILE = openFileClass();

    private static Class<?> openFileClass() {
        try {
            return Class.forName("dev.stacksim.socket.OpenFile");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SocketMemory: dev.stacksim.socket.OpenFile is gone; update the model", e);
        }
    }

    /** Counts one object in the histogram; its estimated bytes. */
    private long count(Class<?> type, int arrayLength) {
        long bytes = HeapLayout.size(type, arrayLength);
        String name = arrayLength >= 0 ? type.getComponentType().getSimpleName() + "[" + arrayLength + "]"
                : type.getName();
        long[] c = objects.computeIfAbsent(name, k -> new long[2]);
        c[0]++;
        c[1] += bytes;
        return bytes;
    }

    private void add(String kind, long heap, long rmem, long wmem, long skbs) {
        rows.put(kind, row(kind).plus(1, heap, rmem, wmem, skbs));
    }

    /** The table a {@code HashMap} of {@code n} entries has at load factor 0.75. */
    private static int hashMapTable(int n) {
        int cap = 16;
        while (cap * 3L / 4 < n) {
            cap <<= 1;
        }
        return cap;
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }
}
