package dev.stacksim.trace;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Writes a {@link TraceEvent} record as one line of JSON, from its record components, so that a
 * new field of an event needs no code here. Only used when writing a trace out, never on the data
 * path of an untraced run.
 */
final class TraceJson {
    private TraceJson() {
    }

    /** {@code {"type":"Packet","time":..., ...}}: the kind, then every component in order. */
    static String toJson(TraceEvent event) {
        StringBuilder sb = new StringBuilder(160).append("{\"type\":");
        string(sb, event.getClass().getSimpleName());
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(event);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("trace json: cannot read " + c.getName() + " of " + event, e);
            }
            sb.append(',');
            string(sb, c.getName());
            sb.append(':');
            if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v == null) {
                sb.append("null");
            } else {
                string(sb, v instanceof Enum<?> e ? e.name() : v.toString());
            }
        }
        return sb.append('}').toString();
    }

    /** A JSON string literal (RFC 8259 section 7): quotes, backslashes and control characters escaped. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
