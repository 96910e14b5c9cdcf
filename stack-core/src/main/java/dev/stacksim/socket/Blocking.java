package dev.stacksim.socket;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.RunOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * How a process's calls reach the kernel and how a blocked call waits, in both time modes
 * (DESIGN.md "Time and threads").
 *
 * <ul>
 *   <li><b>Kernel sections</b> ({@link #kernel}): the part of a call that touches kernel state. In
 *       virtual time it runs on the calling thread, which must be the one driving the loop; in
 *       real time it is handed to the loop's thread ({@code submit}) unless already there.</li>
 *   <li><b>Sleeping</b> ({@link #sleep}): a call that cannot complete arms a {@link Waiter} on one
 *       or more wait queues inside its kernel section, so that no wake-up between the attempt and
 *       the wait is lost. In virtual time the caller then runs the loop until the waiter is woken
 *       ({@code runUntil}); if the loop runs dry first the call can never complete and
 *       {@link SimulationStalledException} says so, unless a timeout lets virtual time pass to its
 *       deadline. In real time the calling thread parks until a wake-up or the deadline.</li>
 * </ul>
 */
final class Blocking {
    /** A deadline that never comes. */
    static final long NEVER = Long.MAX_VALUE;

    private final EventLoop loop;

    Blocking(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * True when a kernel section may run right here, on the calling thread: in virtual time (which
     * checks that this is the thread driving the loop) or on a real-time loop's own thread. Hot
     * calls then run their section directly instead of handing {@link #kernel} a lambda, so that a
     * call allocates nothing (issue #9).
     */
    boolean direct() {
        if (!loop.isRealTime()) {
            loop.checkInEventLoop("socket call");
            return true;
        }
        return loop.inEventLoop();
    }

    /** Whether the loop runs in real time: blocked callers then park their own threads. */
    boolean realTime() {
        return loop.isRealTime();
    }

    /** Runs {@code section} on the loop's thread and returns its result; exceptions pass through. */
    int kernel(IntSupplier section) {
        if (!loop.isRealTime()) {
            loop.checkInEventLoop("socket call");
            return section.getAsInt();
        }
        if (loop.inEventLoop()) {
            return section.getAsInt();
        }
        return await(loop.submit(section::getAsInt));
    }

    /** {@link #kernel} for sections with an object result. */
    <T> T kernelObject(Supplier<T> section) {
        if (!loop.isRealTime()) {
            loop.checkInEventLoop("socket call");
            return section.get();
        }
        if (loop.inEventLoop()) {
            return section.get();
        }
        return await(loop.submit(section::get));
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("socket call interrupted while handed to the event loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the event loop closed before the socket call ran", e);
        }
    }

    /** The deadline {@code timeoutNanos} from now, or {@link #NEVER} for {@link Socket#NO_TIMEOUT}. */
    long deadline(long timeoutNanos) {
        if (timeoutNanos == Socket.NO_TIMEOUT) {
            return NEVER;
        }
        long now = loop.now();
        long d = now + timeoutNanos;
        return d < now ? NEVER - 1 : d;
    }

    /** A waiter to arm inside a kernel section. */
    Waiter newWaiter() {
        return new Waiter(loop.isRealTime());
    }

    /** What a blocked call says about itself when it cannot go on: computed only for messages. */
    interface Described {
        /** The call as strace shows it: {@code accept(3)}. */
        String call();

        /** What it waits for: the socket's state. */
        String state();
    }

    /** {@link #sleep(Waiter, long, Described)} with the descriptions as suppliers. */
    boolean sleep(Waiter w, long deadline, Supplier<String> call, Supplier<String> state) {
        return sleep(w, deadline, new Described() {
            @Override
            public String call() {
                return call.get();
            }

            @Override
            public String state() {
                return state.get();
            }
        });
    }

    /**
     * Waits until {@code w} is woken or {@code deadline} passes; then disarms it.
     *
     * @param call  the call, for messages ({@code accept(3)})
     * @param state what it waits for, computed only for the stall message
     * @return true when woken, false when the deadline passed
     * @throws SimulationStalledException in virtual time when nothing left could wake it and there
     *         is no deadline
     * @throws IllegalStateException when the call would have to block inside an event callback
     *         (kernel code never sleeps) or on a real-time loop's own thread
     */
    boolean sleep(Waiter w, long deadline, Described d) {
        try {
            return loop.isRealTime() ? sleepRealTime(w, deadline, d) : sleepVirtual(w, deadline, d);
        } finally {
            if (direct()) {
                w.disarm();
            } else {
                kernel(() -> {
                    w.disarm();
                    return 0;
                });
            }
        }
    }

    private boolean sleepVirtual(Waiter w, long deadline, Described d) {
        RunOutcome outcome;
        try {
            // the waiter is its own condition: no lambda per wait
            outcome = deadline == NEVER ? loop.runUntil(w)
                    : loop.runUntil(w, Duration.ofNanos(Math.max(0, deadline - loop.now())));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(d.call() + ": cannot block: " + e.getMessage(), e);
        }
        switch (outcome) {
            case CONDITION_MET:
                return true;
            case DEADLINE_REACHED:
                return false;
            default:
                if (deadline == NEVER) {
                    throw new SimulationStalledException(d.call(), d.state());
                }
                // nothing will happen before the timeout: let virtual time run to it
                loop.runFor(Math.max(0, deadline - loop.now()));
                return false;
        }
    }

    private boolean sleepRealTime(Waiter w, long deadline, Described d) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException(d.call() + ": cannot block on the event loop's own thread "
                    + "(kernel code never sleeps): use a non-blocking socket there");
        }
        try {
            if (deadline == NEVER) {
                w.signal.get();
            } else {
                long left = deadline - loop.now();
                if (left <= 0) {
                    return w.isWoken();
                }
                w.signal.get(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return w.isWoken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, d.call());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * One wait of a blocked call: an entry on every queue it was armed on; the first wake-up marks
     * it woken (and releases a parked real-time thread). It is also the condition a virtual-time
     * caller runs the loop until ({@link BooleanSupplier}). A call's waiter may be used for several
     * waits in turn: {@link #reset} before each.
     */
    static final class Waiter implements WaitQueue.Entry, BooleanSupplier {
        /*
         * Plain fields: in virtual time one thread does everything. In real time the loop's thread
         * wakes and the caller's thread reads, so the caller asks the future (isWoken); the future
         * itself is replaced by the caller before a kernel section, handed to the loop's thread
         * with that section (a happens-before edge). A volatile flag cost a fence per wake-up.
         */
        private boolean woken;
        private final boolean realTime;
        private CompletableFuture<Void> signal;
        private final List<WaitQueue> queues = new ArrayList<>(2);

        Waiter(boolean realTime) {
            this.realTime = realTime;
            this.signal = realTime ? new CompletableFuture<>() : null;
        }

        /** Makes a disarmed waiter ready for another wait. */
        void reset() {
            if (realTime) {
                if (signal.isDone()) {
                    signal = new CompletableFuture<>();
                }
            }
            woken = false;
        }

        @Override
        public boolean getAsBoolean() {
            return woken;
        }

        @Override
        public boolean wake(int key) {
            woken = true;
            CompletableFuture<Void> f = signal;
            if (f != null) {
                f.complete(null);
            }
            return true;
        }

        boolean isWoken() {
            return realTime ? signal.isDone() : woken;
        }

        /** Waits on {@code q} too (a null queue, a terminal's, never wakes). */
        void arm(WaitQueue q) {
            if (q != null && !queues.contains(q)) {
                q.add(this);
                queues.add(q);
            }
        }

        /** Like {@link #arm}, as an exclusive waiter (epoll_wait on its instance). */
        void armExclusive(WaitQueue q) {
            q.addExclusive(this);
            queues.add(q);
        }

        boolean isArmed() {
            return !queues.isEmpty();
        }

        void disarm() {
            for (WaitQueue q : queues) {
                q.remove(this);
            }
            queues.clear();
        }
    }
}
