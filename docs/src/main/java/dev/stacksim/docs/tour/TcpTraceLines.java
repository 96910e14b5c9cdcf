package dev.stacksim.docs.tour;

import dev.stacksim.trace.TraceEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Trace events as short lines for an 80-column terminal: time in milliseconds, host, and what
 * happened (a packet's flags, sequence and acknowledgment numbers without its options; a state
 * change; a queue move).
 */
final class TcpTraceLines {
    private TcpTraceLines() {
    }

    /** The TCP packets sent, state changes and queue moves among {@code events}, one line each. */
    static List<String> of(List<TraceEvent> events) {
        List<String> lines = new ArrayList<>();
        for (TraceEvent e : events) {
            String what = describe(e);
            if (what != null) {
                lines.add(String.format("%9.3f ms %-7s %s", e.time() / 1e6, e.host(), what));
            }
        }
        return lines;
    }

    private static String describe(TraceEvent e) {
        if (e instanceof TraceEvent.Packet p && p.sent() && p.protocol().equals("TCP")) {
            String s = p.summary();
            int opts = s.indexOf(", options");
            if (opts >= 0) {
                s = s.substring(0, opts) + s.substring(s.indexOf(']', opts) + 1);
            }
            s = s.replace("Flags ", "").replace(", length 0", "");
            return "sends " + s;
        }
        if (e instanceof TraceEvent.StateChange s && s.protocol().equals("TCP")) {
            return s.from() + " -> " + s.to();
        }
        if (e instanceof TraceEvent.QueueMove q) {
            return switch (q.op()) {
                case SYN_QUEUE_ADD -> "SYN queue +1 (" + q.peer() + "), " + q.length() + " half-open";
                case SYN_QUEUE_REMOVE -> "SYN queue -1 (" + q.peer() + "), " + q.length() + " half-open";
                case ACCEPT_QUEUE_ADD -> "accept queue +1 (" + q.peer() + "), " + q.length() + " waiting";
                case ACCEPT -> "accept() takes " + q.peer() + ", " + q.length() + " waiting";
                case ACCEPT_QUEUE_RESET -> "reset queued child " + q.peer();
            };
        }
        return null;
    }
}
