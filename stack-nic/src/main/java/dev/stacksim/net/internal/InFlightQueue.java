package dev.stacksim.net.internal;

import dev.stacksim.buf.SkBuff;

/**
 * The frames on one direction of a wire, ordered by the time their last bit reaches the far end:
 * a binary min-heap over parallel arrays keyed by {@code (arrival time, sequence number)}.
 *
 * <p>On a plain link arrivals are already in order, and each insertion stops at once at the
 * bottom of the heap. Impairments break the order (a reordered frame skips the delay, jitter may
 * let a frame overtake): the heap delivers by arrival time all the same, and frames arriving at
 * the same nanosecond come out in the order they were added, which keeps runs deterministic
 * (netem's {@code tfifo} sorts the same way). The arrays double when full and are kept, so a link
 * in steady state allocates nothing.
 *
 * <p>Ownership: the queue holds the references it was given until they are polled. Not
 * thread-safe.
 */
public final class InFlightQueue {
    private static final int INITIAL_CAPACITY = 16;

    private long[] times = new long[INITIAL_CAPACITY];
    private long[] seqs = new long[INITIAL_CAPACITY];
    private SkBuff[] frames = new SkBuff[INITIAL_CAPACITY];
    private int size;

    /** Frames in flight. */
    public int size() {
        return size;
    }

    /** True when nothing is in flight. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code frame}, arriving at {@code time}; {@code seq} breaks ties (smaller first) and must be unique. */
    public void add(SkBuff frame, long time, long seq) {
        if (size == frames.length) {
            grow();
        }
        int i = size++;
        // Sift up: move parents that come later down into the hole.
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], seqs[parent])) {
                break;
            }
            set(i, times[parent], seqs[parent], frames[parent]);
            i = parent;
        }
        set(i, time, seq, frame);
    }

    /** The arrival time of the earliest frame; only when not empty. */
    public long peekTime() {
        return times[0];
    }

    /** The sequence number of the earliest frame; only when not empty. */
    public long peekSeq() {
        return seqs[0];
    }

    /** Removes and returns the earliest frame, or {@code null} when empty. */
    public SkBuff poll() {
        if (size == 0) {
            return null;
        }
        SkBuff first = frames[0];
        int last = --size;
        long t = times[last];
        long s = seqs[last];
        SkBuff f = frames[last];
        frames[last] = null;
        if (last > 0) {
            // Sift down the former last element from the root.
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < last && before(times[right], seqs[right], times[child], seqs[child])) {
                    child = right;
                }
                if (!before(times[child], seqs[child], t, s)) {
                    break;
                }
                set(i, times[child], seqs[child], frames[child]);
                i = child;
            }
            set(i, t, s, f);
        }
        return first;
    }

    /**
     * Removes and returns any one frame (the last slot, cheapest), or {@code null} when empty: for
     * flushing everything, where order does not matter.
     */
    public SkBuff pollAny() {
        if (size == 0) {
            return null;
        }
        SkBuff f = frames[--size];
        frames[size] = null;
        return f;
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void set(int i, long time, long seq, SkBuff frame) {
        times[i] = time;
        seqs[i] = seq;
        frames[i] = frame;
    }

    private void grow() {
        int n = frames.length << 1;
        times = java.util.Arrays.copyOf(times, n);
        seqs = java.util.Arrays.copyOf(seqs, n);
        frames = java.util.Arrays.copyOf(frames, n);
    }
}
