package dev.stacksim.bench;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * What a TCP connection pays on nearly every ACK: re-arming its retransmission timer, and
 * cancelling and arming it again, with {@code pending} other timers in the loop's queue (other
 * connections' timers). Cost should grow no faster than log(pending).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class TimerBenchmark {
    /** Timers pending besides the one re-armed. */
    @Param({"1000", "100000", "1000000"})
    public int pending;

    private EventLoop loop;
    private Timer rto;
    private Timer[] others;
    private long deadline;
    private final SplittableRandom random = new SplittableRandom(6298);

    @Setup(Level.Trial)
    public void setUp() {
        loop = EventLoop.virtual(1);
        others = new Timer[pending];
        for (int i = 0; i < pending; i++) {
            others[i] = new Timer(loop, "other", () -> { });
            others[i].arm(1_000_000_000L + random.nextLong(60_000_000_000L));
        }
        rto = new Timer(loop, "tcp-retransmit", () -> { });
        deadline = 200_000_000L;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    /** mod_timer to a later deadline, as every new ACK pushes the RTO out. */
    @Benchmark
    public boolean rearm() {
        deadline += 1_000;
        return rto.mod(deadline + random.nextLong(1_000_000_000L));
    }

    /** del_timer then mod_timer: a timer stopped and started again. */
    @Benchmark
    public boolean cancelAndArm() {
        rto.cancel();
        return rto.mod(deadline + random.nextLong(1_000_000_000L));
    }
}
