package dev.stacksim.bench;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Linger;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpMib;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_LINGER;

/**
 * Connection setup and teardown: one operation is a whole connection's life — the client's
 * {@code socket()} and {@code connect()}, the server's {@code accept()}, and both sides'
 * {@code close()} — measured in operations per second of wall-clock time, for the simulated stack
 * ({@link #stack}) and for the kernel under it ({@link #kernel}: JDK sockets over 127.0.0.1), in
 * the same JMH run. One thread plays client and server, as a test using the stack does.
 *
 * <h2>The two ways to close ({@code close} parameter)</h2>
 * <ul>
 *   <li>{@code rst}: the client sets {@code SO_LINGER {1, 0}} and closes first, which aborts the
 *       connection with a RST; the server then closes a socket that is already closed. Linux sends
 *       four segments (SYN, SYN-ACK, ACK, RST) and leaves no TIME_WAIT anywhere, so the kernel's
 *       steady state cannot drift; the stack sends the same four (the tear-down line prints
 *       OutSegs per connection for both).</li>
 *   <li>{@code fin}: the orderly close. The client closes first (FIN_WAIT1, FIN_WAIT2), the server
 *       reads nothing and closes (CLOSE_WAIT, LAST_ACK), and the client's end stays in TIME_WAIT
 *       for 60 s. Linux sends six segments (it delays the ACK of the client's FIN, which then
 *       rides on the server's FIN), and so does the stack. In the stack the virtual clock moves on
 *       {@link #VIRTUAL_GAP_NANOS} after each connection, so minisocks expire as fast as they are
 *       made: 12,000 wait at any time (60 s / 5 ms) between two hosts, about 8,700 over
 *       {@code lo}, where {@code connect()} reuses TIME_WAIT ports older than 1 s
 *       ({@code net.ipv4.tcp_tw_reuse=2}). The kernel's clock is the wall clock: the 14,116 even
 *       ephemeral ports its {@code connect()} takes fill up with TIME_WAIT within a second and it
 *       goes on by the same reuse, each port once per second, so about 14,100 wait at any time and
 *       its rate is capped near 14,100 connections per second by that rule rather than by its
 *       CPU (docs/performance.md).</li>
 * </ul>
 *
 * <h2>The paths ({@code path} parameter, stack only)</h2>
 * {@code lo}: client and server processes on one host, over {@code 127.0.0.1} and the loopback
 * device, as the kernel baseline runs. {@code veth}: two hosts on a zero-delay veth pair,
 * 10.0.0.1 to 10.0.0.2 (Ethernet headers, ARP-resolved neighbours, each host's demux).
 * {@code nic}: the same two hosts built by {@link Network} with a {@code SimNic} each and a
 * zero-latency link: descriptor rings, DMA copies and NAPI polls on both sides. Every segment
 * crosses the device as an event of the loop, as a softirq would take it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class TcpConnectBenchmark {
    /** Virtual time between two connections of the stack: TIME_WAIT (60 s) holds 12,000 of them. */
    static final long VIRTUAL_GAP_NANOS = 5_000_000L;
    static final int PORT = 80;
    static final Linger ABORT = new Linger(1, 0);

    /** The simulated side: one loop, one or two hosts, a listening server process and a client process. */
    @State(Scope.Thread)
    public static class Stack {
        /** {@code lo}: one host, loopback; {@code veth}: two hosts, a veth pair; {@code nic}: two hosts, SimNics and a link. */
        @Param({"lo", "veth", "nic"})
        public String path;

        /** {@code rst} (SO_LINGER 0 on the client) or {@code fin} (orderly close, TIME_WAIT). */
        @Param({"rst", "fin"})
        public String close;

        Network net;
        EventLoop loop;
        SkBuffPool pool;
        Host clientHost;
        Host serverHost;
        Process client;
        Process server;
        int listenFd;
        SockAddr.Inet dst;
        boolean abort;
        long ops;

        @Setup(Level.Trial)
        public void setUp() {
            if (path.equals("nic")) {
                net = Network.builder().seed(1).build();
                loop = net.loop();
                pool = net.pool();
                clientHost = net.host("client").ip("10.0.0.1/24").build();
                serverHost = net.host("server").ip("10.0.0.2/24").build();
                net.link(clientHost, serverHost);
                dst = SockAddr.of("10.0.0.2", PORT);
            } else {
                loop = EventLoop.virtual(1);
                pool = SkBuffPool.create();
            }
            if (path.equals("lo")) {
                serverHost = clientHost = Host.builder(loop, pool, "h").build();
                dst = SockAddr.of("127.0.0.1", PORT);
            } else if (path.equals("veth")) {
                VethPair veth = VethPair.create("eth0", 0x0200_0000_0001L, "eth0", 0x0200_0000_0002L);
                clientHost = Host.builder(loop, pool, "client").device(veth.first()).address("eth0", "10.0.0.1/24").build();
                serverHost = Host.builder(loop, pool, "server").device(veth.second()).address("eth0", "10.0.0.2/24").build();
                dst = SockAddr.of("10.0.0.2", PORT);
            }
            abort = close.equals("rst");
            server = serverHost.spawn("server");
            listenFd = server.socket(AF_INET, SOCK_STREAM, 0);
            server.bind(listenFd, SockAddr.of("0.0.0.0", PORT));
            server.listen(listenFd, 4096);
            client = clientHost.spawn("client");
        }

        /** One connection's life; returns the accepted descriptor (always the same number). */
        int connectAcceptClose() {
            int fd = client.socket(AF_INET, SOCK_STREAM, 0);
            if (abort) {
                client.setsockopt(fd, SOL_SOCKET, SO_LINGER, ABORT);
            }
            client.connect(fd, dst);
            int cfd = server.accept(listenFd);
            client.close(fd);
            // The kernel handles a loopback segment in the sender's softirq before close()
            // returns: the server sees the RST (or FIN) before it closes, here as there.
            loop.runFor(0);
            server.close(cfd);
            loop.runFor(VIRTUAL_GAP_NANOS);
            ops++;
            return cfd;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // The figure means nothing unless every connection was made and is gone.
            long opens = clientHost.tcp().mib().get(TcpMib.ACTIVE_OPENS);
            long passive = serverHost.tcp().mib().get(TcpMib.PASSIVE_OPENS);
            long estab = clientHost.tcp().mib().get(TcpMib.CURR_ESTAB) + serverHost.tcp().mib().get(TcpMib.CURR_ESTAB);
            long segs = clientHost.tcp().mib().get(TcpMib.OUT_SEGS) + (path.equals("lo") ? 0
                    : serverHost.tcp().mib().get(TcpMib.OUT_SEGS));
            long rsts = clientHost.tcp().mib().get(TcpMib.OUT_RSTS) + (path.equals("lo") ? 0
                    : serverHost.tcp().mib().get(TcpMib.OUT_RSTS));
            System.out.printf("%n[stack %s/%s] connections=%d OutSegs/op=%.2f OutRsts/op=%.2f CurrEstab=%d"
                            + " TIME_WAIT (pending timers)=%d virtual time=%s%n", path, close, ops,
                    (double) segs / ops, (double) rsts / ops, estab, loop.pendingEvents(), SimTime.format(loop.now()));
            if (net != null) {
                net.close();
            } else {
                serverHost.close();
                if (clientHost != serverHost) {
                    clientHost.close();
                }
                loop.close();
                pool.close();
            }
            if (opens != ops || passive != ops || estab != 0) {
                throw new IllegalStateException("connections=" + ops + " ActiveOpens=" + opens + " PassiveOpens="
                        + passive + " CurrEstab=" + estab);
            }
        }
    }

    /** The kernel side: a JDK {@link ServerSocket} on 127.0.0.1 and a new {@link Socket} per operation. */
    @State(Scope.Thread)
    public static class Kernel {
        /** {@code rst} (SO_LINGER 0 on the client) or {@code fin} (orderly close, TIME_WAIT). */
        @Param({"rst", "fin"})
        public String close;

        ServerSocket listener;
        InetSocketAddress dst;
        boolean abort;
        long ops;
        long[] snmpBefore;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            abort = close.equals("rst");
            snmpBefore = KernelCounters.tcp();
        }

        /** One connection's life, as {@link Stack#connectAcceptClose} does it. */
        int connectAcceptClose() {
            try {
                Socket c = new Socket();
                if (abort) {
                    c.setSoLinger(true, 0);
                }
                c.connect(dst);
                Socket s = listener.accept();
                c.close();
                s.close();
                ops++;
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            listener.close();
            // The namespace's counters: other traffic of the machine counts too (run it in its own
            // namespace, unshare -n, for exact figures).
            long[] after = KernelCounters.tcp();
            if (after != null && snmpBefore != null) {
                System.out.printf("%n[kernel %s] connections=%d OutSegs/op=%.2f OutRsts/op=%.2f %s%n", close, ops,
                        (double) (after[0] - snmpBefore[0]) / ops, (double) (after[1] - snmpBefore[1]) / ops,
                        KernelCounters.sockstatTcp());
            }
        }
    }

    /** The simulated stack: connect, accept, close, close (and the loop runs on). */
    @Benchmark
    public int stack(Stack s) {
        return s.connectAcceptClose();
    }

    /** The kernel over 127.0.0.1 with JDK sockets: the same calls. */
    @Benchmark
    public int kernel(Kernel k) {
        return k.connectAcceptClose();
    }
}
