package dev.stacksim.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link TcpConnectBenchmark} and {@link SynFloodBenchmark} in one JMH run and prints each
 * stack figure next to the kernel's, with the ratio and the targets of issue #5 (connections at
 * least 20× the kernel's loopback rate; at least 2 million SYNs per second with cookies).
 *
 * <pre>
 * java -cp stack-bench/target/benchmarks.jar dev.stacksim.bench.BenchmarkRatios [--synflood=PATH] [JMH options]
 * </pre>
 *
 * JMH options are those of {@code benchmarks.jar} ({@code -wi 8 -i 5 -f 1}, {@code -p close=rst}
 * ...); without a benchmark pattern both benchmarks run. With {@code --synflood=PATH} the kernel's
 * SYN rate is measured after the JMH run by {@code PATH} (the compiled
 * {@code stack-bench/src/main/c/synflood.c}, which needs root), 5 iterations of 1 s, and the ratio
 * printed too.
 */
public final class BenchmarkRatios {
    /** Issue #5: the stack's connection rate is at least this many times the kernel's. */
    static final double CONNECT_TARGET = 20.0;
    /** Issue #5: SYNs per second with cookies. */
    static final double SYN_TARGET = 2_000_000;

    private BenchmarkRatios() {
    }

    /** Runs the benchmarks and prints the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String synflood = null;
        List<String> jmhArgs = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--synflood=")) {
                synflood = a.substring("--synflood=".length());
            } else {
                jmhArgs.add(a);
            }
        }
        CommandLineOptions cl = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cl);
        if (cl.getIncludes().isEmpty()) {
            options.include(TcpConnectBenchmark.class.getName()).include(SynFloodBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        double[] kernelSyn = synflood == null ? null : runSynflood(synflood);
        System.out.println();
        System.out.print(report(results, kernelSyn));
    }

    /** The comparison tables for {@code results}, and the kernel's SYN rate (mean, error) when measured. */
    static String report(Collection<RunResult> results, double[] kernelSyn) {
        StringBuilder out = new StringBuilder();
        out.append("Connection setup and teardown: socket+connect+accept+close+close, ops/s (wall clock)\n");
        out.append(String.format(Locale.ROOT, "%-5s %-5s %24s %24s %8s  %s%n", "path", "close", "stack",
                "kernel (127.0.0.1)", "ratio", "target >= " + (int) CONNECT_TARGET + "x"));
        for (RunResult s : results) {
            if (!s.getParams().getBenchmark().endsWith("TcpConnectBenchmark.stack")) {
                continue;
            }
            String close = s.getParams().getParam("close");
            RunResult k = find(results, "TcpConnectBenchmark.kernel", close);
            Result sr = s.getPrimaryResult();
            double ratio = k == null ? Double.NaN : sr.getScore() / k.getPrimaryResult().getScore();
            out.append(String.format(Locale.ROOT, "%-5s %-5s %24s %24s %7.1fx  %s%n", s.getParams().getParam("path"),
                    close, score(sr), k == null ? "-" : score(k.getPrimaryResult()), ratio,
                    Double.isNaN(ratio) ? "-" : ratio >= CONNECT_TARGET ? "met" : "missed"));
        }
        for (RunResult s : results) {
            if (!s.getParams().getBenchmark().endsWith("SynFloodBenchmark.syns")) {
                continue;
            }
            Result sr = s.getPrimaryResult();
            out.append("\nSYN flood, tcp_syncookies=2: SYNs/s answered by a cookie SYN-ACK (wall clock)\n");
            out.append(String.format(Locale.ROOT, "stack  %24s   target >= %,.0f: %s%n", score(sr), SYN_TARGET,
                    sr.getScore() >= SYN_TARGET ? "met" : "missed"));
            if (kernelSyn != null) {
                out.append(String.format(Locale.ROOT, "kernel %24s   (synflood.c)  stack/kernel %.1fx%n",
                        String.format(Locale.ROOT, "%,.0f ± %,.0f", kernelSyn[0], kernelSyn[1]),
                        sr.getScore() / kernelSyn[0]));
            }
        }
        return out.toString();
    }

    private static RunResult find(Collection<RunResult> results, String benchmark, String close) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith(benchmark) && close.equals(r.getParams().getParam("close"))) {
                return r;
            }
        }
        return null;
    }

    private static String score(Result r) {
        return String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getScore(), r.getScoreError());
    }

    /**
     * Runs {@code synflood 5 1} and returns the mean of its iterations' wall-clock rates and their
     * standard deviation, or null when it failed.
     */
    static double[] runSynflood(String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(path, "5", "1").redirectErrorStream(true).start();
        Pattern line = Pattern.compile("^iteration \\d+: (\\d+) SYNs/s \\(wall\\)");
        List<Double> rates = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String s; (s = r.readLine()) != null; ) {
                System.out.println("synflood: " + s);
                Matcher m = line.matcher(s);
                if (m.find()) {
                    rates.add(Double.parseDouble(m.group(1)));
                }
            }
        }
        if (p.waitFor() != 0 || rates.isEmpty()) {
            System.out.println("synflood: failed (exit " + p.exitValue() + "); the kernel's SYN rate is left out");
            return null;
        }
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double var = rates.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, rates.size() - 1);
        return new double[] {mean, Math.sqrt(var)};
    }
}
