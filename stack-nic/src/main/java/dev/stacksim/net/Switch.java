package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.net.internal.MacTable;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.MacAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A learning Ethernet switch: Linux's software bridge ({@code net/bridge}, {@code br_handle_frame},
 * {@code br_fdb_update}, {@code br_forward}, {@code br_flood}) without STP or VLANs.
 *
 * <pre>{@code
 * Switch sw = Switch.builder(loop).name("sw0").ports(4).build();
 * Link l = Link.builder(loop).name("h1-sw0").build(nic, sw.port(1));
 * nic.connect(l.endA());
 * sw.connect(1, l.endB());                  // or sw.port(1).connect(l.endB())
 * ...
 * System.out.print(sw.fdb());               // 02:00:00:00:00:01 dev port1 master sw0
 * }</pre>
 *
 * <h2>Forwarding, per frame that arrives on port {@code in}</h2>
 * <ol>
 *   <li>A frame shorter than an Ethernet header is dropped ({@link DropReason#PKT_TOO_SMALL}); one
 *       whose source MAC is multicast or zero is dropped ({@link DropReason#MAC_INVALID_SOURCE}), as
 *       {@code br_handle_frame} does.</li>
 *   <li>Learning: the source MAC now lives behind {@code in}, seen now ({@code br_fdb_update}; a
 *       station that moved is moved).</li>
 *   <li>Broadcast and multicast destinations, and unicast destinations not in the table (or whose
 *       entry has aged out), are flooded to every other connected port. Each copy but the last is
 *       an {@link SkBuff#clone() skb clone} sharing the bytes; the last port gets the frame itself
 *       ({@code br_flood}'s {@code deliver_clone}). With no other port the frame is dropped
 *       ({@link DropReason#BRIDGE_NO_EGRESS_PORT}).</li>
 *   <li>A known unicast destination is sent out of its port, unless that is {@code in}: the frame
 *       is for a station on the segment it came from, and is dropped
 *       ({@link DropReason#BRIDGE_NO_EGRESS_PORT}; Linux's {@code should_deliver} without hairpin
 *       mode).</li>
 * </ol>
 * The switch is store-and-forward with no processing delay: a frame is forwarded the moment its
 * last bit arrived. Each port's egress queue is the queue of the {@link Medium} it transmits into
 * (a {@link Link} queues, with tail drop); a frame the medium refuses counts in the port's
 * {@code txDropped}. The port ignores {@link FramePort#transmitReady()}: it does not pace itself.
 * Not modelled: STP (so a loop of switches floods forever), VLANs, the reserved 01:80:c2 group
 * addresses, static entries.
 *
 * <h2>Ageing</h2>
 * An entry expires {@link Builder#ageingTime(Duration) ageingTime} (default 300 s, Linux's
 * {@code ageing_time}) after its MAC was last seen as a source: from then on the destination is
 * flooded again. Expiry is checked when an entry is used or listed, in virtual time, so the switch
 * arms no timer and an idle network stays idle ({@code runUntilIdle()} does not jump 300 s).
 *
 * <p>The forwarding table and the counters allocate nothing per frame. All methods run on the
 * switch's event loop.
 */
public final class Switch {
    /** Linux's default {@code ageing_time}: 300 seconds. */
    public static final Duration DEFAULT_AGEING_TIME = Duration.ofSeconds(300);

    private final EventLoop loop;
    private final String name;
    private final long ageingNanos;
    private final Port[] ports;
    private final MacTable fdb = new MacTable();
    /** Reused view over each arriving frame's header. */
    private final EthernetHeader eth = new EthernetHeader();

    private long forwarded;
    private long flooded;
    private long filtered;

    private Switch(Builder b) {
        this.loop = b.loop;
        this.name = b.name;
        this.ageingNanos = b.ageingNanos;
        this.ports = new Port[b.ports];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = new Port(this, i);
        }
    }

    /** A builder for a switch on {@code loop}. */
    public static Builder builder(EventLoop loop) {
        return new Builder(loop);
    }

    /** The switch's name ({@code sw0}), shown as the {@code master} in {@link #fdb()}. */
    public String name() {
        return name;
    }

    /** The event loop the switch runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** The number of ports. */
    public int portCount() {
        return ports.length;
    }

    /**
     * Port {@code index} (from 0): the {@link FramePort} to build a link to.
     *
     * @throws IndexOutOfBoundsException when there is no such port
     */
    public Port port(int index) {
        if (index < 0 || index >= ports.length) {
            throw new IndexOutOfBoundsException("switch " + name + ": port=" + index + " ports=" + ports.length);
        }
        return ports[index];
    }

    /** {@code port(index).connect(medium)}: port {@code index} transmits into {@code medium}. */
    public Switch connect(int index, Medium medium) {
        port(index).connect(medium);
        return this;
    }

    /** The ageing time in nanoseconds. */
    public long ageingTimeNanos() {
        return ageingNanos;
    }

    /**
     * The port behind which {@code mac} was learned, or -1 when unknown or aged out (the entry is
     * then removed, as the bridge's cleanup would have).
     */
    public int lookup(long mac) {
        int slot = fdb.find(mac);
        if (slot < 0) {
            return -1;
        }
        if (fdb.updatedAt(slot) + ageingNanos <= loop.now()) {
            fdb.removeSlot(slot);
            return -1;
        }
        return fdb.portAt(slot);
    }

    /** {@link #lookup(long)} by {@link MacAddress}. */
    public int lookup(MacAddress mac) {
        return lookup(mac.toLong());
    }

    /** The live entries of the forwarding table, by MAC address. */
    public List<FdbEntry> fdbEntries() {
        long now = loop.now();
        List<FdbEntry> out = new ArrayList<>(fdb.size());
        for (int slot = 0; slot < fdb.capacity(); slot++) {
            long mac = fdb.keyAt(slot);
            if (mac != 0 && fdb.updatedAt(slot) + ageingNanos > now) {
                out.add(new FdbEntry(MacAddress.of(mac), ports[fdb.portAt(slot)].name(), name, fdb.updatedAt(slot)));
            }
        }
        out.sort(Comparator.comparing(FdbEntry::mac));
        return out;
    }

    /**
     * The forwarding table as {@code bridge fdb show} prints learned entries, one per line, by MAC:
     * {@code 02:00:00:00:00:01 dev port1 master sw0}; empty when nothing is learned.
     */
    public String fdb() {
        StringBuilder sb = new StringBuilder();
        for (FdbEntry e : fdbEntries()) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** Forgets every learned address ({@code bridge fdb flush}). */
    public void flushFdb() {
        fdb.clear();
    }

    /** Frames sent to the one port their destination was learned on. */
    public long forwarded() {
        return forwarded;
    }

    /** Frames flooded (broadcast, multicast, unknown unicast) to at least one port. */
    public long flooded() {
        return flooded;
    }

    /** Frames dropped because their destination is behind the port they came in on. */
    public long filtered() {
        return filtered;
    }

    /** {@code Switch[sw0 ports=4 fdb=3]}. */
    @Override
    public String toString() {
        return "Switch[" + name + " ports=" + ports.length + " fdb=" + fdb.size() + "]";
    }

    // ---------------------------------------------------------------- forwarding

    private void receive(Port in, SkBuff skb) {
        int len = skb.len();
        in.rxPackets++;
        in.rxBytes += len;
        if (len < EthernetHeader.HEADER_LEN) {
            in.rxDropped++;
            skb.free(DropReason.PKT_TOO_SMALL);
            return;
        }
        eth.wrap(skb.buf(), skb.data(), len);
        long src = eth.src();
        long dst = eth.dst();
        if (src == 0 || MacAddress.isMulticast(src)) {
            in.rxDropped++;
            skb.free(DropReason.MAC_INVALID_SOURCE);
            return;
        }
        fdb.put(src, in.index, loop.now());
        if (MacAddress.isMulticast(dst)) {
            flood(in, skb);
            return;
        }
        int out = lookup(dst);
        if (out < 0) {
            flood(in, skb);
        } else if (out == in.index) {
            in.rxDropped++;
            filtered++;
            skb.free(DropReason.BRIDGE_NO_EGRESS_PORT);
        } else {
            forwarded++;
            send(ports[out], skb);
        }
    }

    private void flood(Port in, SkBuff skb) {
        int last = -1;
        for (int i = ports.length - 1; i >= 0; i--) {
            if (i != in.index && ports[i].medium != null) {
                last = i;
                break;
            }
        }
        if (last < 0) {
            in.rxDropped++;
            skb.free(DropReason.BRIDGE_NO_EGRESS_PORT);
            return;
        }
        flooded++;
        for (int i = 0; i < last; i++) {
            if (i != in.index && ports[i].medium != null) {
                send(ports[i], skb.clone());
            }
        }
        send(ports[last], skb);
    }

    private static void send(Port out, SkBuff skb) {
        int len = skb.len();
        Medium medium = out.medium;
        if (medium == null) {
            out.txDropped++;
            skb.free(DropReason.BRIDGE_NO_EGRESS_PORT);
            return;
        }
        if (medium.transmit(skb)) {
            out.txPackets++;
            out.txBytes += len;
        } else {
            out.txDropped++;
        }
    }

    // ---------------------------------------------------------------- types

    /**
     * One port of a {@link Switch}: the {@link FramePort} a link delivers into, and the
     * {@link Medium} it transmits into once {@link #connect connected}.
     */
    public static final class Port implements FramePort {
        private final Switch bridge;
        private final int index;
        private final String name;
        private Medium medium;
        private long rxPackets;
        private long rxBytes;
        private long rxDropped;
        private long txPackets;
        private long txBytes;
        private long txDropped;

        private Port(Switch bridge, int index) {
            this.bridge = bridge;
            this.index = index;
            this.name = "port" + index;
        }

        /** The switch this port belongs to. */
        public Switch bridge() {
            return bridge;
        }

        /** The port's index on its switch, from 0. */
        public int index() {
            return index;
        }

        /** The port's name: {@code port} and its index, as {@code bridge fdb show} prints it. */
        public String name() {
            return name;
        }

        /** The medium this port transmits into, or {@code null} before {@link #connect}. */
        public Medium medium() {
            return medium;
        }

        /**
         * Plugs the port's transmit side into {@code medium} (a {@link LinkEnd}, maybe wrapped in a
         * {@link Tap}); {@code null} unplugs it, and the port is then left out of floods.
         */
        public Port connect(Medium medium) {
            this.medium = medium;
            return this;
        }

        /** Hands the frame to the switch's forwarding; called by the link on the switch's loop. */
        @Override
        public void frameArrived(SkBuff frame) {
            bridge.receive(this, frame);
        }

        /** A snapshot of this port's counters. */
        public PortStats stats() {
            return new PortStats(rxPackets, rxBytes, rxDropped, txPackets, txBytes, txDropped);
        }

        @Override
        public String toString() {
            return "Port[" + bridge.name + " " + name + (medium == null ? " unplugged]" : "]");
        }
    }

    /**
     * The counters of one switch port, as {@code ip -s link} shows a bridge port's.
     *
     * @param rxPackets frames that arrived on the port
     * @param rxBytes   their bytes
     * @param rxDropped arrived frames the switch dropped (too short, invalid source, no egress port)
     * @param txPackets frames the port's medium accepted
     * @param txBytes   their bytes
     * @param txDropped frames the medium refused (queue full, link down) or the port was unplugged
     */
    public record PortStats(long rxPackets, long rxBytes, long rxDropped, long txPackets, long txBytes,
                            long txDropped) {
    }

    /**
     * One learned entry of the forwarding table.
     *
     * @param mac          the station's address
     * @param port         the name of the port it lives behind
     * @param master       the switch's name
     * @param updatedNanos when it was last seen as a source, in virtual time
     */
    public record FdbEntry(MacAddress mac, String port, String master, long updatedNanos) {
        /** {@code 02:00:00:00:00:01 dev port1 master sw0}, as {@code bridge fdb show} prints it. */
        @Override
        public String toString() {
            return mac + " dev " + port + " master " + master;
        }
    }

    /** Builds a {@link Switch}. */
    public static final class Builder {
        private final EventLoop loop;
        private String name = "sw0";
        private int ports = 4;
        private long ageingNanos = DEFAULT_AGEING_TIME.toNanos();

        private Builder(EventLoop loop) {
            if (loop == null) {
                throw new IllegalArgumentException("Switch.builder: loop=null");
            }
            this.loop = loop;
        }

        /** The switch's name (default {@code sw0}). */
        public Builder name(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("switch: name=" + name);
            }
            this.name = name;
            return this;
        }

        /**
         * The number of ports (default 4).
         *
         * @throws IllegalArgumentException when below 1
         */
        public Builder ports(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("switch: ports=" + count + " must be >= 1");
            }
            this.ports = count;
            return this;
        }

        /**
         * How long a learned address lives without being seen as a source (default 300 s); 0 makes
         * every entry expire at once, so the switch floods everything, as Linux with
         * {@code ageing_time 0}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder ageingTime(Duration ageing) {
            if (ageing.isNegative()) {
                throw new IllegalArgumentException("switch: ageingTime=" + ageing + " < 0");
            }
            this.ageingNanos = ageing.toNanos();
            return this;
        }

        /** The switch, with every port unplugged. */
        public Switch build() {
            return new Switch(this);
        }
    }
}
