package dev.stacksim.sim;

import java.time.Duration;

/**
 * A one-shot timer owned by a component, modelled on the kernel's {@code struct timer_list}: set
 * up once with its callback, then armed, re-armed and cancelled as often as the protocol wants.
 * A TCP socket keeps one per purpose (retransmit, delayed ACK, keepalive, TIME_WAIT) and re-arms
 * the retransmit timer on nearly every ACK, so these operations are cheap: O(1) when the timer's
 * delay has a lane in the loop's queue, else O(log n), no allocation, and a cancelled or re-armed
 * timer leaves nothing behind.
 *
 * <table>
 *   <caption>Linux counterparts ({@code include/linux/timer.h})</caption>
 *   <tr><th>Linux</th><th>here</th></tr>
 *   <tr><td>{@code timer_setup(t, fn, 0)}</td><td>{@code new Timer(loop, "name", fn)}</td></tr>
 *   <tr><td>{@code mod_timer(t, expires)}</td><td>{@link #mod(long)}</td></tr>
 *   <tr><td>{@code mod_timer(t, jiffies + d)}, {@code sk_reset_timer}</td><td>{@link #arm(long)}</td></tr>
 *   <tr><td>{@code timer_reduce(t, expires)}</td><td>{@link #reduce(long)}</td></tr>
 *   <tr><td>{@code del_timer(t)} / {@code timer_delete}, {@code sk_stop_timer}</td><td>{@link #cancel()}</td></tr>
 *   <tr><td>{@code timer_pending(t)}</td><td>{@link #isPending()}</td></tr>
 *   <tr><td>{@code t->expires}</td><td>{@link #expires()}</td></tr>
 * </table>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Timers run in deadline order; equal deadlines run in the order they were armed (each
 *       {@code mod} that changes the deadline counts as a new arming), interleaved by the same rule
 *       with the loop's other events.</li>
 *   <li>Re-arming a pending timer to the deadline it already has is a no-op and keeps its place
 *       among ties, as {@code mod_timer} short-cuts {@code timer_pending && expires == expires}.</li>
 *   <li>A deadline in the past means "now": the timer runs after the events already due now, never
 *       before them, and the clock never runs backwards. Linux likewise runs an expired timer at the
 *       next tick.</li>
 *   <li>The timer is no longer pending when its callback runs, so the callback may re-arm it
 *       (a periodic timer) or test {@link #isPending()} and find it false.</li>
 *   <li>Unlike a Linux timer there is no tick rounding: a timer armed for 40 ms runs at exactly
 *       40 ms of virtual time.</li>
 * </ul>
 *
 * <p>Every method that changes the timer must be called on the loop's thread (see
 * {@link EventLoop#inEventLoop()}), else it throws {@link IllegalStateException}.
 *
 * <h2>Footprint</h2>
 * A timer is 56 bytes (12-byte header, {@code expires}, its arming number, the slot index and five
 * references with compressed oops) plus, while pending in the heap, a 20-byte queue slot (the heap
 * may hold up to twice the slots it uses); in a delay lane it needs nothing more. So a million
 * pending timers cost 56 to 96 MB plus their callbacks, which are usually one lambda per owning
 * socket. With a capturing lambda each, tests measure under 128 bytes a timer.
 */
public final class Timer {
    /** The loop whose queue this timer is armed on. */
    private final EventLoop loop;
    /** What the timer is for, in {@link #toString()} ("tcp-retransmit"); null for one-shot events. */
    private final String name;
    /** Runs on the loop when the timer expires. */
    private final Runnable callback;
    /** The deadline of the latest arming (clamped to the clock); kept after the timer ran or was cancelled. */
    long expires;
    /**
     * Where the timer is pending: its slot in the loop's heap ({@link TimerQueue}) when {@code >= 0},
     * lane {@code -2 - index} of the loop's {@link EventQueue} when {@code <= -2}; -1 when not pending.
     */
    int index = -1;
    /** The arming number of the latest arming: the tie-breaker among equal deadlines, kept for lanes. */
    long seq;
    /** Neighbours in a delay lane of the {@link EventQueue}; null when not in a lane. */
    Timer prev;
    /** Neighbours in a delay lane of the {@link EventQueue}; null when not in a lane. */
    Timer next;

    /**
     * A timer on {@code loop} that runs {@code callback} when it expires; not armed yet
     * ({@code timer_setup}).
     *
     * @param loop     the event loop the timer is armed on
     * @param name     what the timer is for, shown by {@link #toString()} ("tcp-delack")
     * @param callback run on the loop thread at the deadline
     */
    public Timer(EventLoop loop, String name, Runnable callback) {
        if (loop == null || callback == null) {
            throw new IllegalArgumentException("Timer: loop=" + loop + " callback=" + callback
                    + " must not be null");
        }
        this.loop = loop;
        this.name = name;
        this.callback = callback;
    }

    /**
     * Arms or re-arms the timer to run at absolute time {@code expiresNanos} ({@code mod_timer}).
     * A time before {@link EventLoop#now()} means now.
     *
     * @return whether the timer was pending before the call (as {@code mod_timer} returns 1)
     * @throws IllegalStateException when called off the loop's thread
     */
    public boolean mod(long expiresNanos) {
        return loop.modTimer(this, expiresNanos, "Timer.mod");
    }

    /**
     * Arms or re-arms the timer to run {@code delayNanos} from now: {@code mod(now() + delayNanos)},
     * saturating at {@link Long#MAX_VALUE} (as good as never).
     *
     * @return whether the timer was pending before the call
     * @throws IllegalArgumentException if {@code delayNanos < 0}
     * @throws IllegalStateException    when called off the loop's thread
     */
    public boolean arm(long delayNanos) {
        return loop.modTimer(this, loop.deadlineAfter(delayNanos, "Timer.arm"), "Timer.arm");
    }

    /** {@link #arm(long)} with a {@link Duration}, for configuration code; the hot path uses nanoseconds. */
    public boolean arm(Duration delay) {
        return arm(delay.toNanos());
    }

    /**
     * Arms the timer at {@code expiresNanos} unless it is already pending with an earlier or equal
     * deadline ({@code timer_reduce}): the "whichever comes first" of a delayed ACK.
     *
     * @return whether the timer was pending before the call
     * @throws IllegalStateException when called off the loop's thread
     */
    public boolean reduce(long expiresNanos) {
        loop.checkInEventLoop("Timer.reduce");
        if (index != -1 && Math.max(expiresNanos, loop.now()) >= expires) {
            return true;
        }
        return loop.modTimer(this, expiresNanos, "Timer.reduce");
    }

    /**
     * Disarms the timer ({@code del_timer}); the callback will not run unless it is armed again.
     * Cancelling a timer that is not pending does nothing.
     *
     * @return whether the timer was pending (as {@code del_timer} returns 1)
     * @throws IllegalStateException when called off the loop's thread
     */
    public boolean cancel() {
        return loop.cancelTimer(this);
    }

    /** Whether the timer is armed and has not run yet ({@code timer_pending}). */
    public boolean isPending() {
        return index != -1;
    }

    /**
     * The deadline of the latest arming, in nanoseconds ({@code timer->expires}); still readable
     * after the timer ran or was cancelled. A deadline armed in the past reads as the time it was
     * armed at. 0 if never armed.
     */
    public long expires() {
        return expires;
    }

    /** What the timer is for, as given at construction; {@code null} for a one-shot event. */
    public String name() {
        return name;
    }

    /** The loop this timer runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** Runs the callback; the loop has already dequeued the timer. */
    void fire() {
        callback.run();
    }

    /** The callback, so the loop can find submitted tasks it must cancel on close. */
    Runnable callback() {
        return callback;
    }

    /** {@code Timer[tcp-retransmit expires=1.200000000s pending]}, or {@code idle} when not pending. */
    @Override
    public String toString() {
        return "Timer[" + (name != null ? name : "event " + callback) + " expires=" + SimTime.format(expires)
                + (index != -1 ? " pending]" : " idle]");
    }
}
