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

class EventQueueTest {

    /**
     * Lanes and heap together hand out timers exactly in (when, seq) order, whatever mix of shared
     * delays (lanes), one-off delays (more than there are lanes: the heap), zero delays, re-arms,
     * cancels and a clock that moves on.
     */
    @Test
    void lanesAndHeapTogetherMatchASortedReference() {
        SplittableRandom rnd = new SplittableRandom(20261122L);
        Timer[] timers = timers(400);
        Key[] keyOf = new Key[timers.length];
        TreeSet<Key> reference = new TreeSet<>(ORDER);
        EventQueue queue = new EventQueue();
        long[] shared = {0, 0, 1, 7, 40, 200, 1_000, 60_000};
        long now = 0;
        long seq = 0;
        for (int op = 0; op < 300_000; op++) {
            int i = rnd.nextInt(timers.length);
            Timer t = timers[i];
            switch (rnd.nextInt(6)) {
                case 0, 1, 2 -> {
                    long d = rnd.nextInt(4) == 0 ? rnd.nextLong(5_000) : shared[rnd.nextInt(shared.length)];
                    long when = now + d;
                    if (keyOf[i] != null && keyOf[i].when() == when) {
                        break;   // the loop short-cuts a re-arm to the same deadline
                    }
                    t.expires = when;
                    if (keyOf[i] == null) {
                        queue.add(t, when, seq, now);
                    } else {
                        reference.remove(keyOf[i]);
                        queue.update(t, when, seq, now);
                    }
                    keyOf[i] = new Key(when, seq++, t);
                    reference.add(keyOf[i]);
                }
                case 3 -> {
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
                        assertSame(first.timer(), queue.peek());
                        assertSame(first.timer(), queue.poll());
                        assertEquals(-1, first.timer().index);
                        keyOf[Integer.parseInt(first.timer().name().substring(1))] = null;
                        now = Math.max(now, first.when());   // the clock moves to the event run
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
    void timersArmedForNowRunInArmingOrderWithoutTheHeap() {
        Timer[] timers = timers(1_000);
        EventQueue queue = new EventQueue();
        for (int i = 0; i < timers.length; i++) {
            timers[i].expires = 5;
            queue.add(timers[i], 5, i, 5);
        }
        assertEquals(0, queue.heap().size());
        for (Timer t : timers) {
            assertTrue(t.isPending());
            assertSame(t, queue.poll());
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    void clearUnpendsTimersInLanesAndHeap() {
        Timer[] timers = timers(100);
        EventQueue queue = new EventQueue();
        for (int i = 0; i < timers.length; i++) {
            timers[i].expires = i % 40;
            queue.add(timers[i], i % 40, i, 0);   // 40 delays: some lanes, the rest in the heap
        }
        assertTrue(queue.heap().size() > 0 && queue.heap().size() < timers.length);
        List<Timer> discarded = new ArrayList<>();
        queue.clear(discarded::add);
        assertEquals(0, queue.size());
        assertEquals(timers.length, discarded.size());
        for (Timer t : timers) {
            assertEquals(-1, t.index);
        }
    }
}
