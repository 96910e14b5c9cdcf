package dev.stacksim.tun;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Java program inside a network namespace of its own ({@code unshare -n}): a fresh kernel
 * network stack with only {@code lo}, which the launcher brings up. Whatever the program creates
 * there (a TUN device, routes, qdiscs, nftables rules, sockets) is invisible to the rest of the
 * machine and disappears with the program; no packet it sends can leave the namespace, because
 * nothing connects it to another one.
 *
 * <p>A JVM cannot move itself into a namespace ({@code setns(2)} is not in its reach), so the
 * program is a child JVM started as {@code unshare -n -- sh -c 'ip link set lo up && exec java ...'},
 * with this JVM's classpath. Every process it starts ({@code socat}, {@code nc}, {@code tcpdump})
 * inherits the namespace. The tests of this package and the guide's TUN example run this way.
 */
public final class PrivateNetns {
    private PrivateNetns() {
    }

    /** What the program did: its exit code (-1 when killed at the time limit), everything it printed. */
    public record Result(int exitCode, String output, boolean timedOut, Duration elapsed) {
        /** Whether it exited with 0 in time. */
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /**
     * Why a private network namespace cannot be had here, or empty when it can: not Linux, no
     * {@code unshare} or {@code ip}, or {@code unshare -n true} fails (it needs root: CAP_SYS_ADMIN).
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("not Linux (os.name=" + System.getProperty("os.name") + ")");
        }
        if (Command.which("unshare").isEmpty()) {
            return Optional.of("no unshare on the PATH (util-linux)");
        }
        if (Command.which("ip").isEmpty()) {
            return Optional.of("no ip on the PATH (apt-get install iproute2)");
        }
        Command.Result r = Command.run(Duration.ofSeconds(10), "unshare", "-n", "--", "true");
        if (!r.ok()) {
            return Optional.of("cannot create a network namespace (root needed): " + r);
        }
        return Optional.empty();
    }

    /**
     * Runs {@code mainClass} with {@code args} in a new network namespace, on this JVM's classpath
     * and with its {@code java}, and waits at most {@code timeout}; past it the program and every
     * process it started are killed. {@code jvmOptions} go before the class name
     * ({@code -Dio.netty.leakDetection.level=PARANOID}).
     */
    public static Result runJava(String mainClass, List<String> jvmOptions, List<String> args, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(Command.resolve("unshare").get(0), "-n", "--", "sh", "-c",
                "ip link set dev lo up && exec \"$@\"", "sh"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(jvmOptions);
        cmd.add(mainClass);
        cmd.addAll(args);
        long start = System.nanoTime();
        Path out = null;
        try {
            out = Files.createTempFile("stacksim-netns", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // ip, tc, nft and tcpdump live in /usr/sbin, which a non-login PATH may lack
            pb.environment().merge("PATH", "/usr/sbin:/sbin", (a, b) -> a + ":" + b);
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                Command.destroyTree(p);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : -1, text, !done, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("netns: cannot run " + mainClass + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("netns: interrupted while " + mainClass + " ran", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
