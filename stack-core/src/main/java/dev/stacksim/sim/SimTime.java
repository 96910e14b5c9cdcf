package dev.stacksim.sim;

import java.time.Duration;

/**
 * Simulation time values: nanosecond {@code long}s, their units and how they print.
 *
 * <p>Every time in the stack is a {@code long} count of nanoseconds, never a {@link Duration} or an
 * object: timers are re-armed on nearly every ACK and must not allocate. Where Linux counts in
 * jiffies ({@code HZ} ticks a second, rounded up to the timer wheel's granularity) the simulation
 * keeps exact nanoseconds, so a 200 ms RTO fires at 200 ms, not at "the tick after 200 ms". The
 * unit helpers read as the kernel's {@code msecs_to_jiffies(200)} does:
 * {@code timer.arm(SimTime.millis(200))}.
 *
 * <p>Two printed forms, for traces and test failures:
 * <pre>
 *   format(1_000_000_000L)      "1.000000000s"   absolute: seconds, always nine decimals
 *   formatDelta(40_000_000L)    "+0.040s"        relative, as packetdrill writes "+.040":
 *   formatDelta(123_000L)       "+0.000123s"        3 decimals when whole milliseconds,
 *   formatDelta(1_500L)         "+0.000001500s"     6 when whole microseconds, else 9
 * </pre>
 */
public final class SimTime {
    /** Nanoseconds in a microsecond. */
    public static final long NANOS_PER_MICRO = 1_000L;
    /** Nanoseconds in a millisecond. */
    public static final long NANOS_PER_MILLI = 1_000_000L;
    /** Nanoseconds in a second. */
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SimTime() {
    }

    /**
     * {@code us} microseconds in nanoseconds.
     *
     * @throws ArithmeticException if the result overflows a {@code long} (about 292 years)
     */
    public static long micros(long us) {
        return Math.multiplyExact(us, NANOS_PER_MICRO);
    }

    /**
     * {@code ms} milliseconds in nanoseconds.
     *
     * @throws ArithmeticException if the result overflows a {@code long}
     */
    public static long millis(long ms) {
        return Math.multiplyExact(ms, NANOS_PER_MILLI);
    }

    /**
     * {@code s} seconds in nanoseconds.
     *
     * @throws ArithmeticException if the result overflows a {@code long}
     */
    public static long seconds(long s) {
        return Math.multiplyExact(s, NANOS_PER_SECOND);
    }

    /**
     * A {@link Duration} in nanoseconds, for APIs that take a {@code Duration} at configuration time.
     *
     * @throws ArithmeticException if the duration does not fit a {@code long} of nanoseconds
     */
    public static long toNanos(Duration duration) {
        return duration.toNanos();
    }

    /**
     * An absolute time as seconds with nine decimals: {@code "1.000000000s"}, {@code "0.040000000s"},
     * {@code "-0.500000000s"}. Fixed width for the fraction, so columns of times line up in a trace.
     */
    public static String format(long nanos) {
        StringBuilder sb = new StringBuilder(24);
        appendSeconds(sb, nanos, 9);
        return sb.append('s').toString();
    }

    /**
     * A time difference with an explicit sign and as few decimals as show it exactly: three for whole
     * milliseconds ({@code "+0.040s"}), six for whole microseconds ({@code "+0.000123s"}), nine
     * otherwise ({@code "-0.000001500s"}). This is how a trace prints "40 ms after the last packet".
     */
    public static String formatDelta(long nanos) {
        int decimals;
        if (nanos % NANOS_PER_MILLI == 0) {
            decimals = 3;
        } else if (nanos % NANOS_PER_MICRO == 0) {
            decimals = 6;
        } else {
            decimals = 9;
        }
        StringBuilder sb = new StringBuilder(24);
        if (nanos >= 0) {
            sb.append('+');
        }
        appendSeconds(sb, nanos, decimals);
        return sb.append('s').toString();
    }

    /**
     * Appends {@code nanos} as seconds with {@code decimals} (3, 6 or 9) fraction digits; the caller
     * guarantees the dropped digits are zero. Quotient and remainder are printed separately,
     * so {@code Long.MIN_VALUE} (whose absolute value does not exist) prints correctly.
     */
    private static void appendSeconds(StringBuilder sb, long nanos, int decimals) {
        long whole = nanos / NANOS_PER_SECOND;
        long fraction = nanos % NANOS_PER_SECOND;
        if (nanos < 0) {
            sb.append('-');
        }
        sb.append(Math.abs(whole)).append('.');
        String digits = Long.toString(Math.abs(fraction));
        int start = sb.length();
        for (int pad = 9 - digits.length(); pad > 0; pad--) {
            sb.append('0');
        }
        sb.append(digits);
        sb.setLength(start + decimals);
    }
}
