package dev.stacksim.trace;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.Clock;
import dev.stacksim.wire.ArpPacket;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.UdpHeader;
import io.netty.buffer.ByteBuf;

import java.util.Optional;

/**
 * The event trace as one host emits into it: the shared {@link Tracer} of its network, the host's
 * name and the loop's clock, and one method per kind of event that stamps the time and the host.
 * It is also the host's drop monitor: as the {@link SkBuff#setDropListener drop listener} of every
 * skb in the host it turns each {@link SkBuff#free(DropReason)} into a {@link TraceEvent.Drop}
 * (Linux's {@code skb:kfree_skb} tracepoint, which {@code dropwatch} and {@code perf} read).
 *
 * <pre>{@code
 * HostTrace t = host.trace();
 * t.skbHop("ip", true, Ipv4Header.HEADER_LEN, skb);        // no cost when nobody listens
 * if (t.enabled()) {                                        // build strings only when someone does
 *     t.packet(true, "UDP", HostTrace.addr(saddr, sport), HostTrace.addr(daddr, dport), "length 5");
 * }
 * }</pre>
 *
 * <p>Every method returns at once when {@link #enabled()} is false; the ones taking only numbers
 * and constant strings may be called unguarded, without allocating. Callers guard the others so
 * as not to build their strings for nobody.
 *
 * <h2>Where a drop happened</h2>
 * {@link TraceEvent.Drop#where()} names the Java method that freed the skb, as
 * {@code Class.method} ({@code Udp.receive}, {@code Ipv4Input.rcv}, {@code LinkEnd.launch}),
 * found by walking the stack only when someone listens; helpers named {@code drop*} are skipped
 * for their caller. Linux's tracepoint reports the kernel function the same way
 * ({@code location=udp_rcv}). The host is the one the skb was last in: frames on a link or a switch
 * stay charged to the host that sent them, as netem's losses are charged to the sender's qdisc.
 */
public final class HostTrace implements SkBuffPool.DropListener {
    /** A trace nobody can listen to: what a device gets from a context that does not trace. */
    public static final HostTrace NONE = new HostTrace("", new Tracer(), () -> 0L);

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String host;
    private final Tracer tracer;
    private final Clock clock;

    /**
     * The trace of host {@code host}, emitting into {@code tracer}, stamped by {@code clock} (the
     * host's event loop).
     */
    public HostTrace(String host, Tracer tracer, Clock clock) {
        if (host == null || tracer == null || clock == null) {
            throw new IllegalArgumentException("host trace: host=" + host + " tracer=" + tracer + " clock=" + clock);
        }
        this.host = host;
        this.tracer = tracer;
        this.clock = clock;
    }

    /** The host's name, as every event of this trace carries it. */
    public String host() {
        return host;
    }

    /** The tracer events go to (shared by the hosts of a network). */
    public Tracer tracer() {
        return tracer;
    }

    /** True when someone listens: only then are events built. */
    public boolean enabled() {
        return tracer.enabled();
    }

    /** The time events are stamped with now. */
    public long now() {
        return clock.nanoTime();
    }

    /** Hands {@code event} to the listeners, if any. */
    public void emit(TraceEvent event) {
        if (tracer.enabled()) {
            tracer.emit(event);
        }
    }

    /**
     * A header was pushed ({@code push}) or pulled on {@code skb}: {@code layer} is {@code eth},
     * {@code ip}, {@code udp}, {@code tcp}. Call it after the move; it reads the skb's new data
     * offset and length.
     */
    public void skbHop(String layer, boolean push, int header, SkBuff skb) {
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.SkbHop(clock.nanoTime(), host, layer, push, header, skb.data(), skb.len()));
        }
    }

    /** A packet this host sent ({@code sent}) or received; see {@link TraceEvent.Packet} for the formats. */
    public void packet(boolean sent, String protocol, String saddr, String daddr, String summary) {
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.Packet(clock.nanoTime(), host, sent, protocol, saddr, daddr, summary));
        }
    }

    /** Something of {@code protocol} ({@code TCP}, {@code ARP}) went from state {@code from} to {@code to}. */
    public void stateChange(String protocol, String socket, String from, String to) {
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.StateChange(clock.nanoTime(), host, protocol, socket, from, to));
        }
    }

    /** A descriptor of {@code device}'s ring {@code ring} moved; see {@link TraceEvent.RingMove}. */
    public void ringMove(String device, String ring, String op, int index) {
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.RingMove(clock.nanoTime(), host, device, ring, op, index));
        }
    }

    /**
     * An skb of this host is being dropped: emits a {@link TraceEvent.Drop} with the method that
     * freed it and a summary of the packet. Called by the skb's pool; the skb is still readable.
     */
    @Override
    public void dropped(SkBuff skb, DropReason reason) {
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.Drop(clock.nanoTime(), host, location(), reason, summary(skb)));
        }
    }

    /** {@code 10.0.0.1:40000}: an address and port as {@link TraceEvent.Packet} and {@code ss} print them. */
    public static String addr(int addr, int port) {
        return Ipv4Address.toString(addr) + ":" + port;
    }

    // ---------------------------------------------------------------- drops

    /** The first method on the stack that is neither the buffer layer, this class nor a {@code drop*} helper. */
    static String location() {
        Optional<String> where = WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.stacksim.buf.")
                        && !f.getClassName().equals(HostTrace.class.getName())
                        && !f.getMethodName().startsWith("drop"))
                .findFirst()
                .map(HostTrace::frameName));
        return where.orElse("?");
    }

    private static String frameName(StackWalker.StackFrame f) {
        String c = f.getClassName();
        String m = f.getMethodName();
        if (m.startsWith("lambda$")) {
            int end = m.indexOf('$', 7);
            m = end > 7 ? m.substring(7, end) : m;
        }
        return c.substring(c.lastIndexOf('.') + 1) + "." + m;
    }

    /**
     * The dropped packet in one line, from its outermost header the skb still marks: IPv4
     * ({@code 10.0.0.1:40000 > 10.0.0.2:9: UDP, length 5}, {@code 10.0.0.1 > 10.0.0.2: ICMP echo
     * request, id 1, seq 1, length 64}), ARP ({@code ARP, Request who-has ...}), an Ethernet frame,
     * else its length. Never throws.
     */
    static String summary(SkBuff skb) {
        try {
            ByteBuf buf = skb.buf();
            if (skb.networkHeaderWasSet() && skb.networkHeader() < skb.tail()) {
                int nh = skb.networkHeader();
                if (skb.protocol() == EtherType.ARP) {
                    return "ARP, " + new ArpPacket().wrap(buf, nh, skb.tail() - nh);
                }
                return ipv4(buf, nh, skb.tail() - nh);
            }
            int at = skb.macHeaderWasSet() ? skb.macHeader() : skb.data();
            int len = skb.tail() - at;
            if (len >= EthernetHeader.HEADER_LEN) {
                EthernetHeader eth = new EthernetHeader().wrap(buf, at, len);
                int type = eth.etherType();
                int next = at + EthernetHeader.HEADER_LEN;
                if (type == EtherType.IPV4) {
                    return ipv4(buf, next, len - EthernetHeader.HEADER_LEN);
                }
                if (type == EtherType.ARP) {
                    return "ARP, " + new ArpPacket().wrap(buf, next, len - EthernetHeader.HEADER_LEN);
                }
                return "ethertype " + EtherType.name(type) + ", length " + len;
            }
            return "length " + skb.len();
        } catch (RuntimeException e) {
            return "[unreadable: " + e.getClass().getSimpleName() + "]";
        }
    }

    private static String ipv4(ByteBuf buf, int nh, int avail) {
        if (avail < Ipv4Header.HEADER_LEN) {
            return "IP [|ip] length " + avail;
        }
        Ipv4Header ip = new Ipv4Header().wrap(buf, nh, avail);
        int hlen = ip.headerLen();
        if (ip.version() != Ipv4Header.VERSION || hlen < Ipv4Header.HEADER_LEN || hlen > avail) {
            return "IP [bad header] length " + avail;
        }
        int saddr = ip.srcAddr();
        int daddr = ip.dstAddr();
        int l4 = nh + hlen;
        int l4len = Math.min(ip.totalLength(), avail) - hlen;
        int protocol = ip.protocol();
        if (ip.fragmentOffsetBytes() > 0) {
            return Ipv4Address.toString(saddr) + " > " + Ipv4Address.toString(daddr) + ": "
                    + IpProtocol.name(protocol) + " fragment, offset " + ip.fragmentOffsetBytes();
        }
        if ((protocol == IpProtocol.TCP && l4len >= TcpHeader.MIN_HEADER_LEN)
                || (protocol == IpProtocol.UDP && l4len >= UdpHeader.HEADER_LEN)) {
            String ports = addr(saddr, buf.getUnsignedShort(l4)) + " > " + addr(daddr, buf.getUnsignedShort(l4 + 2)) + ": ";
            if (protocol == IpProtocol.TCP) {
                return ports + new TcpHeader().wrap(buf, l4, l4len);
            }
            return ports + "UDP, length " + (l4len - UdpHeader.HEADER_LEN);
        }
        String addrs = Ipv4Address.toString(saddr) + " > " + Ipv4Address.toString(daddr) + ": ";
        if (protocol == IpProtocol.ICMP && l4len >= IcmpHeader.HEADER_LEN) {
            return addrs + new IcmpHeader().wrap(buf, l4, l4len);
        }
        return addrs + IpProtocol.name(protocol) + ", length " + l4len;
    }

    @Override
    public String toString() {
        return "HostTrace[" + host + " " + tracer + "]";
    }
}
