package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VethPairTest {
    private final EventLoop loop = EventLoop.virtual(3);
    private final SkBuffPool pool = SkBuffPool.create();
    private final RecordingContext left = new RecordingContext(loop, pool);
    private final RecordingContext right = new RecordingContext(loop, pool);
    private final VethPair pair = VethPair.create("veth0", 0x0200_0000_0001L, "veth1", 0x0200_0000_0002L);

    @AfterEach
    void tearDown() {
        left.releaseAll();
        right.releaseAll();
        pair.first().stop();
        pair.second().stop();
        loop.close();
        pool.close();
    }

    private SkBuff frame(int len, int fill) {
        SkBuff skb = pool.alloc(16, len);
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) fill);
        return skb.putBytes(b);
    }

    private void open() {
        pair.first().open(left, 2);
        pair.second().open(right, 2);
    }

    @Test
    void endsArePeersWithTheirNamesAndMacs() {
        assertSame(pair.second(), pair.first().peer());
        assertSame(pair.first(), pair.second().peer());
        assertEquals("veth0", pair.first().name());
        assertEquals(0x0200_0000_0002L, pair.second().macAddress());
        assertEquals(NetDevice.ARPHRD_ETHER, pair.first().type());
        assertEquals(1500, pair.first().mtu());
    }

    @Test
    void transmitOnOneEndIsReceivedByThePeerAtTheSameTimeOnALaterEvent() {
        open();
        loop.runFor(1_000);
        assertEquals(TxResult.OK, pair.first().startXmit(frame(60, 7)));
        assertTrue(right.received.isEmpty());
        loop.runUntilIdle();
        assertEquals(1, right.received.size());
        assertEquals(1_000L, right.receivedAt.get(0));
        assertTrue(left.received.isEmpty());
        assertEquals(1, pair.first().stats().txPackets());
        assertEquals(60, pair.first().stats().txBytes());
        assertEquals(1, pair.second().stats().rxPackets());
        assertEquals(60, pair.second().stats().rxBytes());
        assertEquals(7, right.releaseAll().get(0)[59]);
    }

    @Test
    void delayDeliversLaterInOrder() {
        pair.delay(2_000_000);
        open();
        pair.second().startXmit(frame(20, 1));
        loop.runFor(500_000);
        pair.second().startXmit(frame(20, 2));
        loop.runUntilIdle();
        assertEquals(java.util.List.of(2_000_000L, 2_500_000L), left.receivedAt);
        var frames = left.releaseAll();
        assertEquals(1, frames.get(0)[0]);
        assertEquals(2, frames.get(1)[0]);
    }

    @Test
    void peerDownDropsAndCountsTxDropped() {
        pair.first().open(left, 2);
        assertEquals(TxResult.OK, pair.first().startXmit(frame(20, 1)));
        assertEquals(1, pair.first().stats().txDropped());
        assertEquals(1, pool.drops(DropReason.DEV_READY));
    }

    @Test
    void frameLongerThanPeerMtuIsDroppedAtThePeer() {
        open();
        pair.second().setMtu(1000);
        pair.first().startXmit(frame(1000 + 14 + 4, 1));
        pair.first().startXmit(frame(1000 + 14 + 5, 1));
        loop.runUntilIdle();
        assertEquals(1, right.received.size());
        assertEquals(1, pair.second().stats().rxDropped());
        assertEquals(1, pair.first().stats().txDropped());
        assertEquals(1, pool.drops(DropReason.PKT_TOO_BIG));
    }

    @Test
    void stopFreesFramesInFlight() {
        pair.delay(1_000);
        open();
        pair.first().startXmit(frame(20, 1));
        pair.second().stop();
        loop.runUntilIdle();
        assertTrue(right.received.isEmpty());
        assertEquals(1, pool.drops(DropReason.QUEUE_PURGE));
    }

    @Test
    void randomMacsAreLocallyAdministeredUnicastAndReproducible() {
        VethPair a = VethPair.create("a0", "a1", loop.random().fork("veth"));
        VethPair b = VethPair.create("a0", "a1", EventLoop.virtual(3).random().fork("veth"));
        assertEquals(a.first().macAddress(), b.first().macAddress());
        assertNotEquals(a.first().macAddress(), a.second().macAddress());
        MacAddress m = MacAddress.of(a.first().macAddress());
        assertTrue(m.isLocallyAdministered());
        assertTrue(m.isUnicast());
    }

    @Test
    void badNamesMacsAndMtusAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VethPair.create("", 2, "b", 4));
        assertThrows(IllegalArgumentException.class, () -> VethPair.create("sixteen-chars-xx", 2, "b", 4));
        assertThrows(IllegalArgumentException.class, () -> VethPair.create("a", 0x0100_0000_0001L, "b", 4));
        assertThrows(IllegalArgumentException.class, () -> VethPair.create("a", 0, "b", 4));
        assertThrows(IllegalArgumentException.class, () -> pair.first().setMtu(67));
        assertThrows(IllegalArgumentException.class, () -> pair.delay(-1));
    }
}
