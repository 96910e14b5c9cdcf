package dev.stacksim.trace;

import java.util.Arrays;

/**
 * The event trace of a network (or of a lone host): every host built on one event loop shares
 * one tracer, so its events come out in one stream in time order. Emitters ask
 * {@link #enabled()} before they build an event; with no listener attached that is the whole cost.
 *
 * <pre>{@code
 * TraceRecorder rec = new TraceRecorder();
 * net.tracer().addListener(rec);                      // or a Slf4jTraceSink, a TraceFile
 * ...
 * rec.events(TraceEvent.StateChange.class)            // what happened, in order
 * }</pre>
 *
 * <p>Only the event loop's thread emits; listeners are added and removed from that thread or
 * before the loop runs.
 */
public final class Tracer {
    private TraceListener[] listeners = new TraceListener[0];

    /** A tracer with no listeners (disabled). */
    public Tracer() {
    }

    /** True when some listener is attached: only then are events built. */
    public boolean enabled() {
        return listeners.length != 0;
    }

    /** Attaches {@code listener}; it sees every event from now on. */
    public void addListener(TraceListener listener) {
        TraceListener[] l = Arrays.copyOf(listeners, listeners.length + 1);
        l[listeners.length] = listener;
        listeners = l;
    }

    /** Detaches {@code listener}; true if it was attached. */
    public boolean removeListener(TraceListener listener) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                TraceListener[] l = new TraceListener[listeners.length - 1];
                System.arraycopy(listeners, 0, l, 0, i);
                System.arraycopy(listeners, i + 1, l, i, l.length - i);
                listeners = l;
                return true;
            }
        }
        return false;
    }

    /** Hands {@code event} to every listener. */
    public void emit(TraceEvent event) {
        for (TraceListener l : listeners) {
            l.onEvent(event);
        }
    }

    @Override
    public String toString() {
        return "Tracer[listeners=" + listeners.length + "]";
    }
}
