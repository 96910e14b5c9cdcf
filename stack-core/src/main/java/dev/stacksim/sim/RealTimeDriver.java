package dev.stacksim.sim;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a real-time {@link EventLoop}: it runs each event once the wall clock reaches the
 * event's time, and takes in tasks handed over by application threads.
 *
 * <pre>
 *   app threads ──execute/submit──► inbox (lock-free queue) ──unpark──┐
 *                                                                    ▼
 *   loop thread:  take in the inbox at now ─► run due events ─► park until the next deadline
 *                                                                 or an unpark
 *   now() = startNanos + (System.nanoTime() - wallOrigin)
 * </pre>
 *
 * <p>The inbox is the only shared structure; the timer queue and all kernel state stay confined
 * to the loop thread. The thread is a daemon, so a forgotten loop does not keep the JVM alive.
 */
final class RealTimeDriver implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** The loop this thread drives. */
    private final EventLoop loop;
    /** The loop thread. */
    private final Thread thread;
    /** Tasks handed over by other threads, in submission order, until the loop takes them in. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** The loop's clock reading at {@link #wallOrigin}. */
    private final long startNanos;
    /** {@link System#nanoTime()} when the loop was created: wall time 0 of the simulation. */
    private final long wallOrigin;
    /** Set by close(): the thread exits after its current event. */
    private volatile boolean closing;
    /** Set by the thread as it exits; later submissions are rejected. */
    private volatile boolean terminated;
    /** The first exception an event threw on the thread; close() reports it. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** How many events threw. */
    private final AtomicLong failures = new AtomicLong();
    /** Whether close() has thrown the failure already (it does so once). */
    private final AtomicBoolean failureReported = new AtomicBoolean();

    RealTimeDriver(EventLoop loop, String threadName, long startNanos) {
        this.loop = loop;
        this.startNanos = startNanos;
        this.wallOrigin = System.nanoTime();
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    Thread thread() {
        return thread;
    }

    void start() {
        thread.start();
    }

    /** The wall-clock-paced simulation time. */
    long wallNow() {
        return startNanos + (System.nanoTime() - wallOrigin);
    }

    /** Hands {@code task} to the loop thread; safe from any thread. */
    void submit(Runnable task) {
        if (closing) {
            throw new RejectedExecutionException("execute: the EventLoop is closed");
        }
        inbox.add(task);
        // The thread may have drained the inbox for the last time between the check and the add.
        if (terminated && inbox.remove(task)) {
            throw new RejectedExecutionException("execute: the EventLoop is closed");
        }
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                // A task may have interrupted this thread; a pending interrupt would make park() spin.
                Thread.interrupted();
                long wall = wallNow();
                for (Runnable task; (task = inbox.poll()) != null; ) {
                    loop.enqueue(task, wall);
                }
                long due = loop.nextDueTime();
                if (due <= wall) {
                    runDue(wall);
                    continue;
                }
                if (!inbox.isEmpty() || closing) {
                    continue;
                }
                // An unpark between the checks above and here leaves a permit: park returns at once.
                if (due == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, due - wall);
                }
            }
        } finally {
            terminated = true;
            for (Runnable task; (task = inbox.poll()) != null; ) {
                if (task instanceof SubmittedTask<?> submitted) {
                    submitted.cancel();
                }
            }
            loop.discardPending();
        }
    }

    private void runDue(long wall) {
        try {
            loop.runDue(wall);
        } catch (Throwable t) {
            // Kernel code is not supposed to throw; keep the other hosts running, report at close().
            failures.incrementAndGet();
            failure.compareAndSet(null, t);
            log.error("event loop '{}': an event threw at now={}; the loop carries on and close() will "
                    + "report it", thread.getName(), SimTime.format(loop.now()), t);
        }
    }

    /** Stops the thread and, unless called on it, joins it; then reports the first failure once. */
    void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable first = failure.get();
        if (first != null && failureReported.compareAndSet(false, true)) {
            throw new IllegalStateException("close: " + failures.get() + " event(s) threw on the loop "
                    + "thread '" + thread.getName() + "'; the first is the cause", first);
        }
    }
}
