package dev.stacksim.bench;

import dev.stacksim.socket.Linger;
import dev.stacksim.socket.SockAddr;
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

import java.util.concurrent.TimeUnit;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_LINGER;

/**
 * The cost of one operation while {@code idle} connections exist (issue #9: per-packet and
 * per-timer work is O(1) or O(log n) in sockets and timers, so the cost stays flat within 2x from
 * 1k to 1M). Two hosts on a zero-delay veth with {@code idle} established connections between
 * them, each with a keepalive timer pending ({@link IdleConnections}): the established table
 * holds {@code idle} entries on each side and the loop's queue {@code idle} timers.
 *
 * <ul>
 *   <li>{@link #exchange}: an ACK-clocked small exchange on one more connection: the client sends
 *       64 bytes, the server reads them and answers 64, the client reads them. Four segments' worth
 *       of demux, input, output, and the retransmission and delayed-ACK timers armed and cancelled.</li>
 *   <li>{@link #connectClose}: a whole connection's life from 10.0.0.1 to port 81: socket,
 *       SO_LINGER {1, 0}, connect, accept, close, close (SYN, SYN-ACK, ACK, RST; no TIME_WAIT):
 *       the ephemeral port search, the bind and established tables, the accept queue.</li>
 * </ul>
 *
 * <pre>
 * java -jar stack-bench/target/benchmarks.jar ScaleBenchmark -f 1 -wi 3 -i 5
 * </pre>
 *
 * Each fork builds its connections in its setup (a million take about a minute and 3.2 GB of
 * heap: the fork runs with {@code -Xmx6g}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=DISABLED", "-Xmx6g", "-XX:+UseTransparentHugePages"})
public class ScaleBenchmark {
    static final int EXCHANGE_PORT = 90;
    static final int CONNECT_PORT = 91;
    static final Linger ABORT = new Linger(1, 0);

    /** The two hosts, the idle connections, one more connection for {@link #exchange} and a listener for {@link #connectClose}. */
    @State(Scope.Benchmark)
    public static class Idle {
        /** Idle established connections between the two hosts. */
        @Param({"1000", "100000", "1000000"})
        public int idle;

        IdleConnections c;
        int fd;
        int conn;
        int connectListener;
        SockAddr.Inet connectDst;
        final byte[] msg = new byte[64];
        final byte[] in = new byte[64];

        @Setup(Level.Trial)
        public void setUp() {
            c = new IdleConnections(idle);
            System.out.println();
            System.out.println("[setup] " + c.summary());
            int lfd = c.srv.socket(AF_INET, SOCK_STREAM, 0);
            c.srv.bind(lfd, SockAddr.of("0.0.0.0", EXCHANGE_PORT));
            c.srv.listen(lfd, 8);
            fd = c.cli.socket(AF_INET, SOCK_STREAM, 0);
            c.cli.connect(fd, SockAddr.of("10.0.0.2", EXCHANGE_PORT));
            conn = c.srv.accept(lfd);
            connectListener = c.srv.socket(AF_INET, SOCK_STREAM, 0);
            c.srv.bind(connectListener, SockAddr.of("0.0.0.0", CONNECT_PORT));
            c.srv.listen(connectListener, 4096);
            connectDst = SockAddr.of("10.0.0.2", CONNECT_PORT);
            // Building a million connections leaves gigabytes of garbage in the old generation; left
            // alone, its collection (mixed and full collections copying a 3 GB live set, ~1 s each)
            // lands in the measurement and is charged to whichever operation was running. Collect it
            // here, once, so that the iterations measure the operations and the garbage they make.
            System.gc();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println();
            System.out.println("[teardown] " + c.summary() + " events=" + c.loop.eventCount());
            c.close();
        }
    }

    /** 64 bytes there and 64 back on one connection, among {@code idle} others. */
    @Benchmark
    public int exchange(Idle s) {
        s.c.cli.send(s.fd, s.msg, 0, s.msg.length, 0);
        int n = s.c.srv.recv(s.conn, s.in, 0, s.in.length, 0);
        s.c.srv.send(s.conn, s.in, 0, n, 0);
        return s.c.cli.recv(s.fd, s.in, 0, s.in.length, 0);
    }

    /** One aborted connection's life, among {@code idle} others. */
    @Benchmark
    public int connectClose(Idle s) {
        int fd = s.c.cli.socket(AF_INET, SOCK_STREAM, 0);
        s.c.cli.setsockopt(fd, SOL_SOCKET, SO_LINGER, ABORT);
        s.c.cli.connect(fd, s.connectDst);
        int cfd = s.c.srv.accept(s.connectListener);
        s.c.cli.close(fd);
        s.c.loop.runFor(0);
        s.c.srv.close(cfd);
        s.c.loop.runFor(1_000_000L);
        return cfd;
    }
}
