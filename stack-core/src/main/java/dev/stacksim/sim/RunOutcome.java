package dev.stacksim.sim;

/**
 * Why {@link EventLoop#runUntil(java.util.function.BooleanSupplier) runUntil} returned.
 *
 * <p>A blocking socket call in virtual time runs the loop until it can complete: on
 * {@link #CONDITION_MET} it completes, on {@link #NO_MORE_EVENTS} it fails at once (nothing left
 * in the simulation could ever make it complete: better a clear error than a hang), on
 * {@link #DEADLINE_REACHED} it times out as {@code SO_RCVTIMEO} says.
 */
public enum RunOutcome {
    /** The condition was true, either before any event ran or after the event that made it so. */
    CONDITION_MET,
    /**
     * The loop ran dry: no event is pending and the condition is still false. The clock stays at
     * the last event that ran, even when a deadline was given and lies later.
     */
    NO_MORE_EVENTS,
    /**
     * The next pending event lies after the deadline and the condition is still false; the clock
     * stands at exactly the deadline.
     */
    DEADLINE_REACHED
}
