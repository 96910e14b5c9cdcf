package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.TxResult;
import dev.stacksim.sim.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.stacksim.nic.TestFrames.MAC_A;
import static dev.stacksim.nic.TestFrames.MAC_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two NICs back to back: through an instant test medium, or through a test wire with bandwidth and delay. */
class SimNicPairTest {
    /** 1 Gbit/s: a 1000-byte frame serializes in 8 us. */
    private static final long GIGABIT = 1_000_000_000L;
    private static final long SER_1000 = 8_000;
    private static final long DELAY = 5_000;

    private final EventLoop loop = EventLoop.virtual(7);
    private final SkBuffPool poolA = SkBuffPool.create();
    private final SkBuffPool poolB = SkBuffPool.create();
    private final TestDeviceContext hostA = new TestDeviceContext(loop, poolA);
    private final TestDeviceContext hostB = new TestDeviceContext(loop, poolB);
    private SimNic a;
    private SimNic b;

    private static SimNicBuilder nic(String name, long mac) {
        return SimNic.builder().name(name).mac(mac);
    }

    /** Cables that hand each frame to the other NIC at once. */
    private void backToBack(SimNicBuilder builderA, SimNicBuilder builderB) {
        a = builderA.build();
        b = builderB.build();
        TestMedium toB = new TestMedium(loop);
        toB.peer = b;
        TestMedium toA = new TestMedium(loop);
        toA.peer = a;
        a.connect(toB);
        b.connect(toA);
        a.open(hostA, 1);
        b.open(hostB, 1);
    }

    /** A 1 Gbit/s cable with a 5 us propagation delay each way. */
    private void wired(long dmaLatency) {
        a = nic("eth0", MAC_A).dmaLatencyNanos(dmaLatency).build();
        b = nic("eth0", MAC_B).dmaLatencyNanos(dmaLatency).build();
        a.connect(new TestWire(loop, GIGABIT, DELAY, a, b));
        b.connect(new TestWire(loop, GIGABIT, DELAY, b, a));
        a.open(hostA, 1);
        b.open(hostB, 1);
    }

    private static SkBuff frame(SkBuffPool pool, long dst, long src, int len, int seed) {
        return TestFrames.skb(pool, TestFrames.ethernet(dst, src, 0x0800, len, seed));
    }

    @AfterEach
    void tearDown() {
        loop.runUntilIdle();
        a.stop();
        b.stop();
        assertEquals(0, poolA.outstanding());
        assertEquals(0, poolB.outstanding());
        loop.close();
    }

    @Test
    void framesCrossIntactInBothDirections() {
        backToBack(nic("eth0", MAC_A), nic("eth0", MAC_B));
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] fb = new byte[60 + random.nextInt(1455)];
            random.nextBytes(fb);
            toB.add(fb);
            assertEquals(TxResult.OK, a.startXmit(TestFrames.skb(poolA, fb)));
            byte[] fa = new byte[60 + random.nextInt(1455)];
            random.nextBytes(fa);
            toA.add(fa);
            assertEquals(TxResult.OK, b.startXmit(TestFrames.skb(poolB, fa)));
        }
        loop.runUntilIdle();
        assertEquals(50, hostB.received.size());
        assertEquals(50, hostA.received.size());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(toB.get(i), hostB.received.get(i).bytes(), "frame " + i + " to B");
            assertArrayEquals(toA.get(i), hostA.received.get(i).bytes(), "frame " + i + " to A");
        }
        assertEquals(a.stats().txBytes(), b.stats().rxBytes());
        assertEquals(b.stats().txPackets(), a.stats().rxPackets());
    }

    @Test
    void ringIndicesWrapAroundOverManyFrames() {
        backToBack(nic("eth0", MAC_A).txRingSize(8).rxRingSize(8), nic("eth0", MAC_B).txRingSize(8).rxRingSize(8));
        int frames = 1003;
        for (int i = 0; i < frames; i++) {
            SkBuff skb = frame(poolA, MAC_B, MAC_A, 60 + (i % 100), i);
            while (a.startXmit(skb) == TxResult.BUSY) {
                loop.runUntilIdle(); // what the host's qdisc does: wait for wakeQueue, then retry
            }
        }
        loop.runUntilIdle();
        assertEquals(frames, hostB.received.size());
        for (int i = 0; i < frames; i++) {
            assertArrayEquals(TestFrames.ethernet(MAC_B, MAC_A, 0x0800, 60 + (i % 100), i),
                    hostB.received.get(i).bytes(), "frame " + i);
        }
        assertEquals(0, b.stats().rxMissedErrors());
        assertEquals(frames & 7, a.txRing().nextToUse());
        assertEquals(frames & 7, a.txRing().nextToClean());
        assertEquals(frames & 7, b.rxRing(0).nextToClean());
        assertEquals(8, b.rxRing(0).ownedByDevice());
        long busy = a.ethtoolStats().get("tx_busy");
        assertTrue(busy > 100, "tx_busy=" + busy);
        assertEquals(busy, a.ethtoolStats().get("tx_restart_queue"));
        assertEquals(busy, hostA.wakeups);
    }

    @Test
    void withoutDmaLatencyAFrameArrivesAfterExactlySerializationPlusDelay() {
        wired(0);
        a.startXmit(frame(poolA, MAC_B, MAC_A, 1000, 0));
        loop.runUntilIdle();
        TestDeviceContext.Received r = hostB.received.get(0);
        assertEquals(SER_1000 + DELAY, r.time());
        assertEquals(SER_1000 + DELAY, r.tstamp(), "the RX timestamp is the write-back time");
    }

    @Test
    void dmaLatencyShiftsDeliveryByExactlyOneLatencyOnEachSide() {
        long d = 700;
        wired(d);
        a.startXmit(frame(poolA, MAC_B, MAC_A, 1000, 0));
        loop.runUntilIdle();
        assertEquals(d + SER_1000 + DELAY + d, hostB.received.get(0).time());
    }

    @Test
    void pingRoundTripIsTheLinksDelaysPlusSerializationExactly() {
        for (long d : new long[] {0, 250}) {
            hostA.received.clear();
            hostB.received.clear();
            wired(d);
            hostB.hook = (dev, skb) -> {
                byte[] echo = skb.toByteArray();
                byte[] reply = TestFrames.ethernet(MAC_A, MAC_B, 0x0800, echo.length, 0);
                System.arraycopy(echo, 14, reply, 14, echo.length - 14);
                b.startXmit(TestFrames.skb(poolB, reply));
            };
            long sent = loop.now();
            a.startXmit(frame(poolA, MAC_B, MAC_A, 1000, 9));
            loop.runUntilIdle();
            assertEquals(1, hostA.received.size());
            assertEquals(2 * (SER_1000 + DELAY) + 4 * d, hostA.received.get(0).time() - sent, "dma latency " + d);
            a.stop();
            b.stop();
        }
    }

    @Test
    void transmitIsPacedAtLineRateOneDmaAtATime() {
        for (long d : new long[] {0, 500}) {
            hostB.received.clear();
            wired(d);
            long start = loop.now();
            for (int i = 0; i < 3; i++) {
                assertEquals(TxResult.OK, a.startXmit(frame(poolA, MAC_B, MAC_A, 1000, i)));
            }
            loop.runUntilIdle();
            assertEquals(3, hostB.received.size());
            for (int k = 1; k <= 3; k++) {
                // frame k enters the wire at k*d + (k-1)*ser, arrives a delay later, written back after d
                assertEquals((k + 1) * d + k * SER_1000 + DELAY, hostB.received.get(k - 1).time() - start,
                        "frame " + k + " dma latency " + d);
            }
            a.stop();
            b.stop();
        }
    }
}
