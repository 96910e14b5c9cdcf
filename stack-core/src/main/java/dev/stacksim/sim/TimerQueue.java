package dev.stacksim.sim;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The heap of an {@link EventLoop}'s {@link EventQueue} (the timers no delay lane takes): an indexed 4-ary min-heap of {@link Timer}s keyed by
 * {@code (when, seq)}, where {@code seq} is the loop's arming counter, so equal deadlines run in
 * arming order.
 *
 * <p>Each timer records its slot ({@link Timer#index}), so re-arming sifts the entry up or down in
 * place and cancelling removes it: both O(log n), and nothing is left behind. That is why there is
 * no lazy cancellation here and no garbage to compact: the heap holds exactly the pending timers.
 * A hashed timer wheel (as Linux uses) is O(1) but needs the same tie-breaking inside each bucket
 * and cascades for far deadlines; the heap is simpler to get exactly right, and at a million
 * timers it is ten levels deep.
 *
 * <p>Four children per node rather than two halve the depth, and the four sit side by side in
 * memory, so a level of a sift costs about one cache miss. Keys are interleaved in one primitive
 * array beside the timer references, so sifting compares {@code long}s in contiguous memory instead
 * of chasing a pointer per comparison. Per slot: 16 bytes of key + a 4-byte reference (compressed
 * oops), over a capacity at most twice the size. The arrays grow by doubling and shrink by half
 * when under a quarter full, so firing a million timers gives the memory back.
 *
 * <pre>
 *   slot:       0        1        2        3        4        5   ...  size-1 | unused
 *   keys[2i]:   40ms     40ms     1s       60s      1s       75s ...         |
 *   keys[2i+1]: 17       23       5        2        9        4   ...         |
 *   timers[i]:  delack   delack2  rto      tw       rto2     ka  ...         | null
 *   children of i: 4i+1 .. 4i+4;  parent of i: (i-1)/4;  timers[i].index == i
 * </pre>
 *
 * <p>Not thread-safe: only the loop touches it.
 */
final class TimerQueue {
    private static final int MIN_CAPACITY = 64;

    /** Key of each slot, interleaved: {@code keys[2i]} = deadline, {@code keys[2i + 1]} = arming seq. */
    private long[] keys = new long[2 * MIN_CAPACITY];
    /** The timer in each slot; {@code null} at and beyond {@link #size}. */
    private Timer[] timers = new Timer[MIN_CAPACITY];
    /** Number of pending timers: slots {@code [0, size)} are in use. */
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Length of the backing arrays in slots (for tests that check memory is given back). */
    int capacity() {
        return timers.length;
    }

    /** The earliest deadline; only when not empty. */
    long peekWhen() {
        return keys[0];
    }

    /** The arming number of the earliest entry (its tie-breaker); only when not empty. */
    long peekSeq() {
        return keys[1];
    }

    /** The timer that runs next; only when not empty. */
    Timer peek() {
        return timers[0];
    }

    /** Inserts a timer that is not pending. */
    void add(Timer timer, long when, long seq) {
        if (size == timers.length) {
            resize(timers.length * 2);
        }
        siftUp(size++, when, seq, timer);
    }

    /** Moves a pending timer to a new key, in place. */
    void update(Timer timer, long when, long seq) {
        int i = timer.index;
        if (less(when, seq, keys[2 * i], keys[2 * i + 1])) {
            siftUp(i, when, seq, timer);
        } else {
            siftDown(i, when, seq, timer);
        }
    }

    /** Removes a pending timer. */
    void remove(Timer timer) {
        removeAt(timer.index);
        timer.index = -1;
    }

    /** Removes and returns the earliest timer; only when not empty. */
    Timer poll() {
        Timer first = timers[0];
        removeAt(0);
        first.index = -1;
        return first;
    }

    /** Removes every timer, telling {@code discarded} about each (they are no longer pending). */
    void clear(Consumer<Timer> discarded) {
        Timer[] old = timers;
        int n = size;
        size = 0;
        timers = new Timer[MIN_CAPACITY];
        keys = new long[2 * MIN_CAPACITY];
        for (int i = 0; i < n; i++) {
            old[i].index = -1;
            discarded.accept(old[i]);
        }
    }

    private void removeAt(int i) {
        int last = --size;
        if (i != last) {
            // Fill the hole with the last entry; it may belong above or below the hole.
            long when = keys[2 * last];
            long seq = keys[2 * last + 1];
            Timer t = timers[last];
            timers[last] = null;
            siftDown(i, when, seq, t);
            if (timers[i] == t) {
                siftUp(i, when, seq, t);
            }
        } else {
            timers[last] = null;
        }
        if (size < timers.length / 4 && timers.length > MIN_CAPACITY) {
            resize(timers.length / 2);
        }
    }

    private void siftUp(int i, long when, long seq, Timer t) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!less(when, seq, keys[2 * parent], keys[2 * parent + 1])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        place(i, when, seq, t);
    }

    private void siftDown(int i, long when, long seq, Timer t) {
        int n = size;
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            // The smallest of up to four children, which sit side by side in the key array.
            int best = first;
            long bestWhen = keys[2 * first];
            long bestSeq = keys[2 * first + 1];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cw = keys[2 * c];
                long cs = keys[2 * c + 1];
                if (less(cw, cs, bestWhen, bestSeq)) {
                    best = c;
                    bestWhen = cw;
                    bestSeq = cs;
                }
            }
            if (!less(bestWhen, bestSeq, when, seq)) {
                break;
            }
            move(best, i);
            i = best;
        }
        place(i, when, seq, t);
    }

    /** Copies slot {@code from} into slot {@code to} (sifting moves entries, not references to them). */
    private void move(int from, int to) {
        keys[2 * to] = keys[2 * from];
        keys[2 * to + 1] = keys[2 * from + 1];
        Timer t = timers[from];
        timers[to] = t;
        t.index = to;
    }

    private void place(int i, long when, long seq, Timer t) {
        keys[2 * i] = when;
        keys[2 * i + 1] = seq;
        timers[i] = t;
        t.index = i;
    }

    private static boolean less(long w1, long s1, long w2, long s2) {
        return w1 < w2 || (w1 == w2 && s1 < s2);
    }

    private void resize(int capacity) {
        keys = Arrays.copyOf(keys, 2 * capacity);
        timers = Arrays.copyOf(timers, capacity);
    }
}
