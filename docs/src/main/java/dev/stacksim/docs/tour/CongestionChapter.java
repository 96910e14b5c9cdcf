package dev.stacksim.docs.tour;

import dev.stacksim.diag.LineChart;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpCaState;
import dev.stacksim.tcp.TcpInfo;
import dev.stacksim.tcp.TcpSockInfo;
import dev.stacksim.tcp.TcpState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_TCP;
import static dev.stacksim.socket.SocketConstants.TCP_CONGESTION;

/**
 * Congestion control: one bulk flow through a router whose slow egress has a short queue, once
 * with Reno and once with CUBIC. The sender's {@code ss -ti} figures are sampled as it runs: slow
 * start from the initial window of ten, the queue overflowing, fast retransmit and recovery, then
 * Reno's sawtooth against CUBIC's curve; the counters say which mechanism found each loss.
 */
public final class CongestionChapter implements Chapter {
    /** Virtual time each flow runs. */
    static final Duration RUN = Duration.ofSeconds(10);
    /** How often the table samples the sender. */
    static final int TABLE_MS = 1000;
    /** How often the sender is sampled (the chart's resolution). */
    static final int STEP_MS = 10;

    @Override
    public String id() {
        return "congestion";
    }

    @Override
    public String title() {
        return "congestion control: slow start, fast recovery, Reno vs CUBIC";
    }

    @Override
    public String guidePage() {
        return "guide/congestion.md";
    }

    /** One sample of the sender, as {@code ss -ti} shows it. */
    record Sample(long ms, int cwnd, int ssthresh, TcpCaState ca, int retrans, long rttUs) {
    }

    /** What one flow did: its samples, where a reduction began, the counters it moved. */
    record Flow(String cc, List<Sample> samples, List<Sample> reductions, List<String> counters, long bytes,
                String ssLine) {
    }

    /** The three hosts and the slow link of the scenario. */
    record Path3(Host client, Host router, Host server, NetworkLink fast, NetworkLink slow) {
    }

    /**
     * client ── 1 Gbit/s, 1 ms ── router ── 2 Mbit/s, 49 ms ── server: a 100 ms round trip and a
     * bandwidth-delay product of 25 kB (17 segments); the router queues 16 frames more.
     */
    static Path3 path(Network net) {
        // tag::topology[]
        Host client = net.host("client").ip("10.0.1.1/24").gateway("10.0.1.254").build();
        Host router = net.host("router").ip("10.0.1.254/24")
                .ip("10.0.2.254/24", nic -> nic.txRingSize(8))       // eth1: the bottleneck
                .forwarding(true).build();
        Host server = net.host("server").ip("10.0.2.1/24").gateway("10.0.2.254").build();
        NetworkLink fast = net.link(client, router).latency(Duration.ofMillis(1))
                .bandwidth(1_000_000_000L);
        NetworkLink slow = net.link(router, server).latency(Duration.ofMillis(49))
                .bandwidth(2_000_000L);
        router.iface("eth1").qdisc().setLimit(8);                 // 8 + 8 frames of queue
        // end::topology[]
        return new Path3(client, router, server, fast, slow);
    }

    /** One bulk flow for {@link #RUN} with congestion control {@code cc}, sampled every {@link #STEP_MS}. */
    static Flow flow(String cc) {
        try (Network net = Network.builder().seed(21).build()) {
            Path3 p = path(net);
            Host client = p.client();
            Host server = p.server();
            if (cc.equals(AimdCongestion.NAME)) {
                // tag::register[]
                client.tcp().congestion().register(AimdCongestion.NAME, AimdCongestion::new);
                // end::register[]
            }
            // tag::flow[]
            Process sink = server.spawn("sink");
            int lfd = sink.socket(AF_INET, SOCK_STREAM, 0);
            sink.bind(lfd, SockAddr.any(5001));
            sink.listen(lfd, 8);
            Process bulk = client.spawn("bulk", 1000);
            int fd = bulk.socket(AF_INET, SOCK_STREAM, 0);
            bulk.setsockopt(fd, SOL_TCP, TCP_CONGESTION, cc);        // "reno", "cubic", ...
            bulk.connect(fd, SockAddr.of("10.0.2.1", 5001));
            int conn = sink.accept(lfd);
            // end::flow[]
            List<Sample> samples = new ArrayList<>();
            List<Sample> reductions = new ArrayList<>();
            client.views().nstat("-n");                                  // counters from here on
            byte[] chunk = new byte[64 * 1024];
            long bytes = 0;
            Sample prev = sample(client, 0);
            samples.add(prev);
            for (long ms = STEP_MS; ms <= RUN.toMillis(); ms += STEP_MS) {
                writeAll(bulk, fd, chunk);                             // keep the send buffer full
                bytes += readAll(sink, conn);
                net.runFor(Duration.ofMillis(STEP_MS));
                Sample s = sample(client, ms);
                if ((s.ca() == TcpCaState.RECOVERY || s.ca() == TcpCaState.LOSS) && s.ca() != prev.ca()) {
                    reductions.add(new Sample(ms, prev.cwnd(), s.ssthresh(), s.ca(), s.retrans(), s.rttUs()));
                }
                samples.add(s);
                prev = s;
            }
            String ss = client.ss("-tiH").lines().skip(1).findFirst().orElse("").strip();
            List<String> counters = client.views().nstat("TcpExtTCPFastRetrans TcpExtTCPSackRecovery "
                    + "TcpExtTCPLossProbes TcpExtTCPLossProbeRecovery TcpExtTCPTimeouts TcpExtTCPSpuriousRTOs "
                    + "TcpExtTCPHystart* TcpExtTCPSACKReorder TcpExtTCPLostRetransmit TcpExtTCPDSACK*Recv "
                    + "TcpRetransSegs").lines().skip(1).toList();
            return new Flow(cc, samples, reductions, counters, bytes, ss);
        }
    }

    /**
     * The same path, CUBIC, a sender that is not bulk: 10 kB every 100 ms (its flights end, so a
     * lost last segment has no later segment to reveal it), 1% loss each way on the slow link,
     * and after 6 s the path's delay jumps from 100 ms to 2.1 s.
     */
    static List<String> lossy(Path pcap) {
        try (Network net = Network.builder().seed(21).build()) {
            Path3 p = path(net);
            Host client = p.client();
            Host server = p.server();
            NetworkLink slow = p.slow();
            p.fast().capture(pcap);
            Process sink = server.spawn("sink");
            int lfd = sink.socket(AF_INET, SOCK_STREAM, 0);
            sink.bind(lfd, SockAddr.any(5001));
            sink.listen(lfd, 8);
            Process app = client.spawn("app", 1000);
            int fd = app.socket(AF_INET, SOCK_STREAM, 0);
            app.connect(fd, SockAddr.of("10.0.2.1", 5001));
            int conn = sink.accept(lfd);
            client.views().nstat("-n");
            // tag::lossy[]
            slow.lossRate(0.01);                                    // 1% each way
            byte[] message = new byte[10_000];
            for (int i = 0; i < 100; i++) {                         // 10 s
                if (i == 60) {
                    slow.latency(Duration.ofMillis(1049));          // the RTT jumps to 2.1 s
                }
                app.send(fd, message, 0);
                net.runFor(Duration.ofMillis(100));
                readAll(sink, conn);
            }
            // end::lossy[]
            return client.views().nstat("TcpExtTCPFastRetrans TcpExtTCPSackRecovery TcpExtTCPLossProbes "
                    + "TcpExtTCPLossProbeRecovery TcpExtTCPTimeouts TcpExtTCPSpuriousRTOs TcpExtTCPLossUndo "
                    + "TcpExtTCPFullUndo TcpExtTCPDSACKUndo TcpExtTCPDSACKRecv TcpExtTCPSACKReorder "
                    + "TcpRetransSegs").lines().skip(1).toList();
        }
    }

    private static void writeAll(Process p, int fd, byte[] chunk) {
        try {
            while (true) {
                p.send(fd, chunk, 0, chunk.length, MSG_DONTWAIT);
            }
        } catch (ErrnoException e) {
            // EAGAIN: the send buffer is full, which is all a bulk sender wants
        }
    }

    private static long readAll(Process p, int fd) {
        long n = 0;
        try {
            while (true) {
                n += p.recv(fd, 256 * 1024, MSG_DONTWAIT).length;
            }
        } catch (ErrnoException e) {
            return n;
        }
    }

    private static Sample sample(Host client, long ms) {
        for (TcpSockInfo s : client.views().tcpSockets()) {
            if (s.kind() == TcpSockInfo.Kind.SOCK && s.state() == TcpState.ESTABLISHED) {
                TcpInfo i = s.info();
                return new Sample(ms, i.sndCwnd(), i.sndSsthresh(), i.caState(), i.totalRetrans(), i.rttUs());
            }
        }
        throw new IllegalStateException("congestion: the client has no established socket");
    }

    private static String ssthresh(int v) {
        return v == TcpInfo.TCP_INFINITE_SSTHRESH ? "inf" : Integer.toString(v);
    }

    private static String ca(TcpCaState s) {
        String n = s.name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static void counters(TourOutput out, List<String> lines) {
        lines.forEach(l -> out.show("  " + l.replaceAll("\\s+0\\.0$", "").stripTrailing()));
    }

    @Override
    public void run(TourOutput out) {
        out.para("A bulk sender, a router and a receiver. The router's way out is 500 times "
                + "slower than its way in (2 Mbit/s) and queues 16 frames: the bottleneck. The "
                + "round trip is 100 ms, so 17 segments fill the pipe and 16 more the queue; the "
                + "next one is dropped. The same program runs with TCP_CONGESTION \"reno\", "
                + "\"cubic\" (Linux's default) and a home-made \"aimd45\".");
        Flow reno = flow("reno");
        Flow cubic = flow("cubic");
        Flow aimd = flow(AimdCongestion.NAME);

        out.para("Slow start: the window starts at 10 segments (RFC 6928) and grows by one per "
                + "segment acknowledged, doubling every round trip, until the queue overflows. "
                + "CUBIC's HyStart may leave slow start earlier, when the RTT starts to grow.");
        out.show("   ms   reno cwnd ssthresh   cubic cwnd ssthresh");
        for (Sample r : reno.samples()) {
            if (r.ms() > 600) {
                break;
            }
            if (r.ms() % 100 == 0) {
                Sample c = cubic.samples().get(reno.samples().indexOf(r));
                out.show(String.format("%5d   %9d %8s   %10d %8s", r.ms(), r.cwnd(), ssthresh(r.ssthresh()),
                        c.cwnd(), ssthresh(c.ssthresh())));
            }
        }
        out.blank();
        out.para("Then each settles into its shape. Every second, as ss -ti shows them (state: "
                + "the congestion state; retr: segments retransmitted so far):");
        out.show("   ms | reno cwnd ssth state    retr | cubic cwnd ssth state    retr");
        for (Sample r : reno.samples()) {
            if (r.ms() % TABLE_MS != 0 || r.ms() == 0) {
                continue;
            }
            Sample c = cubic.samples().get(reno.samples().indexOf(r));
            out.show(String.format("%5d | %9d %4s %-8s %4d | %10d %4s %-8s %4d", r.ms(), r.cwnd(),
                    ssthresh(r.ssthresh()), ca(r.ca()), r.retrans(), c.cwnd(), ssthresh(c.ssthresh()),
                    ca(c.ca()), c.retrans()));
        }
        out.blank();
        out.para("Each loss episode, with the window before it and the ssthresh it was cut to "
                + "(Reno halves, CUBIC keeps 0.7, aimd45 keeps 0.8):");
        for (Flow f : List.of(reno, cubic, aimd)) {
            StringBuilder sb = new StringBuilder();
            for (Sample s : f.reductions()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(s.ms()).append(" ms ")
                        .append(s.cwnd()).append("->").append(s.ssthresh());
            }
            out.show(String.format("%-6s %.2f Mbit/s; %s", f.cc(), f.bytes() * 8 / 1e6 / (RUN.toMillis() / 1e3), sb));
        }
        out.blank();
        out.para("Which mechanism found the losses, from nstat on the sender:");
        for (Flow f : List.of(reno, cubic)) {
            out.show(f.cc() + ":");
            counters(out, f.counters());
        }
        out.blank();
        out.show("ss -ti on the sender, cubic, at the end:");
        out.show(cubic.ssLine());
        out.blank();

        out.para("A sender that is not bulk: 10 kB every 100 ms, 1% loss each way, and at 6 s "
                + "the path's delay jumps from 100 ms to 2.1 s. A lost last segment has no later "
                + "segment to reveal it: the tail loss probe (TLP) resends it after about two "
                + "RTTs instead of waiting for the RTO. The delay jump makes the RTO fire for "
                + "segments that were only late; the timestamps then prove it and the window is "
                + "restored (undo).");
        Path pcap = out.artifact(id(), "lossy.pcap");
        counters(out, lossy(pcap));
        out.blank();

        LineChart chart = new LineChart("cwnd of one bulk flow, 2 Mbit/s bottleneck, RTT 100 ms, 16-frame queue",
                "virtual time (s)", "cwnd (segments)");
        for (Flow f : List.of(reno, cubic, aimd)) {
            int s = chart.series(f.cc());
            for (Sample x : f.samples()) {
                chart.point(s, x.ms() / 1e3, x.cwnd());
            }
            for (Sample x : f.reductions()) {
                chart.mark(s, x.ms() / 1e3, x.cwnd());
            }
        }
        chart.markLegend("loss detected");
        Path svg = out.artifact(id(), "cwnd.svg");
        chart.write(svg);
        out.show("chart: " + svg.getFileName() + "; capture of the lossy run: " + pcap.getFileName());
    }
}
