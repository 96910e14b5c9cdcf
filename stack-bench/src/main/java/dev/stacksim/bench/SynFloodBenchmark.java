package dev.stacksim.bench;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpExtMib;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.EthernetRepr;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Repr;
import dev.stacksim.wire.MacAddress;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * A SYN flood against a listener with {@code net.ipv4.tcp_syncookies=2}: SYNs per second of
 * wall-clock time, each answered by a cookie SYN-ACK and nothing kept.
 *
 * <p>The server (10.0.0.2/24 on {@code eth0}, a {@link SinkDevice}) listens on port 80. Each SYN
 * is a 74-byte Ethernet frame as Linux's {@code connect()} sends it (MSS 1460, SACK permitted,
 * timestamps, window scale 7) from one of {@link #SOURCES} spoofed sources in 198.18.0.0/15
 * (RFC 2544's benchmarking range) with its own port, sequence number and TSval, prepared once.
 * Per SYN the benchmark does what a NIC's receive does: takes an skb from the pool, copies the
 * frame in (the DMA) and hands it to the host ({@code netif_receive_skb}); the host does Ethernet
 * and IPv4 input, TCP's checksum check and demux, {@code tcp_conn_request} with its cookie
 * ({@code cookie_init_sequence}: SipHash of the 4-tuple), builds the SYN-ACK and sends it via the
 * default gateway 10.0.0.1 (a permanent neighbour entry) out of {@code eth0}, where the sink
 * consumes it. 64 SYNs per invocation, one NAPI budget.
 *
 * <p>The kernel's rate for the same work cannot be measured from Java (no raw or packet sockets
 * in the JDK); {@code stack-bench/src/main/c/synflood.c} measures it with the same frames and
 * {@code docs/performance.md} puts the two side by side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class SynFloodBenchmark {
    static final int BATCH = 64;
    /** Distinct SYNs (source address, port, ISN, TSval), replayed in turn: a power of two. */
    static final int SOURCES = 4096;
    static final long SERVER_MAC = 0x0200_0000_0002L;
    static final long GATEWAY_MAC = 0x0200_0000_0001L;
    static final int PORT = 80;

    private EventLoop loop;
    private SkBuffPool pool;
    private Host server;
    private SinkDevice eth0;
    private Interface iface;
    private byte[][] frames;
    private int next;
    private long injected;
    /** What eth0 sent before the flood (the host's own announcements). */
    private long txBefore;

    @Setup(Level.Trial)
    public void setUp() {
        loop = EventLoop.virtual(1);
        pool = SkBuffPool.create();
        eth0 = new SinkDevice("eth0", SERVER_MAC);
        server = Host.builder(loop, pool, "server").device(eth0).address("eth0", "10.0.0.2/24")
                .sysctl("net.ipv4.tcp_syncookies", 2).build();
        server.addDefaultRoute(Ipv4Address.parse("10.0.0.1"));
        iface = server.iface("eth0");
        server.neighbours().addPermanent(iface, Ipv4Address.parse("10.0.0.1"), GATEWAY_MAC);
        Process httpd = server.spawn("httpd");
        int lfd = httpd.socket(AF_INET, SOCK_STREAM, 0);
        httpd.bind(lfd, SockAddr.of("0.0.0.0", PORT));
        httpd.listen(lfd, 4096);
        loop.runFor(0);
        txBefore = eth0.stats().txPackets();
        frames = synFrames(SOURCES, SERVER_MAC, GATEWAY_MAC, Ipv4Address.parse("10.0.0.2").toInt(), PORT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Every SYN must have been answered by a cookie SYN-ACK that left through eth0.
        long cookies = server.snmp().tcpExt.get(TcpExtMib.SYNCOOKIES_SENT);
        long out = eth0.stats().txPackets() - txBefore;
        System.out.println("\n[synflood] SYNs=" + injected + " SyncookiesSent=" + cookies + " eth0 tx=" + out
                + " pool=" + pool);
        server.close();
        loop.close();
        pool.close();
        if (cookies != injected || out != injected) {
            throw new IllegalStateException("SYNs=" + injected + " SyncookiesSent=" + cookies + " tx=" + out);
        }
    }

    /** 64 SYNs received and answered with cookies. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long syns() {
        for (int i = 0; i < BATCH; i++) {
            byte[] frame = frames[next];
            next = (next + 1) & (SOURCES - 1);
            SkBuff skb = pool.alloc(SkBuffPool.NET_SKB_PAD, frame.length);
            skb.putBytes(frame);
            iface.receive(eth0, skb);
        }
        injected += BATCH;
        return eth0.stats().txPackets();
    }

    /**
     * {@code count} SYN frames to {@code daddr:dport} from 198.18.0.1, 198.18.0.2 ..., each with its
     * own source port, ISN and TSval (seeded), as Linux 6.x sends a SYN: window 64240 and options
     * {@code mss 1460,sackOK,TS val .. ecr 0,nop,wscale 7}; 74 bytes with the Ethernet header.
     * {@code synflood.c} builds the same frames.
     */
    static byte[][] synFrames(int count, long dstMac, long srcMac, int daddr, int dport) {
        SplittableRandom random = new SplittableRandom(2544);
        byte[][] out = new byte[count][];
        int tcpLen = TcpHeader.MIN_HEADER_LEN + 20;
        int len = EthernetHeader.HEADER_LEN + Ipv4Header.HEADER_LEN + tcpLen;
        Ipv4Address dst = Ipv4Address.of(daddr);
        for (int i = 0; i < count; i++) {
            Ipv4Address src = Ipv4Address.of(0xC612_0000 + i + 1);
            int sport = 1024 + random.nextInt(64512);
            TcpOptions opts = new TcpOptions(1460, 7, true, true, random.nextInt(), 0, List.of(), List.of());
            ByteBuf buf = Unpooled.buffer(len, len);
            try {
                new EthernetRepr(MacAddress.of(srcMac), MacAddress.of(dstMac), EtherType.IPV4)
                        .emit(new EthernetHeader().wrap(buf, 0, len));
                Ipv4Repr ip = new Ipv4Repr(src, dst, IpProtocol.TCP, 64, tcpLen, 0, true, false, 0, 0, 0, null);
                ip.emit(new Ipv4Header().wrap(buf, EthernetHeader.HEADER_LEN, len - EthernetHeader.HEADER_LEN));
                new TcpRepr(sport, dport, random.nextInt(), 0, TcpHeader.SYN, 64240, 0, opts, 0)
                        .emit(new TcpHeader().wrap(buf, EthernetHeader.HEADER_LEN + Ipv4Header.HEADER_LEN, tcpLen),
                                src.toInt(), daddr);
                out[i] = new byte[len];
                buf.getBytes(0, out[i]);
            } finally {
                buf.release();
            }
        }
        return out;
    }
}
