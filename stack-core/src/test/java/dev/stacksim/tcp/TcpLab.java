package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import io.netty.util.ResourceLeakDetector;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Two hosts on a veth pair (100 µs each way): {@code a} 10.0.0.1/24 (the client) and {@code b}
 * 10.0.0.2/24 (the server), on one virtual-time loop. Unless built {@code quiet}, a trace recorder
 * listens to both hosts and a tap in front of {@code a}'s device records every frame on the wire
 * (both directions), which {@link #segs()} parses into {@link Seg}s. {@link #inject} sends
 * hand-made segments from {@code a} with any source address (spoofed SYNs, forged RSTs); {@code b}
 * routes 10.1.0.0/16 back through {@code a}, which drops what it gets for those addresses (it does
 * not forward), so spoofed peers never answer.
 */
final class TcpLab implements AutoCloseable {
    static final int A = Ipv4Address.parse("10.0.0.1").toInt();
    static final int B = Ipv4Address.parse("10.0.0.2").toInt();
    /** One-way delay of the veth. */
    static final long DELAY = SimTime.micros(100);

    final EventLoop loop;
    final SkBuffPool pool;
    final Host a;
    final Host b;
    final FrameTap tap;
    final VethPair veth;
    final TraceRecorder trace = new TraceRecorder();
    private final ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();

    TcpLab(long seed) {
        this(seed, false);
    }

    /**
     * A lab; {@code quiet} for floods: no trace, no tap, and a pool that neither records where
     * each skb was allocated nor lets netty track each buffer (PARANOID costs a stack trace per
     * buffer: 100k SYNs would take minutes instead of a second). {@link #close()} still fails on
     * any skb not released.
     */
    TcpLab(long seed, boolean quiet) {
        if (quiet) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        }
        loop = EventLoop.virtual(seed);
        pool = quiet ? SkBuffPool.builder().trackAllocations(false).build() : SkBuffPool.create();
        veth = VethPair.create("eth0", 0x0200_0000_0001L, "eth0", 0x0200_0000_0002L).delay(DELAY);
        tap = new FrameTap(veth.first());
        a = Host.builder(loop, pool, "a").device(quiet ? veth.first() : tap).address("eth0", "10.0.0.1/24").build();
        b = Host.builder(loop, pool, "b").device(veth.second()).address("eth0", "10.0.0.2/24").build();
        b.addRoute("10.1.0.0/16 via 10.0.0.1");
        if (!quiet) {
            a.tracer().addListener(trace);
            b.tracer().addListener(trace);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String str(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    static SockAddr.Inet addr(String ip, int port) {
        return SockAddr.of(ip, port);
    }

    static int ip(String dotted) {
        return Ipv4Address.parse(dotted).toInt();
    }

    /** Virtual now, nanoseconds. */
    long now() {
        return loop.now();
    }

    /** Runs the loop for {@code nanos} of virtual time. */
    void run(long nanos) {
        loop.runFor(nanos);
    }

    /** Runs the loop until virtual time {@code nanos}. */
    void runUntil(long nanos) {
        if (nanos > now()) {
            loop.runFor(nanos - now());
        }
    }

    /** The TCP socket behind {@code fd} of {@code p}. */
    static TcpSock sock(Process p, int fd) {
        return (TcpSock) p.sockfdLookup(fd).ops();
    }

    /** A {@code TcpExt} counter of {@code h} by its Linux name. */
    static long ext(Host h, String name) {
        return h.snmp().tcpExt.get(name);
    }

    /** A {@code Tcp} counter of {@code h} by its Linux name. */
    static long mib(Host h, String name) {
        return h.snmp().tcp.get(name);
    }

    /** A listening socket on {@code b}, 0.0.0.0:{@code port}, with this backlog; its fd. */
    int listen(Process srv, int port, int backlog) {
        int fd = srv.socket(dev.stacksim.socket.SocketConstants.AF_INET, dev.stacksim.socket.SocketConstants.SOCK_STREAM, 0);
        srv.bind(fd, addr("0.0.0.0", port));
        srv.listen(fd, backlog);
        return fd;
    }

    /** A blocking connect from {@code cli} to {@code b}'s {@code port}: the new descriptor, connected. */
    int connect(Process cli, int port) {
        int fd = cli.socket(dev.stacksim.socket.SocketConstants.AF_INET, dev.stacksim.socket.SocketConstants.SOCK_STREAM, 0);
        cli.connect(fd, addr("10.0.0.2", port));
        return fd;
    }

    /** A non-blocking connect from {@code cli} to 10.0.0.2:{@code port} (EINPROGRESS swallowed); its fd. */
    int connectNonBlocking(Process cli, int port) {
        int fd = cli.socket(dev.stacksim.socket.SocketConstants.AF_INET,
                dev.stacksim.socket.SocketConstants.SOCK_STREAM | dev.stacksim.socket.SocketConstants.SOCK_NONBLOCK, 0);
        try {
            cli.connect(fd, addr("10.0.0.2", port));
        } catch (dev.stacksim.socket.ErrnoException e) {
            if (e.errno() != dev.stacksim.socket.Errno.EINPROGRESS) {
                throw e;
            }
        }
        return fd;
    }

    // ---------------------------------------------------------------- the wire

    /**
     * One TCP segment seen on the wire.
     *
     * @param time virtual time it crossed {@code a}'s device
     * @param from "a", "b", or the dotted source when neither sent it (spoofed)
     */
    record Seg(long time, String from, int saddr, int daddr, TcpRepr tcp) {
        int sport() {
            return tcp.srcPort();
        }

        int dport() {
            return tcp.dstPort();
        }

        int seq() {
            return tcp.seq();
        }

        int ack() {
            return tcp.ack();
        }

        int len() {
            return tcp.payloadLen();
        }

        TcpOptions opts() {
            return tcp.options();
        }

        boolean has(int flag) {
            return (tcp.flags() & flag) != 0;
        }

        /** tcpdump's flag letters: {@code S}, {@code S.}, {@code .}, {@code P.}, {@code F.}, {@code R}, {@code R.}. */
        String flags() {
            StringBuilder sb = new StringBuilder();
            int f = tcp.flags();
            if ((f & TcpHeader.FIN) != 0) {
                sb.append('F');
            }
            if ((f & TcpHeader.SYN) != 0) {
                sb.append('S');
            }
            if ((f & TcpHeader.RST) != 0) {
                sb.append('R');
            }
            if ((f & TcpHeader.PSH) != 0) {
                sb.append('P');
            }
            if ((f & TcpHeader.ACK) != 0) {
                sb.append('.');
            }
            return sb.toString();
        }

        /** Seconds since 0, with microseconds. */
        String at() {
            return String.format("%.6f", time / 1e9);
        }

        @Override
        public String toString() {
            return at() + " " + from + " " + Ipv4Address.toString(saddr) + ":" + sport() + " > "
                    + Ipv4Address.toString(daddr) + ":" + dport() + " " + tcp;
        }
    }

    /** Every TCP segment on the wire so far, in order (each once: the tap sees both directions). */
    List<Seg> segs() {
        List<Seg> out = new ArrayList<>();
        for (FrameTap.Frame f : tap.frames()) {
            byte[] fr = f.bytes();
            if (fr.length < 14 + 20 || ((fr[12] & 0xFF) << 8 | (fr[13] & 0xFF)) != EtherType.IPV4) {
                continue;
            }
            int ihl = (fr[14] & 0x0F) * 4;
            if ((fr[14 + 9] & 0xFF) != IpProtocol.TCP) {
                continue;
            }
            int total = (fr[16] & 0xFF) << 8 | (fr[17] & 0xFF);
            int saddr = Unpooled.wrappedBuffer(fr).getInt(14 + 12);
            int daddr = Unpooled.wrappedBuffer(fr).getInt(14 + 16);
            TcpHeader th = new TcpHeader().wrap(Unpooled.wrappedBuffer(fr), 14 + ihl, total - ihl);
            TcpRepr r;
            try {
                r = TcpRepr.parse(th, saddr, daddr, false);
            } catch (dev.stacksim.wire.MalformedPacketException e) {
                throw new AssertionError(e);
            }
            String from = saddr == A && f.outgoing() ? "a" : saddr == B && !f.outgoing() ? "b"
                    : Ipv4Address.toString(saddr);
            out.add(new Seg(f.time(), from, saddr, daddr, r));
        }
        return out;
    }

    /** The segments matching {@code p}. */
    List<Seg> segs(Predicate<Seg> p) {
        return segs().stream().filter(p).collect(Collectors.toList());
    }

    /** The segments of the connection with {@code port} on {@code a}'s side (either direction). */
    List<Seg> conn(int clientPort) {
        return segs(s -> (s.saddr() == A && s.sport() == clientPort) || (s.daddr() == A && s.dport() == clientPort));
    }

    /** Just the flags of {@code segs}, each prefixed by its sender: {@code "a S", "b S.", "a ."}. */
    static List<String> flow(List<Seg> segs) {
        return segs.stream().map(s -> s.from() + " " + s.flags()).collect(Collectors.toList());
    }

    /** Seconds (rounded to ms) at which {@code segs} crossed the wire, relative to {@code t0}. */
    static List<Double> times(List<Seg> segs, long t0) {
        return segs.stream().map(s -> Math.round((s.time() - t0) / 1e6) / 1e3).collect(Collectors.toList());
    }

    /** Forgets the frames captured so far. */
    void clearWire() {
        tap.clear();
        trace.clear();
    }

    // ---------------------------------------------------------------- hand-made segments

    /**
     * Sends a hand-made segment from host {@code a}'s IP layer with source {@code saddr} (any
     * address: spoofed ones too) to {@code daddr}; the checksum is right unless the caller breaks
     * it later. Returns at once; run the loop to deliver it.
     */
    void inject(int saddr, int daddr, TcpRepr r, byte[] payload) {
        inject(a, saddr, daddr, r, payload);
    }

    /** {@link #inject} from host {@code from}. */
    void inject(Host from, int saddr, int daddr, TcpRepr r, byte[] payload) {
        int len = payload == null ? 0 : payload.length;
        SkBuff skb = from.pool().alloc(dev.stacksim.ip.Ipv4.MAX_HEADER + TcpHeader.MAX_HEADER_LEN, len);
        if (len > 0) {
            skb.putBytes(payload, 0, len);
        }
        int hlen = r.headerLen();
        int at = skb.push(hlen);
        skb.resetTransportHeader();
        r.emit(new TcpHeader().wrap(skb.buf(), at, hlen + len), saddr, daddr);
        from.ip().queueXmit(skb, saddr, daddr, IpProtocol.TCP, 0, 64, true);
    }

    /** A SYN as Linux sends it: mss 1460, sackOK, TS, nop, wscale 7; window 64240. */
    static TcpRepr linuxSyn(int sport, int dport, int seq, int tsVal) {
        TcpOptions o = new TcpOptions(1460, 7, true, true, tsVal, 0, List.of(), List.of());
        return new TcpRepr(sport, dport, seq, 0, TcpHeader.SYN, 64240, 0, o, 0);
    }

    /** A bare segment without options. */
    static TcpRepr seg(int sport, int dport, int seq, int ack, int flags, int win) {
        return new TcpRepr(sport, dport, seq, ack, flags, win, 0, TcpOptions.NONE, 0);
    }

    // ---------------------------------------------------------------- trace

    /** The TCP packets both hosts sent, as {@code host saddr > daddr: summary} lines, in order. */
    List<String> sent() {
        return trace.events(TraceEvent.Packet.class).stream().filter(TraceEvent.Packet::sent)
                .filter(p -> p.protocol().equals("TCP"))
                .map(p -> p.host() + " " + p.saddr() + " > " + p.daddr() + ": " + p.summary())
                .collect(Collectors.toList());
    }

    /** The TCP state changes, as {@code host socket FROM -> TO}. */
    List<String> states() {
        return trace.events(TraceEvent.StateChange.class).stream().filter(s -> s.protocol().equals("TCP"))
                .map(s -> s.host() + " " + s.socket() + " " + s.from() + " -> " + s.to())
                .collect(Collectors.toList());
    }

    /** The states {@code socket} went through on {@code host}, starting with its first. */
    List<String> statesOf(String host, String socket) {
        List<String> out = new ArrayList<>();
        for (TraceEvent.StateChange s : trace.events(TraceEvent.StateChange.class)) {
            if (s.protocol().equals("TCP") && s.host().equals(host) && s.socket().equals(socket)) {
                if (out.isEmpty()) {
                    out.add(s.from());
                }
                out.add(s.to());
            }
        }
        return out;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        loop.close();
        long outstanding = pool.outstanding();
        pool.close();
        ResourceLeakDetector.setLevel(leakLevel);
        if (outstanding != 0) {
            throw new AssertionError("TcpLab leaked " + outstanding + " skb(s)");
        }
    }
}
