package dev.stacksim.tun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The simulated stack against the real Linux kernel, through a TUN device. Each test runs one
 * {@link TunScenarios scenario} in a network namespace of its own ({@link PrivateNetns}: the
 * device, its addresses and every packet stay there) and asserts the facts it reports: what the
 * kernel's tools printed, what the capture on {@code sim0} shows, both sides' {@code ss} and
 * counters.
 *
 * <p>Every scenario must also end clean: no checksum or header error counted by the kernel
 * ({@code nstat}) or by the simulated host, every checksum in the capture correct, no skb left,
 * socat gone.
 *
 * <p>Needs root (a namespace and a TUN device), {@code /dev/net/tun}, socat, OpenBSD netcat, curl,
 * ping, tcpdump, iproute2 ({@code ip}, {@code ss}, {@code nstat}) and, for the loss test, netem or
 * nftables; {@code .ci/run} installs them. Without them the tests are skipped, saying why.
 */
@Timeout(90)
class TunBridgeTest {
    private static final Map<String, Report> RESULTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void prerequisites() {
        Optional<String> why = PrivateNetns.unavailableReason().or(TunBridge::unavailableReason).or(() -> {
            for (String tool : List.of("tcpdump", "nc", "curl", "ping", "ss", "nstat", "sysctl", "tc")) {
                if (Command.which(tool).isEmpty()) {
                    return Optional.of("no " + tool + " on the PATH");
                }
            }
            Command.Result nc = Command.run(Duration.ofSeconds(5), "nc", "-h");
            return nc.output().contains("OpenBSD netcat") ? Optional.empty()
                    : Optional.of("nc is not OpenBSD netcat (apt-get install netcat-openbsd)");
        });
        if (why.isPresent()) {
            System.err.println("TunBridgeTest SKIPPED: " + why.get());
        }
        Assumptions.assumeTrue(why.isEmpty(), () -> "TUN tests skipped: " + why.get());
    }

    @Test
    void theKernelPingsTheSimulatedHostAndIsPingedBack() {
        Report r = scenario("ping");
        assertEquals("0", r.one("kernel.ping.exit"), r.output);
        assertTrue(r.one("kernel.ping.summary").startsWith("3 packets transmitted, 3 received, 0% packet loss"),
                r.one("kernel.ping.summary"));
        assertEquals("2", r.one("sim.ping.received"));
        assertEquals("3", r.one("sim.IcmpInEchos"));
        assertEquals("3", r.one("sim.IcmpOutEchoReps"));
        assertEquals(3, r.captured("10.9.0.1 > 10.9.0.2: ICMP echo request").size());
        assertEquals(3, r.captured("10.9.0.2 > 10.9.0.1: ICMP echo reply").size());
        assertEquals(2, r.captured("10.9.0.2 > 10.9.0.1: ICMP echo request").size());
        assertEquals(2, r.captured("10.9.0.1 > 10.9.0.2: ICMP echo reply").size());
    }

    @Test
    void ncSendsTenMegabytesToASimulatedEchoServerAndGetsThemBackIntact() {
        Report r = scenario("echo", Integer.toString(10 << 20));
        assertEquals("0", r.one("kernel.nc.exit"), r.output);
        String sent = r.one("kernel.sent.sha256");
        assertEquals(Integer.toString(10 << 20), r.one("sim.received.bytes"));
        assertEquals(sent, r.one("sim.received.sha256"), "what the simulated server read");
        assertEquals(Integer.toString(10 << 20), r.one("kernel.received.bytes"));
        assertEquals(sent, r.one("kernel.received.sha256"), "what nc got back");
        assertEquals(1, r.captured("10.9.0.1\\.\\d+ > 10.9.0.2\\.7: Flags \\[S\\]").size());
        assertEquals(1, r.captured("10.9.0.2\\.7 > 10.9.0.1\\.\\d+: Flags \\[S\\.\\]").size());
        assertEquals(1, r.captured("10.9.0.1\\.\\d+ > 10.9.0.2\\.7: Flags \\[F").size());
        assertEquals(1, r.captured("10.9.0.2\\.7 > 10.9.0.1\\.\\d+: Flags \\[F").size());
        assertEquals(List.of(), r.captured("Flags \\[R"));
    }

    @Test
    void aSimulatedClientAndAKernelListenerCarryAMegabyteEachWay() {
        Report r = scenario("kernel-listener");
        assertEquals("true", r.one("kernel.listening"), r.output);
        assertEquals("0", r.one("kernel.nc.exit"), r.output);
        assertEquals(Integer.toString(1 << 20), r.one("sim.received.bytes"));
        assertEquals(r.one("kernel.sent.sha256"), r.one("sim.received.sha256"), "kernel to simulated host");
        assertEquals(Integer.toString(1 << 20), r.one("kernel.received.bytes"));
        assertEquals(r.one("sim.sent.sha256"), r.one("kernel.received.sha256"), "simulated host to kernel");
        assertEquals(1, r.captured("10.9.0.2\\.\\d+ > 10.9.0.1\\.5000: Flags \\[S\\]").size());
        assertEquals(1, r.captured("10.9.0.1\\.5000 > 10.9.0.2\\.\\d+: Flags \\[S\\.\\]").size());
        assertEquals(List.of(), r.captured("Flags \\[R"));
    }

    @Test
    void aCleanCloseLeavesTimeWaitOnTheSideThatClosedFirst() {
        Report r = scenario("close");
        // the simulated host closed first
        assertEquals("hello from the simulated client", r.one("kernel.heard"), r.output);
        assertEquals("0", r.one("kernel.nc.exit"));
        assertTrue(r.one("simFirst.sim.ss").matches("TIME-WAIT\\s+0\\s+0\\s+10\\.9\\.0\\.2:\\d+\\s+10\\.9\\.0\\.1:5001"),
                r.one("simFirst.sim.ss"));
        assertEquals(List.of(), r.all("simFirst.kernel.ss"), "the kernel's side is gone (LAST_ACK, then closed)");
        assertEquals(1, r.captured("10.9.0.2\\.\\d+ > 10.9.0.1\\.5001: Flags \\[F\\.\\]").size());
        assertEquals(1, r.captured("10.9.0.1\\.5001 > 10.9.0.2\\.\\d+: Flags \\[F\\.\\]").size());
        // the kernel closed first
        assertEquals("0", r.one("kernelFirst.nc.exit"));
        assertEquals("true", r.one("kernelFirst.intact"));
        assertEquals("eof", r.one("kernelFirst.sim.end"));
        assertTrue(r.one("kernelFirst.kernel.ss").matches("TIME-WAIT\\s+0\\s+0\\s+10\\.9\\.0\\.1:\\d+\\s+10\\.9\\.0\\.2:7"),
                r.one("kernelFirst.kernel.ss"));
        assertEquals(List.of(), r.all("kernelFirst.sim.ss"), "the simulated side is gone (LAST_ACK, then closed)");
        assertEquals(1, r.captured("10.9.0.1\\.\\d+ > 10.9.0.2\\.7: Flags \\[F").size());
        assertEquals(1, r.captured("10.9.0.2\\.7 > 10.9.0.1\\.\\d+: Flags \\[F").size());
        assertEquals(List.of(), r.captured("Flags \\[R"), "a clean close sends no reset");
    }

    @Test
    void aCloseWithUnreadDataResetsInBothDirections() {
        Report r = scenario("reset");
        // the simulated server closes with 1000 bytes unread
        assertEquals("1000", r.one("simCloses.sim.unread"), r.output);
        assertEquals("Connection reset", r.one("simCloses.kernel.read"));
        assertEquals("1", r.one("simCloses.sim.TcpExtTCPAbortOnClose"));
        assertEquals("1", r.one("simCloses.kernel.TcpEstabResets"));
        List<String> simRst = r.captured("10.9.0.2\\.9 > 10.9.0.1\\.\\d+: Flags \\[R");
        assertEquals(1, simRst.size(), "one RST: " + simRst);
        assertTrue(simRst.get(0).contains("Flags [R.], cksum") && simRst.get(0).contains("ack 1001"), simRst.get(0));
        // the kernel's server closes with 1000 bytes unread
        assertEquals("1000", r.one("kernelCloses.kernel.unread"));
        assertEquals("ECONNRESET", r.one("kernelCloses.sim.recv"));
        assertEquals("1", r.one("kernelCloses.kernel.TcpExtTCPAbortOnClose"));
        List<String> kernelRst = r.captured("10.9.0.1\\.5002 > 10.9.0.2\\.\\d+: Flags \\[R");
        assertEquals(1, kernelRst.size(), "one RST: " + kernelRst);
        assertTrue(kernelRst.get(0).contains("Flags [R.], cksum") && kernelRst.get(0).contains("ack 1001"),
                kernelRst.get(0));
        assertEquals(List.of(), r.captured("Flags \\[F"), "a reset, not a FIN");
    }

    @Test
    void windowScalingTimestampsAndSackAreNegotiatedWithTheKernel() {
        Report r = scenario("options");
        assertEquals("0", r.one("kernel.curl.exit"), r.output);
        assertEquals("GET / HTTP/1.1", r.one("sim.httpd.request"));
        List<String> syns = r.captured("Flags \\[S\\.?\\]");
        assertEquals(4, syns.size(), "two handshakes: " + syns);
        for (String syn : syns) {
            assertTrue(syn.matches(".*options \\[mss 1460,sackOK,TS val \\d+ ecr \\d+,nop,wscale \\d+\\].*"), syn);
        }
        int kernelScale = wscale(r.captured("10.9.0.1\\.\\d+ > 10.9.0.2\\.80: Flags \\[S\\]").get(0));
        int simScale = wscale(r.captured("10.9.0.2\\.80 > 10.9.0.1\\.\\d+: Flags \\[S\\.\\]").get(0));
        assertEquals(simScale, wscale(r.captured("10.9.0.2\\.\\d+ > 10.9.0.1\\.5003: Flags \\[S\\]").get(0)));
        assertEquals(kernelScale, wscale(r.captured("10.9.0.1\\.5003 > 10.9.0.2\\.\\d+: Flags \\[S\\.\\]").get(0)));
        // ss prints wscale:<the peer's>,<its own>
        String curlPage = String.join("\n", r.all("kernel.curl.body"));
        assertTrue(curlPage.contains(" ts sack ") && curlPage.contains("wscale:" + kernelScale + "," + simScale),
                "the simulated host's ss -tnio served to curl:\n" + curlPage);
        String kernelInfo = String.join("\n", r.all("kernel.ss.info"));
        assertTrue(kernelInfo.contains(" ts sack ") && kernelInfo.contains("wscale:" + simScale + "," + kernelScale),
                "the kernel's ss -tnio:\n" + kernelInfo);
        String simInfo = String.join("\n", r.all("sim.ss.info"));
        assertTrue(simInfo.contains(" ts sack ") && simInfo.contains("wscale:" + kernelScale + "," + simScale),
                "the simulated host's ss -tnio:\n" + simInfo);
    }

    @Test
    void aTransferUnderFivePercentLossOnTheTunInterfaceCompletesIntact() {
        Report r = scenario("loss", Integer.toString(2 << 20));
        String impairment = r.one("impairment");
        if (impairment.startsWith("none")) {
            System.err.println("TunBridgeTest SKIPPED the loss test: " + impairment);
        }
        Assumptions.assumeFalse(impairment.startsWith("none"), () -> "no netem and no nftables: " + impairment);
        System.err.println("TunBridgeTest: 5% loss applied with " + impairment
                + (impairment.equals("nft") ? " (the kernel has no netem: " + r.one("impairment.netemError") + ")" : ""));
        assertEquals("0", r.one("kernel.nc.exit"), r.output);
        String sent = r.one("kernel.sent.sha256");
        assertEquals(sent, r.one("sim.received.sha256"), "what the simulated server read");
        assertEquals(sent, r.one("kernel.received.sha256"), "what nc got back");
        if (impairment.equals("nft")) {
            String[] dropped = r.one("impairment.dropped").split(" ");
            assertEquals(2, dropped.length, r.one("impairment.dropped"));
            assertTrue(Long.parseLong(dropped[0]) > 0 && Long.parseLong(dropped[1]) > 0,
                    "drops in both directions (host to kernel, kernel to host): " + r.one("impairment.dropped"));
        } else {
            assertTrue(r.all("impairment.stats").stream().anyMatch(l -> l.matches(".*dropped [1-9].*")),
                    String.join("\n", r.all("impairment.stats")));
        }
        assertTrue(Long.parseLong(r.one("sim.TcpRetransSegs")) > 0, "the simulated host retransmitted");
        assertTrue(Long.parseLong(r.one("kernel.nstat.TcpRetransSegs")) > 0, "the kernel retransmitted");
        assertEquals("0", r.one("capture.incorrect"), "every checksum in " + r.one("capture.packets") + " packets");
    }

    @Test
    void theKernelCountsNoChecksumOrHeaderErrorForThePacketsOfTenMegabytes() {
        Report r = scenario("echo", Integer.toString(10 << 20));
        assertTrue(Long.parseLong(r.one("kernel.nstat.IpInReceives")) > 7000, r.one("kernel.nstat.IpInReceives"));
        for (String c : TunLab.KERNEL_ERROR_COUNTERS) {
            assertEquals("0", r.one("kernel.nstat." + c), c);
        }
        assertTrue(Long.parseLong(r.one("sim.nstat.IpInReceives")) > 7000, r.one("sim.nstat.IpInReceives"));
        assertEquals("0", r.one("bridge.outstandingSkbs"));
    }

    // ---------------------------------------------------------------- running a scenario

    /** The wscale option of a captured SYN or SYN-ACK. */
    private static int wscale(String syn) {
        Matcher m = Pattern.compile("wscale (\\d+)").matcher(syn);
        assertTrue(m.find(), syn);
        return Integer.parseInt(m.group(1));
    }

    /**
     * Runs a scenario once per JVM (two tests may read one run) in a private namespace, checks that
     * it ended clean, and returns its report.
     */
    private static Report scenario(String... args) {
        return RESULTS.computeIfAbsent(String.join(" ", args), k -> {
            List<String> argv = List.of(args);
            PrivateNetns.Result res = PrivateNetns.runJava(TunScenarios.class.getName(),
                    List.of("-Dio.netty.leakDetection.level=PARANOID"), argv, Duration.ofSeconds(60));
            System.err.println("TunBridgeTest: scenario '" + k + "' took " + res.elapsed().toMillis() + " ms");
            Report r = new Report(res);
            r.assertClean(k);
            return r;
        });
    }

    /** The {@code @key value} lines of one scenario's output. */
    private static final class Report {
        final String output;
        final Map<String, List<String>> values = new LinkedHashMap<>();

        Report(PrivateNetns.Result res) {
            this.output = res.output();
            if (!res.ok()) {
                fail("scenario " + (res.timedOut() ? "timed out" : "exited " + res.exitCode()) + ":\n" + res.output());
            }
            for (String line : res.output().lines().collect(Collectors.toList())) {
                if (line.startsWith("@")) {
                    int sp = line.indexOf(' ');
                    String key = sp < 0 ? line.substring(1) : line.substring(1, sp);
                    values.computeIfAbsent(key, x -> new ArrayList<>()).add(sp < 0 ? "" : line.substring(sp + 1));
                }
            }
        }

        /** The single value of {@code key}. */
        String one(String key) {
            List<String> v = values.get(key);
            if (v == null || v.size() != 1) {
                fail("report key " + key + " has " + (v == null ? "no value" : v.size() + " values: " + v)
                        + "\n" + output);
            }
            return v.get(0).strip();
        }

        /** Every value of {@code key}, blank ones left out. */
        List<String> all(String key) {
            return values.getOrDefault(key, List.of()).stream().filter(s -> !s.isBlank()).collect(Collectors.toList());
        }

        /** The captured packets whose line matches {@code regex} somewhere. */
        List<String> captured(String regex) {
            Pattern p = Pattern.compile(regex);
            return all("capture").stream().filter(l -> p.matcher(l).find()).collect(Collectors.toList());
        }

        /**
         * What every scenario must show: no error counted on either side, every captured checksum
         * correct, no skb left behind, socat gone.
         */
        void assertClean(String scenario) {
            assertFalse(values.containsKey("error"), () -> scenario + " failed:\n" + output);
            for (String c : TunLab.KERNEL_ERROR_COUNTERS) {
                assertEquals("0", one("kernel.nstat." + c), () -> scenario + ": the kernel counted " + c + "\n" + output);
            }
            for (String c : TunLab.SIM_ERROR_COUNTERS) {
                assertEquals("0", one("sim.nstat." + c), () -> scenario + ": the simulated host counted " + c);
            }
            for (String p : all("capture")) {
                // tcpdump -v checks TCP and UDP sums ("cksum 0x1234 (correct)") and flags a bad IP header sum
                assertFalse(p.contains("incorrect") || p.contains("bad cksum"), () -> scenario + ": a bad checksum: " + p);
                if (p.contains("proto TCP")) {
                    assertTrue(p.contains("(correct)"), () -> scenario + ": an unchecked TCP checksum: " + p);
                }
            }
            boolean ran = !values.containsKey("impairment") || !one("impairment").startsWith("none");
            if (ran) {
                assertNotEquals(0, all("capture").size() + all("capture.packets").size(), scenario + ": nothing captured");
            }
            assertEquals("0", one("bridge.outstandingSkbs"), scenario + ": skbs left behind");
            assertEquals("false", one("bridge.socatAlive"), scenario + ": socat still runs");
        }
    }
}
