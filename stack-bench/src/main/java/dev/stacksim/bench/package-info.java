/**
 * JMH benchmarks. Build with {@code mvn -q -pl stack-bench -am package -DskipTests}, run with
 * {@code java -jar stack-bench/target/benchmarks.jar}; see {@code docs/performance.md}. The
 * benchmarks that measure the stack against the kernel ({@link dev.stacksim.bench.TcpConnectBenchmark},
 * {@link dev.stacksim.bench.SynFloodBenchmark}) run together, with their ratios and targets printed,
 * through {@link dev.stacksim.bench.BenchmarkRatios}; the kernel's side that Java cannot measure is
 * in {@code src/main/c}. Scale (issue #9): {@link dev.stacksim.bench.ScaleBenchmark} (cost per
 * operation among 1k to 1M idle connections, built by {@link dev.stacksim.bench.IdleConnections}),
 * {@link dev.stacksim.bench.MillionConnections} (build time and heap of a million),
 * {@link dev.stacksim.bench.ManyHostsBenchmark} (1,000 hosts, events per second),
 * {@link dev.stacksim.bench.SideBySide} (the stack next to the kernel in one invocation) and
 * {@link dev.stacksim.bench.ScaleChart} (the SVG chart of the curves).
 */
package dev.stacksim.bench;
