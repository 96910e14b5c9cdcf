package dev.stacksim.trace;

import java.util.ArrayList;
import java.util.List;

/** A {@link TraceListener} that keeps every event in memory, for tests and diagrams. */
public final class TraceRecorder implements TraceListener {
    private final List<TraceEvent> events = new ArrayList<>();

    @Override
    public void onEvent(TraceEvent event) {
        events.add(event);
    }

    /** Every event so far, in order. */
    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, in order. */
    public <T extends TraceEvent> List<T> events(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** Forgets the events so far. */
    public void clear() {
        events.clear();
    }

    /** Every event formatted, one per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : events) {
            sb.append(e.format()).append('\n');
        }
        return sb.toString();
    }
}
