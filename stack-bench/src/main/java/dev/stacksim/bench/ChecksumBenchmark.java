package dev.stacksim.bench;

import dev.stacksim.wire.Checksum;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Internet checksum over a pooled buffer at 64, 1500, 9000 and 65535 bytes, next to
 * {@code System.arraycopy} of the same size (the cost of touching the bytes at all).
 *
 * <p>Target (foundation issue): at least 8 GB/s at 1500 bytes, that is at most 187 ns per call.
 * Bytes per second = size / (ns per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class ChecksumBenchmark {
    /** Bytes summed or copied. */
    @Param({"64", "1500", "9000", "65535"})
    public int size;

    /** Heap or direct memory under the summed buffer. */
    @Param({"heap", "direct"})
    public String memory;

    private ByteBuf buf;
    private byte[] src;
    private byte[] dst;

    @Setup
    public void setUp() {
        src = new byte[size];
        new SplittableRandom(1071).nextBytes(src);
        dst = new byte[size];
        buf = "direct".equals(memory)
                ? PooledByteBufAllocator.DEFAULT.directBuffer(size, size)
                : PooledByteBufAllocator.DEFAULT.heapBuffer(size, size);
        buf.writeBytes(src);
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    /** RFC 1071 sum of the whole buffer. */
    @Benchmark
    public int checksum() {
        return Checksum.sum(buf, 0, size);
    }

    /** Copying the same number of bytes: the floor for any pass over them. */
    @Benchmark
    public byte[] arraycopy() {
        System.arraycopy(src, 0, dst, 0, size);
        return dst;
    }
}
