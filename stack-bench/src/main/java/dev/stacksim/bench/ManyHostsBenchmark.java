package dev.stacksim.bench;

import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.Switch;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.SockAddr;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;

/**
 * The event loop's throughput with many hosts (issue #9): {@code hosts} hosts, each with a
 * {@code SimNic}, in one 10.1.0.0/16 subnet on {@code hosts / 100} access switches of 100 host
 * ports plus an uplink, the uplinks on one core switch; 10 µs links. One operation: every host
 * sends one 100-byte UDP datagram to the host {@code hosts / 2 + 1} places on (through its access
 * switch, the core and another access switch: Ethernet, ARP-resolved neighbours, NIC rings, DMA,
 * NAPI, the switches' learning and forwarding), the loop runs 1 ms of virtual time, and every host
 * reads what arrived. JMH reports operations per second and, as the {@code events} counter, the
 * loop's events per second (every frame hop, DMA completion, NAPI poll and timer is one event).
 *
 * <pre>
 * java -jar stack-bench/target/benchmarks.jar ManyHostsBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class ManyHostsBenchmark {
    static final int PORT = 9;
    static final int HOSTS_PER_SWITCH = 100;

    /** The network, one UDP socket per host, and each host's destination. */
    @State(Scope.Thread)
    public static class Hosts {
        /** Number of hosts (a multiple of 100). */
        @Param({"1000"})
        public int hosts;

        Network net;
        Process[] procs;
        int[] fds;
        ProtoOps[] socks;
        SockAddr.Inet[] dst;
        final byte[] out = new byte[100];
        final byte[] in = new byte[2048];
        long sent;
        long received;

        @Setup(Level.Trial)
        public void setUp() {
            net = Network.builder().seed(1).eventLimit(Long.MAX_VALUE).build();
            int switches = hosts / HOSTS_PER_SWITCH;
            Switch core = net.addSwitch("core", switches);
            procs = new Process[hosts];
            fds = new int[hosts];
            socks = new ProtoOps[hosts];
            dst = new SockAddr.Inet[hosts];
            for (int s = 0; s < switches; s++) {
                Switch access = net.addSwitch("sw" + s, HOSTS_PER_SWITCH + 1);
                net.link(access, core).latency(Duration.ofNanos(10_000));
                for (int j = 0; j < HOSTS_PER_SWITCH; j++) {
                    int i = s * HOSTS_PER_SWITCH + j;
                    Host h = net.host("h" + i).ip(address(i) + "/16").build();
                    net.link(h, access).latency(Duration.ofNanos(10_000));
                    procs[i] = h.spawn("udp");
                    fds[i] = procs[i].socket(AF_INET, SOCK_DGRAM, 0);
                    procs[i].bind(fds[i], SockAddr.of("0.0.0.0", PORT));
                    socks[i] = procs[i].sockfdLookup(fds[i]).ops();
                }
            }
            for (int i = 0; i < hosts; i++) {
                dst[i] = SockAddr.of(address((i + hosts / 2 + 1) % hosts), PORT);
            }
            // Resolve every neighbour before measuring. All hosts ARPing in the same instant is a
            // broadcast storm: each host's 256-slot RX ring receives a thousand requests at once
            // and drops the rest (FULL_RING, rx_missed_errors), as a real NIC would. Staggered,
            // 100 hosts per millisecond, the rings drain between bursts.
            for (int i = 0; i < hosts; i++) {
                procs[i].sendto(fds[i], out, 0, out.length, MSG_DONTWAIT, dst[i]);
                if (i % HOSTS_PER_SWITCH == HOSTS_PER_SWITCH - 1) {
                    net.loop().runFor(1_000_000L);
                }
            }
            net.loop().runFor(3_000_000_000L);
            for (int i = 0; i < hosts; i++) {
                while ((socks[i].poll() & POLLIN) != 0) {
                    procs[i].recv(fds[i], in, 0, in.length, MSG_DONTWAIT);
                }
            }
        }

        static String address(int i) {
            return "10.1." + (i / 250) + "." + (i % 250 + 1);
        }

        /** One round: every host sends, 1 ms of virtual time, every host reads. */
        long round() {
            for (int i = 0; i < procs.length; i++) {
                procs[i].sendto(fds[i], out, 0, out.length, MSG_DONTWAIT, dst[i]);
            }
            sent += procs.length;
            net.loop().runFor(1_000_000L);
            for (int i = 0; i < procs.length; i++) {
                while ((socks[i].poll() & POLLIN) != 0) {
                    procs[i].recv(fds[i], in, 0, in.length, MSG_DONTWAIT);
                    received++;
                }
            }
            return received;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%n[many hosts] hosts=%d datagrams sent=%d received=%d events=%d virtual=%d ms%n",
                    hosts, sent, received, net.loop().eventCount(), net.loop().now() / 1_000_000);
            net.close();
        }
    }

    /** The loop's events, reported by JMH as a rate (events per second of wall time). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        /** Events run by the loop. */
        public long events;
    }

    /** One round of datagrams between all the hosts. */
    @Benchmark
    public long round(Hosts h, Events e) {
        long before = h.net.loop().eventCount();
        long r = h.round();
        e.events += h.net.loop().eventCount() - before;
        return r;
    }
}
