package dev.stacksim.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The event loop and clock of one simulation: every packet delivery, NIC poll, protocol timer and
 * application wake-up of a {@code Network} (or a lone {@code Host}) is an event on one loop, and
 * all kernel state is touched only by that loop, so the stack needs no locks.
 *
 * <p>Events are {@link Timer}s in one queue ordered by {@code (time, arming order)}: the loop
 * removes the earliest, sets the clock to its time and runs its callback, which may arm more.
 * Linux has no single counterpart; the pieces are the timer wheel's {@code run_timers} (expired
 * {@code timer_list}s), softirqs and workqueues ({@link #execute}: "as soon as possible, in order").
 *
 * <h2>Two modes, one class</h2>
 * <ul>
 *   <li><b>Virtual time</b> ({@link #virtual(long)}, the default): the loop has no thread. Whoever
 *       calls {@link #step()}, {@link #runUntil}, {@link #runFor} or {@link #runUntilIdle()}
 *       drives it, and the clock jumps from one event's time to the next, so a 60 s TIME_WAIT
 *       costs one event, not a minute. Runs are reproducible: the same seed and the same calls
 *       give the same events at the same nanoseconds.</li>
 *   <li><b>Real time</b> ({@link #realTime(long)}): the loop runs on its own thread, paced by the
 *       wall clock: {@code now() = start + elapsed wall time}, and an event runs once its time has
 *       come. Application threads hand work to it with the thread-safe {@link #execute} and
 *       {@link #submit}, and wait on futures. {@link #close()} stops and joins the thread.</li>
 * </ul>
 * Both modes share this class, the queue and every method the kernel calls ({@link #now()},
 * {@link #schedule}, {@link Timer}): the kernel cannot tell them apart, which is the point. Only
 * the driver differs: the caller's thread in virtual time, a {@code RealTimeDriver} thread in real
 * time. Kernel code holds one concrete type, and the timer path stays monomorphic.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>A virtual-time loop is single-threaded, like a {@code HashMap}: one thread at a time may
 *       drive or touch it. While a run is in progress, a call from another thread that would change
 *       the queue throws {@link IllegalStateException} (best effort; it is a bug detector).</li>
 *   <li>A real-time loop belongs to its thread. {@link #execute}, {@link #submit}, {@link #now()},
 *       {@link #inEventLoop()} and {@link #close()} work from any thread; {@link #schedule}, timers,
 *       and the {@code step}/{@code run*} methods from any other thread throw
 *       {@link IllegalStateException} naming both threads. Kernel entry points of their own (a
 *       socket call) guard themselves the same way with {@link #checkInEventLoop(String)}.</li>
 *   <li>The loop never runs inside itself: {@code step}/{@code run*} called from an event callback
 *       (or from a {@code runUntil} condition) throw {@link IllegalStateException}. A blocking socket
 *       call made from kernel code would need that, and it is always a bug.</li>
 * </ul>
 *
 * <h2>Livelock guard</h2>
 * One {@code step}/{@code run*} call runs at most {@link EventLoopBuilder#eventLimit(long) eventLimit}
 * events (default {@value #DEFAULT_EVENT_LIMIT}); past that it throws {@link IllegalStateException}
 * with the count, the clock and the next event. A self-re-arming timer would otherwise make
 * {@code runUntilIdle()} spin forever, and a zero-delay ping-pong would freeze the clock.
 *
 * <h2>Errors</h2>
 * An exception thrown by an event propagates out of {@code step}/{@code run*} in virtual time,
 * with the loop consistent (the event is gone, the clock at its time). In real time it is logged
 * at ERROR and the loop carries on; {@link #close()} then throws, so a test cannot miss it.
 * Exceptions of {@link #submit submitted} tasks go to their futures instead.
 */
public final class EventLoop implements Clock, Executor, AutoCloseable {
    /** Default for {@link EventLoopBuilder#eventLimit(long)}: events one {@code run*} call may run. */
    public static final long DEFAULT_EVENT_LIMIT = 10_000_000L;
    /** Default for {@link EventLoopBuilder#threadName(String)}: the name of a real-time loop's thread. */
    public static final String DEFAULT_THREAD_NAME = "stacksim-loop";

    /** The pending events. */
    private final EventQueue queue = new EventQueue();
    /** The root random stream of the run; components fork named streams from it. */
    private final SimRandom random;
    /** Most events one step/run call may run before it is declared a livelock. */
    private final long eventLimit;
    /** The thread that drives a real-time loop; null in virtual time. */
    private final RealTimeDriver realTime;
    /** The clock: the time of the event running now, or of the last one (advanced by runFor). */
    private long now;
    /** Next arming sequence number: breaks deadline ties in arming order. */
    private long nextSeq;
    /** Events run since the loop was created. */
    private long eventCount;
    /** True while an event callback runs: step/run* from inside it is re-entry. */
    private boolean inEvent;
    /** The step/run* method on the stack ("runUntil"), null when none; for re-entry messages. */
    private String runningOp;
    /**
     * The only thread allowed to touch the queue, or null for any: the driver thread of a
     * real-time loop for its whole life; the driving thread of a virtual loop during a run.
     */
    private volatile Thread boundThread;
    /** Set by {@link #close()}. */
    private volatile boolean closed;

    /** Use {@link #builder()}; {@code threadName} is null for a virtual-time loop. */
    EventLoop(long seed, long startNanos, long eventLimit, String threadName) {
        this.random = new SimRandom(seed);
        this.eventLimit = eventLimit;
        this.now = startNanos;
        if (threadName != null) {
            this.realTime = new RealTimeDriver(this, threadName, startNanos);
            this.boundThread = realTime.thread();
        } else {
            this.realTime = null;
        }
    }

    /** A builder for a loop; without further calls it builds a virtual-time loop with seed 0. */
    public static EventLoopBuilder builder() {
        return new EventLoopBuilder();
    }

    /** A virtual-time loop whose random streams derive from {@code seed}; the clock starts at 0. */
    public static EventLoop virtual(long seed) {
        return builder().seed(seed).build();
    }

    /** A real-time loop, already running on its own thread; {@link #close()} it when done. */
    public static EventLoop realTime(long seed) {
        return builder().seed(seed).realTime(true).build();
    }

    // ---------------------------------------------------------------- clock and state

    /**
     * The simulation time in nanoseconds. On the loop (or a virtual loop's driver) this is the time
     * of the running event and stands still while it runs, so every timestamp taken by one event
     * agrees. Another thread of a real-time loop reads the wall-clock-paced time instead.
     */
    public long now() {
        RealTimeDriver rt = realTime;
        if (rt != null && Thread.currentThread() != rt.thread()) {
            return rt.wallNow();
        }
        return now;
    }

    /** Same as {@link #now()}: the loop is the {@link Clock} of its simulation. */
    @Override
    public long nanoTime() {
        return now();
    }

    /**
     * The root random stream, seeded by {@link EventLoopBuilder#seed(long)}. Fork a named stream per
     * component ({@code random().fork("host:client")}) rather than drawing from it directly.
     */
    public SimRandom random() {
        return random;
    }

    /** Whether this loop runs in real time on its own thread (else virtual time, driven by callers). */
    public boolean isRealTime() {
        return realTime != null;
    }

    /**
     * Whether the calling thread may touch kernel state now: for a real-time loop, whether it is the
     * loop's thread; for a virtual loop, whether no other thread is driving it.
     */
    public boolean inEventLoop() {
        Thread bound = boundThread;
        return bound == null || bound == Thread.currentThread();
    }

    /**
     * Pending events: armed timers plus scheduled and executed tasks not yet run. Exact on the loop
     * thread; tasks submitted from other threads of a real-time loop count once the loop took them in.
     */
    public int pendingEvents() {
        return queue.size();
    }

    /** The time of the earliest pending event, or empty when none is pending. Loop thread only. */
    public OptionalLong nextEventTime() {
        checkInEventLoop("nextEventTime");
        return queue.isEmpty() ? OptionalLong.empty() : OptionalLong.of(queue.peekWhen());
    }

    /** Events run since the loop was created (a cheap progress and determinism fingerprint). */
    public long eventCount() {
        return eventCount;
    }

    /** The most events one {@code step}/{@code run*} call may run (see the livelock guard above). */
    public long eventLimit() {
        return eventLimit;
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Runs {@code task} once, {@code delayNanos} from now (saturating at {@link Long#MAX_VALUE}).
     * Tasks due at the same time run in the order they were scheduled.
     *
     * @return the one-shot timer carrying the task, so the caller may cancel or move it
     * @throws IllegalArgumentException if {@code delayNanos < 0}
     * @throws IllegalStateException    off the loop's thread
     */
    public Timer schedule(long delayNanos, Runnable task) {
        return scheduleAt(deadlineAfter(delayNanos, "schedule"), task);
    }

    /** {@link #schedule(long, Runnable)} with a {@link Duration}. */
    public Timer schedule(Duration delay, Runnable task) {
        return schedule(delay.toNanos(), task);
    }

    /**
     * Runs {@code task} once at absolute time {@code timeNanos}; a time in the past means now,
     * after the events already due.
     *
     * @return the one-shot timer carrying the task
     * @throws IllegalStateException off the loop's thread
     */
    public Timer scheduleAt(long timeNanos, Runnable task) {
        return scheduleAt(timeNanos, task, "schedule");
    }

    /**
     * Runs {@code task} as soon as possible: at the current time, after every event already due
     * now. Thread-safe on a real-time loop: from another thread the task is queued and the loop
     * woken, and it runs at the loop's time when it is taken in. This is {@link Executor#execute},
     * so a loop can be passed to {@code CompletableFuture.supplyAsync(work, loop)}.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        RealTimeDriver rt = realTime;
        if (rt != null && Thread.currentThread() != rt.thread()) {
            rt.submit(task);
            return;
        }
        if (closed && rt == null) {
            throw new RejectedExecutionException("execute: the EventLoop is closed");
        }
        scheduleAt(now, task, "execute");
    }

    /**
     * Runs {@code task} on the loop as {@link #execute} does and returns its result as a future:
     * how an application thread asks a real-time loop to do something and waits for it. On a virtual
     * loop the future completes when a caller drives the loop past it. The task's exception completes
     * the future exceptionally; if the loop closes first, the future is cancelled.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        SubmittedTask<T> submitted = new SubmittedTask<>(Objects.requireNonNull(task, "task"));
        execute(submitted);
        return submitted.future;
    }

    // ---------------------------------------------------------------- driving (virtual time)

    /**
     * Runs the earliest pending event, advancing the clock to its time.
     *
     * @return false, without running anything, when no event is pending
     * @throws IllegalStateException on a real-time or closed loop, or on re-entry
     */
    public boolean step() {
        beginRun("step");
        try {
            if (queue.isEmpty()) {
                return false;
            }
            runNext();
            return true;
        } finally {
            endRun();
        }
    }

    /**
     * Runs events until {@code condition} is true, checking it before the first event and after
     * each one. This is how a blocking call waits in virtual time.
     *
     * @return {@link RunOutcome#CONDITION_MET}, or {@link RunOutcome#NO_MORE_EVENTS} when the loop
     *         ran dry first (nothing could ever make the condition true)
     * @throws IllegalStateException on a real-time or closed loop, on re-entry, or after
     *         {@link #eventLimit()} events
     */
    public RunOutcome runUntil(BooleanSupplier condition) {
        return runUntil("runUntil", condition, Long.MAX_VALUE);
    }

    /**
     * Runs events until {@code condition} is true or {@code timeout} has passed, whichever is first
     * (a blocking call with {@code SO_RCVTIMEO}). Events due exactly at the deadline still run.
     *
     * @return {@link RunOutcome#CONDITION_MET}; {@link RunOutcome#DEADLINE_REACHED} with the clock at
     *         exactly now + timeout; or {@link RunOutcome#NO_MORE_EVENTS} when the loop ran dry before
     *         the deadline, with the clock left at the last event (call {@link #runFor} to let the
     *         rest of the time pass)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    on a real-time or closed loop, on re-entry, or after
     *         {@link #eventLimit()} events
     */
    public RunOutcome runUntil(BooleanSupplier condition, Duration timeout) {
        return runUntil("runUntil", condition, deadlineAfter(timeout.toNanos(), "runUntil"));
    }

    /**
     * Runs every event due within {@code nanos} from now (inclusive), then sets the clock to exactly
     * now + {@code nanos}, even if nothing ran: "let 60 seconds pass".
     *
     * @return the number of events run
     * @throws IllegalArgumentException if {@code nanos < 0}
     * @throws IllegalStateException    on a real-time or closed loop, on re-entry, or after
     *         {@link #eventLimit()} events
     */
    public long runFor(long nanos) {
        long deadline = deadlineAfter(nanos, "runFor");
        beginRun("runFor");
        try {
            long ran = 0;
            while (!queue.isEmpty() && queue.peekWhen() <= deadline) {
                ran = countEvent("runFor", ran);
                runNext();
            }
            if (deadline > now) {
                now = deadline;
            }
            return ran;
        } finally {
            endRun();
        }
    }

    /** {@link #runFor(long)} with a {@link Duration}. */
    public long runFor(Duration duration) {
        return runFor(duration.toNanos());
    }

    /**
     * Runs events until none is pending; the clock stays at the last one.
     *
     * @return the number of events run
     * @throws IllegalStateException on a real-time or closed loop, on re-entry, or when the loop is
     *         still busy after {@link #eventLimit()} events (a livelock: something re-arms forever)
     */
    public long runUntilIdle() {
        beginRun("runUntilIdle");
        try {
            long ran = 0;
            while (!queue.isEmpty()) {
                ran = countEvent("runUntilIdle", ran);
                runNext();
            }
            return ran;
        } finally {
            endRun();
        }
    }

    /**
     * Stops the loop. A real-time loop's thread finishes its current event and exits, and this call
     * joins it (unless made on that thread). Pending events are dropped, futures of tasks not run are
     * cancelled, and {@link #execute}/{@link #submit} reject further work. Idempotent.
     *
     * @throws IllegalStateException the first time it is called after an event threw on a real-time
     *         loop's thread, with that exception as the cause
     */
    @Override
    public void close() {
        if (realTime != null) {
            closed = true;
            realTime.close();
            return;
        }
        checkInEventLoop("close");
        if (closed) {
            return;
        }
        closed = true;
        discardPending();
    }

    /** {@code EventLoop[virtual seed=7 now=1.000000000s pending=3 events=120]}. */
    @Override
    public String toString() {
        return "EventLoop[" + (realTime != null ? "real-time" : "virtual") + " seed=" + random.seed()
                + " now=" + SimTime.format(now()) + " pending=" + queue.size() + " events=" + eventCount
                + (closed ? " closed]" : "]");
    }

    // ---------------------------------------------------------------- for Timer

    /** Arms {@code timer} at {@code expires} (clamped to now); see {@link Timer#mod(long)}. */
    boolean modTimer(Timer timer, long expires, String op) {
        checkInEventLoop(op);
        if (expires < now) {
            expires = now;
        }
        if (timer.index != -1) {
            if (timer.expires == expires) {
                return true;
            }
            timer.expires = expires;
            queue.update(timer, expires, nextSeq++, now);
            return true;
        }
        timer.expires = expires;
        queue.add(timer, expires, nextSeq++, now);
        return false;
    }

    /** Disarms {@code timer}; see {@link Timer#cancel()}. */
    boolean cancelTimer(Timer timer) {
        checkInEventLoop("Timer.cancel");
        if (timer.index == -1) {
            return false;
        }
        queue.remove(timer);
        return true;
    }

    /** now + {@code delay}, saturating; rejects negative delays naming {@code op}. */
    long deadlineAfter(long delay, String op) {
        if (delay < 0) {
            throw new IllegalArgumentException(op + ": delay=" + delay + " must be >= 0");
        }
        long deadline = now + delay;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    /**
     * Throws unless the calling thread may touch kernel state now (see {@link #inEventLoop()}): the
     * check every kernel entry point that is not itself thread-safe makes first, as Netty's
     * {@code assert inEventLoop()} does, but always on.
     *
     * @param op the call being made, for the message ({@code "connect"}, {@code "Timer.mod"})
     * @throws IllegalStateException naming the call and both threads
     */
    public void checkInEventLoop(String op) {
        Thread bound = boundThread;
        if (bound != null && bound != Thread.currentThread()) {
            throw wrongThread(op, bound);
        }
    }

    // ---------------------------------------------------------------- for RealTimeDriver

    /** The earliest deadline, or {@link Long#MAX_VALUE} when none is pending. */
    long nextDueTime() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peekWhen();
    }

    /** Runs the earliest event, which is due: the clock reads the wall-paced time {@code wallNow}. */
    void runDue(long wallNow) {
        if (wallNow > now) {
            now = wallNow;
        }
        runNext();
    }

    /** Queues a task handed over by another thread, at the wall-paced time it was taken in. */
    void enqueue(Runnable task, long wallNow) {
        if (wallNow > now) {
            now = wallNow;
        }
        scheduleAt(now, task, "execute");
    }

    /** Drops every pending event, cancelling the futures of submitted tasks among them. */
    void discardPending() {
        queue.clear(timer -> {
            if (timer.callback() instanceof SubmittedTask<?> submitted) {
                submitted.cancel();
            }
        });
    }

    /** Starts the thread of a real-time loop; the builder calls it once the loop is constructed. */
    void start() {
        if (realTime != null) {
            realTime.start();
        }
    }

    /** The queue's heap, for tests that check it gives memory back. */
    TimerQueue queue() {
        return queue.heap();
    }

    // ---------------------------------------------------------------- internals

    private RunOutcome runUntil(String op, BooleanSupplier condition, long deadline) {
        Objects.requireNonNull(condition, "condition");
        beginRun(op);
        try {
            long ran = 0;
            while (true) {
                if (condition.getAsBoolean()) {
                    return RunOutcome.CONDITION_MET;
                }
                if (queue.isEmpty()) {
                    return RunOutcome.NO_MORE_EVENTS;
                }
                if (queue.peekWhen() > deadline) {
                    if (deadline > now) {
                        now = deadline;
                    }
                    return RunOutcome.DEADLINE_REACHED;
                }
                ran = countEvent(op, ran);
                runNext();
            }
        } finally {
            endRun();
        }
    }

    private Timer scheduleAt(long timeNanos, Runnable task, String op) {
        Objects.requireNonNull(task, "task");
        checkInEventLoop(op);
        Timer timer = new Timer(this, null, task);
        modTimer(timer, timeNanos, op);
        return timer;
    }

    /** Removes the earliest event and runs it at its time. */
    private void runNext() {
        Timer timer = queue.poll();
        if (timer.expires > now) {
            now = timer.expires;
        }
        eventCount++;
        inEvent = true;
        try {
            timer.fire();
        } finally {
            inEvent = false;
        }
    }

    /** {@code ran + 1}, or the livelock exception if that would pass the event limit. */
    private long countEvent(String op, long ran) {
        if (ran == eventLimit) {
            throw new IllegalStateException(op + ": ran " + ran + " events (eventLimit=" + eventLimit
                    + ") and the loop is still busy: a livelock? (a timer that re-arms itself forever, "
                    + "or events that keep scheduling each other) now=" + SimTime.format(now)
                    + " pending=" + queue.size() + " next=" + queue.peek());
        }
        return ran + 1;
    }

    private void beginRun(String op) {
        if (realTime != null) {
            throw new IllegalStateException(op + ": this EventLoop runs in real time on its own thread '"
                    + realTime.thread().getName() + "'; step() and run*() drive only a virtual-time loop: "
                    + "hand work to it with submit() and wait on the future");
        }
        if (closed) {
            throw new IllegalStateException(op + ": the EventLoop is closed");
        }
        Thread me = Thread.currentThread();
        Thread bound = boundThread;
        if (bound != null && bound != me) {
            throw wrongThread(op, bound);
        }
        if (runningOp != null) {
            throw new IllegalStateException(op + ": re-entered while " + runningOp + " is running ("
                    + (inEvent ? "called from inside an event callback" : "called from its condition")
                    + "); the loop cannot run inside itself. A blocking call made from kernel code? "
                    + "Use a non-blocking call or a callback instead");
        }
        runningOp = op;
        boundThread = me;
    }

    private void endRun() {
        runningOp = null;
        boundThread = null;
    }

    private IllegalStateException wrongThread(String op, Thread bound) {
        String me = Thread.currentThread().getName();
        if (realTime != null) {
            return new IllegalStateException(op + ": called from thread '" + me + "', but this real-time "
                    + "EventLoop belongs to its thread '" + bound.getName() + "'; kernel state is touched "
                    + "only by the loop (no locks in the stack): hand the work over with execute() or submit()");
        }
        return new IllegalStateException(op + ": called from thread '" + me + "' while thread '"
                + bound.getName() + "' is running this virtual-time EventLoop; a virtual loop is "
                + "single-threaded");
    }
}
