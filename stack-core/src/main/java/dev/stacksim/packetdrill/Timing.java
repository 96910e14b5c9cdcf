package dev.stacksim.packetdrill;

import java.util.Locale;

/**
 * Script time arithmetic and packetdrill's timing check ({@code verify_time} in {@code run.c}).
 * Script times are microseconds since the script started, as packetdrill keeps them; the
 * simulator's clock is nanoseconds.
 *
 * <p>The tolerance of an event is {@code max(tolerance_usecs, tolerance_percent% of the time since
 * the previous event)}: packetdrill's allowance for timer slack, which grows with the wait (12.5%
 * by default, the worst-case inaccuracy of Linux's non-cascading timer wheel). Virtual time has no
 * slack at all, so in the simulator the tolerance only decides how wrong a script may be.
 */
final class Timing {
    private Timing() {
    }

    /** {@code usecs} as packetdrill prints seconds: {@code 0.100000}. */
    static String seconds(long usecs) {
        return String.format(Locale.ROOT, "%.6f", usecs / 1e6);
    }

    /** {@code %+.6f}: {@code +0.100000}. */
    static String signedSeconds(long usecs) {
        return String.format(Locale.ROOT, "%+.6f", usecs / 1e6);
    }

    /**
     * Checks that something happened at {@code actual} when the script said {@code script} (or in
     * {@code [script, scriptEnd]} for a window), as {@code verify_time}.
     *
     * @param type        the event's time form
     * @param script      the script time, already offset for relative events
     * @param scriptEnd   the window's end, offset likewise (ranges only)
     * @param actual      when it happened, script-relative
     * @param lastEvent   the previous event's script time, or -1 when none (no dynamic tolerance)
     * @param offset      the offset added to a relative window (for its message)
     * @param description what happened: {@code outbound packet}, {@code system call return}
     * @return null when on time, else packetdrill's {@code timing error: ...} message
     */
    static String verify(EventTime.Type type, long script, long scriptEnd, long actual, long lastEvent, long offset,
                         String description, ScriptConfig config) {
        if (type == EventTime.Type.ANY) {
            return null;
        }
        long tolerance = config.toleranceUsecs();
        if (lastEvent >= 0) {
            long dynamic = (long) (config.tolerancePercent() / 100.0 * (script - lastEvent));
            tolerance = Math.max(tolerance, dynamic);
        }
        if (type == EventTime.Type.ABSOLUTE_RANGE || type == EventTime.Type.RELATIVE_RANGE) {
            if (actual < script - tolerance || actual > scriptEnd + tolerance) {
                if (type == EventTime.Type.ABSOLUTE_RANGE) {
                    return "timing error: expected " + description + " in time range " + seconds(script) + "~"
                            + seconds(scriptEnd) + " sec but happened at " + seconds(actual) + " sec";
                }
                return "timing error: expected " + description + " in relative time range +"
                        + seconds(script - offset) + "~+" + seconds(scriptEnd - offset) + " sec but happened at "
                        + signedSeconds(actual - offset) + " sec";
            }
            return null;
        }
        if (actual < script - tolerance || actual > script + tolerance) {
            return "timing error: expected " + description + " at " + seconds(script) + " sec but happened at "
                    + seconds(actual) + " sec; tolerance " + seconds(tolerance) + " sec";
        }
        return null;
    }
}
