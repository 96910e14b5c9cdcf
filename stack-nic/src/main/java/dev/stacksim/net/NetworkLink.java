package dev.stacksim.net;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A cable of a {@link Network}, configured in place: {@code net.link(a, b).latency(ms(5)).lossRate(0.01)}.
 * Each setter applies to frames sent from then on, as {@code tc qdisc change ... netem} does.
 */
public final class NetworkLink {
    private final Network network;
    private final Link link;
    private final String nameA;
    private final String nameB;

    NetworkLink(Network network, Link link, String nameA, String nameB) {
        this.network = network;
        this.link = link;
        this.nameA = nameA;
        this.nameB = nameB;
    }

    /** The underlying link: its ends, counters and impairments. */
    public Link link() {
        return link;
    }

    /** Propagation delay, each way. */
    public NetworkLink latency(Duration latency) {
        network.onLoop(() -> link.setLatency(latency));
        return this;
    }

    /** Bandwidth in bits per second, each way; 0 means infinite. */
    public NetworkLink bandwidth(long bitsPerSecond) {
        network.onLoop(() -> link.setBandwidth(bitsPerSecond));
        return this;
    }

    /**
     * Random loss in both directions, as netem's {@code loss P%} with P = 100 × rate; the other
     * impairments of the A-to-B direction are kept and applied to both.
     */
    public NetworkLink lossRate(double rate) {
        return impairments(link.endA().impairments().toBuilder().lossRate(rate).build());
    }

    /** Every impairment at once, both directions. */
    public NetworkLink impairments(Impairments impairments) {
        network.onLoop(() -> link.setImpairments(impairments));
        return this;
    }

    /** Cuts the cable (a partition) or restores it. */
    public NetworkLink up(boolean up) {
        network.onLoop(() -> {
            link.setUp(up);
            return null;
        });
        return this;
    }

    /** Captures both directions to a pcap file, closed with the network. */
    public NetworkLink capture(Path pcap) {
        PcapWriter w = PcapWriter.open(pcap);
        network.addCapture(w);
        network.onLoop(() -> link.capture(w));
        return this;
    }

    /**
     * Starts drawing this link's traffic as a sequence diagram, one lifeline per end, named after
     * the hosts (or switches) it joins.
     */
    public LinkRecorder record() {
        return network.onLoop(() -> new LinkRecorder(link, link.name(), nameA, nameB));
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
