package dev.stacksim.trace;

/**
 * Receives {@link TraceEvent}s from a {@link Tracer}, on the event loop's thread, in the order
 * they happen. A listener must not call back into the stack.
 */
@FunctionalInterface
public interface TraceListener {
    /** Called once per event. */
    void onEvent(TraceEvent event);
}
