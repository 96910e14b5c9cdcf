package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The virtual-time loop; the real-time driver is tested in {@link RealTimeDriverTest}. */
class EventLoopTest {
    private final EventLoop loop = EventLoop.virtual(7);
    private final List<String> log = new ArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + SimTime.format(loop.now()));
    }

    @Nested
    class Ordering {
        @Test
        void eventsRunByTimeThenInsertionOrder() {
            loop.schedule(SimTime.millis(30), note("c"));
            loop.schedule(SimTime.millis(10), note("a1"));
            loop.schedule(SimTime.millis(20), note("b"));
            loop.schedule(SimTime.millis(10), note("a2"));
            loop.scheduleAt(SimTime.millis(10), note("a3"));
            assertEquals(5, loop.runUntilIdle());
            assertEquals(List.of("a1@0.010000000s", "a2@0.010000000s", "a3@0.010000000s", "b@0.020000000s",
                    "c@0.030000000s"), log);
        }

        @Test
        void executeRunsNowAfterEverythingAlreadyDueNow() {
            loop.schedule(0, note("scheduled-first"));
            loop.execute(note("executed"));
            loop.schedule(0, note("scheduled-after"));
            loop.schedule(1, note("later"));
            loop.runUntilIdle();
            assertEquals(List.of("scheduled-first@0.000000000s", "executed@0.000000000s",
                    "scheduled-after@0.000000000s", "later@0.000000001s"), log);
        }

        @Test
        void eventsScheduledByAnEventForTheSameTimeRunAfterThoseAlreadyQueued() {
            loop.schedule(5, () -> {
                log.add("parent");
                loop.execute(note("child"));
            });
            loop.schedule(5, note("sibling"));
            loop.runUntilIdle();
            assertEquals(List.of("parent", "sibling@0.000000005s", "child@0.000000005s"), log);
        }

        @Test
        void scheduleAtInThePastRunsNowAndTheClockNeverGoesBack() {
            loop.runFor(SimTime.seconds(2));
            Timer t = loop.scheduleAt(SimTime.seconds(1), note("past"));
            assertEquals(SimTime.seconds(2), t.expires());
            loop.runUntilIdle();
            assertEquals(List.of("past@2.000000000s"), log);
        }

        @Test
        void scheduledEventCanBeCancelledThroughItsTimer() {
            Timer t = loop.schedule(Duration.ofMillis(5), note("never"));
            assertTrue(t.isPending());
            assertTrue(t.cancel());
            assertEquals(0, loop.runUntilIdle());
            assertEquals(List.of(), log);
        }

        @Test
        void scheduleRejectsNegativeDelayAndSaturatesOverflow() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.schedule(-5, note("x")));
            assertEquals("schedule: delay=-5 must be >= 0", e.getMessage());
            loop.runFor(10);
            assertEquals(Long.MAX_VALUE, loop.schedule(Long.MAX_VALUE, note("x")).expires());
        }
    }

    @Nested
    class Step {
        @Test
        void stepRunsOneEventAndAdvancesTheClockToIt() {
            loop.schedule(100, note("a"));
            loop.schedule(200, note("b"));
            assertTrue(loop.step());
            assertEquals(100, loop.now());
            assertEquals(List.of("a@0.000000100s"), log);
            assertEquals(1, loop.pendingEvents());
            assertEquals(OptionalLong.of(200), loop.nextEventTime());
            assertTrue(loop.step());
            assertFalse(loop.step());
            assertEquals(200, loop.now());
            assertEquals(OptionalLong.empty(), loop.nextEventTime());
            assertEquals(2, loop.eventCount());
        }
    }

    @Nested
    class RunFor {
        @Test
        void advancesExactlyEvenWhenIdle() {
            assertEquals(0, loop.runFor(Duration.ofSeconds(60)));
            assertEquals(SimTime.seconds(60), loop.now());
            loop.runFor(1);
            assertEquals(60_000_000_001L, loop.now());
        }

        @Test
        void runsEventsUpToAndIncludingTheEndButNotLater() {
            loop.schedule(SimTime.millis(40), note("at-end"));
            loop.schedule(SimTime.millis(40) + 1, note("after"));
            assertEquals(1, loop.runFor(SimTime.millis(40)));
            assertEquals(List.of("at-end@0.040000000s"), log);
            assertEquals(SimTime.millis(40), loop.now());
            assertEquals(1, loop.pendingEvents());
        }

        @Test
        void zeroRunsWhatIsDueNowIncludingWhatItSchedules() {
            loop.execute(() -> loop.execute(note("second")));
            assertEquals(2, loop.runFor(0));
            assertEquals(List.of("second@0.000000000s"), log);
        }

        @Test
        void aTimeWaitOfSixtySecondsCostsOneEvent() {
            loop.schedule(SimTime.seconds(60), note("time-wait-expired"));
            assertEquals(1, loop.runFor(Duration.ofMinutes(2)));
            assertEquals(List.of("time-wait-expired@60.000000000s"), log);
            assertEquals(SimTime.seconds(120), loop.now());
        }
    }

    @Nested
    class RunUntil {
        @Test
        void conditionAlreadyTrueRunsNothing() {
            loop.schedule(10, note("x"));
            assertEquals(RunOutcome.CONDITION_MET, loop.runUntil(() -> true));
            assertEquals(0, loop.eventCount());
            assertEquals(0, loop.now());
        }

        @Test
        void stopsRightAfterTheEventThatMakesTheConditionTrue() {
            boolean[] connected = new boolean[1];
            loop.schedule(SimTime.millis(5), note("syn-ack"));
            loop.schedule(SimTime.millis(10), () -> connected[0] = true);
            loop.schedule(SimTime.millis(15), note("data"));
            assertEquals(RunOutcome.CONDITION_MET, loop.runUntil(() -> connected[0]));
            assertEquals(SimTime.millis(10), loop.now());
            assertEquals(1, loop.pendingEvents());
        }

        @Test
        void reportsNoMoreEventsWhenTheLoopRunsDry() {
            loop.schedule(SimTime.millis(5), note("last"));
            assertEquals(RunOutcome.NO_MORE_EVENTS, loop.runUntil(() -> false));
            assertEquals(SimTime.millis(5), loop.now());
        }

        @Test
        void reportsDeadlineWithTheClockExactlyAtIt() {
            loop.schedule(SimTime.millis(100), note("at-deadline"));
            loop.schedule(SimTime.millis(101), note("after"));
            assertEquals(RunOutcome.DEADLINE_REACHED, loop.runUntil(() -> false, Duration.ofMillis(100)));
            assertEquals(SimTime.millis(100), loop.now());
            assertEquals(List.of("at-deadline@0.100000000s"), log);
            assertEquals(1, loop.pendingEvents());
        }

        @Test
        void runningDryBeforeTheDeadlineIsNoMoreEventsAndLeavesTheClock() {
            loop.schedule(SimTime.millis(5), note("only"));
            assertEquals(RunOutcome.NO_MORE_EVENTS, loop.runUntil(() -> false, Duration.ofSeconds(5)));
            assertEquals(SimTime.millis(5), loop.now());
        }

        @Test
        void conditionMetBeforeTheDeadline() {
            int[] acks = new int[1];
            loop.schedule(SimTime.millis(3), () -> acks[0]++);
            assertEquals(RunOutcome.CONDITION_MET, loop.runUntil(() -> acks[0] > 0, Duration.ofSeconds(1)));
            assertEquals(SimTime.millis(3), loop.now());
        }
    }

    @Nested
    class Livelock {
        private final EventLoop small = EventLoop.builder().eventLimit(1_000).build();

        @Test
        void runUntilIdleThrowsWithTheCountWhenATimerReArmsForever() {
            Timer[] tick = new Timer[1];
            tick[0] = new Timer(small, "tick", () -> tick[0].arm(SimTime.millis(1)));
            tick[0].arm(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, small::runUntilIdle);
            assertTrue(e.getMessage().startsWith("runUntilIdle: ran 1000 events (eventLimit=1000) and the "
                    + "loop is still busy"), e.getMessage());
            assertTrue(e.getMessage().contains("now=0.999000000s pending=1 next=Timer[tick expires=1.000000000s"),
                    e.getMessage());
            assertEquals(1_000, small.eventCount());
        }

        @Test
        void runUntilAndRunForAreGuardedTooAgainstAFrozenClock() {
            Runnable[] pingPong = new Runnable[1];
            pingPong[0] = () -> small.execute(pingPong[0]);
            small.execute(pingPong[0]);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> small.runUntil(() -> false));
            assertTrue(e.getMessage().startsWith("runUntil: ran 1000 events"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> small.runFor(1));
            assertTrue(e.getMessage().startsWith("runFor: ran 1000 events"), e.getMessage());
            assertEquals(0, small.now());
        }

        @Test
        void exactlyTheLimitIsAllowed() {
            for (int i = 0; i < 1_000; i++) {
                small.schedule(i, () -> { });
            }
            assertEquals(1_000, small.runUntilIdle());
        }
    }

    @Nested
    class ReEntry {
        @Test
        void runningTheLoopFromInsideAnEventThrowsAndNamesTheProblem() {
            IllegalStateException[] seen = new IllegalStateException[1];
            loop.schedule(1, () -> {
                try {
                    loop.runUntil(() -> false);
                } catch (IllegalStateException e) {
                    seen[0] = e;
                }
            });
            loop.schedule(2, note("after"));
            loop.runFor(10);
            assertEquals("runUntil: re-entered while runFor is running (called from inside an event callback); "
                    + "the loop cannot run inside itself. A blocking call made from kernel code? "
                    + "Use a non-blocking call or a callback instead", seen[0].getMessage());
            assertEquals(List.of("after@0.000000002s"), log);
        }

        @Test
        void steppingFromARunUntilConditionThrows() {
            loop.schedule(1, note("x"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntil(() -> loop.step()));
            assertTrue(e.getMessage().startsWith("step: re-entered while runUntil is running (called from its "
                    + "condition)"), e.getMessage());
            assertTrue(loop.step(), "the loop is usable again afterwards");
        }

        @Test
        void anotherThreadDrivingOrSchedulingDuringARunIsRejected() throws Exception {
            List<String> messages = new ArrayList<>();
            loop.schedule(1, () -> {
                Thread other = new Thread(() -> {
                    for (Runnable call : List.<Runnable>of(loop::step, () -> loop.schedule(1, note("x")))) {
                        try {
                            call.run();
                        } catch (IllegalStateException e) {
                            messages.add(e.getMessage());
                        }
                    }
                }, "other");
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertTrue(loop.inEventLoop());
            });
            loop.runUntilIdle();
            assertEquals(List.of(
                    "step: called from thread 'other' while thread '" + Thread.currentThread().getName()
                            + "' is running this virtual-time EventLoop; a virtual loop is single-threaded",
                    "schedule: called from thread 'other' while thread '" + Thread.currentThread().getName()
                            + "' is running this virtual-time EventLoop; a virtual loop is single-threaded"),
                    messages);
            assertTrue(loop.inEventLoop());
        }
    }

    @Nested
    class Failures {
        @Test
        void anExceptionFromAnEventPropagatesAndLeavesTheLoopUsable() {
            loop.schedule(SimTime.millis(1), () -> {
                throw new IllegalArgumentException("kernel bug");
            });
            loop.schedule(SimTime.millis(2), note("next"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loop::runUntilIdle);
            assertEquals("kernel bug", e.getMessage());
            assertEquals(SimTime.millis(1), loop.now());
            assertEquals(1, loop.pendingEvents());
            assertEquals(1, loop.runUntilIdle());
            assertEquals(List.of("next@0.002000000s"), log);
        }
    }

    @Nested
    class Submit {
        @Test
        void futureCompletesWhenTheLoopIsDriven() throws Exception {
            CompletableFuture<Long> f = loop.submit(loop::now);
            assertFalse(f.isDone());
            loop.runFor(SimTime.millis(3));
            assertEquals(0L, f.get());
        }

        @Test
        void aFailingTaskFailsItsFutureNotTheLoop() {
            CompletableFuture<Object> f = loop.submit(() -> {
                throw new java.io.IOException("refused");
            });
            loop.schedule(1, note("after"));
            loop.runUntilIdle();
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertEquals("refused", e.getCause().getMessage());
            assertEquals(List.of("after@0.000000001s"), log);
        }

        @Test
        void theLoopIsAnExecutor() throws Exception {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> "on the loop", loop);
            loop.runUntilIdle();
            assertEquals("on the loop", f.get());
        }
    }

    @Nested
    class Close {
        @Test
        void dropsPendingEventsCancelsFuturesAndRejectsNewWork() {
            Timer t = loop.schedule(10, note("never"));
            CompletableFuture<Integer> f = loop.submit(() -> 1);
            loop.close();
            loop.close();
            assertFalse(t.isPending());
            assertTrue(f.isCancelled());
            assertEquals(0, loop.pendingEvents());
            assertEquals("step: the EventLoop is closed",
                    assertThrows(IllegalStateException.class, loop::step).getMessage());
            assertThrows(RejectedExecutionException.class, () -> loop.execute(note("x")));
            assertThrows(RejectedExecutionException.class, () -> loop.submit(() -> 1));
        }
    }

    @Nested
    class Determinism {
        @Test
        void sameSeedGivesTheSameEventLogToTheByte() {
            String first = String.join("\n", scenario(7));
            String second = String.join("\n", scenario(7));
            assertTrue(first.lines().count() > 100, "the scenario does something");
            assertEquals(first, second);
        }

        @Test
        void differentSeedsGiveDifferentRuns() {
            assertNotEquals(scenario(7), scenario(8));
        }

        /**
         * Three "hosts", each with its own forked stream, re-arming a retransmit-like timer at random
         * delays, sometimes scheduling one-shot events and moving each other's timers: the orders of
         * ties, re-arms and random draws all show up in the log.
         */
        private List<String> scenario(long seed) {
            EventLoop sim = EventLoop.virtual(seed);
            List<String> events = new ArrayList<>();
            String[] hosts = {"a", "b", "c"};
            Timer[] timers = new Timer[hosts.length];
            for (int h = 0; h < hosts.length; h++) {
                SimRandom rnd = sim.random().fork("host:" + hosts[h]);
                String host = hosts[h];
                int next = (h + 1) % hosts.length;
                Timer[] self = new Timer[1];
                self[0] = new Timer(sim, "rto-" + host, () -> {
                    events.add(SimTime.format(sim.now()) + " " + host + " " + Long.toHexString(rnd.nextLong()));
                    self[0].arm(rnd.nextInt(1, 20) * SimTime.NANOS_PER_MILLI);
                    if (rnd.nextBoolean(0.3)) {
                        sim.schedule(rnd.nextInt(0, 3) * SimTime.NANOS_PER_MILLI,
                                () -> events.add(SimTime.format(sim.now()) + " " + host + " one-shot"));
                    }
                    if (rnd.nextBoolean(0.1)) {
                        timers[next].mod(sim.now() + rnd.nextInt(0, 5) * SimTime.NANOS_PER_MILLI);
                    }
                });
                timers[h] = self[0];
                self[0].arm(rnd.nextInt(0, 10) * SimTime.NANOS_PER_MILLI);
            }
            sim.runFor(SimTime.seconds(2));
            events.add("end " + SimTime.format(sim.now()) + " events=" + sim.eventCount());
            return events;
        }
    }

    @Test
    void isAClockAndPrintsItsState() {
        Clock clock = loop;
        loop.runFor(SimTime.millis(1_500));
        assertEquals(SimTime.millis(1_500), clock.nanoTime());
        loop.schedule(1, note("x"));
        assertEquals("EventLoop[virtual seed=7 now=1.500000000s pending=1 events=0]", loop.toString());
        assertSame(loop.random(), loop.random());
        assertEquals(7, loop.random().seed());
        assertFalse(loop.isRealTime());
    }
}
