package dev.stacksim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import dev.stacksim.diag.SequenceDiagram;
import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.host.PingResult;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event trace of a network: every host's events in one stream, from the sockets down to the rings. */
class NetworkTraceTest {
    private final Network net = Network.builder().seed(7).build();
    private final Host server = net.host("server").ip("10.0.0.2/24").build();
    private final Host client = net.host("client").ip("10.0.0.1/24").build();
    private final NetworkLink link = net.link(client, server).latency(Duration.ofMillis(5)).bandwidth(1_000_000_000L);
    private final TraceRecorder rec = new TraceRecorder();

    @AfterEach
    void tearDown() {
        net.close();
    }

    private List<String> lines() {
        return rec.events().stream().map(e -> e.host() + " " + e.describe()).collect(Collectors.toList());
    }

    @Test
    void aPingIsTracedThroughArpTheLayersAndTheRingsInOrder() {
        net.tracer().addListener(rec);
        PingResult r = client.ping("10.0.0.2", 1);
        assertEquals(1, r.received());
        assertEquals(List.of(
                "client ICMP out 10.0.0.1 > 10.0.0.2: echo request, id 17080, seq 1, length 64",
                "client skb ip push 20 -> data=56 len=84",
                "client ARP 10.0.0.2 dev eth0 NONE -> INCOMPLETE", // the request waits in the neighbour's queue
                "client ARP out 10.0.0.1 > 10.0.0.2: Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
                "client skb eth push 14 -> data=2 len=42",
                "client ring eth0 tx0 post [0]", // e1000_xmit_frame
                "client ring eth0 tx0 dma [0]",
                "client ring eth0 tx0 clean [0]", // TX completion in the NAPI poll the TX interrupt scheduled
                "server ring eth0 rx0 dma [0]", // 5 ms of latency + 336 ns to serialize 42 bytes
                "server ring eth0 rx0 poll [0]",
                "server skb eth pull 14 -> data=78 len=46", // NET_SKB_PAD 64 + 14; the NIC padded the frame to 60
                "server ARP in  10.0.0.1 > 10.0.0.2: Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
                "server ARP 10.0.0.1 dev eth0 NONE -> STALE",
                "server ARP out 10.0.0.2 > 10.0.0.1: Reply 10.0.0.2 is-at 02:00:00:00:01:01, length 28",
                "server skb eth push 14 -> data=2 len=42",
                "server ring eth0 tx0 post [0]",
                "server ring eth0 rx0 post [0]", // NAPI refills the slot after the stack returned
                "server ring eth0 tx0 dma [0]",
                "server ring eth0 tx0 clean [0]",
                "client ring eth0 rx0 dma [0]",
                "client ring eth0 rx0 poll [0]",
                "client skb eth pull 14 -> data=78 len=46",
                "client ARP in  10.0.0.2 > 10.0.0.1: Reply 10.0.0.2 is-at 02:00:00:00:01:01, length 28",
                "client ARP 10.0.0.2 dev eth0 INCOMPLETE -> REACHABLE",
                "client skb eth push 14 -> data=42 len=98", // the queued request leaves
                "client ring eth0 tx0 post [1]",
                "client ring eth0 rx0 post [0]",
                "client ring eth0 tx0 dma [1]",
                "client ring eth0 tx0 clean [1]",
                "server ring eth0 rx0 dma [1]",
                "server ring eth0 rx0 poll [1]",
                "server skb eth pull 14 -> data=78 len=84",
                "server skb ip pull 20 -> data=98 len=64",
                "server ICMP in  10.0.0.1 > 10.0.0.2: echo request, id 17080, seq 1, length 64",
                "server ICMP out 10.0.0.2 > 10.0.0.1: echo reply, id 17080, seq 1, length 64",
                "server skb ip push 20 -> data=56 len=84",
                "server ARP 10.0.0.1 dev eth0 STALE -> DELAY",
                "server skb eth push 14 -> data=42 len=98",
                "server ring eth0 tx0 post [1]",
                "server ring eth0 rx0 post [1]",
                "server ring eth0 tx0 dma [1]",
                "server ring eth0 tx0 clean [1]",
                "client ring eth0 rx0 dma [1]",
                "client ring eth0 rx0 poll [1]",
                "client skb eth pull 14 -> data=78 len=84",
                "client skb ip pull 20 -> data=98 len=64",
                "client ICMP in  10.0.0.2 > 10.0.0.1: echo reply, id 17080, seq 1, length 64",
                "client ring eth0 rx0 post [1]"),
                lines());
        assertTrue(rec.events().stream().allMatch(e -> e.host().equals("client") || e.host().equals("server")));
    }

    @Test
    void framesTheLinkLosesAreDropsOfTheSenderAndCrossesInTheDiagram() {
        client.ping("10.0.0.2", 1);                   // ARP resolved, untraced
        net.tracer().addListener(rec);
        link.lossRate(1.0);
        PingResult r = client.ping("10.0.0.2", 2);
        assertEquals(0, r.received());

        List<TraceEvent.Drop> drops = rec.events(TraceEvent.Drop.class).stream()
                .filter(d -> d.host().equals("client")).collect(Collectors.toList());
        assertEquals(2, drops.size(), rec.toString());
        for (TraceEvent.Drop d : drops) {
            assertEquals(DropReason.LINK_LOSS, d.reason());
            assertEquals("LinkEnd.launch", d.where(), "netem's loss is charged to the sending host");
            assertTrue(d.what().startsWith("10.0.0.1 > 10.0.0.2: ICMP echo request, id "), d.what());
        }

        SequenceDiagram d = TraceDiagram.draw("ping over a dead link", rec.events(), "client", "server");
        String svg = d.toSvg();
        assertTrue(svg.contains("seq 1, length 64 (dropped: LINK_LOSS)"), svg);
        assertTrue(svg.contains("seq 2, length 64 (dropped: LINK_LOSS)"), svg);
        assertEquals(0, d.markCount(), "every drop explains a lost packet");
    }

    @Test
    void noListenerNoEvents() {
        client.ping("10.0.0.2", 1);
        net.tracer().addListener(rec);
        net.tracer().removeListener(rec);
        client.ping("10.0.0.2", 1);
        assertEquals(List.of(), rec.events());
        assertTrue(!net.tracer().enabled() && !client.trace().enabled() && !server.trace().enabled());
    }
}
