package dev.stacksim.socket;

import java.util.Arrays;

/**
 * The queue of parties waiting for something to happen to a socket: Linux's
 * {@code wait_queue_head_t} ({@code sk->sk_wq->wait}). A protocol wakes it with the poll bits of
 * what happened ({@code sk_data_ready} wakes with {@code POLLIN | POLLRDNORM}, {@code sk_write_space}
 * with {@code POLLOUT | POLLWRNORM | POLLWRBAND}); every entry is called with that key.
 *
 * <p>Entries are what waits: a blocking call of a process (its retry condition), an epoll item
 * ({@code ep_poll_callback}), an AF_UNIX datagram sender relaying its peer's wake-ups. As in
 * {@code __wake_up_common}, non-exclusive entries sit at the head and are all called; exclusive
 * entries ({@link #addExclusive}, EPOLLEXCLUSIVE) sit at the tail, and the walk stops after the
 * first exclusive entry that reports it really woke someone.
 *
 * <pre>
 *   head [ waiter ][ epitem ][ waiter ] ... [ excl epitem A ][ excl epitem B ]  tail
 *          all called, whatever they return      ^ stops here when A returns true
 * </pre>
 *
 * <p>Entries may remove themselves (or others) from inside {@link Entry#wake}: the walk runs over
 * a snapshot. Only the event loop touches a wait queue.
 */
public final class WaitQueue {
    /** Something that waits on a {@link WaitQueue} ({@code wait_queue_entry_t} with its function). */
    @FunctionalInterface
    public interface Entry {
        /**
         * Called on a wake-up.
         *
         * @param key the poll bits of what happened ({@code POLLIN}, {@code POLLOUT} ...), 0 for "anything"
         * @return true when this entry really woke a waiter: for an exclusive entry this ends the walk
         */
        boolean wake(int key);
    }

    private static final Entry[] NO_ENTRIES = {};
    private static final boolean[] NO_FLAGS = {};

    /*
     * Most queues never hold more than one entry at a time (a blocked call, or one epoll item), so
     * the first lives in a field and the arrays are created only when a second comes, and then
     * kept: a socket waited on by one caller at a time never allocates, idle or busy.
     */
    /** The one entry while the arrays do not exist ({@code entries.length == 0}, size 0 or 1). */
    private Entry lone;
    /** Whether {@link #lone} was added as exclusive. */
    private boolean loneExclusive;
    /** The entries once two were queued at once, non-exclusive first; {@code exclusive[i]} tells which kind {@code entries[i]} is. */
    private Entry[] entries = NO_ENTRIES;
    private boolean[] exclusive = NO_FLAGS;
    private int size;
    /**
     * Reused snapshot for the outermost {@link #wakeUp} of two or more entries; a nested wake-up
     * takes a fresh one. A lone entry needs none.
     */
    private Entry[] snapshot = NO_ENTRIES;
    private boolean[] snapshotExclusive = NO_FLAGS;
    private boolean waking;

    /** Adds a non-exclusive entry at the head ({@code add_wait_queue}). */
    public void add(Entry entry) {
        insert(0, entry, false);
    }

    /** Adds an exclusive entry at the tail ({@code add_wait_queue_exclusive}). */
    public void addExclusive(Entry entry) {
        insert(size, entry, true);
    }

    /** Removes {@code entry} if present ({@code remove_wait_queue}); true when it was there. */
    public boolean remove(Entry entry) {
        if (entries.length == 0) {
            if (lone != null && lone == entry) {
                lone = null;
                size = 0;
                return true;
            }
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (entries[i] == entry) {
                System.arraycopy(entries, i + 1, entries, i, size - i - 1);
                System.arraycopy(exclusive, i + 1, exclusive, i, size - i - 1);
                entries[--size] = null;
                return true;
            }
        }
        return false;
    }

    /** Whether anything waits here ({@code waitqueue_active}). */
    public boolean isActive() {
        return size > 0;
    }

    /** How many entries wait here. */
    public int size() {
        return size;
    }

    /**
     * The length of each of the two entry arrays (0 until two entries first waited here at once),
     * and of the two snapshot arrays in {@code [1]} (0 until two or more entries were woken at
     * once): what the queue owns besides itself, for the heap report ({@code diag.SocketMemory}).
     */
    public int[] arrayLengths() {
        return new int[] {entries.length, snapshot.length};
    }

    /**
     * Wakes the queue with {@code key} ({@code __wake_up(wq, TASK_NORMAL, 1, key)}): every
     * non-exclusive entry, and exclusive entries until one returns true.
     */
    public void wakeUp(int key) {
        if (size == 0) {
            return;
        }
        int n = size;
        if (n == 1) {
            // one entry: calling it is the whole walk, whatever it adds or removes meanwhile
            (entries.length == 0 ? lone : entries[0]).wake(key);
            return;
        }
        Entry[] es;
        boolean[] ex;
        boolean outer = !waking;
        if (outer) {
            if (snapshot.length < n) {
                snapshot = new Entry[entries.length];
                snapshotExclusive = new boolean[entries.length];
            }
            es = snapshot;
            ex = snapshotExclusive;
        } else {
            es = new Entry[n];
            ex = new boolean[n];
        }
        System.arraycopy(entries, 0, es, 0, n);
        System.arraycopy(exclusive, 0, ex, 0, n);
        waking = true;
        try {
            for (int i = 0; i < n; i++) {
                if (es[i].wake(key) && ex[i]) {
                    break;
                }
            }
        } finally {
            if (outer) {
                waking = false;
                Arrays.fill(es, 0, n, null);
            }
        }
    }

    private void insert(int at, Entry entry, boolean excl) {
        if (entry == null) {
            throw new IllegalArgumentException("WaitQueue: entry=null");
        }
        if (entries.length == 0) {
            if (size == 0) {
                lone = entry;
                loneExclusive = excl;
                size = 1;
                return;
            }
            // a second entry: into arrays, the lone one first (exclusive entries come last, and
            // the lone one's kind decides where the new one goes, as `at` already says)
            entries = new Entry[4];
            exclusive = new boolean[4];
            entries[0] = lone;
            exclusive[0] = loneExclusive;
            lone = null;
        } else if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            exclusive = Arrays.copyOf(exclusive, size * 2);
        }
        System.arraycopy(entries, at, entries, at + 1, size - at);
        System.arraycopy(exclusive, at, exclusive, at + 1, size - at);
        entries[at] = entry;
        exclusive[at] = excl;
        size++;
    }

    @Override
    public String toString() {
        return "WaitQueue[size=" + size + "]";
    }
}
