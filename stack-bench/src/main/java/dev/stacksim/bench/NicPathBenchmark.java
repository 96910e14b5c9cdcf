package dev.stacksim.bench;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.nic.SimNic;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.EthernetRepr;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Repr;
import dev.stacksim.wire.MacAddress;
import dev.stacksim.wire.UdpHeader;
import dev.stacksim.wire.UdpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Frames per second (wall clock) through the simulated NIC path: the sender's TX ring, its DMA
 * engine, a link, the receiver's DMA into a posted RX buffer, the NAPI poll, Ethernet input and
 * IPv4 input, where each datagram ends (UDP to a port nobody listens on: counted, dropped, and the
 * ICMP port unreachable rate-limited away). A batch of 64 frames is sent per invocation, as a NAPI
 * budget's worth, and the loop runs until idle.
 *
 * <p>Gbit/s of frames = ops/s × frameLen × 8 / 10^9.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class NicPathBenchmark {
    static final int BATCH = 64;

    /** Ethernet frame length, header included. */
    @Param({"64", "1514"})
    public int frameLen;

    private Network net;
    private Host receiver;
    private SimNic tx;
    private SkBuffPool pool;
    private byte[] frame;

    @Setup
    public void setUp() {
        net = Network.builder().seed(1).build();
        Host a = net.host("a").ip("10.0.0.1/24").build();
        Host b = net.host("b").ip("10.0.0.2/24").build();
        net.link(a, b);
        if (a.ping("10.0.0.2", 1).received() != 1) {
            throw new IllegalStateException("ARP did not resolve");
        }
        receiver = b;
        tx = net.nics(a).get(0);
        pool = net.pool();
        frame = udpFrame(frameLen, tx.macAddress(), net.nics(b).get(0).macAddress());
    }

    @TearDown
    public void tearDown() {
        // Every frame sent must have reached the receiver's IPv4 input, or the figure means nothing.
        long sent = tx.stats().txPackets();
        long arrived = receiver.snmp().get("IpInReceives");
        net.close();
        if (arrived < sent - 1) {
            throw new IllegalStateException("frames lost on the path: sent=" + sent + " IpInReceives=" + arrived);
        }
    }

    /** 64 frames into the TX ring, then the loop runs until every one has reached IPv4 input. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long frames() {
        for (int i = 0; i < BATCH; i++) {
            SkBuff skb = pool.alloc(SkBuffPool.NET_SKB_PAD, frame.length);
            skb.putBytes(frame);
            tx.startXmit(skb);
        }
        // Zero latency and infinite bandwidth: the whole batch completes at this instant. (Running
        // until idle would also fire the neighbour timers tens of seconds ahead, and ARP again.)
        net.loop().runFor(0);
        return tx.stats().txPackets();
    }

    /** A valid Ethernet + IPv4 + UDP frame from a to b, to a closed port. */
    static byte[] udpFrame(int len, long srcMac, long dstMac) {
        int udpLen = len - EthernetHeader.HEADER_LEN - Ipv4Header.HEADER_LEN;
        ByteBuf buf = Unpooled.buffer(len, len);
        try {
            Ipv4Address src = Ipv4Address.parse("10.0.0.1");
            Ipv4Address dst = Ipv4Address.parse("10.0.0.2");
            new EthernetRepr(MacAddress.of(srcMac), MacAddress.of(dstMac), EtherType.IPV4)
                    .emit(new EthernetHeader().wrap(buf, 0, len));
            Ipv4Repr.of(src, dst, IpProtocol.UDP, udpLen).emit(new Ipv4Header().wrap(buf, 14, len - 14));
            new UdpRepr(40000, 9, udpLen - 8).emit(new UdpHeader().wrap(buf, 34, udpLen), src.toInt(), dst.toInt());
            byte[] out = new byte[len];
            buf.getBytes(0, out);
            return out;
        } finally {
            buf.release();
        }
    }
}
