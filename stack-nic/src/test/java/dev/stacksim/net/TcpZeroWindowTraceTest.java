package dev.stacksim.net;

import dev.stacksim.host.Host;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpSock;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_SNDBUF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero window and the persist timer, as a reader of the trace sees them (RFC 9293 3.8.6.1,
 * {@code tcp_probe_timer}, {@code tcp_ack_probe}): the server stops reading, its receive buffer
 * fills, it offers a zero window; the client, with data queued and nothing in flight, arms the
 * persist timer ({@code probe0}) at {@code max(RTO, 200 ms)} and sends a probe (an ACK from
 * {@code snd_una - 1}) each time it fires. The server answers each probe with its zero window;
 * that answer re-arms the timer from its arrival, doubled each time ({@code tcp_probe0_when}:
 * base shifted by {@code icsk_backoff}). When the server reads, the window opens by a window
 * update and the transfer completes.
 *
 * <p>Seed 21, 10 ms RTT: the window reaches 0 at 156 ms, the base is 222 ms (the RTO), probes fire
 * at 383, 839 and 1729 ms. The server runs without window scaling so that its offer closes
 * exactly (whole segments). With scaling (shift 7) the offer stops at one unit, 512 bytes, below
 * an MSS, and the persist timer's {@code tcp_write_wakeup} sends a 512-byte segment that fills it
 * rather than a bare probe (pinned by packetdrill's {@code persist-zero-window-probes.pkt} family).
 */
class TcpZeroWindowTraceTest {
    static final int PORT = 5001;
    static final int BYTES = 400_000;
    static final long MS = 1_000_000L;

    @Test
    void fullReceiverAdvertisesZeroWindowAndSenderProbesWithDoublingBackoffUntilAWindowUpdate() throws Exception {
        try (Network net = Network.builder().seed(21).build()) {
            // Without window scaling the receiver offers whole segments (__tcp_select_window rounds the
            // free space down to a multiple of the MSS), so full segments use up the offer exactly and
            // the window reaches 0. (With scaling it stops at 512 bytes, one unit of 2^7, below an MSS:
            // see the class comment.)
            Host server = net.host("server").ip("10.0.0.2/24").sysctl("net.ipv4.tcp_window_scaling", 0).build();
            Host client = net.host("client").ip("10.0.0.1/24").sysctl("net.core.wmem_max", 1 << 20).build();
            net.link(client, server).bandwidth(100_000_000L).latency(Duration.ofMillis(5));
            Process srv = server.spawn("lazy");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(PORT));
            srv.listen(lfd, 4);
            Process cli = client.spawn("source");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1 << 20);
            cli.connect(fd, SockAddr.of("10.0.0.2", PORT));
            int conn = srv.accept(lfd);
            TcpSock cs = (TcpSock) cli.sockfdLookup(fd).ops();

            TraceRecorder rec = new TraceRecorder();
            net.tracer().addListener(rec);
            byte[] data = new byte[BYTES];
            new BulkTransfer.Xorshift(21).fill(data, BYTES);
            assertEquals(BYTES, cli.send(fd, data, 0, BYTES, MSG_DONTWAIT), "all of it fits the 2 MB send buffer");

            // the server reads nothing for 2 s
            long start = net.loop().now();
            net.runFor(Duration.ofSeconds(2));
            long resume = net.loop().now();
            List<TraceEvent> events = new ArrayList<>(rec.events());
            List<TraceEvent.Packet> zeroWindows = packets(events, "server", true, ", win 0,");
            assertTrue(!zeroWindows.isEmpty(), "the server advertised a zero window");
            long zeroAt = zeroWindows.get(0).time();

            // the persist timer: armed once at base, then re-armed from each probe's answer at base << backoff
            List<TraceEvent.Timer> arms = timers(events, TraceEvent.TimerOp.ARM);
            List<TraceEvent.Timer> fires = timers(events, TraceEvent.TimerOp.FIRE);
            assertTrue(fires.size() >= 3, "probes fired: " + fires);
            long base = arms.get(0).expires() - arms.get(0).time();
            assertEquals(Math.max(cs.rto(), 200 * MS), base, "probe0 base is max(RTO, TCP_RTO_MIN)");
            assertTrue(arms.get(0).time() >= zeroAt, "armed once the zero window arrived");
            // each probe on the wire, its zero-window answer, and the next firing
            List<TraceEvent.Packet> probes = packets(events, "client", true, "length 0");
            List<TraceEvent.Packet> answers = packets(events, "client", false, ", win 0,");
            long expected = arms.get(0).expires();
            int unanswered = 0;
            for (int k = 0; k < fires.size(); k++) {
                long fire = fires.get(k).time();
                assertEquals(expected, fire, "probe " + k + " fires when armed for");
                assertEquals(fire, firstAtOrAfter(probes, fire), "probe " + k + " leaves when the timer fires");
                long nextFire = k + 1 < fires.size() ? fires.get(k + 1).time() : Long.MAX_VALUE;
                long answerAt = answers.stream().mapToLong(TraceEvent.Packet::time).filter(t -> t >= fire && t < nextFire)
                        .findFirst().orElse(-1);
                // tcp_probe_timer re-arms at fire time with the backoff it raised (base << (k + 1));
                // the zero-window answer re-arms again from its arrival (tcp_ack_probe). The server
                // answers a probe (an old sequence number) only once per 500 ms
                // (tcp_invalid_ratelimit, __tcp_oow_rate_limited): a probe 450 ms after the last
                // answer gets none, as on Linux, and the timer keeps its fire-time arming.
                long from = answerAt >= 0 ? answerAt : fire;
                unanswered += answerAt >= 0 ? 0 : 1;
                TraceEvent.Timer rearm = arms.stream().filter(t -> t.time() == from).reduce((x, y) -> y)
                        .orElseThrow(() -> new AssertionError("no re-arm at " + from + ": " + arms));
                assertEquals(from + (base << (k + 1)), rearm.expires(), "backoff " + (k + 1));
                expected = rearm.expires();
            }
            assertEquals(unanswered, server.snmp().tcpExt.get(dev.stacksim.tcp.TcpExtMib.TCPACK_SKIPPED_SEQ),
                    "each unanswered probe counted as TCPACKSkippedSeq");
            // with a 10 ms RTT: fires at +base, +RTT+2·base, +RTT+4·base after the zero window
            System.out.println("TcpZeroWindowTraceTest: zero window at " + (zeroAt - start) / MS + " ms, base "
                    + base / MS + " ms, probes at " + fires.stream().map(f -> (f.time() - start) / MS + " ms").toList());

            // the server reads: the window reopens by a window update and the rest flows
            MessageDigest got = BulkTransfer.sha256();
            byte[] in = new byte[65536];
            int received = 0;
            rec.clear();
            while (received < BYTES) {
                TcpSock ss = (TcpSock) srv.sockfdLookup(conn).ops();
                net.runUntil(() -> (ss.poll() & POLLIN) != 0);
                int n = srv.recv(conn, in, 0, in.length, MSG_DONTWAIT);
                got.update(in, 0, n);
                received += n;
            }
            MessageDigest sent = BulkTransfer.sha256();
            sent.update(data);
            assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(got.digest()));
            List<TraceEvent.Packet> updates = packets(rec.events(), "server", true, "");
            assertTrue(!updates.isEmpty() && !updates.get(0).summary().contains(", win 0,"),
                    "the first segment after the read is a window update: " + updates);
            assertEquals(resume, updates.get(0).time(), "sent by the read itself (tcp_cleanup_rbuf)");
            cli.close(fd);
            srv.close(conn);
            srv.close(lfd);
            net.runFor(Duration.ofSeconds(61));
        }
    }

    private static List<TraceEvent.Packet> packets(List<TraceEvent> events, String host, boolean sent, String contains) {
        List<TraceEvent.Packet> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.Packet p && p.protocol().equals("TCP") && p.host().equals(host)
                    && p.sent() == sent && p.summary().contains(contains)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<TraceEvent.Timer> timers(List<TraceEvent> events, TraceEvent.TimerOp op) {
        List<TraceEvent.Timer> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.Timer t && t.host().equals("client") && t.timer().equals("probe0") && t.op() == op) {
                out.add(t);
            }
        }
        return out;
    }

    private static long firstAtOrAfter(List<TraceEvent.Packet> packets, long time) {
        for (TraceEvent.Packet p : packets) {
            if (p.time() >= time) {
                return p.time();
            }
        }
        throw new AssertionError("no packet at or after " + time + " in " + packets);
    }
}
