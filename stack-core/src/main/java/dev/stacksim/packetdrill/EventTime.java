package dev.stacksim.packetdrill;

/**
 * An event's time column, in microseconds as written: {@code 0.100} (absolute), {@code +.1}
 * (relative to the previous event), {@code *} (any time, outbound packets only), {@code 0.1~0.2}
 * or {@code +0~+0.1} (a window, outbound packets only).
 *
 * @param type      which form
 * @param usecs     the time (or the window's start)
 * @param endUsecs  the window's end; -1 when not a window
 */
public record EventTime(Type type, long usecs, long endUsecs) {
    /** The forms of the time column (packetdrill's {@code event_time_t}). */
    public enum Type {
        /** {@code 1.5}: seconds since the script started. */
        ABSOLUTE,
        /** {@code +.1}: seconds after the previous event. */
        RELATIVE,
        /** {@code *}: whenever the packet comes. */
        ANY,
        /** {@code 0.1~0.2}. */
        ABSOLUTE_RANGE,
        /** {@code +0~+0.1}. */
        RELATIVE_RANGE
    }

    /** True for the relative forms (and {@code *}, which packetdrill also offsets). */
    public boolean isRelative() {
        return type == Type.RELATIVE || type == Type.RELATIVE_RANGE || type == Type.ANY;
    }

    /** True for the absolute forms, an instant or a window ({@code is_event_time_absolute}). */
    public boolean isAbsolute() {
        return type == Type.ABSOLUTE || type == Type.ABSOLUTE_RANGE;
    }

    /** True for a window. */
    public boolean isRange() {
        return type == Type.ABSOLUTE_RANGE || type == Type.RELATIVE_RANGE;
    }

    @Override
    public String toString() {
        switch (type) {
            case ANY:
                return "*";
            case RELATIVE:
                return "+" + Timing.seconds(usecs);
            case ABSOLUTE_RANGE:
                return Timing.seconds(usecs) + "~" + Timing.seconds(endUsecs);
            case RELATIVE_RANGE:
                return "+" + Timing.seconds(usecs) + "~+" + Timing.seconds(endUsecs);
            default:
                return Timing.seconds(usecs);
        }
    }
}
