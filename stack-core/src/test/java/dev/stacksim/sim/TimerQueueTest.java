package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import dev.stacksim.sim.QueueFixtures.Key;

import static dev.stacksim.sim.QueueFixtures.ORDER;
import static dev.stacksim.sim.QueueFixtures.timers;

class TimerQueueTest {

    @Test
    void randomAddUpdateRemovePollMatchesASortedReference() {
        SplittableRandom rnd = new SplittableRandom(20240601L);
        Timer[] timers = timers(500);
        Key[] keyOf = new Key[timers.length];
        TreeSet<Key> reference = new TreeSet<>(ORDER);
        TimerQueue queue = new TimerQueue();
        long seq = 0;
        for (int op = 0; op < 200_000; op++) {
            int i = rnd.nextInt(timers.length);
            Timer t = timers[i];
            long when = rnd.nextLong(1_000);   // a small range, so ties are frequent
            switch (rnd.nextInt(4)) {
                case 0, 1 -> {
                    if (keyOf[i] == null) {
                        queue.add(t, when, seq);
                    } else {
                        reference.remove(keyOf[i]);
                        queue.update(t, when, seq);
                    }
                    keyOf[i] = new Key(when, seq++, t);
                    reference.add(keyOf[i]);
                }
                case 2 -> {
                    if (keyOf[i] != null) {
                        queue.remove(t);
                        reference.remove(keyOf[i]);
                        keyOf[i] = null;
                        assertEquals(-1, t.index);
                    }
                }
                default -> {
                    if (!reference.isEmpty()) {
                        Key first = reference.pollFirst();
                        assertEquals(first.when(), queue.peekWhen());
                        assertSame(first.timer(), queue.poll());
                        keyOf[Integer.parseInt(first.timer().name().substring(1))] = null;
                    }
                }
            }
            assertEquals(reference.size(), queue.size());
        }
        List<Timer> drained = new ArrayList<>();
        while (!queue.isEmpty()) {
            drained.add(queue.poll());
        }
        assertEquals(reference.stream().map(Key::timer).toList(), drained);
    }

    @Test
    void everyPendingTimerKnowsItsSlot() {
        Timer[] timers = timers(100);
        TimerQueue queue = new TimerQueue();
        for (int i = 0; i < timers.length; i++) {
            queue.add(timers[i], 100 - i, i);
        }
        for (int i = 0; i < timers.length; i += 3) {
            queue.remove(timers[i]);
        }
        int pending = 0;
        for (Timer t : timers) {
            if (t.index >= 0) {
                pending++;
                assertTrue(t.index < queue.size());
            }
        }
        assertEquals(queue.size(), pending);
    }

    @Test
    void capacityGrowsByDoublingAndShrinksWhenDrained() {
        Timer[] timers = timers(10_000);
        TimerQueue queue = new TimerQueue();
        assertEquals(64, queue.capacity());
        for (int i = 0; i < timers.length; i++) {
            queue.add(timers[i], i, i);
        }
        assertEquals(16_384, queue.capacity());
        while (queue.size() > 10) {
            queue.poll();
        }
        assertEquals(64, queue.capacity());
        assertEquals(9_990, queue.peekWhen());
    }

    @Test
    void clearUnpendsEveryTimerAndReportsIt() {
        Timer[] timers = timers(10);
        TimerQueue queue = new TimerQueue();
        for (int i = 0; i < timers.length; i++) {
            queue.add(timers[i], i, i);
        }
        List<Timer> discarded = new ArrayList<>();
        queue.clear(discarded::add);
        assertEquals(0, queue.size());
        assertEquals(10, discarded.size());
        for (Timer t : timers) {
            assertEquals(-1, t.index);
        }
    }
}
