package dev.stacksim.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Locale;

/**
 * Runs {@link TcpBulkBenchmark} and prints each stack path's throughput in Gbit/s next to the
 * kernel's loopback figure from the same run, with the ratio and the targets of issue #6 (over
 * loopback at least the kernel's throughput; over the simulated NIC at least 10 Gbit/s).
 *
 * <pre>
 * java -cp stack-bench/target/benchmarks.jar dev.stacksim.bench.BulkRatios [JMH options]
 * </pre>
 */
public final class BulkRatios {
    /** Issue #6: the stack over loopback moves at least this many times the kernel's loopback bytes per second. */
    static final double LOOPBACK_TARGET = 1.0;
    /** Issue #6: the stack over the simulated NIC moves at least this many bits per second. */
    static final double NIC_TARGET_BPS = 10e9;

    private BulkRatios() {
    }

    /** Runs the benchmark (JMH options as {@code benchmarks.jar} takes them) and prints the comparison. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cl = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cl);
        if (cl.getIncludes().isEmpty()) {
            options.include(TcpBulkBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(report(results));
    }

    /** The comparison table for {@code results}. */
    static String report(Collection<RunResult> results) {
        RunResult kernel = null;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("TcpBulkBenchmark.kernel")) {
                kernel = r;
            }
        }
        double k = kernel == null ? Double.NaN : kernel.getPrimaryResult().getScore();
        StringBuilder out = new StringBuilder();
        out.append("Bulk transfer, one connection, one thread: Gbit/s of payload (wall clock)\n");
        out.append(String.format(Locale.ROOT, "%-6s %20s %20s %8s  %s%n", "path", "stack", "kernel (127.0.0.1)",
                "ratio", "target"));
        for (RunResult s : results) {
            if (!s.getParams().getBenchmark().endsWith("TcpBulkBenchmark.stack")) {
                continue;
            }
            String path = s.getParams().getParam("path");
            Result sr = s.getPrimaryResult();
            double ratio = sr.getScore() / k;
            String target = path.equals("nic")
                    ? ">= 10 Gbit/s: " + (sr.getScore() * 8 >= NIC_TARGET_BPS ? "met" : "missed")
                    : ">= " + LOOPBACK_TARGET + "x kernel: " + (Double.isNaN(ratio) ? "-" : ratio >= LOOPBACK_TARGET ? "met" : "missed");
            out.append(String.format(Locale.ROOT, "%-6s %20s %20s %7.2fx  %s%n", path, gbit(sr),
                    kernel == null ? "-" : gbit(kernel.getPrimaryResult()), ratio, target));
        }
        return out.toString();
    }

    /** Bytes per second as {@code 12.34 ± 0.56} Gbit/s. */
    private static String gbit(Result r) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", r.getScore() * 8 / 1e9, r.getScoreError() * 8 / 1e9);
    }
}
