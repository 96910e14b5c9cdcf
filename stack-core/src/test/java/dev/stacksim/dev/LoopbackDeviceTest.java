package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackDeviceTest {
    private final EventLoop loop = EventLoop.virtual(1);
    private final SkBuffPool pool = SkBuffPool.create();
    private final RecordingContext ctx = new RecordingContext(loop, pool);
    private final LoopbackDevice lo = new LoopbackDevice();

    @AfterEach
    void tearDown() {
        ctx.releaseAll();
        lo.stop();
        loop.close();
        pool.close();
    }

    private SkBuff packet(byte... bytes) {
        return pool.alloc(16, bytes.length).putBytes(bytes);
    }

    @Test
    void describesItselfAsLinuxLo() {
        assertEquals("lo", lo.name());
        assertEquals(NetDevice.ARPHRD_LOOPBACK, lo.type());
        assertEquals(0, lo.macAddress());
        assertEquals(65536, lo.mtu());
        assertFalse(lo.isUp());
        lo.open(ctx, 1);
        assertTrue(lo.isUp());
        assertEquals(1, lo.ifindex());
    }

    @Test
    void transmittedFrameComesBackOnALaterEventAtTheSameTime() {
        lo.open(ctx, 1);
        loop.runFor(5_000);
        assertEquals(TxResult.OK, lo.startXmit(packet((byte) 0x45, (byte) 1, (byte) 2)));
        assertTrue(ctx.received.isEmpty(), "netif_rx: never delivered inside the transmit call");
        assertEquals(1, lo.backlogSize());
        loop.runUntilIdle();
        assertEquals(1, ctx.received.size());
        assertEquals(5_000L, ctx.receivedAt.get(0));
        assertArrayEquals(new byte[] {0x45, 1, 2}, ctx.releaseAll().get(0));
    }

    @Test
    void framesKeepTheirOrderAndAreCountedBothWays() {
        lo.open(ctx, 1);
        lo.startXmit(packet((byte) 1, (byte) 1));
        lo.startXmit(packet((byte) 2, (byte) 2, (byte) 2));
        loop.runUntilIdle();
        var frames = ctx.releaseAll();
        assertEquals(1, frames.get(0)[0]);
        assertEquals(2, frames.get(1)[0]);
        assertEquals(2, lo.stats().txPackets());
        assertEquals(5, lo.stats().txBytes());
        assertEquals(2, lo.stats().rxPackets());
        assertEquals(5, lo.stats().rxBytes());
    }

    @Test
    void aFrameSentWhileDeliveringWaitsForTheNextRun() {
        lo.open(ctx, 1);
        RecordingContext echo = new RecordingContext(loop, pool) {
            @Override
            public void receive(NetDevice dev, SkBuff skb) {
                super.receive(dev, skb);
                if (received.size() == 1) {
                    lo.startXmit(packet((byte) 9));
                    assertEquals(1, received.size(), "no recursion into receive");
                }
            }
        };
        LoopbackDevice lo2 = new LoopbackDevice();
        lo2.open(echo, 1);
        lo2.startXmit(packet((byte) 1));
        loop.runUntilIdle();
        assertEquals(1, echo.received.size());
        assertEquals(1, ctx.received.size());
        echo.releaseAll();
        lo2.stop();
    }

    @Test
    void downDeviceDropsAndCounts() {
        long before = pool.drops(DropReason.DEV_READY);
        assertEquals(TxResult.OK, lo.startXmit(packet((byte) 1)));
        assertEquals(1, lo.stats().txDropped());
        assertEquals(before + 1, pool.drops(DropReason.DEV_READY));
    }

    @Test
    void stopFreesTheBacklog() {
        lo.open(ctx, 1);
        lo.startXmit(packet((byte) 1));
        lo.startXmit(packet((byte) 2));
        lo.stop();
        assertEquals(2, pool.drops(DropReason.QUEUE_PURGE));
        loop.runUntilIdle();
        assertTrue(ctx.received.isEmpty());
    }

    @Test
    void mtuBelowIpv4MinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> lo.setMtu(67));
        lo.setMtu(1500);
        assertEquals(1500, lo.mtu());
    }
}
