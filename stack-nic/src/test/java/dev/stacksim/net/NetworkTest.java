package dev.stacksim.net;

import dev.stacksim.host.Host;
import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.nic.SimNic;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's promises, end to end: hosts with simulated NICs on links and switches resolve each
 * other with ARP and ping with round trips that are exactly the configured delays plus
 * serialization; a router forwards and answers TTL expiry; fragments reassemble; a flood that
 * outruns NAPI is counted; the same seed gives the same capture, and Wireshark reads it cleanly.
 */
class NetworkTest {
    private static final long GBIT = 1_000_000_000L;
    private static final long MS5 = 5_000_000L;
    /** An echo request or reply with ping's 56 data bytes: 14 + 20 + 8 + 56. */
    private static final int ECHO_FRAME = 98;
    /** An ARP request or reply: 14 + 28, unpadded on our wire. */
    private static final int ARP_FRAME = 42;

    private static long ser(int bytes, long bps) {
        return Link.serializationNanos(bytes, bps);
    }

    @Test
    void twoHostsResolveWithArpAndPingWithRoundTripsOfExactlyDelayPlusSerialization() {
        try (Network net = Network.builder().seed(7).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(5)).bandwidth(GBIT);

            PingResult r = client.ping("10.0.0.2", 3);

            assertEquals(3, r.received(), r.toString());
            long echo = 2 * (MS5 + ser(ECHO_FRAME, GBIT));
            long arp = 2 * (MS5 + ser(ARP_FRAME, GBIT));
            assertEquals(arp + echo, r.rtts()[0], "the first ping waits for ARP: request and reply");
            assertEquals(echo, r.rtts()[1]);
            assertEquals(echo, r.rtts()[2]);
            assertTrue(client.ipNeigh().contains("10.0.0.2 dev eth0 lladdr 02:00:00:00:01:01"), client.ipNeigh());
            assertTrue(server.ipNeigh().contains("10.0.0.1 dev eth0 lladdr 02:00:00:00:02:01"), server.ipNeigh());
        }
    }

    @Test
    void fourHostsOnASwitchPingEachOtherThroughStoreAndForward() {
        try (Network net = Network.builder().seed(3).build()) {
            Switch sw = net.addSwitch("sw0", 4);
            Host[] hosts = new Host[4];
            for (int i = 0; i < 4; i++) {
                hosts[i] = net.host("h" + (i + 1)).ip("10.0.0." + (i + 1) + "/24").build();
                net.link(hosts[i], sw).latency(Duration.ofMillis(1)).bandwidth(100_000_000L);
            }
            // Two links each way, and the switch receives a whole frame before sending it on.
            long echo = 2 * 2 * (1_000_000L + ser(ECHO_FRAME, 100_000_000L));
            for (int from = 0; from < 4; from++) {
                for (int to = 0; to < 4; to++) {
                    if (from == to) {
                        continue;
                    }
                    PingResult r = hosts[from].ping("10.0.0." + (to + 1), 2);
                    assertEquals(2, r.received(), r.toString());
                    assertEquals(echo, r.rtts()[1], "h" + (from + 1) + " -> h" + (to + 1));
                }
            }
            assertEquals(4, sw.fdbEntries().size(), sw.fdb());
        }
    }

    @Test
    void routerForwardsBetweenTwoNetworksAndTtlExpiryAnswersTimeExceeded() {
        try (Network net = Network.builder().seed(5).build()) {
            Host client = net.host("client").ip("10.0.1.1/24").gateway("10.0.1.254").build();
            Host router = net.host("router").ip("10.0.1.254/24").ip("10.0.2.254/24").forwarding(true).build();
            Host server = net.host("server").ip("10.0.2.1/24").gateway("10.0.2.254").build();
            net.link(client, router).latency(Duration.ofMillis(1));
            net.link(router, server).latency(Duration.ofMillis(2));

            PingResult r = client.ping("10.0.2.1", 2);
            assertEquals(2, r.received(), r.toString());
            assertEquals(2 * (1_000_000L + 2_000_000L), r.rtts()[1]);
            assertEquals(63, r.reply(2).ttl(), "one router hop took one from the server's 64");
            assertTrue(router.snmp().get("IpForwDatagrams") >= 4);

            PingResult ttl1 = client.ping(Ipv4Address.parse("10.0.2.1"), PingOptions.of(1).withTtl(1));
            assertEquals(PingResult.Outcome.ERROR, ttl1.reply(1).outcome(), ttl1.toString());
            assertEquals(Ipv4Address.parse("10.0.1.254"), ttl1.reply(1).from());
            assertEquals(11, ttl1.reply(1).icmpType(), "time exceeded");
            assertEquals(1, router.snmp().get("IcmpOutTimeExcds"));
        }
    }

    @Test
    void largeDatagramsAreFragmentedAndReassembled() {
        try (Network net = Network.builder().seed(9).build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24").build();
            net.link(a, b).latency(Duration.ofMillis(1));

            PingResult r = a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(2).withSize(4000));

            assertEquals(2, r.received(), r.toString());
            assertEquals(2, b.snmp().get("IpReasmOKs"), b.procNetSnmp());
            assertEquals(2, a.snmp().get("IpReasmOKs"), "the replies come back in fragments too");
            assertTrue(a.snmp().get("IpFragCreates") >= 6, a.procNetSnmp());
        }
    }

    @Test
    void floodThatOutrunsNapiFillsTheRingAndIsCountedAsMissedNeverLostSilently() {
        try (Network net = Network.builder().seed(11).build()) {
            Host sender = net.host("sender").ip("10.0.0.1/24").build();
            Host sink = net.host("sink").ip("10.0.0.2/24",
                    nic -> nic.rxRingSize(64).rxUsecs(Duration.ofNanos(200_000))).build();
            NetworkLink link = net.link(sender, sink).bandwidth(10 * GBIT).latency(Duration.ofNanos(1_000));
            assertEquals(1, sender.ping("10.0.0.2", 1).received(), "warm up: ARP resolved");

            // ping -f: 500 requests at once; at 10 Gbit/s they all land within the sink's 200 us
            // interrupt coalescing window, and its ring has 64 buffers.
            sender.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(500).withInterval(Duration.ZERO)
                    .withLinger(Duration.ofSeconds(1)));

            SimNic nic = net.nics(sink).get(0);
            long delivered = link.link().endA().stats().delivered();
            long missed = nic.stats().rxMissedErrors();
            assertTrue(missed > 300, "missed=" + missed);
            assertEquals(delivered, nic.stats().rxPackets() + missed, "every frame the wire delivered is "
                    + "either received or counted as missed");
            assertEquals(missed, nic.ethtoolStats().get("rx_no_buffer_count"));
        }
    }

    @Test
    void sameSeedGivesByteIdenticalCapturesThatWiresharkReadsCleanly(TestInfo info) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "pcap-tests", "NetworkTest"));
        Path first = dir.resolve("run1.pcap");
        Path second = dir.resolve("run2.pcap");
        Path other = dir.resolve("seed2.pcap");
        lossyPingCapture(1, first);
        lossyPingCapture(1, second);
        lossyPingCapture(2, other);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "same seed, same bytes");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(other)),
                "another seed loses other packets");

        Tshark.requireOrSkip("NetworkTest." + info.getTestMethod().orElseThrow().getName());
        assertTrue(Tshark.assertClean(first) > 20);
    }

    private static void lossyPingCapture(long seed, Path pcap) throws IOException {
        try (Network net = Network.builder().seed(seed).build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24").build();
            net.link(a, b).latency(Duration.ofMillis(3)).bandwidth(GBIT).lossRate(0.2).capture(pcap);
            a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(20).withInterval(Duration.ofMillis(100))
                    .withSize(1000));
        }
    }

    @Test
    void ipSLinkShowsTheNicCountersInIproute2Columns() {
        try (Network net = Network.builder().seed(1).build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24").build();
            net.link(a, b);
            a.ping("10.0.0.2", 2);
            // Received: the ARP reply padded to 60 bytes by the NIC, two echo replies of 98.
            // Sent: the ARP request (42) and two echo requests.
            String eth0 = a.ipLinkStats().substring(a.ipLinkStats().indexOf("2: eth0"));
            assertEquals("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000\n"
                    + "    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff\n"
                    + "    RX: bytes packets errors dropped  missed   mcast\n"
                    + "          256       3      0       0       0       0\n"
                    + "    TX: bytes packets errors dropped carrier collsns\n"
                    + "          238       3      0       0       0       0\n", eth0);
        }
    }

    @Test
    void nicCaptureSeesWhatTheHostSendsAndReceivesLikeTcpdumpOnEth0(TestInfo info) throws Exception {
        Path pcap = Files.createDirectories(Path.of("target", "pcap-tests", "NetworkTest")).resolve("eth0.pcap");
        try (Network net = Network.builder().seed(4).build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24").build();
            net.link(a, b).latency(Duration.ofMillis(1));
            net.capture(a, "eth0", pcap);
            assertEquals(2, a.ping("10.0.0.2", 2).received());
        }
        // ARP request and reply, two echo requests and two replies; 24-byte header, 16 per record.
        long expected = 24 + 6 * 16 + 42 + 60 + 4 * 98;
        assertEquals(expected, Files.size(pcap), "the received ARP reply is padded to 60 by the NIC");
        Tshark.requireOrSkip("NetworkTest." + info.getTestMethod().orElseThrow().getName());
        assertEquals(6, Tshark.assertClean(pcap));
    }

    @Test
    void recorderDrawsEveryFrameAndEveryLossOfALossyPing() throws Exception {
        try (Network net = Network.builder().seed(2).build()) {
            Host a = net.host("client").ip("10.0.0.1/24").build();
            Host b = net.host("server").ip("10.0.0.2/24").build();
            NetworkLink l = net.link(a, b).latency(Duration.ofMillis(5)).lossRate(0.3);
            LinkRecorder rec = l.record();
            a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(10).withInterval(Duration.ofMillis(200)));

            LinkStats ab = l.link().endA().stats();
            LinkStats ba = l.link().endB().stats();
            assertTrue(ab.lossDrops() + ba.lossDrops() > 0, "seed 2 loses some");
            assertEquals(ab.delivered() + ba.delivered() + ab.lossDrops() + ba.lossDrops(), rec.diagram().arrowCount());
            String svg = rec.diagram().toSvg();
            assertEquals(List.of("client", "server"), rec.diagram().lanes());
            assertTrue(svg.contains("ARP, Request who-has 10.0.0.2 tell 10.0.0.1"), svg);
            assertTrue(svg.contains("(dropped: LINK_LOSS)"));
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void closingWithFramesOnTheWireFreesThemAll() {
        // The leak check after this test fails if a frame queued or in flight outlives close().
        Network net = Network.builder().seed(8).build();
        Host a = net.host("a").ip("10.0.0.1/24").build();
        Host b = net.host("b").ip("10.0.0.2/24").build();
        NetworkLink l = net.link(a, b).latency(Duration.ofMillis(50)).bandwidth(1_000_000L);
        a.pingAsync(Ipv4Address.parse("10.0.0.2"), PingOptions.of(20).withInterval(Duration.ZERO));
        net.runFor(Duration.ofMillis(110)); // ARP resolved at ~100.7 ms, then 20 requests at 1 Mbit/s
        int onWire = l.link().endA().inFlight() + l.link().endA().backlog();
        net.close();
        assertTrue(onWire > 0, "frames were on the wire: " + onWire);
        assertEquals(0, net.pool().outstanding());
    }

    @Test
    void linkNeedsAFreeNicAndNamesTheHost() {
        try (Network net = Network.builder().build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24").build();
            Host c = net.host("c").ip("10.0.0.3/24").build();
            net.link(a, b);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.link(a, c));
            assertTrue(e.getMessage().contains("host a has no unplugged NIC"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.host("a"));
        }
    }
}
