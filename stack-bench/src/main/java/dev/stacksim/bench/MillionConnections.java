package dev.stacksim.bench;

import java.util.Locale;

/**
 * Issue #9's memory and build-time figures: makes {@code n} idle established connections between
 * two hosts ({@link IdleConnections}) and prints the wall time they took, the heap they hold
 * (used after full collections, before and after), {@code /proc/net/sockstat}'s TCP line and the
 * stack's own memory report.
 *
 * <pre>
 * java -Xmx4g -Dio.netty.leakDetection.level=DISABLED -cp stack-bench/target/benchmarks.jar \
 *     dev.stacksim.bench.MillionConnections [n=1000000]
 * </pre>
 */
public final class MillionConnections {
    private MillionConnections() {
    }

    /** Builds the connections and prints the figures; {@code args[0]} is {@code n}. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = IdleConnections.heapUsedAfterGc();
        try (IdleConnections c = new IdleConnections(n)) {
            long after = IdleConnections.heapUsedAfterGc();
            System.out.println(c.summary());
            System.out.printf(Locale.ROOT, "heap: %.2f GiB used after GC (max %.2f GiB), %.0f B per connection"
                            + " (both ends), %.0f B per socket%n", after / (double) (1L << 30),
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30), (after - before) / (double) n,
                    (after - before) / (2.0 * n));
            System.out.println(c.memory());
        }
    }
}
