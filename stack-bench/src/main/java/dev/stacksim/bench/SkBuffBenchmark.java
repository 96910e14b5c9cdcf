package dev.stacksim.bench;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The life of one transmitted segment in the buffer core, against the same steps on a raw pooled
 * netty {@link ByteBuf} and on {@link ByteBuffer#allocate}: allocate 1588 bytes, reserve 128 of
 * headroom, put a 1460-byte payload (copied in, as {@code tcp_sendmsg} does), push the TCP, IPv4
 * and Ethernet headers (writing a word into each), pull them again (reading it), release.
 *
 * <p>Targets (foundation issue): {@code skbLifeCycle} within 1.2x of {@code rawPooledByteBuf},
 * and about 0 B/op allocated with {@code -prof gc}. (Netty 4.2 recycles its pooled {@code ByteBuf}
 * objects only on its own {@code FastThreadLocalThread}s, so {@code rawPooledByteBuf} allocates a
 * wrapper per call on JMH's threads; {@link SkBuffPool} keeps buffers attached to recycled skbs.) Leak detection is disabled in the forks so that
 * both sides pay for the allocator alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class SkBuffBenchmark {
    static final int HEADROOM = 128;
    static final int MSS = 1460;
    static final int TCP = 20;
    static final int IPV4 = 20;
    static final int ETH = 14;

    /** Heap or direct buffers under both the skb and the raw ByteBuf. */
    @Param({"heap"})
    public String memory;

    private SkBuffPool pool;
    private PooledByteBufAllocator alloc;
    private final byte[] payload = new byte[MSS];
    private SkBuff held;

    @Setup
    public void setUp() {
        boolean direct = "direct".equals(memory);
        alloc = PooledByteBufAllocator.DEFAULT;
        pool = SkBuffPool.builder().allocator(alloc).direct(direct).trackAllocations(false).build();
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        held = pool.alloc(HEADROOM, MSS).putBytes(payload).headerRelease();
    }

    @TearDown
    public void tearDown() {
        held.consume();
        pool.close();
    }

    /** alloc, reserve, put, push x3, pull x3, consume. */
    @Benchmark
    public int skbLifeCycle() {
        SkBuff skb = pool.alloc(HEADROOM + MSS);
        skb.reserve(HEADROOM);
        skb.putBytes(payload, 0, MSS);
        skb.setInt(skb.push(TCP), 0x251D0050);
        skb.setInt(skb.push(IPV4), 0x45000028);
        skb.setInt(skb.push(ETH), 0x02000000);
        int sum = skb.getInt(skb.data());
        skb.pull(ETH);
        sum += skb.getInt(skb.data());
        skb.pull(IPV4);
        sum += skb.getInt(skb.data());
        skb.pull(TCP);
        sum += skb.len();
        skb.consume();
        return sum;
    }

    /** The same steps on a pooled netty ByteBuf, with its reader index as the data pointer. */
    @Benchmark
    public int rawPooledByteBuf() {
        ByteBuf b = "direct".equals(memory)
                ? alloc.directBuffer(HEADROOM + MSS, HEADROOM + MSS)
                : alloc.heapBuffer(HEADROOM + MSS, HEADROOM + MSS);
        b.setIndex(HEADROOM, HEADROOM);
        b.writeBytes(payload, 0, MSS);
        int data = b.readerIndex() - TCP;
        b.readerIndex(data);
        b.setInt(data, 0x251D0050);
        data -= IPV4;
        b.readerIndex(data);
        b.setInt(data, 0x45000028);
        data -= ETH;
        b.readerIndex(data);
        b.setInt(data, 0x02000000);
        int sum = b.getInt(b.readerIndex());
        b.skipBytes(ETH);
        sum += b.getInt(b.readerIndex());
        b.skipBytes(IPV4);
        sum += b.getInt(b.readerIndex());
        b.skipBytes(TCP);
        sum += b.readableBytes();
        b.release();
        return sum;
    }

    /** The same steps on a fresh heap ByteBuffer: no pool, garbage per packet. */
    @Benchmark
    public int byteBufferAllocate() {
        ByteBuffer b = ByteBuffer.allocate(HEADROOM + MSS);
        b.position(HEADROOM);
        b.put(payload, 0, MSS);
        int tail = b.position();
        int data = HEADROOM - TCP;
        b.putInt(data, 0x251D0050);
        data -= IPV4;
        b.putInt(data, 0x45000028);
        data -= ETH;
        b.putInt(data, 0x02000000);
        int sum = b.getInt(data);
        data += ETH;
        sum += b.getInt(data);
        data += IPV4;
        sum += b.getInt(data);
        data += TCP;
        sum += tail - data;
        return sum;
    }

    /** What each transmission costs TCP: clone the queued skb, push a header in place, release. */
    @Benchmark
    public int cloneAndRelease() {
        SkBuff tx = held.clone();
        tx.setInt(tx.push(TCP), 0x251D0050);
        int len = tx.len();
        tx.consume();
        return len;
    }
}
