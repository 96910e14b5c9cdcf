package dev.stacksim.net;

import dev.stacksim.tcp.TcpState;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's "Must show": 100 MB from client to server across a damaged link, verified by SHA-256
 * on both ends, closed cleanly (FIN both ways, no RST, the server's socket CLOSE and the client's
 * TIME_WAIT), no skb leaked (LeakCheckExtension), and deterministic: each case runs twice with the
 * same seed and must end at the same virtual nanosecond after the same number of events.
 *
 * <h2>The path</h2>
 * 100 Mbit/s, 5 ms each way (RTT 10 ms, about 10.2 ms measured with queueing and delayed ACKs),
 * MTU 1500 (MSS 1448 with timestamps). The client's SO_SNDBUF is 4 MB; the receiver's buffer
 * auto-tunes ({@code tcp_grow_window}, {@code tcp_rcv_space_adjust}) from 131072 up to
 * {@code tcp_rmem[2]}, so the loss-free run is limited by the link: 1448 of every 1514 bytes on the
 * wire are payload, 95.6 Mbit/s. (Before auto-tuning the window stayed at 65160 bytes, 51 Mbit/s.)
 *
 * <h2>The Mathis bound</h2>
 * For a loss rate p the steady-state throughput of a Reno-style sender is at most about
 * (Mathis, Semke, Mahdavi, Ott 1997)
 * <pre>
 *   B ≈ (MSS / RTT) · C / √p,  C = √(3/2) ≈ 1.22
 *   MSS / RTT = 1448 B / 10.23 ms = 141.5 kB/s = 1.132 Mbit/s
 *   p = 1 %:  B = 1.132 · 1.22 / 0.100 = 13.8 Mbit/s
 *   p = 5 %:  B = 1.132 · 1.22 / 0.224 =  6.18 Mbit/s
 *   p = 10 %: B = 1.132 · 1.22 / 0.316 =  4.37 Mbit/s
 * </pre>
 * A stack that recovers by fast retransmit gets within a small factor of B; one that waits for
 * the retransmission timer (200 ms at least, twenty RTTs here) for every loss does not. Each lossy
 * case asserts {@code goodput >= fraction · B} with the fractions of {@link #MATHIS_FRACTION}.
 *
 * <p>Measured with SACK, RACK-TLP, PRR and CUBIC (seed 6, 100 MB each; before fast recovery
 * the lossy cases took 255 s, 281,582 s and 1,020,543 s, an RTT sample that broke Karn's rule
 * inflating every RTO):
 * <pre>
 *   case            virtual s   Mbit/s   of B    RTOs
 *   loss 0              8.4     95.3      -         0   (link-limited; TCP Small Queues keep the
 *                                                        qdisc short: srtt 11 ms)
 *   loss 1 %           71.6     11.2     0.81       0
 *   loss 5 %          249.8      3.20    0.52      78
 *   loss 10 %         656.1      1.22    0.28     793
 *   corrupt 1 %        73.1     11.0     0.79       1
 *   partition 2 s      11.6     68.9      -         4
 * </pre>
 * At 10 % the timeouts dominate: the square-root law ignores them (Padhye et al. add that term),
 * hence the falling fractions of {@link #MATHIS_FRACTION}.
 *
 * <p>Every case moves the full 100 MB: each takes under 2 s of wall time (the whole class about
 * 12 s with the repeat runs), so no reduced default size is needed; {@code -Dstacksim.bulk.mb=N}
 * changes the size for experiments.
 */
class TcpBulkTransferTest {
    static final long MB = 1_000_000L;
    /** Bytes per run: 100 MB, or {@code -Dstacksim.bulk.mb}. */
    static final long BYTES = Long.getLong("stacksim.bulk.mb", 100) * MB;
    static final long BANDWIDTH = 100_000_000L;
    static final Duration LATENCY = Duration.ofMillis(5);
    static final int SNDBUF = 4 << 20;
    static final int MSS = 1448;
    /** RTT used in the formulas: 10 ms of propagation plus what queueing and delayed ACKs add, as measured (srtt). */
    static final double RTT = 0.01023;
    /** Payload bytes per frame on the wire: MSS 1448 in 1514-byte Ethernet frames. */
    static final double PAYLOAD_SHARE = 1448.0 / 1514.0;

    /**
     * The fraction of the Mathis bound each lossy case must reach, indexed by loss rate in percent
     * (1, 5, 10). With SACK, RACK, PRR and CUBIC the stack measured 0.79 (1 %) and 0.54 (5 %); at
     * high loss retransmission timeouts take over and the square-root law overestimates what any
     * TCP achieves (Padhye et al.'s model adds the timeout term), so the floors fall with the rate.
     * Before fast recovery (RTO only, and an RTT sample that broke Karn's rule) the stack reached
     * 0.23, 0.00046 and 0.00018.
     */
    static final double[] MATHIS_FRACTION = new double[11];

    static {
        MATHIS_FRACTION[1] = 0.6;
        MATHIS_FRACTION[5] = 0.4;
        MATHIS_FRACTION[10] = 0.2;
    }

    /** The Mathis bound in bit/s for loss rate {@code p}. */
    static double mathis(double p) {
        return MSS * 8 / RTT * Math.sqrt(1.5) / Math.sqrt(p);
    }

    /** The loss-free rate: the link's payload rate, in bit/s. */
    static double linkRate() {
        return BANDWIDTH * PAYLOAD_SHARE;
    }

    static BulkTransfer.Config base() {
        return BulkTransfer.Config.of(6, BYTES, BANDWIDTH, LATENCY).buffers(SNDBUF, 0);
    }

    static Impairments.Builder imp() {
        return Impairments.builder();
    }

    static Arguments bulkCase(String name, BulkTransfer.Config c, Consumer<BulkTransfer.Result> check) {
        return Arguments.of(Named.of(name, c), check);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bulkCase("loss 0", base(), r -> {
                    assertEquals(0, r.retransSegs(), "no loss, no retransmission");
                    assertAtLeast(0.9 * linkRate(), r.goodputBps(), "link-limited rate");
                }),
                bulkCase("loss 1%", base().impairments(imp().lossRate(0.01).build()), r -> lossy(r, 1)),
                bulkCase("loss 5%", base().impairments(imp().lossRate(0.05).build()), r -> lossy(r, 5)),
                bulkCase("reorder 25% gap 5", base().impairments(imp().reorder(0.25, 5).build()), r -> {
                    assertTrue(r.toServer().reordered() > 5_000, "reordered " + r.toServer().reordered());
                    // reordered frames skip the propagation delay, so this is not slower than the
                    // loss-free run; RACK's reordering window keeps spurious retransmissions few
                    assertAtLeast(0.9 * linkRate(), r.goodputBps(), "link-limited rate");
                }),
                bulkCase("duplicate 5%", base().impairments(imp().duplicateRate(0.05).build()), r -> {
                    assertTrue(r.toServer().duplicated() > 3_000, "duplicated " + r.toServer().duplicated());
                    assertEquals(0, r.retransSegs(), "a duplicate is not a loss");
                    assertAtLeast(0.9 * linkRate(), r.goodputBps(), "link-limited rate");
                }),
                bulkCase("corrupt 1%", base().impairments(imp().corruptRate(0.01).build()), r -> {
                    // a flipped bit in the TCP header or payload is caught by the TCP checksum;
                    // one in the Ethernet or IP header is dropped below TCP
                    assertTrue(r.csumErrors() > 100, "server InCsumErrors " + r.csumErrors());
                    assertTrue(r.clientCsumErrors() > 10, "client InCsumErrors (ACKs) " + r.clientCsumErrors());
                    assertAtLeast(MATHIS_FRACTION[1] * mathis(0.01), r.goodputBps(), "Mathis bound, p = 1%");
                }),
                bulkCase("partition 2 s", base().partition(Duration.ofSeconds(3), Duration.ofSeconds(2)), r -> {
                    assertTrue(r.linkDrops() > 0, "frames lost to the partition");
                    assertTrue(r.timeouts() > 0);
                    // at best the loss-free time plus the outage and the RTO backoff that spans it
                    // (0.2+0.4+0.8+1.6 s); after the timeout the lost segments go out in slow start
                    double best = BYTES * 8 / linkRate() + 2 + 3;
                    assertTrue(r.seconds() >= 2 + BYTES * 8 / BANDWIDTH, "at least the outage and the wire time: " + r);
                    assertTrue(r.seconds() < 1.5 * best, "took " + r.seconds() + " s, best " + best + " s");
                }));
    }

    /**
     * 10 % loss, with many retransmission timeouts: the connection must neither die (a stale
     * {@code retrans_stamp} once made {@code tcp_write_timeout} measure its budget from the first
     * loss of the connection, ETIMEDOUT after about 925 s; Linux clears it when recovery ends)
     * nor fall far below the bound.
     */
    @org.junit.jupiter.api.Test
    void bulkTransferSurvivesTenPercentLoss() {
        bulkTransferArrivesIntactClosesCleanlyAndRepeatsBySeed(base().impairments(imp().lossRate(0.10).build()),
                r -> lossy(r, 10));
    }

    private static void lossy(BulkTransfer.Result r, int percent) {
        assertTrue(r.retransSegs() > 0);
        double p = percent / 100.0;
        assertAtLeast(MATHIS_FRACTION[percent] * mathis(p), r.goodputBps(),
                "Mathis bound " + String.format("%.2f", mathis(p) / 1e6) + " Mbit/s at p = " + percent + "%");
    }

    static void assertAtLeast(double floor, double measured, String what) {
        assertTrue(measured >= floor, String.format(java.util.Locale.ROOT,
                "%s: measured %.4f Mbit/s, floor %.4f Mbit/s", what, measured / 1e6, floor / 1e6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bulkTransferArrivesIntactClosesCleanlyAndRepeatsBySeed(BulkTransfer.Config c, Consumer<BulkTransfer.Result> check) {
        BulkTransfer.Result r = BulkTransfer.run(c);
        System.out.println("TcpBulkTransferTest: " + r);
        assertEquals(BYTES, r.received());
        assertEquals(r.sentSha(), r.receivedSha(), "SHA-256 of what was sent and what was read");
        assertEquals(TcpState.TIME_WAIT, r.clientState(), "the client sent the first FIN: it waits in TIME_WAIT");
        assertEquals(TcpState.CLOSE, r.serverState());
        assertEquals(0, r.outRsts(), "closed by FINs, no RST");
        assertTrue(r.goodputBps() <= BANDWIDTH, "faster than the wire: " + r);
        check.accept(r);

        BulkTransfer.Result again = BulkTransfer.run(c);
        assertEquals(r.doneAt(), again.doneAt(), "same seed, same completion time");
        assertEquals(r.events(), again.events(), "same seed, same number of events");
        assertEquals(r.sentSha(), again.receivedSha());
    }
}
