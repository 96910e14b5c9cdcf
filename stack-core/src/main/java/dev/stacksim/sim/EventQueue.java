package dev.stacksim.sim;

import java.util.function.Consumer;

/**
 * The pending events of an {@link EventLoop}, in {@code (when, seq)} order: an indexed heap
 * ({@link TimerQueue}) for any deadline, and beside it a few <i>delay lanes</i>, FIFO lists of the
 * timers armed with one same delay, which are O(1) to arm, cancel and run.
 *
 * <p>Why lanes are exact: a timer armed at time {@code now} with delay {@code d} expires at
 * {@code now + d}, and the loop's clock never runs backwards, so the timers armed one after the
 * other with the same {@code d} expire in the order they were armed and carry increasing arming
 * numbers: appended at its tail, a lane stays sorted by {@code (when, seq)}. The earliest event is
 * then the least of the heap's root and the lanes' heads, and the loop runs exactly the events it
 * would run with the heap alone, in exactly the same order. Lanes only change what each operation
 * costs.
 *
 * <p>What they are for: the simulation arms most of its events at a few fixed delays. Delay 0 is
 * "now" ({@link EventLoop#execute}, a device backlog's run, a packet handed up the stack): lane 0
 * always takes it, a same-instant FIFO. TCP arms its SYN and SYN-ACK retransmissions at 1 s, its
 * TIME_WAIT minisocks at 60 s, its delayed ACKs and retransmissions at delays shared by every
 * connection of a path; thousands of such timers pending would make each heap operation cost
 * several cache misses, where a lane costs a few pointer writes. The other
 * {@value #LANES}{@code - 1} lanes are taken by the first delays that come when one is free and
 * given back when they run empty; a timer whose delay finds no lane goes to the heap, so lanes
 * never affect correctness, only speed. Linux's timer wheel is O(1) too, but rounds deadlines to
 * ticks and does not keep arming order among equal deadlines; lanes keep both.
 *
 * <pre>
 *   heap:    [ 1.2s rto#9 ][ 3.0s keepalive ] ...        (any deadline)
 *   lane 0:  d=0     now#41 ─► now#42 ─► now#45           (same instant, FIFO)
 *   lane 1:  d=60s   tw#3 ─► tw#17 ─► tw#30 ─► ...         (TIME_WAIT, sorted by arming)
 *   lane 2:  d=1s    synack#40 ─► synack#44
 *   next event = min(heap root, head of each busy lane) by (when, seq)
 * </pre>
 *
 * <p>A timer in a lane is linked through {@link Timer#prev}/{@link Timer#next} and has
 * {@code index = -2 - lane}; in the heap, {@code index} is its slot; idle, -1. Not thread-safe: only
 * the loop touches it.
 */
final class EventQueue {
    /** Number of delay lanes; lane 0 is reserved for delay 0. At most 32 (one bit each in {@link #busy}). */
    static final int LANES = 16;

    /** Timers whose delay has no lane. */
    private final TimerQueue heap = new TimerQueue();
    /** The delay each busy lane holds. */
    private final long[] delay = new long[LANES];
    /** First (earliest) timer of each lane; null when empty. */
    private final Timer[] head = new Timer[LANES];
    /** Last (latest) timer of each lane; null when empty. */
    private final Timer[] tail = new Timer[LANES];
    /** Bit {@code l} set when lane {@code l} is not empty. */
    private int busy;
    /** Timers in lanes. */
    private int laneSize;
    /**
     * A one-word Bloom filter of the delays of busy lanes 1 and up: a delay whose bit is clear has
     * no lane, so arming it skips the scan of the lanes (timers with one-off delays, or every lane
     * taken by other delays, cost one test).
     */
    private long delayBloom;

    /** The heap part, for tests that check it gives memory back. */
    TimerQueue heap() {
        return heap;
    }

    int size() {
        return heap.size() + laneSize;
    }

    boolean isEmpty() {
        return laneSize == 0 && heap.isEmpty();
    }

    /**
     * Queues {@code timer} (not pending) at {@code when} with arming number {@code seq}, armed at
     * {@code now}; {@code when >= now}, and {@code now} never decreases from call to call.
     */
    void add(Timer timer, long when, long seq, long now) {
        int lane = laneFor(when - now);
        if (lane < 0) {
            heap.add(timer, when, seq);
        } else {
            append(lane, timer, when, seq);
        }
    }

    /** Moves a pending timer to a new key (a new arming at {@code now}). */
    void update(Timer timer, long when, long seq, long now) {
        if (timer.index >= 0) {
            int lane = laneFor(when - now);
            if (lane < 0) {
                heap.update(timer, when, seq);
                return;
            }
            heap.remove(timer);
            append(lane, timer, when, seq);
        } else {
            unlink(timer);
            add(timer, when, seq, now);
        }
    }

    /** Removes a pending timer. */
    void remove(Timer timer) {
        if (timer.index >= 0) {
            heap.remove(timer);
        } else {
            unlink(timer);
        }
    }

    /** The earliest deadline; only when not empty. */
    long peekWhen() {
        int lane = firstLane();
        if (lane < 0) {
            return heap.peekWhen();
        }
        Timer h = head[lane];
        if (!heap.isEmpty() && heapFirst(h.expires, h.seq)) {
            return heap.peekWhen();
        }
        return h.expires;
    }

    /** The timer that runs next; only when not empty. */
    Timer peek() {
        int lane = firstLane();
        if (lane < 0) {
            return heap.peek();
        }
        Timer h = head[lane];
        return !heap.isEmpty() && heapFirst(h.expires, h.seq) ? heap.peek() : h;
    }

    /** Removes and returns the earliest timer; only when not empty. */
    Timer poll() {
        int lane = firstLane();
        if (lane < 0) {
            return heap.poll();
        }
        Timer h = head[lane];
        if (!heap.isEmpty() && heapFirst(h.expires, h.seq)) {
            return heap.poll();
        }
        unlink(h);
        return h;
    }

    /** Removes every timer, telling {@code discarded} about each (they are no longer pending). */
    void clear(Consumer<Timer> discarded) {
        heap.clear(discarded);
        for (int lane = 0; lane < LANES; lane++) {
            while (head[lane] != null) {
                Timer t = head[lane];
                unlink(t);
                discarded.accept(t);
            }
        }
    }

    /** Whether the heap's root comes before a lane head keyed {@code (when, seq)}. */
    private boolean heapFirst(long when, long seq) {
        long hw = heap.peekWhen();
        return hw < when || (hw == when && heap.peekSeq() < seq);
    }

    /** The busy lane whose head comes first, or -1 when every lane is empty. */
    private int firstLane() {
        int m = busy;
        if (m == 0) {
            return -1;
        }
        int best = Integer.numberOfTrailingZeros(m);
        m &= m - 1;
        if (m == 0) {
            return best;
        }
        long bw = head[best].expires;
        long bs = head[best].seq;
        do {
            int l = Integer.numberOfTrailingZeros(m);
            m &= m - 1;
            Timer h = head[l];
            if (h.expires < bw || (h.expires == bw && h.seq < bs)) {
                best = l;
                bw = h.expires;
                bs = h.seq;
            }
        } while (m != 0);
        return best;
    }

    /** The lane that takes timers armed {@code d} from now, claiming a free one; -1 when none is free. */
    private int laneFor(long d) {
        if (d == 0) {
            return 0;
        }
        if ((delayBloom & bloomBit(d)) != 0) {
            int m = busy & ~1;
            while (m != 0) {
                int l = Integer.numberOfTrailingZeros(m);
                if (delay[l] == d) {
                    return l;
                }
                m &= m - 1;
            }
        }
        int free = ~busy & ~1 & (int) ((1L << LANES) - 1);
        if (free == 0) {
            return -1;
        }
        int l = Integer.numberOfTrailingZeros(free);
        delay[l] = d;
        return l;
    }

    private static long bloomBit(long d) {
        return 1L << ((d * 0x9E37_79B9_7F4A_7C15L) >>> 58);
    }

    private void append(int lane, Timer t, long when, long seq) {
        t.expires = when;
        t.seq = seq;
        t.index = -2 - lane;
        t.next = null;
        Timer last = tail[lane];
        t.prev = last;
        if (last == null) {
            head[lane] = t;
            busy |= 1 << lane;
            if (lane != 0) {
                delayBloom |= bloomBit(delay[lane]);
            }
        } else {
            last.next = t;
        }
        tail[lane] = t;
        laneSize++;
    }

    private void unlink(Timer t) {
        int lane = -2 - t.index;
        Timer p = t.prev;
        Timer n = t.next;
        if (p == null) {
            head[lane] = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail[lane] = p;
        } else {
            n.prev = p;
        }
        if (head[lane] == null) {
            busy &= ~(1 << lane);
            if (lane != 0) {
                long bloom = 0;
                for (int m = busy & ~1; m != 0; m &= m - 1) {
                    bloom |= bloomBit(delay[Integer.numberOfTrailingZeros(m)]);
                }
                delayBloom = bloom;
            }
        }
        t.prev = null;
        t.next = null;
        t.index = -1;
        laneSize--;
    }
}
