/**
 * JMH benchmarks. Build with {@code mvn -q -pl stack-bench -am package -DskipTests}, run with
 * {@code java -jar stack-bench/target/benchmarks.jar}; see {@code docs/performance.md}. The
 * benchmarks that measure the stack against the kernel ({@link dev.stacksim.bench.TcpConnectBenchmark},
 * {@link dev.stacksim.bench.SynFloodBenchmark}) run together, with their ratios and targets printed,
 * through {@link dev.stacksim.bench.BenchmarkRatios}; the kernel's side that Java cannot measure is
 * in {@code src/main/c}.
 */
package dev.stacksim.bench;
