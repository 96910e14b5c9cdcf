package dev.stacksim.bench;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.IPPROTO_TCP;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.TCP_NODELAY;

/**
 * The stack next to the kernel in one invocation (issue #9): the same work done by the simulated
 * stack (one host, 127.0.0.1, the loopback device, virtual time) and by the kernel under it (JDK
 * sockets over 127.0.0.1), one thread playing both programs, in wall-clock time:
 *
 * <ul>
 *   <li>bulk throughput: one connection, 4 MiB per step in 64 KB writes and reads, 4 MB buffers
 *       ({@link TcpBulkBenchmark}'s loops);</li>
 *   <li>connection rate: socket, connect, accept, close, close with SO_LINGER {1, 0} on the client
 *       ({@link TcpConnectBenchmark}'s loops, {@code close=rst});</li>
 *   <li>small-message round trips: 64 bytes there and back on one connection with TCP_NODELAY,
 *       blocking calls.</li>
 * </ul>
 *
 * Not JMH: a harness loop per figure, {@code --warmup} seconds then {@code --rounds} rounds of
 * {@code --seconds} each, and the median round printed, so that the whole table takes about a
 * minute. For JMH's error bars use the benchmarks themselves.
 *
 * <pre>
 * java -cp stack-bench/target/benchmarks.jar dev.stacksim.bench.SideBySide [--warmup=2] [--rounds=3] [--seconds=1]
 * </pre>
 */
public final class SideBySide {
    private SideBySide() {
    }

    /** One measured figure: operations per second, the median of the rounds. */
    record Rate(double perSecond, double[] rounds) {
    }

    /** Runs the six measurements and prints the table; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        double warmup = 2;
        int rounds = 3;
        double seconds = 1;
        for (String a : args) {
            if (a.startsWith("--warmup=")) {
                warmup = Double.parseDouble(a.substring(9));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.startsWith("--seconds=")) {
                seconds = Double.parseDouble(a.substring(10));
            } else {
                throw new IllegalArgumentException("SideBySide: unknown argument " + a);
            }
        }
        System.setProperty("io.netty.leakDetection.level", "DISABLED");

        TcpBulkBenchmark.Stack bulkStack = new TcpBulkBenchmark.Stack();
        bulkStack.path = "lo";
        bulkStack.setUp();
        Rate bulkS = measure(() -> {
            bulkStack.pump(TcpBulkBenchmark.BYTES_PER_INVOCATION);
            return TcpBulkBenchmark.BYTES_PER_INVOCATION;
        }, warmup, rounds, seconds);
        bulkStack.tearDown();
        TcpBulkBenchmark.Kernel bulkKernel = new TcpBulkBenchmark.Kernel();
        bulkKernel.setUp();
        Rate bulkK = measure(() -> {
            bulkKernel.pump(TcpBulkBenchmark.BYTES_PER_INVOCATION);
            return TcpBulkBenchmark.BYTES_PER_INVOCATION;
        }, warmup, rounds, seconds);
        bulkKernel.tearDown();

        TcpConnectBenchmark.Stack connStack = new TcpConnectBenchmark.Stack();
        connStack.path = "lo";
        connStack.close = "rst";
        connStack.setUp();
        Rate connS = measure(() -> {
            connStack.connectAcceptClose();
            return 1;
        }, warmup, rounds, seconds);
        connStack.tearDown();
        TcpConnectBenchmark.Kernel connKernel = new TcpConnectBenchmark.Kernel();
        connKernel.close = "rst";
        connKernel.setUp();
        Rate connK = measure(() -> {
            connKernel.connectAcceptClose();
            return 1;
        }, warmup, rounds, seconds);
        connKernel.tearDown();

        StackPingPong rtS = new StackPingPong();
        Rate rttS = measure(() -> {
            rtS.roundTrip();
            return 1;
        }, warmup, rounds, seconds);
        rtS.close();
        KernelPingPong rtK = new KernelPingPong();
        Rate rttK = measure(() -> {
            rtK.roundTrip();
            return 1;
        }, warmup, rounds, seconds);
        rtK.close();

        System.out.println();
        System.out.print(table(bulkS, bulkK, connS, connK, rttS, rttK));
    }

    /** The table of figures and ratios. */
    static String table(Rate bulkS, Rate bulkK, Rate connS, Rate connK, Rate rttS, Rate rttK) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-36s %14s %14s %13s%n", "work (one thread, 127.0.0.1)", "stack",
                "kernel", "stack/kernel"));
        row(sb, "bulk throughput, Gbit/s", bulkS.perSecond() * 8 / 1e9, bulkK.perSecond() * 8 / 1e9, "%.2f");
        row(sb, "connections/s (connect+accept+2 close)", connS.perSecond(), connK.perSecond(), "%,.0f");
        row(sb, "round trips/s (64 B each way)", rttS.perSecond(), rttK.perSecond(), "%,.0f");
        row(sb, "round trip, µs", 1e6 / rttS.perSecond(), 1e6 / rttK.perSecond(), "%.2f");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, double stack, double kernel, String fmt) {
        sb.append(String.format(Locale.ROOT, "%-36s %14s %14s %12.2fx%n", what, String.format(Locale.ROOT, fmt, stack),
                String.format(Locale.ROOT, fmt, kernel), stack / kernel));
    }

    /**
     * Runs {@code op} (which returns how many units of work it did) for {@code warmup} seconds,
     * then {@code rounds} rounds of {@code seconds}; the median round's units per second.
     */
    static Rate measure(LongSupplier op, double warmup, int rounds, double seconds) {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) {
            op.getAsLong();
        }
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long units = 0;
            long t0 = System.nanoTime();
            long stop = t0 + (long) (seconds * 1e9);
            long t;
            do {
                units += op.getAsLong();
                t = System.nanoTime();
            } while (t < stop);
            r[i] = units / ((t - t0) / 1e9);
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        return new Rate(sorted[rounds / 2], r);
    }

    /** 64-byte round trips on one connection of the stack over 127.0.0.1, TCP_NODELAY both ends. */
    static final class StackPingPong implements AutoCloseable {
        final EventLoop loop = EventLoop.builder().seed(1).eventLimit(Long.MAX_VALUE).build();
        final SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        final Host host = Host.builder(loop, pool, "h").build();
        final Process cli = host.spawn("client");
        final Process srv = host.spawn("server");
        final int fd;
        final int conn;
        final byte[] msg = new byte[64];
        final byte[] in = new byte[64];

        StackPingPong() {
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.of("127.0.0.1", 7));
            srv.listen(lfd, 8);
            fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
            cli.connect(fd, SockAddr.of("127.0.0.1", 7));
            conn = srv.accept(lfd);
            srv.setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, 1);
        }

        int roundTrip() {
            cli.send(fd, msg, 0, msg.length, 0);
            int n = recvAll(srv, conn);
            srv.send(conn, in, 0, n, 0);
            return recvAll(cli, fd);
        }

        private int recvAll(Process p, int sfd) {
            int got = 0;
            while (got < in.length) {
                got += p.recv(sfd, in, got, in.length - got, 0);
            }
            return got;
        }

        @Override
        public void close() {
            host.close();
            loop.close();
            pool.close();
        }
    }

    /** The same over the kernel's loopback with JDK sockets. */
    static final class KernelPingPong implements AutoCloseable {
        final ServerSocket listener;
        final Socket client;
        final Socket server;
        final InputStream cin;
        final OutputStream cout;
        final InputStream sin;
        final OutputStream sout;
        final byte[] msg = new byte[64];
        final byte[] in = new byte[64];

        KernelPingPong() throws IOException {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = new Socket();
            client.setTcpNoDelay(true);
            client.connect(listener.getLocalSocketAddress());
            server = listener.accept();
            server.setTcpNoDelay(true);
            cin = client.getInputStream();
            cout = client.getOutputStream();
            sin = server.getInputStream();
            sout = server.getOutputStream();
        }

        int roundTrip() {
            try {
                cout.write(msg);
                sin.readNBytes(in, 0, in.length);
                sout.write(in);
                return cin.readNBytes(in, 0, in.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            listener.close();
        }
    }
}
