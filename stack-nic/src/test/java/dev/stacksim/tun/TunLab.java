package dev.stacksim.tun;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The kernel's side of a TUN scenario, run inside the private namespace of {@link TunScenarios}:
 * the bridge, the kernel's tools as processes with time limits, a {@code tcpdump} capture on the
 * TUN device, {@code nstat}, and the report the JUnit test reads back.
 *
 * <p>Report lines start with {@code @}: {@code @key value}. Everything else the child prints (logs,
 * tool output) is there for a human reading a failure. Two environment variables help one chase a
 * failure by hand: {@code STACKSIM_TUN_KEEP=1} keeps the scenario's directory (the capture
 * {@code sim0.pcap}, the tools' output), {@code STACKSIM_TUN_TRACE=file} writes the simulated
 * host's event trace there.
 */
final class TunLab implements AutoCloseable {
    /** The kernel's address on {@code sim0}. */
    static final String KERNEL = "10.9.0.1";
    /** The simulated host's address on its {@code tun0}. */
    static final String SIM = "10.9.0.2";
    /** The kernel's counters that a malformed packet from us would raise; all must stay 0. */
    static final List<String> KERNEL_ERROR_COUNTERS = List.of("IpInHdrErrors", "IpInAddrErrors",
            "IpInUnknownProtos", "IpExtInCsumErrors", "IpExtInTruncatedPkts", "IcmpInErrors", "IcmpInCsumErrors",
            "TcpInErrs", "TcpInCsumErrors", "UdpInCsumErrors");
    /** The simulated host's counters for the same errors in the kernel's packets. */
    static final List<String> SIM_ERROR_COUNTERS = List.of("IpInHdrErrors", "IpInAddrErrors", "IpInUnknownProtos",
            "IpExtInCsumErrors", "IpExtInTruncatedPkts", "IcmpInErrors", "IcmpInCsumErrors", "TcpInErrs",
            "TcpInCsumErrors");

    final Path dir;
    final TunBridge bridge;
    private final List<Process> background = new ArrayList<>();
    private Capture capture;
    private dev.stacksim.trace.TraceFile traceFile;

    /**
     * Turns IPv6 off in the namespace (the kernel would otherwise send router solicitations and MLD
     * reports into the device) and opens the bridge.
     */
    TunLab() throws IOException {
        dir = Files.createTempDirectory("stacksim-tun");
        run(Duration.ofSeconds(5), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        run(Duration.ofSeconds(5), "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        bridge = TunBridge.builder().seed(10).build();
        String trace = System.getenv("STACKSIM_TUN_TRACE");
        if (trace != null) {
            // for a human chasing a failure: the simulated host's event trace as text
            traceFile = dev.stacksim.trace.TraceFile.open(Path.of(trace), dev.stacksim.trace.TraceFile.Format.TEXT);
            dev.stacksim.trace.TraceFile f = traceFile;
            bridge.onLoop(() -> {
                bridge.host().tracer().addListener(f);
                return null;
            });
        }
        report("bridge.socat.pid", bridge.socatPid());
    }

    // ---------------------------------------------------------------- the report

    /** Prints one {@code @key value} line for the JUnit test. */
    static void report(String key, Object value) {
        String text = String.valueOf(value);
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty() || text.isEmpty()) {
                System.out.println("@" + key + " " + line);
            }
        }
        System.out.flush();
    }

    // ---------------------------------------------------------------- kernel tools

    /** Runs a tool of the kernel's side to completion, echoing the command and its output for humans. */
    static Command.Result run(Duration timeout, String... argv) {
        Command.Result r = Command.run(timeout, argv);
        System.out.println("$ " + String.join(" ", argv) + "\n" + r.output().stripTrailing() + "\n[" + (r.timedOut()
                ? "timed out" : "exit " + r.exitCode()) + "]");
        return r;
    }

    /**
     * Starts a tool in the background, stdin from {@code in} (null: /dev/null), stdout and stderr to
     * {@code out} (null: a file in {@link #dir}); killed at {@link #close()} if still running.
     */
    Process start(Path in, Path out, String... argv) throws IOException {
        Path o = out != null ? out : dir.resolve(argv[0] + "-" + background.size() + ".out");
        ProcessBuilder pb = new ProcessBuilder(Command.resolve(argv)).redirectOutput(o.toFile())
                .redirectInput(in != null ? in.toFile() : new File("/dev/null"));
        if (out != null) {
            pb.redirectError(dir.resolve(argv[0] + "-" + background.size() + ".err").toFile());
        } else {
            pb.redirectErrorStream(true);
        }
        System.out.println("$ " + String.join(" ", argv) + " &");
        Process p = pb.start();
        background.add(p);
        return p;
    }

    /** Waits for {@code p} at most {@code timeout}; its exit code, or -1 after killing it. */
    static int waitFor(Process p, Duration timeout) throws InterruptedException {
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        Command.destroyTree(p);
        return -1;
    }

    /** Polls {@code condition} every 5 ms for at most {@code timeout}: the kernel runs on the wall clock. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        return condition.getAsBoolean();
    }

    /** Waits until the kernel has a TCP listener on {@code port}. */
    static boolean awaitKernelListener(int port) {
        return await(() -> Command.run(Duration.ofSeconds(5), "ss", "-Htln", "sport = :" + port).output().contains(":" + port),
                Duration.ofSeconds(5));
    }

    /** {@code ss -Htan} of the kernel, rows for {@code port} on either side. */
    static List<String> kernelSs(int port) {
        return Command.run(Duration.ofSeconds(5), "ss", "-Htan", "( sport = :" + port + " or dport = :" + port + " )")
                .output().lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }

    /** {@code ss -tan} of the simulated host, rows (no header) for {@code port} on either side. */
    List<String> simSs(int port) {
        String all = bridge.onLoop(() -> bridge.host().ss("-tan"));
        return all.lines().skip(1).map(String::strip)
                .filter(l -> l.matches(".*:" + port + "\\s.*") || l.endsWith(":" + port))
                .collect(Collectors.toList());
    }

    /** The kernel's counters, absolute ({@code nstat -asz}): a new namespace starts them at 0. */
    static Map<String, Long> nstat() {
        Map<String, Long> m = new LinkedHashMap<>();
        Command.Result r = Command.run(Duration.ofSeconds(5), "nstat", "-asz");
        for (String line : r.output().lines().collect(Collectors.toList())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[1].matches("\\d+")) {
                m.put(f[0], Long.parseLong(f[1]));
            }
        }
        return m;
    }

    /** One counter of the simulated host, by its nstat name. */
    long simCounter(String name) {
        return bridge.onLoop(() -> bridge.host().snmp().get(name));
    }

    // ---------------------------------------------------------------- capture

    /** Starts {@code tcpdump} on the kernel's TUN device with {@code filter}, and waits until it listens. */
    void capture(String filter) throws IOException {
        capture = new Capture(this, filter);
    }

    /** Stops the capture and returns its packets, one line each, as {@code tcpdump -nn -v} reads them. */
    List<String> stopCapture() throws InterruptedException {
        List<String> lines = capture.stop();
        capture = null;
        return lines;
    }

    /** A {@code tcpdump -w} on {@code sim0}, read back with {@code tcpdump -r -nn -v}. */
    private static final class Capture {
        private final Path file;
        private final Path log;
        private final Path err;
        private final Process process;

        Capture(TunLab lab, String filter) throws IOException {
            file = lab.dir.resolve("sim0.pcap");
            log = lab.dir.resolve("tcpdump.log");
            // -Z root: Debian's tcpdump otherwise drops to user tcpdump, who cannot write into our directory
            List<String> argv = new ArrayList<>(List.of("tcpdump", "-Z", "root", "-i", lab.bridge.kernelIfname(),
                    "-nn", "-U", "--immediate-mode", "-B", "16384", "-w", file.toString()));
            if (filter != null) {
                argv.add(filter);
            }
            err = lab.dir.resolve("tcpdump-" + lab.background.size() + ".err");
            process = lab.start(null, log, argv.toArray(String[]::new));
            // tcpdump prints "listening on sim0" on stderr once the socket is bound
            if (!await(() -> readQuietly(err).contains("listening on"), Duration.ofSeconds(5))) {
                throw new IllegalStateException("tcpdump did not start: " + readQuietly(err));
            }
        }

        List<String> stop() throws InterruptedException {
            // let the last packets of the scenario reach the capture before it stops
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            if (!process.isAlive()) {
                throw new IllegalStateException("tcpdump exited early: " + readQuietly(err));
            }
            process.destroy();
            waitFor(process, Duration.ofSeconds(5));
            System.out.println("tcpdump: " + readQuietly(err).strip());
            Command.Result r = Command.run(Duration.ofSeconds(20), "tcpdump", "-r", file.toString(), "-nn", "-v");
            List<String> packets = new ArrayList<>();
            StringBuilder cur = null;
            for (String line : r.output().lines().collect(Collectors.toList())) {
                if (line.startsWith("reading from") || line.isBlank()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && cur != null) {
                    cur.append(' ').append(line.strip());
                } else {
                    if (cur != null) {
                        packets.add(cur.toString());
                    }
                    cur = new StringBuilder(line.strip());
                }
            }
            if (cur != null) {
                packets.add(cur.toString());
            }
            return packets;
        }
    }

    // ---------------------------------------------------------------- data

    /** {@code n} bytes from a seeded generator, written to {@code name} in {@link #dir}. */
    Path randomFile(String name, int n, long seed) throws IOException {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** SHA-256 of a file, in hex. */
    static String sha256(Path p) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the end of every scenario

    /**
     * Reports what every scenario must show — no error counter raised on either side, no skb left,
     * socat gone — then removes the scenario's files.
     */
    @Override
    public void close() throws IOException {
        for (Process p : background) {
            if (p.isAlive()) {
                Command.destroyTree(p);
            }
        }
        Map<String, Long> k = nstat();
        for (String c : KERNEL_ERROR_COUNTERS) {
            report("kernel.nstat." + c, k.getOrDefault(c, 0L));
        }
        report("kernel.nstat.IpInReceives", k.getOrDefault("IpInReceives", 0L));
        report("kernel.nstat.UdpRcvbufErrors", k.getOrDefault("UdpRcvbufErrors", 0L));
        for (String c : SIM_ERROR_COUNTERS) {
            report("sim.nstat." + c, simCounter(c));
        }
        report("sim.nstat.IpInReceives", simCounter("IpInReceives"));
        report("bridge.stats", bridge);
        bridge.close();
        if (traceFile != null) {
            traceFile.close();
        }
        report("bridge.outstandingSkbs", bridge.pool().outstanding());
        report("bridge.socatAlive", ProcessHandle.of(bridge.socatPid()).map(ProcessHandle::isAlive).orElse(false));
        if (System.getenv("STACKSIM_TUN_KEEP") != null) {
            System.out.println("kept " + dir);
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}
