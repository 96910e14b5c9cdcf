package dev.stacksim.tun;

import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.tun.TunLab.KERNEL;
import static dev.stacksim.tun.TunLab.SIM;
import static dev.stacksim.tun.TunLab.report;
import static dev.stacksim.tun.TunLab.run;

/**
 * The TUN scenarios, one per run, each in a network namespace of its own ({@link PrivateNetns}):
 * the kernel's tools and sockets against the simulated host, facts printed as {@code @key value}
 * lines that {@link TunBridgeTest} asserts. {@code java ... TunScenarios <name>}.
 *
 * <p>"The kernel" here is the real Linux stack of the namespace: {@code ping}, {@code nc},
 * {@code curl}, and this JVM's own {@link Socket}s, which are kernel sockets. Where a scenario
 * needs a peer that does something no tool does on demand (close with unread data), it uses them.
 */
public final class TunScenarios {
    private TunScenarios() {
    }

    /** Runs the scenario named by {@code args[0]}; exits 0 when it ran to its end. */
    public static void main(String[] args) throws Exception {
        int status = 0;
        try (TunLab lab = new TunLab()) {
            switch (args[0]) {
                case "ping" -> ping(lab);
                case "echo" -> echo(lab, Integer.parseInt(args[1]), false);
                case "kernel-listener" -> kernelListener(lab);
                case "close" -> cleanClose(lab);
                case "reset" -> resetOnUnreadData(lab);
                case "options" -> options(lab);
                case "loss" -> loss(lab, Integer.parseInt(args[1]));
                default -> throw new IllegalArgumentException("no scenario " + args[0]);
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            report("error", t);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /** The kernel pings the simulated host, and the simulated host pings the kernel. */
    static void ping(TunLab lab) throws Exception {
        lab.capture("icmp");
        Command.Result r = run(Duration.ofSeconds(10), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", SIM);
        report("kernel.ping.exit", r.exitCode());
        report("kernel.ping.summary", r.output().lines().filter(l -> l.contains("packets transmitted"))
                .findFirst().orElse(""));
        PingResult sim = lab.bridge.host().ping(dev.stacksim.wire.Ipv4Address.parse(KERNEL), PingOptions.of(2).withInterval(Duration.ofMillis(200)));
        report("sim.ping.received", sim.received());
        report("sim.ping", sim);
        report("sim.IcmpInEchos", lab.simCounter("IcmpInEchos"));
        report("sim.IcmpOutEchoReps", lab.simCounter("IcmpOutEchoReps"));
        reportCapture(lab.stopCapture());
    }

    /**
     * {@code nc} sends {@code bytes} to the simulated echo server and keeps what comes back; the
     * checksums are compared by the test. Without {@code everyPacket} the capture keeps SYN, FIN
     * and RST segments, each reported; with it, every packet, reported as counts (how many, how
     * many with a checksum tcpdump calls incorrect).
     */
    static void echo(TunLab lab, int bytes, boolean everyPacket) throws Exception {
        lab.capture(everyPacket ? null : "tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0");
        CompletableFuture<SimApps.Served[]> server = SimApps.echo(lab.bridge.host(), 7, 1);
        Path in = lab.randomFile("in.bin", bytes, 42);
        Path out = lab.dir.resolve("out.bin");
        long start = System.nanoTime();
        java.lang.Process nc = lab.start(in, out, "nc", "-N", "-w", "20", SIM, "7");
        int exit = TunLab.waitFor(nc, Duration.ofSeconds(40));
        report("echo.millis", (System.nanoTime() - start) / 1_000_000);
        report("kernel.nc.exit", exit);
        report("kernel.sent.sha256", TunLab.sha256(in));
        report("kernel.received.bytes", Files.size(out));
        report("kernel.received.sha256", TunLab.sha256(out));
        SimApps.Served s = server.get(10, TimeUnit.SECONDS)[0];
        report("sim.received.bytes", s.bytes());
        report("sim.received.sha256", s.sha256());
        report("sim.TcpRetransSegs", lab.simCounter("TcpRetransSegs"));
        report("kernel.nstat.TcpRetransSegs", TunLab.nstat().getOrDefault("TcpRetransSegs", 0L));
        List<String> packets = lab.stopCapture();
        if (everyPacket) {
            report("capture.packets", packets.size());
            report("capture.incorrect", packets.stream()
                    .filter(l -> l.contains("incorrect") || l.contains("bad cksum")).count());
        } else {
            reportCapture(packets);
        }
    }

    /** A simulated client exchanges a megabyte each way with {@code nc -l} on the kernel. */
    static void kernelListener(TunLab lab) throws Exception {
        lab.capture(null);
        Path k2s = lab.randomFile("k2s.bin", 1 << 20, 1);
        Path s2k = lab.dir.resolve("s2k.out");
        byte[] fromSim = Files.readAllBytes(lab.randomFile("s2k.bin", 1 << 20, 2));
        java.lang.Process nc = lab.start(k2s, s2k, "nc", "-l", "-N", KERNEL, "5000");
        report("kernel.listening", TunLab.awaitKernelListener(5000));
        SimApps.Served got = SimApps.exchange(lab.bridge.host(), SockAddr.of(KERNEL, 5000), fromSim)
                .get(30, TimeUnit.SECONDS);
        report("kernel.nc.exit", TunLab.waitFor(nc, Duration.ofSeconds(10)));
        report("kernel.sent.sha256", TunLab.sha256(k2s));
        report("sim.received.bytes", got.bytes());
        report("sim.received.sha256", got.sha256());
        report("sim.sent.sha256", TunLab.sha256(lab.dir.resolve("s2k.bin")));
        report("kernel.received.bytes", Files.size(s2k));
        report("kernel.received.sha256", TunLab.sha256(s2k));
        reportCapture(lab.stopCapture());
    }

    /**
     * Both orders of a clean close. The simulated host closes first against {@code nc -l}: it ends
     * in TIME_WAIT, the kernel's socket is gone. Then the kernel closes first ({@code nc -N} to the
     * echo server): the kernel's socket is in TIME_WAIT, the simulated one is gone.
     */
    static void cleanClose(TunLab lab) throws Exception {
        lab.capture("tcp");
        // the simulated host closes first
        Path heard = lab.dir.resolve("heard.out");
        java.lang.Process listener = lab.start(null, heard, "nc", "-l", KERNEL, "5001");
        report("kernel.listening", TunLab.awaitKernelListener(5001));
        Process cli = lab.bridge.host().spawn("closer");
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.of(KERNEL, 5001));
        SimApps.sendAll(cli, fd, "hello from the simulated client\n".getBytes(StandardCharsets.US_ASCII));
        cli.close(fd);
        report("kernel.nc.exit", TunLab.waitFor(listener, Duration.ofSeconds(10)));
        report("kernel.heard", Files.readString(heard).strip());
        TunLab.await(() -> lab.simSs(5001).stream().anyMatch(l -> l.startsWith("TIME-WAIT")), Duration.ofSeconds(5));
        report("simFirst.sim.ss", String.join("\n", lab.simSs(5001)));
        report("simFirst.kernel.ss", String.join("\n", TunLab.kernelSs(5001)));

        // the kernel closes first
        CompletableFuture<SimApps.Served[]> echo = SimApps.echo(lab.bridge.host(), 7, 1);
        Path in = lab.randomFile("small.bin", 1000, 3);
        Path out = lab.dir.resolve("small.out");
        java.lang.Process nc = lab.start(in, out, "nc", "-N", "-w", "10", SIM, "7");
        report("kernelFirst.nc.exit", TunLab.waitFor(nc, Duration.ofSeconds(10)));
        report("kernelFirst.intact", TunLab.sha256(in).equals(TunLab.sha256(out)));
        report("kernelFirst.sim.end", echo.get(10, TimeUnit.SECONDS)[0].end());
        TunLab.await(() -> lab.simSs(7).isEmpty(), Duration.ofSeconds(5));
        report("kernelFirst.sim.ss", String.join("\n", lab.simSs(7)));
        report("kernelFirst.kernel.ss", String.join("\n", TunLab.kernelSs(7)));
        reportCapture(lab.stopCapture());
    }

    /**
     * A close with unread data resets, both ways. The simulated server closes with a kilobyte it
     * never read: the kernel's client reads "Connection reset". Then the kernel's server does the
     * same to a simulated client, whose recv gets ECONNRESET.
     */
    static void resetOnUnreadData(TunLab lab) throws Exception {
        lab.capture("tcp");
        byte[] kilobyte = new byte[1000];
        // the simulated host closes with unread data
        CompletableFuture<Integer> rude = SimApps.closeUnread(lab.bridge.host(), 9);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(SIM, 9), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(kilobyte);
            report("simCloses.sim.unread", rude.get(10, TimeUnit.SECONDS));
            try {
                int n = s.getInputStream().read();
                report("simCloses.kernel.read", "returned " + n);
            } catch (IOException e) {
                report("simCloses.kernel.read", e.getMessage());
            }
        }
        report("simCloses.sim.TcpExtTCPAbortOnClose", lab.simCounter("TcpExtTCPAbortOnClose"));
        report("simCloses.kernel.TcpEstabResets", TunLab.nstat().getOrDefault("TcpEstabResets", 0L));

        // the kernel closes with unread data. A SocketChannel, not a Socket: Socket.close() shuts the
        // output down first (a FIN before the RST), a channel closes as close(2) does.
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            ss.bind(new InetSocketAddress(InetAddress.getByName(KERNEL), 5002));
            CompletableFuture<Integer> kernelRude = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = ss.accept()) {
                    InputStream in = c.socket().getInputStream();
                    TunLab.await(() -> available(in) >= 1000, Duration.ofSeconds(5));
                    return available(in);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, SimApps.daemon("kernel-rude"));
            Process cli = lab.bridge.host().spawn("client");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, SockAddr.of(KERNEL, 5002));
            SimApps.sendAll(cli, fd, kilobyte);
            report("kernelCloses.kernel.unread", kernelRude.get(10, TimeUnit.SECONDS));
            try {
                byte[] b = cli.recv(fd, 100, 0);
                report("kernelCloses.sim.recv", "returned " + b.length);
            } catch (ErrnoException e) {
                report("kernelCloses.sim.recv", e.errno().name());
            }
            cli.close(fd);
        }
        report("kernelCloses.kernel.TcpExtTCPAbortOnClose", TunLab.nstat().getOrDefault("TcpExtTCPAbortOnClose", 0L));
        report("kernelCloses.sim.TcpEstabResets", lab.simCounter("TcpEstabResets"));
        reportCapture(lab.stopCapture());
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The handshake options both ways, from the capture and from both {@code ss -i}: {@code curl}
     * fetches a page from the simulated server (the page is the simulated host's {@code ss -tni}
     * while the request is served), then a simulated client holds a connection to {@code nc -l}
     * while both sides' {@code ss -tni} are read.
     */
    static void options(TunLab lab) throws Exception {
        lab.capture("tcp[tcpflags] & (tcp-syn) != 0");
        CompletableFuture<String> httpd = SimApps.http(lab.bridge.host(), 80,
                request -> lab.bridge.onLoop(() -> lab.bridge.host().ss("-tnio")));
        Command.Result curl = run(Duration.ofSeconds(15), "curl", "-sS", "--max-time", "10", "http://" + SIM + "/");
        report("kernel.curl.exit", curl.exitCode());
        report("kernel.curl.body", curl.output());
        report("sim.httpd.request", httpd.get(10, TimeUnit.SECONDS));

        java.lang.Process nc = lab.start(null, lab.dir.resolve("held.out"), "nc", "-l", KERNEL, "5003");
        report("kernel.listening", TunLab.awaitKernelListener(5003));
        Process cli = lab.bridge.host().spawn("holder");
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.of(KERNEL, 5003));
        TunLab.await(() -> TunLab.kernelSs(5003).stream().anyMatch(l -> l.startsWith("ESTAB")), Duration.ofSeconds(5));
        report("kernel.ss.info", run(Duration.ofSeconds(5), "ss", "-Htnio", "sport = :5003").output());
        report("sim.ss.info", lab.bridge.onLoop(() -> lab.bridge.host().ss("-tnio")));
        cli.close(fd);
        report("kernel.nc.exit", TunLab.waitFor(nc, Duration.ofSeconds(10)));
        reportCapture(lab.stopCapture());
    }

    /**
     * An echo of {@code bytes} through 5% random loss on the TUN interface: {@code netem} on
     * {@code sim0}'s egress when the kernel has it; else the same loss drawn by nftables
     * ({@code numgen random mod 100 < 5}). Without netem the kernel-to-host direction is dropped on
     * the bridge's side of the device, as the datagram reaches the bridge's port: a drop on
     * {@code sim0}'s own egress hooks would be returned to the sending TCP as a local drop
     * (NET_XMIT_DROP), which it re-sends at once instead of treating as loss. The host-to-kernel
     * direction is dropped as it arrives on {@code sim0} (prerouting), in both cases.
     */
    static void loss(TunLab lab, int bytes) throws Exception {
        String dev = lab.bridge.kernelIfname();
        Command.Result netem = run(Duration.ofSeconds(5), "tc", "qdisc", "add", "dev", dev, "root", "netem", "loss", "5%");
        boolean nft = Command.which("nft").isPresent();
        if (!netem.ok() && !nft) {
            report("impairment", "none: " + netem.output().strip() + "; no nft on the PATH");
            return;
        }
        if (nft) {
            Path rules = lab.dir.resolve("loss.nft");
            Files.writeString(rules, String.join("\n",
                    "table ip stacksim_loss {",
                    "  chain from_tun {",
                    "    type filter hook prerouting priority -300;",
                    "    iifname \"" + dev + "\" numgen random mod 100 < 5 counter drop",
                    netem.ok() ? "" : "    iifname \"lo\" udp sport " + lab.bridge.peerPort() + " udp dport "
                            + lab.bridge.bridgePort() + " numgen random mod 100 < 5 counter drop",
                    "  }",
                    "}", ""));
            Command.Result r = run(Duration.ofSeconds(5), "nft", "-f", rules.toString());
            if (!r.ok() && !netem.ok()) {
                report("impairment", "none: " + netem.output().strip() + "; " + r.output().strip());
                return;
            }
        }
        report("impairment", netem.ok() ? "netem" : "nft");
        report("impairment.netemError", netem.ok() ? "" : netem.output().strip());
        echo(lab, bytes, true);
        if (netem.ok()) {
            report("impairment.stats", run(Duration.ofSeconds(5), "tc", "-s", "qdisc", "show", "dev", dev).output());
        }
        if (nft) {
            String table = run(Duration.ofSeconds(5), "nft", "list", "table", "ip", "stacksim_loss").output();
            List<String> counters = table.lines().filter(l -> l.contains("counter packets"))
                    .map(l -> l.replaceAll(".*counter packets (\\d+).*", "$1")).collect(Collectors.toList());
            report("impairment.dropped", String.join(" ", counters));
        }
    }

    /** Every captured packet as a {@code @capture} line. */
    private static void reportCapture(List<String> packets) {
        for (String p : packets) {
            report("capture", p);
        }
    }
}
