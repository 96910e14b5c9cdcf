package dev.stacksim.docs.tour;

import dev.stacksim.host.Host;
import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.net.LinkRecorder;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.nic.EthtoolStats;
import dev.stacksim.nic.SimNic;
import dev.stacksim.wire.Ipv4Address;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The NIC: DMA descriptor rings, interrupts and NAPI polling, and what happens when frames arrive
 * faster than the host polls.
 */
public final class NicChapter implements Chapter {
    @Override
    public String id() {
        return "nic";
    }

    @Override
    public String title() {
        return "The NIC: DMA rings, interrupts, NAPI, and a ring that overflows";
    }

    @Override
    public String guidePage() {
        return "guide/nic.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("A NIC and its driver share two rings of descriptors in memory. To send, the driver "
                + "fills a TX descriptor and the NIC's DMA engine reads the frame from memory onto "
                + "the wire. To receive, the driver posts empty buffers in RX descriptors; the NIC "
                + "writes each arriving frame into the next one (DMA: no CPU involved), sets its "
                + "done bit and raises an interrupt. The interrupt schedules a NAPI poll that takes "
                + "up to 64 done frames into the stack and posts fresh buffers.");
        // tag::setup[]
        try (Network net = Network.builder().seed(1).build()) {
            Host a = net.host("a").ip("10.0.0.1/24").build();
            Host b = net.host("b").ip("10.0.0.2/24",
                    nic -> nic.rxRingSize(16).rxUsecs(Duration.ofNanos(50_000))).build();
            NetworkLink link = net.link(a, b).bandwidth(1_000_000_000L).latency(Duration.ofNanos(10_000));
            // end::setup[]
            Path pcap = out.artifact(id(), "nic.pcap");
            Path svg = out.artifact(id(), "nic-ping.svg");
            link.capture(pcap);
            LinkRecorder recorder = link.record();
            SimNic rx = net.nics(b).get(0);
            out.show("b's eth0 after open: every RX descriptor holds a posted buffer (P)");
            out.show(rx.rxRing(0).picture());
            out.blank();

            PingResult warm = a.ping("10.0.0.2", 1);
            recorder.diagram().write(svg);
            recorder.stop();
            out.para("b coalesces interrupts: its poll runs 50 us after the interrupt (ethtool -C "
                    + "rx-usecs 50), and its ring has 16 buffers. One ping (and its ARP) passes: "
                    + "rtt " + warm.rtts()[0] + " ns, of which the wire accounts for 42240 ns (two ARP "
                    + "and two echo frames, 10 us each plus serialization); the rest is b waiting out "
                    + "its coalescing window. Now a flood, ping -f: 40 echo requests at once; at "
                    + "1 Gbit/s they arrive 784 ns apart, all inside one coalescing window.");
            // tag::flood[]
            CompletableFuture<PingResult> flood = a.pingAsync(Ipv4Address.parse("10.0.0.2"),
                    PingOptions.of(40).withInterval(Duration.ZERO).withLinger(Duration.ofSeconds(1)));
            net.runUntil(() -> rx.stats().rxMissedErrors() > 0); // the ring just overflowed
            String ringDuringFlood = rx.rxRing(0).picture();    // D: done, waiting for the poll
            net.runUntil(flood::isDone);
            EthtoolStats s = rx.ethtoolStats();
            // end::flood[]
            out.show("b's RX ring when the first frame finds no buffer: all 16 done (D), none posted");
            out.show(ringDuringFlood);
            out.show(String.format("ethtool -S b: rx_packets %d, rx_missed_errors %d, interrupts %d, "
                    + "napi_polls %d", s.get("rx_packets"), s.get("rx_missed_errors"), s.get("interrupts"),
                    s.get("napi_polls")));
            PingResult r = flood.join();
            out.show(String.format("ping: %d transmitted, %d received, %d%% packet loss", r.transmitted(),
                    r.received(), r.packetLossPercent()));
            out.blank();
            out.para("The frames that found no posted buffer are counted in rx_missed_errors, never "
                    + "lost silently: the link delivered " + link.link().endA().stats().delivered()
                    + " frames to b, and b's NIC received or missed every one of them.");
            out.show("sequence diagram of the first ping: " + svg.getFileName() + "; capture: "
                    + pcap.getFileName() + " (in " + svg.getParent() + ")");
        }
    }
}
