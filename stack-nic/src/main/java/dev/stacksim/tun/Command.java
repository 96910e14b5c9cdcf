package dev.stacksim.tun;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command of the real machine ({@code ip}, {@code unshare}), run to completion within a time
 * limit, its standard output and error captured together. Output goes through a temporary file
 * rather than a pipe so that a chatty command can never block on a full pipe while we wait.
 */
final class Command {
    private Command() {
    }

    /** What a command did: its exit code (-1 when it was killed at the time limit) and its output. */
    record Result(List<String> argv, int exitCode, String output, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        @Override
        public String toString() {
            return String.join(" ", argv) + ": " + (timedOut ? "timed out" : "exit " + exitCode)
                    + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /**
     * Runs {@code argv} and waits at most {@code timeout}; a command still running then is killed
     * with its descendants.
     *
     * @throws UncheckedIOException when it cannot be started (not found, not executable)
     */
    static Result run(Duration timeout, String... argv) {
        List<String> args = resolve(argv);
        Path out = null;
        try {
            out = Files.createTempFile("stacksim-cmd", ".out");
            Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                destroyTree(p);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(args, done ? p.exitValue() : -1, text, !done);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", args) + ": interrupted", e);
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

    /**
     * {@code argv} with its program found as {@link #which} finds it: {@code /usr/sbin} and
     * {@code /sbin} (where {@code ip}, {@code tc} and {@code nft} live) may be missing from a
     * non-login {@code PATH}.
     */
    static List<String> resolve(String... argv) {
        List<String> args = new java.util.ArrayList<>(List.of(argv));
        if (!args.isEmpty() && !args.get(0).contains("/")) {
            which(args.get(0)).ifPresent(p -> args.set(0, p.toString()));
        }
        return args;
    }

    /** Kills {@code p} and every process it started, forcibly, and waits briefly for them. */
    static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The executable {@code name} on the {@code PATH} (also {@code /usr/sbin}, {@code /sbin}), if any. */
    static Optional<Path> which(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the effective capability set of this process holds capability number {@code cap}
     * ({@code CapEff} of {@code /proc/self/status}; {@code CAP_NET_ADMIN} is 12, {@code CAP_SYS_ADMIN} 21).
     */
    static boolean hasCapability(int cap) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long bits = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (bits & (1L << cap)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
