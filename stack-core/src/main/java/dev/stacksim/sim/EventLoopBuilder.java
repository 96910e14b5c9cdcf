package dev.stacksim.sim;

import java.util.Objects;

/**
 * Configures an {@link EventLoop}: {@code EventLoop.builder().seed(7).build()}. Defaults: virtual
 * time, seed 0 (so a loop built without a seed is still reproducible), the clock starting at 0, an
 * event limit of {@value EventLoop#DEFAULT_EVENT_LIMIT} per run call, and a real-time thread named
 * {@value EventLoop#DEFAULT_THREAD_NAME}.
 */
public final class EventLoopBuilder {
    /** The seed of the root random stream. */
    private long seed;
    /** Real time on an own thread, else virtual time. */
    private boolean realTime;
    /** The clock's first reading. */
    private long startNanos;
    /** Most events per step/run call. */
    private long eventLimit = EventLoop.DEFAULT_EVENT_LIMIT;
    /** Name of the real-time thread. */
    private String threadName = EventLoop.DEFAULT_THREAD_NAME;

    EventLoopBuilder() {
    }

    /** The one seed every random stream of the run derives from (see {@link SimRandom}). */
    public EventLoopBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** True for a real-time loop on its own thread; false (the default) for virtual time. */
    public EventLoopBuilder realTime(boolean realTime) {
        this.realTime = realTime;
        return this;
    }

    /**
     * The clock's first reading (default 0). Linux starts {@code jiffies} five minutes before they
     * wrap ({@code INITIAL_JIFFIES}) to flush out comparison bugs; a test can start here at
     * {@code SimTime.seconds(-300)} to check that nothing treats time 0 or negative times specially.
     */
    public EventLoopBuilder startNanos(long startNanos) {
        this.startNanos = startNanos;
        return this;
    }

    /**
     * The most events one {@code step}/{@code run*} call may run before it throws as a livelock.
     * Raise it for long bulk transfers driven by a single {@code runUntil}.
     *
     * @throws IllegalArgumentException if {@code eventLimit <= 0}
     */
    public EventLoopBuilder eventLimit(long eventLimit) {
        if (eventLimit <= 0) {
            throw new IllegalArgumentException("eventLimit: eventLimit=" + eventLimit + " must be > 0");
        }
        this.eventLimit = eventLimit;
        return this;
    }

    /** The name of a real-time loop's thread, as thread dumps and error messages show it. */
    public EventLoopBuilder threadName(String threadName) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        return this;
    }

    /** The loop; a real-time one is already running on its thread. */
    public EventLoop build() {
        EventLoop loop = new EventLoop(seed, startNanos, eventLimit, realTime ? threadName : null);
        loop.start();
        return loop;
    }
}
