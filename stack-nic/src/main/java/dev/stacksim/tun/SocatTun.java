package dev.stacksim.tun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The helper that holds the kernel's TUN device open: one {@code socat} process that creates the
 * device, brings it up with the kernel's address, and copies each packet the kernel routes into it
 * to a UDP datagram for the bridge, and each datagram from the bridge back into the device as one
 * packet ({@code write(2)} on the tun fd):
 *
 * <pre>
 *   socat TUN:10.9.0.1/24,tun-type=tun,iff-no-pi,up,tun-name=sim0 \
 *         UDP-DATAGRAM:127.0.0.1:&lt;bridge port&gt;,bind=127.0.0.1:&lt;socat port&gt;
 * </pre>
 *
 * <p>Why socat: Java 17 cannot issue the {@code TUNSETIFF} ioctl on {@code /dev/net/tun}, and
 * socat is one Debian package away, understands TUN natively and keeps one datagram per packet.
 * {@code UDP-DATAGRAM} rather than {@code UDP}: the latter treats an ICMP port unreachable (the
 * bridge not listening yet, or gone) as fatal, the former carries on. Without packet information
 * ({@code iff-no-pi}) the datagrams are bare IP packets, which is what {@code TunDevice} takes.
 *
 * <p>When {@code setpriv} (util-linux) is present, socat runs under {@code setpriv --pdeathsig KILL}:
 * should the JVM die without closing the bridge, the kernel kills socat with it and the device
 * disappears, instead of an orphan holding it. The parent death signal follows the thread that
 * started the process, so the bridge starts socat from its receiver thread, which lives exactly as
 * long as the bridge.
 */
final class SocatTun implements AutoCloseable {
    /** How long socat may take to create the device and bind its socket. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private final String ifname;
    private final List<String> command;
    private final Path log;
    private Process process;

    SocatTun(Path socat, String ifname, String kernelCidr, int mtu, int socatPort, int bridgePort) {
        this.ifname = ifname;
        this.command = command(socat.toString(), ifname, kernelCidr, mtu, socatPort, bridgePort,
                Command.which("setpriv").map(Path::toString).orElse(null));
        try {
            this.log = Files.createTempFile("stacksim-socat-" + ifname, ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line; {@code setpriv} null runs socat directly. */
    static List<String> command(String socat, String ifname, String kernelCidr, int mtu, int socatPort,
            int bridgePort, String setpriv) {
        List<String> c = new ArrayList<>();
        if (setpriv != null) {
            c.addAll(List.of(setpriv, "--pdeathsig", "KILL"));
        }
        c.add(socat);
        // -b: one read must hold a whole packet (socat's default block is 8192 bytes).
        c.addAll(List.of("-b", Integer.toString(Math.max(8192, mtu + 64))));
        c.add("TUN:" + kernelCidr + ",tun-type=tun,iff-no-pi,up,tun-name=" + ifname);
        c.add("UDP-DATAGRAM:127.0.0.1:" + bridgePort + ",bind=127.0.0.1:" + socatPort + ",rcvbuf=4194304");
        return c;
    }

    List<String> command() {
        return command;
    }

    /**
     * Starts socat and waits until the device exists and socat's socket is bound, so that the first
     * datagram the bridge sends is not answered with a port unreachable.
     *
     * @throws IllegalStateException when socat exits or is not ready within {@link #READY_TIMEOUT};
     *         the message carries what socat printed
     */
    void start(int socatPort) {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("tun bridge: cannot start " + String.join(" ", command), e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String udpLocal = String.format(Locale.ROOT, "0100007F:%04X", socatPort);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tun bridge: socat exited with " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + output());
            }
            if (procNetContains("dev", ifname + ":") && procNetContains("udp", udpLocal)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String printed = output();
                close();
                throw new IllegalStateException("tun bridge: socat not ready after " + READY_TIMEOUT.toMillis()
                        + " ms: " + String.join(" ", command) + "\n" + printed);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("tun bridge: interrupted while socat started", e);
            }
        }
    }

    /**
     * Brings {@code lo} up when it is down, as it is in a new network namespace: both ends of the
     * bridge's UDP pair live on 127.0.0.1.
     */
    static void ensureLoopbackUp() {
        Command.Result show = Command.run(Duration.ofSeconds(5), "ip", "-o", "link", "show", "dev", "lo");
        if (!show.ok()) {
            throw new IllegalStateException("tun bridge: " + show);
        }
        String flags = show.output().replaceAll("(?s).*?<([^>]*)>.*", "$1");
        if (!List.of(flags.split(",")).contains("UP")) {
            Command.Result up = Command.run(Duration.ofSeconds(5), "ip", "link", "set", "dev", "lo", "up");
            if (!up.ok()) {
                throw new IllegalStateException("tun bridge: lo is down and " + up);
            }
        }
    }

    /** The process id of socat, or -1 before {@link #start}. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether socat runs. */
    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What socat printed (its warnings and errors). */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(socat's log is unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Whether {@code /proc/net/<file>} of this process's network namespace has a line holding
     * {@code needle}: {@code dev} lists the devices, {@code udp} the bound sockets. (Not
     * {@code /sys/class/net}: after {@code unshare -n} sysfs still shows the namespace it was
     * mounted in.)
     */
    private static boolean procNetContains(String file, String needle) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/net", file))) {
                if (line.contains(needle)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Stops socat (SIGTERM, then SIGKILL after a second); the kernel removes the device with its fd. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(1, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
