package dev.stacksim.bench;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpMib;
import dev.stacksim.tcp.TcpSock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.POLLOUT;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_RCVBUF;
import static dev.stacksim.socket.SocketConstants.SO_SNDBUF;

/**
 * Bulk transfer in wall-clock time: one operation is one byte moved from a client socket to a
 * server socket of one connection (JMH reports bytes per second; {@link BulkRatios} prints Gbit/s
 * and the ratios). One thread plays both programs with non-blocking sockets: it writes what the
 * send buffer takes in 64 KB calls, lets the stack run until 64 KB can be read (the event loop;
 * for the kernel, its softirq runs inside the {@code write}), and reads in 64 KB calls. Each
 * invocation moves {@link #BYTES_PER_INVOCATION} bytes.
 *
 * <h2>The paths ({@code path} parameter, stack only)</h2>
 * {@code lo}: client and server on one host over 127.0.0.1 and the loopback device, MTU 65536 (MSS
 * 65483), as the kernel baseline runs. {@code nic}: two hosts built by {@link Network}, each with a
 * {@code SimNic} (MTU 1500, MSS 1448), on a zero-latency link of infinite bandwidth: descriptor
 * rings, DMA copies and NAPI polls on both sides, one event per frame per hop, and the default
 * {@code txqueuelen} of 1000 (TCP Small Queues keeps a window's burst out of the qdisc). Both sides set 4 MB SO_SNDBUF/SO_RCVBUF, so that neither
 * depends on how its own auto-tuning reacts to a zero RTT. The kernel side is JDK
 * {@link SocketChannel}s over 127.0.0.1 with the same buffer and chunk sizes, in the same JVM and run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class TcpBulkBenchmark {
    /** Bytes each benchmark invocation moves: 4 MiB. */
    static final int BYTES_PER_INVOCATION = 4 << 20;
    /** Size of each application write and read. */
    static final int CHUNK = 64 << 10;
    /** SO_SNDBUF and SO_RCVBUF of both ends. */
    static final int BUFFER = 4 << 20;
    static final int PORT = 5001;
    /** The simulated side: one loop, one or two hosts, a connected pair of sockets. */
    @State(Scope.Thread)
    public static class Stack {
        /** {@code lo}: one host, loopback, MTU 65536; {@code nic}: two hosts, SimNics, MTU 1500. */
        @Param({"lo", "nic"})
        public String path;

        Network net;
        EventLoop loop;
        SkBuffPool pool;
        Host clientHost;
        Host serverHost;
        Process client;
        Process server;
        int fd;
        int conn;
        TcpSock cs;
        TcpSock ss;
        final byte[] out = new byte[CHUNK];
        final byte[] in = new byte[CHUNK];
        long moved;
        /** Bytes the pump waits for before reading: a chunk, or what is left to receive. */
        int wantIn;
        /** Bytes still to send; while some are, the pump also wakes when the sender may write. */
        long wantOut;
        BooleanSupplier ready;

        @Setup(Level.Trial)
        public void setUp() {
            SockAddr.Inet dst;
            if (path.equals("nic")) {
                net = Network.builder().seed(1).eventLimit(Long.MAX_VALUE).build();
                loop = net.loop();
                pool = net.pool();
                serverHost = net.host("server").ip("10.0.0.2/24").sysctl("net.core.rmem_max", BUFFER)
                        .sysctl("net.core.wmem_max", BUFFER).build();
                clientHost = net.host("client").ip("10.0.0.1/24").sysctl("net.core.rmem_max", BUFFER)
                        .sysctl("net.core.wmem_max", BUFFER).build();
                net.link(clientHost, serverHost);
                dst = SockAddr.of("10.0.0.2", PORT);
            } else {
                loop = EventLoop.builder().seed(1).eventLimit(Long.MAX_VALUE).build();
                pool = SkBuffPool.create();
                serverHost = clientHost = Host.builder(loop, pool, "h").sysctl("net.core.rmem_max", BUFFER)
                        .sysctl("net.core.wmem_max", BUFFER).build();
                dst = SockAddr.of("127.0.0.1", PORT);
            }
            server = serverHost.spawn("sink");
            int lfd = server.socket(AF_INET, SOCK_STREAM, 0);
            server.setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, BUFFER);
            server.bind(lfd, SockAddr.of("0.0.0.0", PORT));
            server.listen(lfd, 4);
            client = clientHost.spawn("source");
            fd = client.socket(AF_INET, SOCK_STREAM, 0);
            client.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, BUFFER);
            client.connect(fd, dst);
            conn = server.accept(lfd);
            cs = (TcpSock) client.sockfdLookup(fd).ops();
            ss = (TcpSock) server.sockfdLookup(conn).ops();
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (i * 31 + 7);
            }
            ready = () -> ss.inq() >= wantIn || (wantOut > 0 && (cs.poll() & POLLOUT) != 0);
        }

        /**
         * Moves {@code bytes} from the client to the server: writes while the send buffer takes
         * more, lets the stack run until a whole chunk (or all that is left) can be read or the
         * sender may write again, then reads. The kernel's loopback does the same work inside each
         * {@code write} (its softirq delivers the segment before the call returns), so both sides
         * read and write in chunks, not a call per segment.
         */
        long pump(int bytes) {
            long toSend = bytes;
            long toRecv = bytes;
            while (toRecv > 0) {
                while (toSend > 0 && (cs.poll() & POLLOUT) != 0) {
                    toSend -= client.send(fd, out, 0, (int) Math.min(CHUNK, toSend), MSG_DONTWAIT);
                }
                wantIn = (int) Math.min(CHUNK, toRecv);
                wantOut = toSend;
                if (ss.inq() < wantIn) {
                    loop.runUntil(ready);
                }
                while (toRecv > 0 && (ss.poll() & POLLIN) != 0) {
                    toRecv -= server.recv(conn, in, 0, in.length, MSG_DONTWAIT);
                }
            }
            moved += bytes;
            return moved;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long segs = clientHost.tcp().mib().get(TcpMib.OUT_SEGS);
            System.out.printf("%n[stack %s] moved=%d MB mss=%d client OutSegs=%d (%.0f bytes/segment) events=%d virtual=%s%n",
                    path, moved >> 20, cs.mss(), segs, (double) moved / Math.max(1, segs), loop.eventCount(),
                    SimTime.format(loop.now()));
            if (net != null) {
                net.close();
            } else {
                serverHost.close();
                loop.close();
                pool.close();
            }
        }
    }

    /** The kernel side: a connected pair of non-blocking JDK {@link SocketChannel}s over 127.0.0.1. */
    @State(Scope.Thread)
    public static class Kernel {
        ServerSocketChannel listener;
        SocketChannel client;
        SocketChannel server;
        final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
        final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
        long moved;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open();
            client.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER);
            client.connect(listener.getLocalAddress());
            server = listener.accept();
            client.configureBlocking(false);
            server.configureBlocking(false);
            for (int i = 0; i < CHUNK; i++) {
                out.put(i, (byte) (i * 31 + 7));
            }
        }

        /** Moves {@code bytes}, as {@link Stack#pump} does. */
        long pump(int bytes) {
            try {
                long toSend = bytes;
                long toRecv = bytes;
                while (toRecv > 0) {
                    if (toSend > 0) {
                        out.clear().limit((int) Math.min(CHUNK, toSend));
                        toSend -= client.write(out);
                    }
                    in.clear();
                    toRecv -= server.read(in);
                }
                moved += bytes;
                return moved;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            System.out.printf("%n[kernel] moved=%d MB%n", moved >> 20);
            client.close();
            server.close();
            listener.close();
        }
    }

    /** The simulated stack: 4 MiB from client to server. */
    @Benchmark
    @OperationsPerInvocation(BYTES_PER_INVOCATION)
    public long stack(Stack s) {
        return s.pump(BYTES_PER_INVOCATION);
    }

    /** The kernel over 127.0.0.1 with JDK socket channels: the same. */
    @Benchmark
    @OperationsPerInvocation(BYTES_PER_INVOCATION)
    public long kernel(Kernel k) {
        return k.pump(BYTES_PER_INVOCATION);
    }
}
