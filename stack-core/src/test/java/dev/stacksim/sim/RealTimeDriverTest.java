package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real-time {@link EventLoop} driven by its {@link RealTimeDriver} thread. Tests wait on futures
 * with generous timeouts (never a sleep); the waits themselves are a few milliseconds.
 */
class RealTimeDriverTest {
    private static final long WAIT_SECONDS = 5;

    private final EventLoop loop = EventLoop.builder().seed(3).realTime(true).threadName("rt-test-loop").build();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void submittedTasksRunOnTheLoopThreadInSubmissionOrder() throws Exception {
        assertTrue(loop.isRealTime());
        assertFalse(loop.inEventLoop());
        List<String> order = new ArrayList<>();   // touched only on the loop thread
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            futures.add(loop.submit(() -> {
                order.add("task" + n);
                return Thread.currentThread().getName() + " inEventLoop=" + loop.inEventLoop();
            }));
        }
        for (CompletableFuture<String> f : futures) {
            assertEquals("rt-test-loop inEventLoop=true", await(f));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("task" + i);
        }
        assertEquals(expected, await(loop.submit(() -> List.copyOf(order))));
    }

    @Test
    void checkInEventLoopPassesOnTheLoopThread() throws Exception {
        assertEquals("ok", await(loop.submit(() -> {
            loop.checkInEventLoop("connect");
            return "ok";
        })));
    }

    @Test
    void executeFromAnApplicationThreadReachesTheLoop() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        loop.execute(() -> ranOn.complete(Thread.currentThread()));
        assertEquals("rt-test-loop", await(ranOn).getName());
    }

    @Test
    void aTimerFiresOnTimeByTheWallClock() throws Exception {
        long delay = SimTime.millis(50);
        CompletableFuture<long[]> fired = new CompletableFuture<>();
        long wallBefore = System.nanoTime();   // before the loop can have read its clock to arm
        long armedAt = await(loop.submit(() -> {
            new Timer(loop, "rto", () -> fired.complete(new long[] {loop.now(), System.nanoTime()})).arm(delay);
            return loop.now();
        }));
        long[] at = await(fired);
        long virtualElapsed = at[0] - armedAt;
        long wallElapsed = at[1] - wallBefore;
        assertTrue(virtualElapsed >= delay, "virtualElapsed=" + SimTime.formatDelta(virtualElapsed));
        assertTrue(wallElapsed >= delay, "never early: wallElapsed=" + SimTime.formatDelta(wallElapsed));
        // The loop's clock is the wall clock: both measure the same interval, give or take scheduling.
        assertTrue(Math.abs(virtualElapsed - wallElapsed) < SimTime.millis(500),
                "virtual=" + SimTime.formatDelta(virtualElapsed) + " wall=" + SimTime.formatDelta(wallElapsed));
    }

    @Test
    void timersRunInDeadlineOrderOnTheLoop() throws Exception {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        loop.execute(() -> {
            List<String> log = new ArrayList<>();
            loop.schedule(SimTime.millis(20), () -> {
                log.add("late");
                done.complete(log);
            });
            loop.schedule(SimTime.millis(5), () -> log.add("early"));
            loop.schedule(SimTime.millis(5), () -> log.add("early-tie"));
        });
        assertEquals(List.of("early", "early-tie", "late"), await(done));
    }

    @Test
    void nowFollowsTheWallClockFromAnyThread() throws Exception {
        long first = loop.now();
        long onLoop = await(loop.submit(loop::now));
        long later = loop.now();
        assertTrue(first <= onLoop && onLoop <= later, first + " " + onLoop + " " + later);
    }

    @Test
    void kernelCallsFromAnApplicationThreadThrowNamingBothThreads() {
        String me = Thread.currentThread().getName();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.schedule(1, () -> { }));
        assertEquals("schedule: called from thread '" + me + "', but this real-time EventLoop belongs to its "
                + "thread 'rt-test-loop'; kernel state is touched only by the loop (no locks in the stack): "
                + "hand the work over with execute() or submit()", e.getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> loop.checkInEventLoop("connect"))
                .getMessage().startsWith("connect: called from thread '" + me + "'"));
        Timer t = new Timer(loop, "t", () -> { });
        assertTrue(assertThrows(IllegalStateException.class, () -> t.arm(5)).getMessage().startsWith("Timer.arm:"));
        assertTrue(assertThrows(IllegalStateException.class, t::cancel).getMessage().startsWith("Timer.cancel:"));
    }

    @Test
    void theDrivingMethodsBelongToVirtualTimeOnly() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runFor(1));
        assertTrue(e.getMessage().startsWith("runFor: this EventLoop runs in real time on its own thread "
                + "'rt-test-loop'"), e.getMessage());
        assertThrows(IllegalStateException.class, loop::step);
        assertThrows(IllegalStateException.class, loop::runUntilIdle);
        // ... also on the loop thread itself, where it would be re-entry
        ExecutionException onLoop = assertThrows(ExecutionException.class,
                () -> await(loop.submit(() -> loop.runUntil(() -> true))));
        assertTrue(onLoop.getCause() instanceof IllegalStateException);
    }

    @Test
    void closeJoinsTheLoopThreadAndRejectsNewWork() throws Exception {
        Thread loopThread = await(loop.submit(Thread::currentThread));
        Timer[] pending = new Timer[1];
        await(loop.submit(() -> pending[0] = loop.schedule(SimTime.seconds(60), () -> { })));
        loop.close();
        assertFalse(loopThread.isAlive());
        assertFalse(pending[0].isPending(), "pending events are dropped");
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> loop.execute(() -> { }));
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> loop.submit(() -> 1));
        loop.close();   // idempotent
    }

    @Test
    void closingWhileThreadsSubmitLeavesNoFutureWaitingForever() throws Exception {
        List<CompletableFuture<Integer>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> someRan = new CompletableFuture<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread submitter = new Thread(() -> {
                try {
                    for (int i = 0; i < 5_000; i++) {
                        futures.add(loop.submit(() -> {
                            someRan.complete(null);
                            return 1;
                        }));
                    }
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // expected once close() has begun
                }
            }, "submitter-" + t);
            submitters.add(submitter);
            submitter.start();
        }
        await(someRan);
        loop.close();
        for (Thread submitter : submitters) {
            submitter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(submitter.isAlive());
        }
        synchronized (futures) {
            for (CompletableFuture<Integer> f : futures) {
                assertTrue(f.isDone(), "every future ran or was cancelled: " + f);
            }
        }
    }

    @Test
    void closeFromInsideAnEventStopsTheLoopWithoutDeadlock() throws Exception {
        Thread loopThread = await(loop.submit(() -> {
            loop.close();   // cannot join itself: returns, the thread exits after this event
            return Thread.currentThread();
        }));
        loop.close();   // joins from here
        assertFalse(loopThread.isAlive());
    }

    @Test
    void anEventThatThrowsIsLoggedTheLoopGoesOnAndCloseReportsIt() throws Exception {
        // No stack trace: the loop logs this at ERROR and the build log need not show 60 frames of JUnit.
        RuntimeException bug = new RuntimeException("kernel bug (expected by this test)", null, false, false) { };
        loop.execute(() -> {
            throw bug;
        });
        assertEquals(42, await(loop.submit(() -> 42)));
        IllegalStateException e = assertThrows(IllegalStateException.class, loop::close);
        assertSame(bug, e.getCause());
        assertEquals("close: 1 event(s) threw on the loop thread 'rt-test-loop'; the first is the cause",
                e.getMessage());
        loop.close();   // reported once
    }

    @Test
    void anInterruptedTaskDoesNotMakeTheLoopSpinOrStop() throws Exception {
        await(loop.submit(() -> {
            Thread.currentThread().interrupt();
            return null;
        }));
        CompletableFuture<Long> fired = new CompletableFuture<>();
        loop.execute(() -> loop.schedule(SimTime.millis(10), () -> fired.complete(loop.now())));
        assertTrue(await(fired) >= SimTime.millis(10));
    }
}
