package dev.stacksim.net;

import dev.stacksim.tcp.TcpState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goodput on a clean long fat pipe: 1 Gbit/s, 10 ms each way (RTT 20 ms), MTU 1500. The
 * bandwidth-delay product is 10^9 bit/s · 0.020 s / 8 = 2.5 MB, about 1650 full frames.
 *
 * <p>What the wire can carry as TCP payload: each 1514-byte frame (Ethernet 14, IPv4 20, TCP 20,
 * timestamps 12) carries 1448 bytes, so 1448 / 1514 = 95.6 % of the link rate is the ceiling
 * (the link here counts no preamble or inter-frame gap). The window must cover the BDP for the
 * sender to keep the pipe full: with a receive window W and round trip RTT the rate is at most
 * W / RTT (one window per round trip), whatever the link.
 *
 * <p>With SO_RCVBUF set the window starts as large as that buffer backs; with the defaults both
 * buffers auto-tune, as Linux's do ({@code tcp_sndbuf_expand} as the window grows,
 * {@code tcp_grow_window} and {@code tcp_rcv_space_adjust} on the receiver), from a 64 KB window
 * up to {@code tcp_rmem[2]} = 6 MB and {@code tcp_wmem[2]} = 4 MB, both above the BDP.
 */
class TcpGoodputTest {
    static final long GBIT = 1_000_000_000L;
    static final Duration LATENCY = Duration.ofMillis(10);
    static final double PAYLOAD_SHARE = 1448.0 / 1514;

    /**
     * SO_RCVBUF 3 MB (doubled by Linux's rule to 6 MB; half backs the window: 3 MB, above the
     * 2.5 MB BDP, leaving about 340 frames queued at the link, under its 1000-frame limit, so slow
     * start overshoots into the queue and never into a loss). SO_SNDBUF 4 MB (8 MB) holds the
     * window with each skb's overhead. 200 MB: slow start from 10 segments to 2000 takes about 8
     * RTTs (160 ms); goodput is measured from 0.5 s on, over about 1.2 s.
     */
    @Test
    void cleanGigabitLinkRunsAtNinetyPercentOfTheLinkRateAfterSlowStart() {
        BulkTransfer.Config c = BulkTransfer.Config.of(11, 200_000_000L, GBIT, LATENCY)
                .buffers(4 << 20, 3 << 20).sampleAfter(Duration.ofMillis(500));
        BulkTransfer.Result r = BulkTransfer.run(c);
        System.out.println("TcpGoodputTest (BDP buffers): " + r + String.format(" steady %.1f Mbit/s",
                r.steadyGoodputBps() / 1e6));
        assertEquals(r.sentSha(), r.receivedSha());
        assertEquals(TcpState.CLOSE, r.serverState());
        assertEquals(0, r.retransSegs(), "the queue absorbs the overshoot: no loss");
        assertTrue(r.steadyGoodputBps() >= 0.90 * GBIT, String.format("steady goodput %.1f Mbit/s",
                r.steadyGoodputBps() / 1e6));
        assertTrue(r.steadyGoodputBps() <= PAYLOAD_SHARE * GBIT * 1.001, "above what the wire carries");
    }

    /**
     * No socket options: the receiver starts offering 64 KB and auto-tunes its buffer (one RTT's
     * worth of reading, doubled and more while the sender is in slow start, up to
     * {@code tcp_rmem[2]} = 6 MB); the sender's buffer grows with its window
     * ({@code tcp_sndbuf_expand}: two windows of full-sized skbs) up to {@code tcp_wmem[2]}. Each
     * segment is its own skb here (no GSO), charged its 1280-byte head plus payload, so the BDP of
     * 1700 segments needs about 4.6 MB of send buffer: above the default {@code tcp_wmem[2]} of
     * 4 MB, which caps the flight near 1500 segments (~600 Mbit/s; Linux's GSO skbs carry 64 KB
     * per head and do not hit the cap). With {@code tcp_wmem[2]} at 8 MB the pipe fills: at least
     * 90 % of the link from 1 s on, every buffer sized by the stack.
     */
    @Test
    void defaultBuffersAutotuneToFillTheGigabitLink() {
        BulkTransfer.Config c = BulkTransfer.Config.of(13, 200_000_000L, GBIT, LATENCY)
                .sampleAfter(Duration.ofMillis(1000));
        BulkTransfer.Result r = BulkTransfer.run(c,
                net -> net.hostNamed("client").sysctl().set("net.ipv4.tcp_wmem", 4096, 16384, 8 << 20), null);
        System.out.println("TcpGoodputTest (default buffers): " + r + String.format(" steady %.1f Mbit/s",
                r.steadyGoodputBps() / 1e6));
        assertEquals(r.sentSha(), r.receivedSha());
        assertTrue(r.steadyGoodputBps() >= 0.90 * GBIT, String.format("steady goodput %.1f Mbit/s",
                r.steadyGoodputBps() / 1e6));
    }

    /**
     * SO_RCVBUF 128 KB: Linux doubles it to 256 KB and half of that backs the window, 131072
     * bytes, rounded down to whole segments: 90 × 1448 = 130320 bytes. One window per round trip:
     * 130320 B · 8 / 20.0 ms = 52.1 Mbit/s, 5 % of the link, whatever the link rate. The round
     * trip is the 20 ms of propagation plus one frame's serialization (12 µs) and the ACK's; the
     * receiver ACKs every second segment at once, so delayed ACKs add nothing. Asserted within 5 %.
     */
    @Test
    void bufferSmallerThanTheBdpBoundsGoodputToOneWindowPerRoundTrip() {
        int window = 90 * 1448;
        BulkTransfer.Config c = BulkTransfer.Config.of(12, 20_000_000L, GBIT, LATENCY)
                .buffers(4 << 20, 128 << 10).sampleAfter(Duration.ofMillis(500));
        BulkTransfer.Result r = BulkTransfer.run(c);
        double theory = window * 8 / 0.020;
        System.out.println("TcpGoodputTest (128 KB rcvbuf): " + r + String.format(" steady %.2f Mbit/s, W/RTT %.2f Mbit/s",
                r.steadyGoodputBps() / 1e6, theory / 1e6));
        assertEquals(r.sentSha(), r.receivedSha());
        assertEquals(0, r.retransSegs());
        double ratio = r.steadyGoodputBps() / theory;
        assertTrue(ratio > 0.95 && ratio <= 1.0, String.format("goodput / (W/RTT) = %.3f", ratio));
    }
}
