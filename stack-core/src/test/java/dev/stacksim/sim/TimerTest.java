package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimerTest {
    private final EventLoop loop = EventLoop.virtual(1);
    private final List<String> log = new ArrayList<>();

    private Timer logging(String name) {
        return new Timer(loop, name, () -> log.add(name + "@" + SimTime.format(loop.now())));
    }

    @Test
    void armedTimerRunsAtExactlyItsDeadline() {
        Timer rto = logging("rto");
        assertFalse(rto.arm(SimTime.millis(200)));
        assertTrue(rto.isPending());
        assertEquals(200_000_000L, rto.expires());
        loop.runUntilIdle();
        assertEquals(List.of("rto@0.200000000s"), log);
        assertFalse(rto.isPending());
        assertEquals(200_000_000L, rto.expires());
    }

    @Test
    void modAndCancelReturnWhetherTheTimerWasPending() {
        Timer t = logging("t");
        assertFalse(t.cancel());
        assertFalse(t.mod(1_000));
        assertTrue(t.mod(2_000));
        assertTrue(t.cancel());
        assertFalse(t.isPending());
        assertFalse(t.cancel());
        loop.runUntilIdle();
        assertEquals(List.of(), log);
    }

    @Test
    void rearmMovesTheDeadlineLaterAndEarlier() {
        Timer a = logging("a");
        Timer b = logging("b");
        a.arm(SimTime.millis(10));
        b.arm(SimTime.millis(20));
        a.arm(SimTime.millis(30));   // later: now after b
        loop.runFor(SimTime.millis(25));
        assertEquals(List.of("b@0.020000000s"), log);
        a.mod(SimTime.millis(26));   // earlier than its 30 ms
        loop.runUntilIdle();
        assertEquals(List.of("b@0.020000000s", "a@0.026000000s"), log);
    }

    @Test
    void equalDeadlinesRunInArmingOrderMixedWithEvents() {
        Timer first = logging("first");
        Timer second = logging("second");
        first.arm(100);
        loop.schedule(100, () -> log.add("event"));
        second.arm(100);
        loop.runUntilIdle();
        assertEquals(List.of("first@0.000000100s", "event", "second@0.000000100s"), log);
    }

    @Test
    void rearmToTheSameDeadlineKeepsItsPlaceAmongTies() {
        Timer first = logging("first");
        Timer second = logging("second");
        first.arm(100);
        second.arm(100);
        assertTrue(first.mod(100));   // mod_timer's shortcut: no new arming
        loop.runUntilIdle();
        assertEquals(List.of("first@0.000000100s", "second@0.000000100s"), log);
    }

    @Test
    void rearmAwayAndBackCountsAsANewArming() {
        Timer first = logging("first");
        Timer second = logging("second");
        first.arm(100);
        second.arm(100);
        first.arm(200);
        first.arm(100);
        loop.runUntilIdle();
        assertEquals(List.of("second@0.000000100s", "first@0.000000100s"), log);
    }

    @Test
    void deadlineInThePastRunsNowAfterEventsAlreadyDue() {
        loop.runFor(SimTime.seconds(1));
        Timer late = logging("late");
        loop.execute(() -> log.add("due-now"));
        late.mod(SimTime.millis(500));
        assertEquals(SimTime.seconds(1), late.expires());
        loop.runUntilIdle();
        assertEquals(List.of("due-now", "late@1.000000000s"), log);
        assertEquals(SimTime.seconds(1), loop.now());
    }

    @Test
    void callbackSeesItsTimerIdleAndMayRearmItself() {
        Timer[] holder = new Timer[1];
        List<Long> ticks = new ArrayList<>();
        holder[0] = new Timer(loop, "keepalive", () -> {
            assertFalse(holder[0].isPending());
            ticks.add(loop.now());
            if (ticks.size() < 3) {
                holder[0].arm(SimTime.seconds(75));
            }
        });
        holder[0].arm(SimTime.seconds(75));
        assertEquals(3, loop.runUntilIdle());
        assertEquals(List.of(75_000_000_000L, 150_000_000_000L, 225_000_000_000L), ticks);
    }

    @Test
    void cancelFromAnotherCallbackAtTheSameTimePreventsTheRun() {
        Timer victim = logging("victim");
        loop.schedule(100, () -> {
            log.add("killer");
            victim.cancel();
        });
        victim.arm(100);
        loop.runUntilIdle();
        assertEquals(List.of("killer"), log);
    }

    @Test
    void reduceOnlyEverMovesTheDeadlineEarlier() {
        Timer delack = logging("delack");
        assertFalse(delack.reduce(SimTime.millis(200)));
        assertTrue(delack.reduce(SimTime.millis(300)));
        assertEquals(SimTime.millis(200), delack.expires());
        assertTrue(delack.reduce(SimTime.millis(40)));
        assertEquals(SimTime.millis(40), delack.expires());
        loop.runUntilIdle();
        assertEquals(List.of("delack@0.040000000s"), log);
    }

    @Test
    void armRejectsNegativeDelaysAndSaturatesHugeOnes() {
        Timer t = logging("t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.arm(-1));
        assertEquals("Timer.arm: delay=-1 must be >= 0", e.getMessage());
        loop.runFor(5);
        t.arm(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, t.expires());
        t.arm(Duration.ofSeconds(2));
        assertEquals(2_000_000_005L, t.expires());
    }

    @Test
    void rearmingAndCancellingLeaveNothingBehindInTheQueue() {
        // No lazy cancellation: the queue holds exactly the pending timers, however often they move.
        SplittableRandom rnd = new SplittableRandom(3);
        Timer[] timers = new Timer[1_000];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = logging("t" + i);
        }
        TimerQueue queue = queueOf(loop);
        for (int round = 0; round < 200; round++) {
            for (Timer t : timers) {
                t.arm(rnd.nextLong(SimTime.seconds(1)));   // re-armed on "every ACK"
            }
            assertEquals(timers.length, loop.pendingEvents());
            assertTrue(queue.capacity() <= 2 * timers.length, "capacity=" + queue.capacity());
        }
        for (Timer t : timers) {
            assertTrue(t.cancel());
        }
        assertEquals(0, loop.pendingEvents());
        assertEquals(64, queue.capacity());
        assertEquals(0, loop.runUntilIdle());
        assertEquals(List.of(), log);
    }

    @Test
    void aMillionTimersFireInDeadlineThenArmingOrder() {
        // A scale smoke test, not a benchmark: it must finish well within a couple of seconds.
        int n = 1_000_000;
        SplittableRandom rnd = new SplittableRandom(1_000_000L);
        EventLoop big = EventLoop.virtual(2);
        long[] deadline = new long[n];
        int[] fired = new int[n];
        int[] count = new int[1];
        long heapBefore = usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            deadline[i] = rnd.nextLong(100_000);   // ~10 timers share each nanosecond: many ties
            int id = i;
            new Timer(big, "conn", () -> fired[count[0]++] = id).mod(deadline[i]);
        }
        assertEquals(n, big.pendingEvents());
        // Timer 40 B + queue slot 20 B (array up to 2x) + this test's 24 B lambda: ~85-95 B measured.
        long bytesPerTimer = (usedHeapAfterGc() - heapBefore) / n;
        assertTrue(bytesPerTimer < 128, "bytesPerTimer=" + bytesPerTimer);
        assertEquals(n, big.runUntilIdle());
        assertEquals(n, count[0]);
        for (int k = 1; k < n; k++) {
            int prev = fired[k - 1];
            int cur = fired[k];
            boolean inOrder = deadline[prev] < deadline[cur] || (deadline[prev] == deadline[cur] && prev < cur);
            if (!inOrder) {
                throw new AssertionError("position " + k + ": timer " + cur + " (expires=" + deadline[cur]
                        + ") ran after timer " + prev + " (expires=" + deadline[prev] + ")");
            }
        }
        assertEquals(64, queueOf(big).capacity());
    }

    @Test
    void callsFromTheWrongThreadThrowNamingTheCall() throws Exception {
        Timer t = logging("t");
        IllegalStateException[] seen = new IllegalStateException[1];
        loop.execute(() -> {
            Thread other = new Thread(() -> {
                try {
                    t.arm(10);
                } catch (IllegalStateException e) {
                    seen[0] = e;
                }
            }, "intruder");
            other.start();
            joinQuietly(other);
        });
        loop.runUntilIdle();
        assertTrue(seen[0].getMessage().startsWith("Timer.arm: called from thread 'intruder'"), seen[0].getMessage());
        assertFalse(t.isPending());
    }

    @Test
    void toStringShowsNameDeadlineAndState() {
        Timer t = logging("tcp-retransmit");
        t.arm(SimTime.millis(1_200));
        assertEquals("Timer[tcp-retransmit expires=1.200000000s pending]", t.toString());
        t.cancel();
        assertEquals("Timer[tcp-retransmit expires=1.200000000s idle]", t.toString());
    }

    @Test
    void constructorRejectsNulls() {
        assertThrows(IllegalArgumentException.class, () -> new Timer(null, "x", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> new Timer(loop, "x", null));
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TimerQueue queueOf(EventLoop loop) {
        return loop.queue();
    }
}
