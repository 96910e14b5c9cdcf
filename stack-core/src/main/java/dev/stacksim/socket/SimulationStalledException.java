package dev.stacksim.socket;

/**
 * A blocking call in virtual time that nothing in the simulation can ever complete: the event
 * loop ran dry (no packet in flight, no timer armed) while the call still waits, and it has no
 * timeout. A real program would hang here forever; the simulation says so at once instead, naming
 * the call and the socket's state:
 * <pre>
 *   accept(3): would block forever: no events left (LISTEN, accept queue empty)
 * </pre>
 * Typical causes: reading before the peer wrote, accepting before anyone connected, a blocking
 * socket where a non-blocking one (or a timeout) was meant.
 *
 * <p>Unchecked: it signals a bug in the calling test or program, not a condition to handle.
 */
public final class SimulationStalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String call;

    /**
     * @param call  the call with its arguments ({@code accept(3)})
     * @param state what it waited for, from the socket's point of view ({@code LISTEN, accept queue empty})
     */
    public SimulationStalledException(String call, String state) {
        super(call + ": would block forever: no events left (" + state + ")");
        this.call = call;
    }

    /** The call that would have blocked forever, with its arguments. */
    public String call() {
        return call;
    }
}
