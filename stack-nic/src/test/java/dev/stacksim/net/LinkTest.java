package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timing, queueing, partitions and ownership of {@link Link}; impairment statistics are in {@link LinkImpairmentsTest}. */
class LinkTest {
    private static final long GBIT = 1_000_000_000L;

    private final EventLoop loop = EventLoop.virtual(7);
    private final SkBuffPool pool = SkBuffPool.create();
    private final RecordingPort a = new RecordingPort(loop, "a");
    private final RecordingPort b = new RecordingPort(loop, "b");

    private Link gigabit(Duration latency) {
        return Link.builder(loop).name("a-b").bandwidth(GBIT).latency(latency).build(a, b);
    }

    @Test
    void fullSizeFrameOnGigabitArrivesAfterSerializationPlusLatency() {
        Link link = gigabit(Duration.ofMillis(5));
        assertEquals(12_000, link.serializationNanos(1500), "12 000 bits at 1 bit/ns");

        assertTrue(link.endA().transmit(TestFrames.numbered(pool, 1500, 0)));
        assertTrue(link.endA().isBusy(), "serializing");
        loop.runUntilIdle();

        assertEquals(List.of(5_012_000L), b.times(), "12 us serialization + 5 ms propagation");
        assertEquals(0, a.arrivals.size());
        assertFalse(link.endA().isBusy());
        LinkStats s = link.endA().stats();
        assertEquals(1, s.txPackets());
        assertEquals(1500, s.txBytes());
        assertEquals(1, s.delivered());
        assertEquals(1500, s.deliveredBytes());
    }

    @Test
    void backToBackFramesQueueBehindEachOther() {
        Link link = gigabit(Duration.ofMillis(5));
        for (int i = 0; i < 3; i++) {
            assertTrue(link.endA().transmit(TestFrames.numbered(pool, 1500, i)));
        }
        assertEquals(2, link.endA().backlog(), "one serializing, two queued");
        loop.runUntilIdle();

        assertEquals(List.of(5_012_000L, 5_024_000L, 5_036_000L), b.times());
        assertEquals(List.of(0, 1, 2), b.seqs());
    }

    @Test
    void directionsAreIndependent() {
        Link link = gigabit(Duration.ofMillis(1));
        link.endA().transmit(TestFrames.numbered(pool, 1500, 1));
        link.endB().transmit(TestFrames.numbered(pool, 1500, 2));
        loop.runUntilIdle();

        assertEquals(List.of(1_012_000L), b.times(), "full duplex: B's frame does not wait for A's");
        assertEquals(List.of(1_012_000L), a.times());
        assertEquals(List.of(2), a.seqs());
    }

    @Test
    void serializationRoundsUpAndBackToBackFramesCarryTheFraction() {
        // 3 bit/ns: a 100-byte frame is 266.67 ns.
        Link link = Link.builder(loop).name("frac").bandwidth(3 * GBIT).build(a, b);
        assertEquals(267, link.serializationNanos(100), "rounded up");
        for (int i = 0; i < 3; i++) {
            link.endA().transmit(TestFrames.numbered(pool, 100, i));
        }
        loop.runUntilIdle();

        assertEquals(List.of(267L, 534L, 800L), b.times(), "ceil(266.67), ceil(533.33), exactly 800: no drift");
    }

    @Test
    void aPacedSenderKeepsTheExactBitClockToo() {
        Link link = Link.builder(loop).name("frac").bandwidth(3 * GBIT).build(a, b);
        int[] next = {1};
        a.onReady = () -> {
            if (next[0] < 3) {
                link.endA().transmit(TestFrames.numbered(pool, 100, next[0]++));
            }
        };
        link.endA().transmit(TestFrames.numbered(pool, 100, 0));
        loop.runUntilIdle();

        assertEquals(List.of(267L, 534L, 800L), b.times(), "sent on transmitReady: no gap, no drift");
    }

    @Test
    void idleGapRestartsTheBitClockAtTheNextTransmit() {
        Link link = Link.builder(loop).name("frac").bandwidth(3 * GBIT).build(a, b);
        link.endA().transmit(TestFrames.numbered(pool, 100, 0));
        loop.runFor(1_000);
        link.endA().transmit(TestFrames.numbered(pool, 100, 1));
        loop.runUntilIdle();

        assertEquals(List.of(267L, 1_267L), b.times());
    }

    @Test
    void wireOverheadCountsPreambleFcsAndGap() {
        Link link = Link.builder(loop).name("eth").bandwidth(GBIT).wireOverhead(Link.ETHERNET_WIRE_OVERHEAD).build(a, b);
        link.endA().transmit(TestFrames.numbered(pool, 1500, 0));
        loop.runUntilIdle();

        assertEquals(List.of(12_192L), b.times(), "1524 byte times");
    }

    @Test
    void infiniteBandwidthIsNeverBusyAndDeliversAfterTheLatency() {
        Link link = Link.builder(loop).name("inf").latency(Duration.ofMillis(3)).build(a, b);
        for (int i = 0; i < 5; i++) {
            link.endA().transmit(TestFrames.numbered(pool, 1500, i));
            assertFalse(link.endA().isBusy());
        }
        loop.runUntilIdle();

        assertEquals(List.of(3_000_000L, 3_000_000L, 3_000_000L, 3_000_000L, 3_000_000L), b.times());
        assertEquals(List.of(0, 1, 2, 3, 4), b.seqs(), "same nanosecond: in the order sent");
        assertEquals(List.of(), a.readyTimes, "never busy, so never ready");
    }

    @Test
    void tailDropWhenTheQueueLimitIsExceededIsCounted() {
        Link link = Link.builder(loop).name("q").bandwidth(GBIT).queueLimit(2).build(a, b);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (link.endA().transmit(TestFrames.numbered(pool, 1500, i))) {
                accepted++;
            }
        }
        loop.runUntilIdle();

        assertEquals(3, accepted, "one on the wire, two queued");
        assertEquals(List.of(0, 1, 2), b.seqs());
        LinkStats s = link.endA().stats();
        assertEquals(10, s.offered());
        assertEquals(3, s.delivered());
        assertEquals(7, s.queueDrops());
        assertEquals(s.offered(), s.delivered() + s.dropped(), "never silent: sent = delivered + dropped");
        assertEquals(7, pool.drops(DropReason.QDISC_DROP), "freed with the qdisc reason");
    }

    @Test
    void zeroQueueLimitDropsWhatArrivesWhileBusy() {
        Link link = Link.builder(loop).name("q0").bandwidth(GBIT).queueLimit(0).build(a, b);
        assertTrue(link.endA().transmit(TestFrames.numbered(pool, 1500, 0)));
        assertFalse(link.endA().transmit(TestFrames.numbered(pool, 1500, 1)));
        loop.runUntilIdle();

        assertEquals(List.of(0), b.seqs());
        assertEquals(1, link.endA().stats().queueDrops());
    }

    @Test
    void transmitReadyOnlyWhenTheTransmitterGoesIdle() {
        Link link = gigabit(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            link.endA().transmit(TestFrames.numbered(pool, 1500, i));
        }
        loop.runUntilIdle();

        assertEquals(List.of(36_000L), a.readyTimes, "not between queued frames, once when the queue is empty");
        assertEquals(List.of(), b.readyTimes, "the other direction never transmitted");
    }

    @Test
    void aPacingPortSendsEachFrameWhenTheTransmitterIsReady() {
        Link link = gigabit(Duration.ofMillis(1));
        Deque<SkBuff> txRing = new ArrayDeque<>();
        for (int i = 0; i < 4; i++) {
            txRing.add(TestFrames.numbered(pool, 1500, i));
        }
        a.onReady = () -> {
            if (!txRing.isEmpty()) {
                assertFalse(link.endA().isBusy());
                link.endA().transmit(txRing.poll());
            }
        };
        link.endA().transmit(txRing.poll());
        loop.runUntilIdle();

        assertEquals(List.of(12_000L, 24_000L, 36_000L, 48_000L), a.readyTimes);
        assertEquals(List.of(1_012_000L, 1_024_000L, 1_036_000L, 1_048_000L), b.times());
        assertEquals(0, link.endA().stats().queueDrops(), "a paced sender never fills the link's queue");
    }

    @Test
    void linkDownLosesQueuedAndInFlightFramesAndDropsNewOnes() {
        Link link = gigabit(Duration.ofMillis(5));
        for (int i = 0; i < 3; i++) {
            link.endA().transmit(TestFrames.numbered(pool, 1500, i));
        }
        link.endB().transmit(TestFrames.numbered(pool, 1500, 9));
        loop.runFor(20_000); // frame 0 propagating, frame 1 serializing, frame 2 queued

        link.setUp(false);
        assertFalse(link.isUp());
        assertFalse(link.endA().isBusy());
        assertFalse(link.endA().transmit(TestFrames.numbered(pool, 1500, 3)), "refused while down");
        loop.runUntilIdle();

        assertEquals(List.of(), b.arrivals, "nothing crossed the cut");
        assertEquals(List.of(), a.arrivals);
        assertEquals(4, link.endA().stats().downDrops());
        assertEquals(1, link.endB().stats().downDrops());
        assertEquals(5, pool.drops(DropReason.LINK_LOSS));
        assertEquals(List.of(), a.readyTimes, "a cut cable does not call the sender");
        assertEquals(List.of(12_000L), b.readyTimes, "B's one frame was out before the cut");

        link.setUp(true);
        assertEquals(List.of(loop.now()), a.readyTimes, "carrier back: the transmitter is ready");
        assertEquals(List.of(12_000L, loop.now()), b.readyTimes);
        long up = loop.now();
        link.endA().transmit(TestFrames.numbered(pool, 1500, 4));
        loop.runUntilIdle();

        assertEquals(List.of(up + 5_012_000L), b.times(), "a restored link delivers with its usual timing");
        LinkStats s = link.endA().stats();
        assertEquals(s.offered(), s.delivered() + s.dropped());
    }

    @Test
    void setUpTwiceIsANoOp() {
        Link link = gigabit(Duration.ZERO);
        link.setUp(true);
        assertEquals(List.of(), a.readyTimes);
        link.setUp(false);
        link.setUp(false);
        assertFalse(link.isUp());
    }

    @Test
    void framesAreCarriedWithoutCopying() {
        SkBuff[] seen = new SkBuff[1];
        FramePort keeper = new FramePort() {
            @Override
            public void frameArrived(SkBuff frame) {
                seen[0] = frame;
            }
        };
        Link link = Link.builder(loop).name("zc").build(a, keeper);
        SkBuff frame = TestFrames.numbered(pool, 64, 5);
        link.endA().transmit(frame);
        loop.runUntilIdle();

        assertSame(frame, seen[0], "the far port gets the very skb");
        seen[0].consume();
    }

    @Test
    void aReplySentDuringDeliveryWaitsForTheNextEvent() {
        // Two ports that bounce a frame back at once over a zero-delay link: each bounce is an event.
        int[] bounces = new int[1];
        Link[] link = new Link[1];
        FramePort left = new FramePort() {
            @Override
            public void frameArrived(SkBuff frame) {
                if (++bounces[0] < 1000) {
                    link[0].endA().transmit(frame);
                } else {
                    frame.consume();
                }
            }
        };
        FramePort right = new FramePort() {
            @Override
            public void frameArrived(SkBuff frame) {
                link[0].endB().transmit(frame);
            }
        };
        link[0] = Link.builder(loop).name("pingpong").build(left, right);
        link[0].endA().transmit(TestFrames.numbered(pool, 64, 0));
        long events = loop.runUntilIdle();

        assertEquals(1000, bounces[0]);
        assertTrue(events >= 1999, "one event per delivery, not a recursion: events=" + events);
        assertEquals(0, loop.now(), "no time passed");
    }

    @Test
    void endOfFindsTheSideAPortTransmitsInto() {
        Link link = gigabit(Duration.ZERO);
        assertSame(link.endA(), link.endOf(a));
        assertSame(link.endB(), link.endOf(b));
        assertSame(a, link.endA().sender());
        assertSame(b, link.endA().receiver());
        assertThrows(IllegalArgumentException.class, () -> link.endOf(new RecordingPort(loop, "c")));
    }

    @Test
    void builderRejectsBadConfiguration() {
        assertThrows(IllegalStateException.class, () -> Link.builder(loop).build(a, b), "name required");
        assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).name("x").build(a, a));
        assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).bandwidth(-1));
        assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).bandwidth(Link.MAX_BANDWIDTH + 1));
        assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).latencyNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).queueLimit(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Link.builder(loop).name("r")
                .impairments(Impairments.builder().reorder(0.5).build()).build(a, b));
        assertTrue(e.getMessage().contains("latency=0"), e.getMessage());
    }

    @Test
    void serializationNanosIsCeilOfBitsOverRate() {
        assertEquals(12_000, Link.serializationNanos(1500, GBIT));
        assertEquals(1_200_000, Link.serializationNanos(1500, 10_000_000));
        assertEquals(3, Link.serializationNanos(1, 3 * GBIT), "8/3 ns rounds up to 3");
        assertEquals(0, Link.serializationNanos(1500, 0), "infinite bandwidth");
    }

    @Test
    void statsAndToStringNameEveryCounter() {
        Link link = gigabit(Duration.ofMillis(5));
        link.endA().transmit(TestFrames.numbered(pool, 100, 0));
        loop.runUntilIdle();

        assertEquals("offered: 1 tx_packets: 1 tx_bytes: 100 delivered: 1 delivered_bytes: 100 dropped_queue: 0"
                + " dropped_loss: 0 dropped_down: 0 duplicated: 0 reordered: 0 corrupted: 0 backlog: 0 in_flight: 0",
                link.endA().stats().toString());
        assertEquals("Link[a-b 1000000000bit/s latency=5ms queue=1000 up]", link.toString());
    }
}
