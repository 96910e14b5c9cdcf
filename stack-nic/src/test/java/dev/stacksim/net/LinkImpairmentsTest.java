package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each impairment of a {@link LinkEnd} over 100,000 frames with a fixed seed: the observed rate is
 * within a few standard deviations of the configured one, and the frames show it (lost sequence
 * numbers, doubled ones, flipped bits, overtaking).
 */
class LinkImpairmentsTest {
    private static final int N = 100_000;
    private static final int LEN = 64;

    /** Recycling pool: 100,000 tracked allocations would record 100,000 stack traces. Checked by hand below. */
    private final SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
    private final EventLoop loop = EventLoop.virtual(2024);
    private final RecordingPort a = new RecordingPort(loop, "a");
    private final RecordingPort b = new RecordingPort(loop, "b");
    private final long[] sentAt = new long[N];

    @AfterEach
    void everySkbWasReleased() {
        assertEquals(0, pool.outstanding(), "skbs not released");
        pool.close();
    }

    private Link link(Impairments impairments, Duration latency, long bandwidth) {
        return Link.builder(loop).name("impaired").latency(latency).bandwidth(bandwidth)
                .impairmentsAToB(impairments).build(a, b);
    }

    /** Sends N numbered frames from A, draining the loop every 1024 frames. */
    private LinkStats sendAll(Link link) {
        for (int i = 0; i < N; i++) {
            sentAt[i] = loop.now();
            link.endA().transmit(TestFrames.numbered(pool, LEN, i));
            if ((i & 1023) == 1023) {
                loop.runUntilIdle();
            }
        }
        loop.runUntilIdle();
        LinkStats s = link.endA().stats();
        assertEquals(s.offered() + s.duplicated(), s.delivered() + s.dropped(), "every frame accounted for: " + s);
        assertEquals(s.delivered(), b.arrivals.size());
        return s;
    }

    private static void assertNear(double expected, double actual, double relativeTolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= expected * relativeTolerance,
                what + ": expected " + expected + " ± " + (relativeTolerance * 100) + "% but was " + actual);
    }

    @Test
    void randomLossDropsTheConfiguredFraction() {
        LinkStats s = sendAll(link(Impairments.builder().lossRate(0.01).build(), Duration.ofMillis(1), 0));

        // Binomial(100000, 0.01): sd 31.5, so 10% is over 3 sd.
        assertNear(1000, s.lossDrops(), 0.10, "lost");
        assertEquals(s.lossDrops(), pool.drops(DropReason.LINK_LOSS));
        assertEquals(N - s.lossDrops(), s.delivered());
        assertEquals(0, s.duplicated() + s.corrupted() + s.reordered());
    }

    @Test
    void gilbertElliottLosesInBurstsOfMeanLengthOneOverR() {
        Impairments.GilbertElliott ge = Impairments.GilbertElliott.of(0.01, 0.25);
        LinkStats s = sendAll(link(Impairments.builder().burstLoss(ge).build(), Duration.ofMillis(1), 0));

        assertNear(ge.stationaryLossRate() * N, s.lossDrops(), 0.15, "lost (p/(p+r) = 3.85%)");
        List<Integer> bursts = lossBursts();
        double mean = bursts.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertNear(4.0, mean, 0.10, "mean burst length 1/r");
        assertTrue(bursts.stream().anyMatch(len -> len >= 10), "geometric bursts have a long tail: " + bursts.size());
    }

    @Test
    void gilbertElliottWithLossInBothStates() {
        // p=5%, r=50%, 1-h=50%, 1-k=1%: (0.5·0.01 + 0.05·0.5)/0.55 = 5.45%.
        Impairments.GilbertElliott ge = new Impairments.GilbertElliott(0.05, 0.5, 0.5, 0.01);
        LinkStats s = sendAll(link(Impairments.builder().burstLoss(ge).build(), Duration.ofMillis(1), 0));

        assertNear(0.0545 * N, s.lossDrops(), 0.10, "lost");
    }

    @Test
    void duplicationDoublesTheConfiguredFractionRightBehindTheCopy() {
        LinkStats s = sendAll(link(Impairments.builder().duplicateRate(0.05).build(), Duration.ofMillis(1), 0));

        assertNear(5000, s.duplicated(), 0.06, "duplicated");
        assertEquals(N + s.duplicated(), s.delivered());
        int doubled = 0;
        List<Integer> seqs = b.seqs();
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) >= seqs.get(i - 1), "duplicates do not reorder");
            if (seqs.get(i).equals(seqs.get(i - 1))) {
                doubled++;
                assertTrue(Arrays.equals(b.arrivals.get(i).bytes(), b.arrivals.get(i - 1).bytes()), "an exact copy");
            }
        }
        assertEquals(s.duplicated(), doubled);
    }

    @Test
    void corruptionFlipsExactlyOneBitInTheConfiguredFraction() {
        LinkStats s = sendAll(link(Impairments.builder().corruptRate(0.02).build(), Duration.ofMillis(1), 0));

        assertNear(2000, s.corrupted(), 0.08, "corrupted");
        assertEquals(N, b.arrivals.size(), "nothing lost, nothing reordered: arrival i is frame i");
        int damaged = 0;
        int[] bitHistogram = new int[8];
        for (int seq = 0; seq < N; seq++) {
            byte[] got = b.arrivals.get(seq).bytes();
            byte[] want = expected(seq);
            int flipped = 0;
            for (int i = 0; i < LEN; i++) {
                int diff = (got[i] ^ want[i]) & 0xFF;
                flipped += Integer.bitCount(diff);
                if (diff != 0) {
                    bitHistogram[Integer.numberOfTrailingZeros(diff)]++;
                }
            }
            if (flipped > 0) {
                damaged++;
                assertEquals(1, flipped, "one bit, frame " + seq);
            }
        }
        assertEquals(s.corrupted(), damaged);
        for (int count : bitHistogram) {
            assertTrue(count > 150, "every bit position is hit: " + Arrays.toString(bitHistogram));
        }
    }

    @Test
    void corruptionNeverChangesTheBytesOfAnotherHolder() {
        Link link = link(Impairments.builder().corruptRate(1.0).build(), Duration.ofMillis(1), 0);
        List<SkBuff> originals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SkBuff original = TestFrames.numbered(pool, LEN, i);
            originals.add(original);
            link.endA().transmit(original.clone());
        }
        loop.runUntilIdle();

        assertEquals(100, link.endA().stats().corrupted());
        for (int i = 0; i < 100; i++) {
            assertTrue(Arrays.equals(expected(i), originals.get(i).toByteArray()), "original " + i + " untouched");
            assertFalse(Arrays.equals(expected(i), b.arrivals.get(i).bytes()), "the clone on the wire was hit");
            originals.get(i).consume();
        }
    }

    @Test
    void reorderWithoutGapSendsTheConfiguredFractionImmediately() {
        LinkStats s = sendAll(link(Impairments.builder().reorder(0.25).build(), Duration.ofMillis(1), 0));

        assertNear(25_000, s.reordered(), 0.03, "reordered");
        int immediate = 0;
        for (RecordingPort.Arrival arrival : b.arrivals) {
            if (arrival.time() == sentAt[arrival.seq()]) {
                immediate++;
            } else {
                assertEquals(sentAt[arrival.seq()] + 1_000_000, arrival.time(), "the others take the latency");
            }
        }
        assertEquals(s.reordered(), immediate);
    }

    @Test
    void reorderAllWithGapFiveReordersEveryFifthFrame() {
        LinkStats s = sendAll(link(Impairments.builder().reorder(1.0, 5).build(), Duration.ofMillis(1), 0));

        assertEquals(N / 5, s.reordered());
        for (RecordingPort.Arrival arrival : b.arrivals) {
            boolean immediate = arrival.time() == sentAt[arrival.seq()];
            assertEquals(arrival.seq() % 5 == 4, immediate, "frame " + arrival.seq() + " (the 5th, 10th ... go first)");
        }
    }

    @Test
    void reorderWithGapWaitsGapMinusOneFramesAfterEachReorder() {
        LinkStats s = sendAll(link(Impairments.builder().reorder(0.5, 3).build(), Duration.ofMillis(1), 0));

        // A cycle is 2 forced delays plus a geometric number of tries with p=1/2 (mean 2): 4 frames.
        assertNear(25_000, s.reordered(), 0.03, "reordered");
        int last = -100;
        for (RecordingPort.Arrival arrival : b.arrivals) {
            if (arrival.time() == sentAt[arrival.seq()]) {
                assertTrue(arrival.seq() - last >= 3, "gap 3: seq " + arrival.seq() + " after " + last);
                last = arrival.seq();
            }
        }
    }

    @Test
    void reorderedFramesOvertakeFramesStillPropagating() {
        // 125-byte frames take 1 us at 1 Gbit/s; the latency is 20 us, so ~20 frames are in flight.
        Link link = Link.builder(loop).name("overtake").latency(Duration.ofNanos(20_000)).bandwidth(1_000_000_000L)
                .queueLimit(10_000).impairmentsAToB(Impairments.builder().reorder(0.01).build()).build(a, b);
        for (int i = 0; i < 10_000; i++) {
            link.endA().transmit(TestFrames.numbered(pool, 125, i));
        }
        loop.runUntilIdle();

        LinkStats s = link.endA().stats();
        assertEquals(10_000, s.delivered());
        int overtakers = 0;
        List<Integer> seqs = b.seqs();
        for (int i = 0; i + 1 < seqs.size(); i++) {
            if (seqs.get(i) > seqs.get(i + 1)) {
                overtakers++;
            }
        }
        assertTrue(overtakers > 0 && overtakers <= s.reordered(), "overtakers=" + overtakers + " " + s);
    }

    @Test
    void uniformJitterSpreadsDelaysEvenlyAroundTheLatency() {
        LinkStats s = sendAll(link(Impairments.builder().jitter(Duration.ofMillis(1)).jitterReorders(true).build(),
                Duration.ofMillis(10), 0));

        double[] delays = delays();
        int[] deciles = new int[10];
        double sum = 0;
        for (double d : delays) {
            assertTrue(d >= 9_000_000 && d < 11_000_000, "delay " + d + " outside [9 ms, 11 ms)");
            deciles[(int) ((d - 9_000_000) / 200_000)]++;
            sum += d;
        }
        assertNear(10_000_000, sum / delays.length, 0.002, "mean delay");
        for (int count : deciles) {
            assertNear(N / 10.0, count, 0.05, "each 0.2 ms band " + Arrays.toString(deciles));
        }
        assertEquals(0, s.reordered(), "jitter is not counted as the reorder impairment");
        assertTrue(inversions() > 0, "netem-style jitter lets frames overtake");
    }

    @Test
    void normalJitterHasTheConfiguredStandardDeviation() {
        sendAll(link(Impairments.builder().jitter(Duration.ofMillis(1), Impairments.JitterDistribution.NORMAL)
                .jitterReorders(true).build(), Duration.ofMillis(10), 0));

        double[] delays = delays();
        double mean = Arrays.stream(delays).average().orElseThrow();
        double var = Arrays.stream(delays).map(d -> (d - mean) * (d - mean)).sum() / delays.length;
        assertNear(10_000_000, mean, 0.002, "mean delay");
        assertNear(1_000_000, Math.sqrt(var), 0.02, "standard deviation");
        long withinOneSigma = Arrays.stream(delays).filter(d -> Math.abs(d - 10_000_000) < 1_000_000).count();
        assertNear(0.6827 * N, withinOneSigma, 0.02, "68% within one sigma");
    }

    @Test
    void jitterKeepsFramesInOrderByDefault() {
        sendAll(link(Impairments.builder().jitter(Duration.ofMillis(1)).build(), Duration.ofMillis(10), 0));

        assertEquals(0, inversions(), "a frame never overtakes the one sent before it");
        double[] delays = delays();
        assertTrue(Arrays.stream(delays).min().orElseThrow() >= 9_000_000);
        assertTrue(Arrays.stream(delays).max().orElseThrow() > 10_900_000, "still jittered");
    }

    @Test
    void switchingOnCorruptionOrJitterLeavesTheLossDecisionsAsTheyWere() {
        sendAll(link(Impairments.builder().lossRate(0.05).build(), Duration.ofMillis(1), 0));
        List<RecordingPort.Arrival> plain = new ArrayList<>(b.arrivals);

        EventLoop loop2 = EventLoop.virtual(2024);
        RecordingPort a2 = new RecordingPort(loop2, "a");
        RecordingPort b2 = new RecordingPort(loop2, "b");
        Link other = Link.builder(loop2).name("impaired").latency(Duration.ofMillis(1)).impairmentsAToB(
                Impairments.builder().lossRate(0.05).corruptRate(0.1).jitter(Duration.ofNanos(100_000)).build()).build(a2, b2);
        for (int i = 0; i < N; i++) {
            other.endA().transmit(TestFrames.numbered(pool, LEN, i));
            if ((i & 1023) == 1023) {
                loop2.runUntilIdle();
            }
        }
        loop2.runUntilIdle();

        // Jitter keeps the order, so arrival i is the same frame in both runs; only corruption changes bytes.
        assertEquals(plain.size(), b2.arrivals.size(), "the same number of frames survived");
        long differing = 0;
        for (int i = 0; i < plain.size(); i++) {
            if (!Arrays.equals(plain.get(i).bytes(), b2.arrivals.get(i).bytes())) {
                differing++;
            }
        }
        assertEquals(other.endA().stats().corrupted(), differing, "the same frames, except the corrupted ones");
        assertTrue(other.endA().stats().corrupted() > 0);
    }

    @Test
    void impairmentsCanBeChangedAtRunTime() {
        Link link = link(Impairments.builder().lossRate(1.0).build(), Duration.ofMillis(1), 0);
        link.endA().transmit(TestFrames.numbered(pool, LEN, 0));
        link.endA().setImpairments(Impairments.NONE);
        link.endA().transmit(TestFrames.numbered(pool, LEN, 1));
        loop.runUntilIdle();

        assertEquals(List.of(1), b.seqs());
        assertEquals(Impairments.NONE, link.endA().impairments());
    }

    // ---------------------------------------------------------------- helpers

    /** The bytes {@link TestFrames#numbered} writes for {@code seq}. */
    private static byte[] expected(int seq) {
        return TestFrames.numberedBytes(TestFrames.MAC_B.toLong(), TestFrames.MAC_A.toLong(), LEN, seq);
    }

    /** Lengths of runs of consecutive sequence numbers that never arrived. */
    private List<Integer> lossBursts() {
        boolean[] arrived = new boolean[N];
        for (int seq : b.seqs()) {
            arrived[seq] = true;
        }
        List<Integer> bursts = new ArrayList<>();
        int run = 0;
        for (int i = 0; i < N; i++) {
            if (!arrived[i]) {
                run++;
            } else if (run > 0) {
                bursts.add(run);
                run = 0;
            }
        }
        if (run > 0) {
            bursts.add(run);
        }
        return bursts;
    }

    private double[] delays() {
        double[] out = new double[b.arrivals.size()];
        for (int i = 0; i < out.length; i++) {
            RecordingPort.Arrival arrival = b.arrivals.get(i);
            out[i] = arrival.time() - sentAt[arrival.seq()];
        }
        return out;
    }

    private int inversions() {
        int count = 0;
        List<Integer> seqs = b.seqs();
        for (int i = 0; i + 1 < seqs.size(); i++) {
            if (seqs.get(i) > seqs.get(i + 1)) {
                count++;
            }
        }
        return count;
    }
}
