package dev.stacksim.sim;

/**
 * A source of simulation time in nanoseconds: what a component reads when it only needs to know
 * "when is now", not to schedule anything (a pcap writer stamping records, an event trace, the
 * TCP timestamp option).
 *
 * <p>Not {@link java.time.Clock}: there is no wall-clock date here, only a monotonic count of
 * nanoseconds since the simulation began, as Linux's {@code ktime_get_ns()} counts since boot.
 * The {@link EventLoop} is the clock of a running simulation; a test can hand a component a lambda
 * ({@code () -> 5_000_000L}) instead.
 *
 * <p>Readings never decrease. In virtual time the value stands still while an event runs and jumps
 * to the next event's time between events; see {@link dev.stacksim.sim the package overview}.
 */
@FunctionalInterface
public interface Clock {
    /**
     * The current simulation time in nanoseconds. Print it with {@link SimTime#format(long)}.
     */
    long nanoTime();
}
