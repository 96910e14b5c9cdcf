package dev.stacksim.tcp;

import dev.stacksim.sim.Timer;
import dev.stacksim.socket.Socket;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What TCP holds on a host, counted the way {@code /proc/net/sockstat} counts it, and the Java
 * objects each of its sockets owns, for the memory report ({@code dev.stacksim.diag.SocketMemory}).
 *
 * <h2>The {@code TCP:} line ({@code sockstat_seq_show})</h2>
 * <ul>
 *   <li>{@code inuse}: full sockets in the lookup tables ({@code sock_prot_inuse_get}): listeners
 *       and every socket in the established table (SYN_SENT to LAST_ACK), not TIME_WAIT.</li>
 *   <li>{@code orphan}: full sockets no file refers to any more that are not closed yet
 *       ({@code tcp_orphan_count}: FIN_WAIT1, FIN_WAIT2, CLOSING, LAST_ACK after close()).</li>
 *   <li>{@code tw}: TIME_WAIT minisocks, including an orphan's FIN_WAIT2 kept as one
 *       ({@code tcp_death_row.tw_refcount - 1}).</li>
 *   <li>{@code alloc}: every TCP socket not yet destroyed ({@code tcp_sockets_allocated}): those
 *       above, children waiting in an accept queue, and sockets with an fd but no port.</li>
 *   <li>{@code mem}: pages charged to TCP ({@code tcp_memory_allocated}). Linux charges
 *       {@code sk_forward_alloc} in pages as queues grow and gives back whole pages as they
 *       shrink; here each socket's charge is its receive-buffer bytes ({@code sk_rmem_alloc}) plus
 *       its send-queue bytes ({@code sk_wmem_queued}), rounded up to 4 KiB pages. An idle
 *       connection charges 0, as an idle Linux connection does after {@code sk_mem_reclaim}.</li>
 * </ul>
 *
 * <h2>Owned objects ({@link #forEachHeapObject})</h2>
 * The objects listed for a socket are those that live and die with it: the {@link TcpSock}, its
 * queues with their arrays, its SACK block array, its congestion-control state, the timers it
 * has armed at least once (each with its callback), its {@link Socket} with the socket layer's
 * objects behind it, and its open file. Shared objects
 * (the host, the tables' arrays, the loop) are not. A JDK {@link ArrayDeque}'s array is listed
 * at the capacity the deque was created with, or the least its current size needs: the JDK does
 * not expose the real capacity (a deque that once held many skbs keeps its grown array).
 */
public final class TcpMemory {
    /** Linux's page, the unit of {@code mem}. */
    public static final int PAGE_SIZE = 4096;

    private TcpMemory() {
    }

    /**
     * The counts of the {@code TCP:} line of {@code /proc/net/sockstat}, with the bytes behind
     * {@code mem}.
     *
     * @param inuse     full sockets in the lookup tables (listeners and the established table)
     * @param orphan    closed by the program, not yet by TCP
     * @param tw        TIME_WAIT (and orphaned FIN_WAIT2) minisocks
     * @param alloc     TCP sockets not yet destroyed
     * @param mem       pages charged: per socket, receive plus send-queue bytes rounded up to pages
     * @param requests  request socks (SYN_RECV) in the SYN queues; Linux counts them nowhere here
     * @param rmemBytes bytes charged to receive buffers ({@code sk_rmem_alloc}) of all sockets
     * @param wmemBytes bytes queued for sending ({@code sk_wmem_queued}) of all sockets
     * @param skbs      skbs held in the sockets' queues (receive, out-of-order, write, retransmit)
     */
    public record Sockstat(int inuse, int orphan, int tw, int alloc, long mem, int requests, long rmemBytes,
                           long wmemBytes, long skbs) {
    }

    /** Where {@link #forEachHeapObject} reports each object a socket owns. */
    @FunctionalInterface
    public interface HeapSink {
        /**
         * One object of {@code type}; {@code arrayLength} is its length when {@code type} is an
         * array class, else -1.
         */
        void add(Class<?> type, int arrayLength);
    }

    /**
     * Every TCP socket of {@code tcp} not yet destroyed, each once: those with a port (bound,
     * listening, connected, orphans, children not yet accepted) and {@code held}, the sockets
     * programs hold descriptors to (found by the caller through the processes' fd tables), which
     * adds those without a port.
     */
    public static void forEachSocket(Tcp tcp, Set<TcpSock> held, Consumer<TcpSock> action) {
        for (TcpSock tp : tcp.bound) {
            action.accept(tp);
        }
        for (TcpSock tp : held) {
            if (tp.tcp == tcp && !tcp.bound.contains(tp)) {
                action.accept(tp);
            }
        }
    }

    /** {@link #sockstat(Tcp, Set)} without descriptor-held sockets that have no port. */
    public static Sockstat sockstat(Tcp tcp) {
        return sockstat(tcp, Collections.emptySet());
    }

    /**
     * The {@code TCP:} line's counts for {@code tcp}; {@code held} as for {@link #forEachSocket}.
     * Walks every socket: O(sockets), as reading a {@code /proc} file may be.
     */
    public static Sockstat sockstat(Tcp tcp, Set<TcpSock> held) {
        int[] c = new int[4]; // inuse, orphan, alloc, requests
        long[] b = new long[4]; // mem, rmem, wmem, skbs
        forEachSocket(tcp, held, tp -> {
            c[2]++;
            if (tp.hashed || tp.tstate == TcpState.LISTEN) {
                c[0]++;
            }
            if (tp.orphan && tp.tstate != TcpState.CLOSE) {
                c[1]++;
            }
            if (tp.listener != null) {
                c[3] += tp.listener.reqQueue.qlen();
            }
            long r = tp.socket().rmemAlloc();
            long w = tp.wmemQueued;
            b[0] += (r + w + PAGE_SIZE - 1) / PAGE_SIZE;
            b[1] += r;
            b[2] += w;
            b[3] += skbsQueued(tp);
        });
        return new Sockstat(c[0], c[1], timewaitCount(tcp), c[2], b[0], c[3], b[1], b[2], b[3]);
    }

    /** The skbs in {@code tp}'s receive, out-of-order, write and retransmit queues. */
    public static int skbsQueued(TcpSock tp) {
        return tp.receiveQueue.size() + tp.oooQueue.size() + tp.writeQueue.size() + tp.rtxQueue.size();
    }

    /** The number of TIME_WAIT minisocks of {@code tcp}. */
    public static int timewaitCount(Tcp tcp) {
        int[] tw = new int[1];
        tcp.ehash.forEach(e -> {
            if (e instanceof TcpTimewaitSock) {
                tw[0]++;
            }
        });
        return tw[0];
    }

    /**
     * The objects a full socket owns beyond what its {@link Socket} owns (see the class comment):
     * the socket, its four queues and their arrays, the SACK blocks, the congestion control's
     * state, and each timer created (with its callback, a lambda holding the socket). Its place in
     * the list of sockets with a port is two fields of its own ({@link TcpBoundList}).
     */
    public static void forEachHeapObject(TcpSock tp, HeapSink out) {
        out.add(tp.getClass(), -1);
        deque(tp.rtxQueue, 1, out);
        deque(tp.writeQueue, 1, out);
        deque(tp.receiveQueue, 1, out);
        deque(tp.oooQueue, 0, out);
        out.add(int[].class, tp.sackBlocks.length);
        if (tp.caOps != null) {
            out.add(tp.caOps.getClass(), -1);
        }
        timer(tp.retransmitTimer, out);
        timer(tp.delackTimer, out);
        timer(tp.keepaliveTimer, out);
    }

    /** The objects a TIME_WAIT minisock owns: itself and its timer with the timer's callback. */
    public static void forEachTimewaitHeapObject(Tcp tcp, HeapSink out) {
        tcp.ehash.forEach(e -> {
            if (e instanceof TcpTimewaitSock tw) {
                out.add(tw.getClass(), -1);
                out.add(Timer.class, -1);
                out.add(LAMBDA_ONE_CAPTURE, -1);
            }
        });
    }

    /** The request socks (SYN_RECV) waiting in the SYN queues of {@code tcp}'s listeners. */
    public static void forEachRequestSock(Tcp tcp, Consumer<RequestSock> action) {
        for (TcpSock tp : tcp.bound) {
            if (tp.listener != null) {
                tp.listener.reqQueue.forEach(action);
            }
        }
    }

    /**
     * The lengths of {@code tcp}'s own table arrays, which grow with the number of sockets but no
     * socket owns: {@code [established-table buckets, bind-table slots, 0]} (the third was the
     * set of bound sockets' hash table; that list is intrusive now and has no array).
     */
    public static int[] tableSizes(Tcp tcp) {
        return new int[] {tcp.ehash.capacity(), tcp.bindTable.slots(), 0};
    }

    /**
     * The TCP sockets among {@code sockets} (a caller's walk of the descriptor tables), as an
     * identity set for {@link #forEachSocket}.
     */
    public static Set<TcpSock> tcpSockets(Iterable<Socket> sockets) {
        Set<TcpSock> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Socket s : sockets) {
            if (s.ops() instanceof TcpSock tp) {
                out.add(tp);
            }
        }
        return out;
    }

    /** Stands for a lambda class capturing one reference (a timer's callback holding its socket). */
    public static final Class<?> LAMBDA_ONE_CAPTURE = OneCapture.class;

    /** Same fields as a non-static lambda capturing one reference. */
    @SuppressWarnings("unused")
    private static final class OneCapture {
        Object captured;
    }

    private static void timer(Timer t, HeapSink out) {
        if (t != null) {
            out.add(Timer.class, -1);
            out.add(LAMBDA_ONE_CAPTURE, -1);
        }
    }

    /**
     * A deque and its array: {@code new ArrayDeque<>(n)} allocates {@code n + 1} slots (one stays
     * empty); it doubles while small when full.
     */
    private static void deque(ArrayDeque<?> q, int created, HeapSink out) {
        out.add(ArrayDeque.class, -1);
        int cap = created + 1;
        while (cap < q.size() + 1) {
            cap = cap < 64 ? cap * 2 + 2 : cap + (cap >> 1);
        }
        out.add(Object[].class, cap);
    }
}
