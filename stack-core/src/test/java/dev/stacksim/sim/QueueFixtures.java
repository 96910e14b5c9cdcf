package dev.stacksim.sim;

import java.util.Comparator;

/** What the timer-queue tests share: a reference key ordered as the queues must order, and timers to queue. */
final class QueueFixtures {
    private QueueFixtures() {
    }

    /** A reference entry: the key the queue should order by. */
    record Key(long when, long seq, Timer timer) {
    }

    /** (when, seq): the order the queues promise. */
    static final Comparator<Key> ORDER = Comparator.comparingLong(Key::when).thenComparingLong(Key::seq);

    /** {@code n} idle timers on a fresh virtual loop. */
    static Timer[] timers(int n) {
        EventLoop loop = EventLoop.virtual(0);
        Timer[] timers = new Timer[n];
        for (int i = 0; i < n; i++) {
            timers[i] = new Timer(loop, "t" + i, () -> { });
        }
        return timers;
    }
}
