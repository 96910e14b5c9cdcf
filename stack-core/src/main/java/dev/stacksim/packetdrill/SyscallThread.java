package dev.stacksim.packetdrill;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.RunOutcome;
import dev.stacksim.sim.Timer;
import dev.stacksim.socket.SimulationStalledException;

import java.util.function.Consumer;

/**
 * packetdrill's system call thread, in virtual time. packetdrill makes a blocking call
 * ({@code 0.1...0.2 accept(3, ..., ...) = 4}) on a second thread: the main thread waits until that
 * thread has entered the call and gone to sleep (it reads the thread's state in {@code /proc}), then
 * plays the following events, and the call is checked against its end time when it returns.
 *
 * <h2>How it is modelled</h2>
 * The thread that drives the simulation ({@link #drive}) plays the syscall thread; the
 * {@link Interpreter} plays the main thread as a chain of events on the loop. A call the
 * interpreter {@link #submit}s is made by the driver outside any event, through the ordinary
 * blocking {@link dev.stacksim.socket.Process} call. In virtual time a call that cannot complete
 * runs the loop from inside ({@code Blocking}: {@code loop.runUntil(woken)}) until a wake-up; so
 * <em>the call has blocked exactly when the loop runs an event while it is in progress</em>. Just
 * before a blocking call the driver arms a marker event at the current time: if the call returns
 * first, the marker is cancelled and the script continues after the call; if the marker runs, the
 * call is asleep, and the marker resumes the script, whose next events (injected packets, above
 * all) then run inside the call's own wait, until one of them wakes it. The call then returns
 * through the driver, which checks its result and its end time.
 *
 * <p>A call without an end time is made the same way but the script waits for it, blocked or not:
 * as in packetdrill, a call that blocks unexpectedly holds the script up, and the next event fails
 * its timing check (or, if nothing can ever wake the call, the run fails naming it).
 *
 * <p>One blocking call at a time, as packetdrill: a second one waits up to a second for the first
 * to return, then fails ({@code blocking system call while another blocking system call is
 * already in progress}); a non-blocking call then runs inside the wait (and may not block).
 */
final class SyscallThread {
    /** How long packetdrill waits for the syscall thread to go idle ({@code await_idle_thread}). */
    static final long MAX_WAIT_NANOS = 1_000_000_000L;

    /**
     * A call to make.
     *
     * @param line       the script line
     * @param spec       the call
     * @param startUsecs its (offset) script start time
     * @param endUsecs   its (offset) end time when blocking, else -1
     * @param timeType   the event's time form, for the end-time check
     */
    record Call(int line, SyscallSpec spec, long startUsecs, long endUsecs, EventTime.Type timeType) {
    }

    private final Interpreter interp;
    private final SyscallExecutor executor;
    private final EventLoop loop;
    private final RunTrace trace;
    private final ScriptConfig config;
    private Call pending;
    private Call running;
    private boolean blocked;
    private Runnable onIdle;

    SyscallThread(Interpreter interp, SyscallExecutor executor, EventLoop loop, RunTrace trace, ScriptConfig config) {
        this.interp = interp;
        this.executor = executor;
        this.loop = loop;
        this.trace = trace;
        this.config = config;
    }

    /** True when no call is queued or in progress. */
    boolean isIdle() {
        return pending == null && running == null;
    }

    /** The line of the call in progress (or queued), 0 when idle. */
    int busyLine() {
        return running != null ? running.line() : pending != null ? pending.line() : 0;
    }

    /** Queues {@code c} for the driver; the script resumes when it returns or blocks. */
    void submit(Call c) {
        pending = c;
    }

    /**
     * {@code await_idle_thread}: calls {@code then.accept(true)} once idle (at once if idle now), or
     * {@code then.accept(false)} after a second of virtual time.
     */
    void awaitIdle(Consumer<Boolean> then) {
        if (isIdle()) {
            then.accept(true);
            return;
        }
        Timer[] timer = new Timer[1];
        onIdle = () -> {
            timer[0].cancel();
            then.accept(true);
        };
        timer[0] = loop.schedule(MAX_WAIT_NANOS, () -> {
            onIdle = null;
            then.accept(false);
        });
    }

    /**
     * Runs the simulation until the script finishes: makes each submitted call, and otherwise runs
     * the loop. Returns normally when the script passed; a {@link ScriptFailure} passes through.
     */
    void drive() {
        while (!interp.finished()) {
            if (pending != null) {
                Call c = pending;
                pending = null;
                execute(c);
                continue;
            }
            RunOutcome o = loop.runUntil(() -> interp.finished() || pending != null);
            if (o == RunOutcome.NO_MORE_EVENTS && !interp.finished() && pending == null) {
                throw interp.stalled();
            }
        }
    }

    /**
     * A non-blocking call made while a blocking one is asleep (packetdrill's main thread makes it
     * itself): it runs inside the current event and must not block.
     */
    void runInline(Call c) {
        SyscallExecutor.Outcome o;
        try {
            o = executor.run(c.spec());
        } catch (SyscallError e) {
            throw interp.failure(c.line(), "runtime error in " + c.spec().name() + " call: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw interp.failure(c.line(), "runtime error in " + c.spec().name() + " call: it would block while the"
                    + " blocking call of line " + busyLine() + " is in progress (one blocking call at a time): "
                    + e.getMessage());
        }
        trace.event(loop.now(), c.line(), c.spec().name() + args(c.spec()) + " = " + o);
        interp.done();
    }

    private void execute(Call c) {
        running = c;
        blocked = false;
        boolean background = c.spec().isBlocking();
        Timer marker = !background ? null : loop.scheduleAt(loop.now(), () -> {
            blocked = true;
            trace.event(loop.now(), c.line(), c.spec().name() + args(c.spec()) + " blocks");
            interp.done();
        });
        SyscallExecutor.Outcome o;
        try {
            o = executor.run(c.spec());
        } catch (SyscallError e) {
            throw interp.failure(c.line(), "runtime error in " + c.spec().name() + " call: " + e.getMessage());
        } catch (SimulationStalledException e) {
            throw interp.failure(c.line(), "runtime error in " + c.spec().name() + " call: " + e.getMessage()
                    + (background ? "" : "; the script waits for a call without an end time: write start...end"
                    + " to let the following events run while it blocks"));
        } finally {
            running = null;
            if (marker != null) {
                marker.cancel();
            }
        }
        trace.event(loop.now(), c.line(), c.spec().name() + args(c.spec()) + " = " + o);
        if (background) {
            String err = Timing.verify(c.timeType(), c.endUsecs(), 0, interp.nowUsecs(), c.startUsecs(), 0,
                    "system call return", config);
            if (err != null) {
                throw interp.failure(c.line(), err);
            }
        }
        if (!blocked) {
            interp.done();
        } else if (onIdle != null) {
            Runnable r = onIdle;
            onIdle = null;
            loop.execute(r);
        }
    }

    private static String args(SyscallSpec s) {
        String a = s.args().toString();
        return "(" + a.substring(1, a.length() - 1) + ")";
    }
}
