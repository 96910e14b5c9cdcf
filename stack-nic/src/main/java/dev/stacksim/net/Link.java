package dev.stacksim.net;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A full-duplex point-to-point cable between two {@link FramePort}s: a NIC and a switch port, or
 * two NICs back to back. Each direction is a {@link LinkEnd} with its own transmitter, egress queue,
 * frames in flight, impairments and counters; the two share bandwidth, latency and queue limit,
 * and go down and up together.
 *
 * <pre>{@code
 * Link link = Link.builder(loop).name("client-server")
 *         .bandwidth(1_000_000_000)             // 1 Gbit/s; 0 = infinite
 *         .latency(Duration.ofMillis(5))        // propagation delay, each way
 *         .queueLimit(1000)                     // egress queue per direction, tail drop
 *         .impairments(Impairments.builder().lossRate(0.01).build())
 *         .build(clientNic, serverNic);
 * clientNic.connect(link.endA());               // port A transmits into end A ...
 * serverNic.connect(link.endB());               // ... and port B into end B
 *
 *       port A ──► endA() ──(A to B)──► port B.frameArrived
 *       port A.frameArrived ◄──(B to A)── endB() ◄── port B
 * }</pre>
 *
 * A 1500-byte frame sent on an idle 1 Gbit/s link with 5 ms latency arrives 12 µs + 5 ms later:
 * 12 000 bits take 12 µs to serialize ({@link #serializationNanos}), then the last bit propagates.
 * Frame sizes are the skb's bytes from the Ethernet header on; the preamble, start delimiter, FCS
 * and inter-frame gap are not counted unless {@link Builder#wireOverhead(int)} adds them
 * ({@link #ETHERNET_WIRE_OVERHEAD}). See {@link LinkEnd} for the timing in detail and
 * {@link Impairments} for what each impairment does.
 *
 * <h2>Partitions</h2>
 * {@link #setUp(boolean) setUp(false)} cuts the cable: every frame queued or on the wire in either
 * direction is lost, and frames transmitted while it is down are dropped at once, each counted in
 * {@link LinkStats#downDrops()} and freed with {@link dev.stacksim.buf.DropReason#LINK_LOSS}
 * (Linux likewise resets a device's qdisc when its carrier goes). {@code setUp(true)} restores it
 * and calls {@link FramePort#transmitReady()} on both ports, since a port waiting for its
 * transmitter may go on.
 *
 * <h2>Capture</h2>
 * {@link #capture(FrameCapture)} sees both directions at the moment each frame's first bit leaves
 * its sender, with that virtual time: after the egress queue (a frame dropped there never went on
 * the wire, just as tcpdump on a Linux NIC sees packets after the qdisc) and before the impairments
 * (a frame lost, corrupted or duplicated on the wire shows as sent). To see what arrives, wrap the
 * receiving port in a {@link Tap}.
 *
 * <h2>Randomness</h2>
 * Every random choice comes from {@code loop.random().fork("link:" + name)}, forked again per
 * direction ({@code "a->b"}, {@code "b->a"}) and per impairment. Names must therefore be unique
 * on a loop; the same seed gives the same losses, the same arrivals and the same pcap bytes.
 *
 * <p>A link belongs to its event loop: transmit, {@code setUp} and the rest are called on the
 * loop's thread, and the ports are called back on it.
 */
public final class Link {
    private static final Logger log = LoggerFactory.getLogger(Link.class);

    /**
     * Bytes an Ethernet frame costs on the wire beyond what a capture shows: preamble and start
     * frame delimiter (8), frame check sequence (4) and the minimum inter-frame gap (12).
     */
    public static final int ETHERNET_WIRE_OVERHEAD = 24;
    /** Default egress queue length per direction, in frames: Linux's default {@code txqueuelen}. */
    public static final int DEFAULT_QUEUE_LIMIT = 1000;
    /** Highest bandwidth a link accepts, in bit/s (1 Pbit/s), so serialization arithmetic cannot overflow. */
    public static final long MAX_BANDWIDTH = 1_000_000_000_000_000L;

    private final EventLoop loop;
    private final String name;
    private long bandwidth;
    private long latencyNanos;
    private final int queueLimit;
    private final int wireOverhead;
    private final LinkEnd endA;
    private final LinkEnd endB;
    private boolean up = true;
    private FrameCapture capture;
    /** Sees every frame sent, delivered or dropped; null when nobody watches. */
    private LinkObserver observer;

    private Link(Builder b, FramePort portA, FramePort portB) {
        this.loop = b.loop;
        this.name = b.name;
        this.bandwidth = b.bandwidth;
        this.latencyNanos = b.latencyNanos;
        this.queueLimit = b.queueLimit;
        this.wireOverhead = b.wireOverhead;
        SimRandom random = loop.random().fork("link:" + name);
        this.endA = new LinkEnd(this, "a->b", portA, portB, random.fork("a->b"), b.impairmentsAToB);
        this.endB = new LinkEnd(this, "b->a", portB, portA, random.fork("b->a"), b.impairmentsBToA);
    }

    /** A builder for a link on {@code loop}; a name is required, the rest defaults to an ideal cable. */
    public static Builder builder(EventLoop loop) {
        return new Builder(loop);
    }

    /**
     * The time to serialize a lone frame of {@code frameLen} bytes on an idle link of
     * {@code bitsPerSecond}: {@code ceil(frameLen·8·10^9 / bitsPerSecond)} nanoseconds, 0 for
     * infinite bandwidth. (Back-to-back frames carry the fractions instead of rounding each one; see
     * {@link LinkEnd}.)
     */
    public static long serializationNanos(long frameLen, long bitsPerSecond) {
        if (bitsPerSecond == 0) {
            return 0;
        }
        long numerator = frameLen * 8 * SimTime.NANOS_PER_SECOND;
        return numerator / bitsPerSecond + (numerator % bitsPerSecond != 0 ? 1 : 0);
    }

    /** The time this link takes to serialize a lone frame of {@code frameLen} bytes, wire overhead included. */
    public long serializationNanos(int frameLen) {
        return serializationNanos(frameLen + (long) wireOverhead, bandwidth);
    }

    /** The name, as given to the builder: it names the link's random stream and timers. */
    public String name() {
        return name;
    }

    /** The event loop the link runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** Bandwidth in bit/s per direction; 0 means infinite. */
    public long bandwidth() {
        return bandwidth;
    }

    /** Propagation delay per direction, in nanoseconds. */
    public long latencyNanos() {
        return latencyNanos;
    }

    /** Egress queue limit per direction, in frames. */
    public int queueLimit() {
        return queueLimit;
    }

    /** Bytes added to every frame's length for serialization (0, or {@link #ETHERNET_WIRE_OVERHEAD}). */
    public int wireOverhead() {
        return wireOverhead;
    }

    /** The side port A transmits into: frames from A to B. */
    public LinkEnd endA() {
        return endA;
    }

    /** The side port B transmits into: frames from B to A. */
    public LinkEnd endB() {
        return endB;
    }

    /**
     * The side {@code port} transmits into, for code that wires a port without knowing which end
     * of the link it is.
     *
     * @throws IllegalArgumentException when {@code port} is not one of this link's ports
     */
    public LinkEnd endOf(FramePort port) {
        if (port == endA.sender()) {
            return endA;
        }
        if (port == endB.sender()) {
            return endB;
        }
        throw new IllegalArgumentException("link " + name + ": port=" + port + " is not attached to it");
    }

    /**
     * Changes the bandwidth of both directions for frames that start serializing from now on (a
     * frame on the wire keeps its timing), as {@code tc qdisc change ... rate} does; 0 is infinite.
     *
     * @throws IllegalArgumentException when negative or above {@link #MAX_BANDWIDTH}
     */
    public Link setBandwidth(long bitsPerSecond) {
        loop.checkInEventLoop("Link.setBandwidth");
        if (bitsPerSecond < 0 || bitsPerSecond > MAX_BANDWIDTH) {
            throw new IllegalArgumentException("link " + name + ": bandwidth=" + bitsPerSecond + " not in 0.." + MAX_BANDWIDTH);
        }
        this.bandwidth = bitsPerSecond;
        return this;
    }

    /**
     * Changes the propagation delay of both directions for frames sent from now on (frames already
     * in flight keep theirs), as {@code tc qdisc change ... delay} does.
     *
     * @throws IllegalArgumentException when negative, or zero while a direction reorders
     */
    public Link setLatency(Duration latency) {
        loop.checkInEventLoop("Link.setLatency");
        long nanos = latency.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("link " + name + ": latency=" + nanos + "ns < 0");
        }
        if (nanos == 0 && (endA.impairments().reorderRate() > 0 || endB.impairments().reorderRate() > 0)) {
            throw new IllegalArgumentException("link " + name + ": latency=0 while reordering: reordering needs a latency");
        }
        this.latencyNanos = nanos;
        return this;
    }

    /**
     * Takes the cable out for good: every frame queued or on the wire in either direction is freed
     * ({@link dev.stacksim.buf.DropReason#QUEUE_PURGE}), the timers are cancelled, and later
     * transmits are dropped as on a cut cable. {@link Network#close()} calls it for every link.
     */
    public void close() {
        loop.checkInEventLoop("Link.close");
        endA.purge();
        endB.purge();
        up = false;
        observer = null;
        capture = null;
    }

    /** Sets the same impairments in both directions (see {@link LinkEnd#setImpairments}). */
    public Link setImpairments(Impairments impairments) {
        endA.setImpairments(impairments);
        endB.setImpairments(impairments);
        return this;
    }

    /** True unless {@link #setUp(boolean) cut}. */
    public boolean isUp() {
        return up;
    }

    /**
     * Cuts ({@code false}) or restores ({@code true}) the cable; see the class comment. Setting the
     * current state again does nothing.
     */
    public void setUp(boolean up) {
        loop.checkInEventLoop("Link.setUp");
        if (this.up == up) {
            return;
        }
        this.up = up;
        log.debug("link {}: {} at {}", name, up ? "up" : "down", SimTime.format(loop.now()));
        if (!up) {
            endA.linkDown();
            endB.linkDown();
        } else {
            endA.sender().transmitReady();
            endB.sender().transmitReady();
        }
    }

    /**
     * Captures both directions into {@code sink} as frames start to leave their sender (see the class
     * comment); {@code null} stops capturing. A {@link PcapWriter} is a sink.
     */
    public Link capture(FrameCapture sink) {
        this.capture = sink;
        return this;
    }

    /** The capture sink, or {@code null}. */
    /**
     * Lets {@code o} watch every frame of both directions (see {@link LinkObserver}); {@code null}
     * stops it. One observer at a time.
     */
    public Link observe(LinkObserver o) {
        loop.checkInEventLoop("Link.observe");
        this.observer = o;
        return this;
    }

    LinkObserver observer() {
        return observer;
    }

    FrameCapture captureSink() {
        return capture;
    }

    /** {@code Link[client-server 1000000000bit/s latency=5ms queue=1000 up]}. */
    @Override
    public String toString() {
        return "Link[" + name + " " + (bandwidth == 0 ? "infinite" : bandwidth + "bit/s") + " latency="
                + Impairments.time(latencyNanos) + " queue=" + queueLimit + (up ? " up]" : " down]");
    }

    /** Builds a {@link Link}. */
    public static final class Builder {
        private final EventLoop loop;
        private String name;
        private long bandwidth;
        private long latencyNanos;
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private int wireOverhead;
        private Impairments impairmentsAToB = Impairments.NONE;
        private Impairments impairmentsBToA = Impairments.NONE;

        private Builder(EventLoop loop) {
            if (loop == null) {
                throw new IllegalArgumentException("Link.builder: loop=null");
            }
            this.loop = loop;
        }

        /** The link's name, unique on its loop: it seeds the link's random stream ({@code "link:" + name}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Bandwidth per direction in bit/s; 0 (the default) means infinite: frames take no time to send.
         *
         * @throws IllegalArgumentException when negative or above {@link #MAX_BANDWIDTH}
         */
        public Builder bandwidth(long bitsPerSecond) {
            if (bitsPerSecond < 0 || bitsPerSecond > MAX_BANDWIDTH) {
                throw new IllegalArgumentException("link: bandwidth=" + bitsPerSecond + " not in 0.." + MAX_BANDWIDTH);
            }
            this.bandwidth = bitsPerSecond;
            return this;
        }

        /** Propagation delay per direction (default 0). */
        public Builder latency(Duration latency) {
            return latencyNanos(latency.toNanos());
        }

        /**
         * Propagation delay per direction in nanoseconds.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder latencyNanos(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("link: latency=" + nanos + "ns < 0");
            }
            this.latencyNanos = nanos;
            return this;
        }

        /**
         * Egress queue limit per direction in frames (default {@value #DEFAULT_QUEUE_LIMIT}); 0 means
         * no queue: a frame sent while the transmitter is busy is dropped.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder queueLimit(int packets) {
            if (packets < 0) {
                throw new IllegalArgumentException("link: queueLimit=" + packets + " < 0");
            }
            this.queueLimit = packets;
            return this;
        }

        /**
         * Bytes added to each frame's length when computing its serialization time (default 0):
         * {@link #ETHERNET_WIRE_OVERHEAD} makes a 1500-byte frame take 1524 byte times, as on a real
         * Ethernet. Padding of short frames to 60 bytes is the sender's business and not added here.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder wireOverhead(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("link: wireOverhead=" + bytes + " < 0");
            }
            this.wireOverhead = bytes;
            return this;
        }

        /** The same impairments in both directions. */
        public Builder impairments(Impairments impairments) {
            this.impairmentsAToB = impairments;
            this.impairmentsBToA = impairments;
            return this;
        }

        /** Impairments for frames from port A to port B only. */
        public Builder impairmentsAToB(Impairments impairments) {
            this.impairmentsAToB = impairments;
            return this;
        }

        /** Impairments for frames from port B to port A only. */
        public Builder impairmentsBToA(Impairments impairments) {
            this.impairmentsBToA = impairments;
            return this;
        }

        /**
         * The link between {@code portA} and {@code portB}, up. The ports still have to be told
         * which {@link Medium} to transmit into: {@link Link#endA()} and {@link Link#endB()}.
         *
         * @throws IllegalStateException    when no name was given
         * @throws IllegalArgumentException when a port is null or both are the same, or the
         *         impairments ask for reordering without latency
         */
        public Link build(FramePort portA, FramePort portB) {
            if (name == null || name.isEmpty()) {
                throw new IllegalStateException("Link.builder: a name is required (it names the link's random stream)");
            }
            if (portA == null || portB == null || portA == portB) {
                throw new IllegalArgumentException("link " + name + ": portA=" + portA + " portB=" + portB
                        + " (two distinct ports)");
            }
            return new Link(this, portA, portB);
        }
    }
}
