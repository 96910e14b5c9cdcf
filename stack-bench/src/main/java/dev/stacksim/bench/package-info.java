/**
 * JMH benchmarks. Build with {@code mvn -q -pl stack-bench -am package -DskipTests}, run with
 * {@code java -jar stack-bench/target/benchmarks.jar}; see {@code docs/performance.md}.
 */
package dev.stacksim.bench;
