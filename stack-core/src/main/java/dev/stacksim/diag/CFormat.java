package dev.stacksim.diag;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The few C {@code printf} conversions the tools' output depends on and Java's
 * {@link String#format} does differently: {@code %g} (shortest of fixed and exponential, trailing
 * zeros removed), {@code %.0f} and {@code %2.2f} with glibc's exact rounding (round half to even on
 * the binary value), and the two helpers of iproute2's {@code ss.c} built on them.
 */
final class CFormat {
    private CFormat() {
    }

    /** {@code printf("%g", v)}: six significant digits. */
    static String g(double v) {
        return g(v, 6);
    }

    /** {@code printf("%.<p>g", v)}. */
    static String g(double v, int precision) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        int p = precision == 0 ? 1 : precision;
        BigDecimal bd = new BigDecimal(v).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int x = bd.precision() - bd.scale() - 1;
        if (x < -4 || x >= p) {
            String digits = bd.unscaledValue().abs().toString();
            String rest = stripZeros(digits.substring(1));
            return (v < 0 ? "-" : "") + digits.charAt(0) + (rest.isEmpty() ? "" : "." + rest)
                    + "e" + (x < 0 ? '-' : '+') + (Math.abs(x) < 10 ? "0" : "") + Math.abs(x);
        }
        String fixed = bd.setScale(Math.max(0, p - 1 - x), RoundingMode.HALF_EVEN).toPlainString();
        if (fixed.indexOf('.') >= 0) {
            fixed = stripZeros(fixed);
            if (fixed.endsWith(".")) {
                fixed = fixed.substring(0, fixed.length() - 1);
            }
        }
        return fixed;
    }

    /** {@code printf("%.<decimals>f", v)} with glibc's rounding. */
    static String f(double v, int decimals) {
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * {@code print_ms_timer} of {@code ss.c}: {@code 604ms}, {@code 1.368ms} (sic: one second and
     * 368 ms), {@code 59sec}, {@code 119min}; minutes drop the milliseconds, and over nine minutes
     * or nine seconds the smaller unit too.
     */
    static String msTimer(long timeoutMs) {
        long secs = timeoutMs / 1000;
        long minutes = secs / 60;
        secs = secs % 60;
        long msecs = timeoutMs % 1000;
        StringBuilder sb = new StringBuilder();
        if (minutes != 0) {
            msecs = 0;
            sb.append(minutes).append("min");
            if (minutes > 9) {
                secs = 0;
            }
        }
        if (secs != 0) {
            if (secs > 9) {
                msecs = 0;
            }
            sb.append(secs).append(msecs != 0 ? "." : "sec");
        }
        if (msecs != 0) {
            sb.append(String.format("%03dms", msecs));
        }
        return sb.toString();
    }

    /**
     * {@code sprint_bw} of {@code ss.c}: a rate in bits per second, {@code %.0f} with {@code -n},
     * else three significant digits with a k, M, G or T suffix.
     */
    static String bandwidth(double bw, boolean numeric) {
        if (numeric) {
            return f(bw, 0);
        } else if (bw >= 1e12) {
            return g(bw / 1e12, 3) + "T";
        } else if (bw >= 1e9) {
            return g(bw / 1e9, 3) + "G";
        } else if (bw >= 1e6) {
            return g(bw / 1e6, 3) + "M";
        } else if (bw >= 1e3) {
            return g(bw / 1e3, 3) + "k";
        }
        return g(bw);
    }
}
