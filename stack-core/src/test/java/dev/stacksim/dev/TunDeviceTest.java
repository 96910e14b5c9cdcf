package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.EtherType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunDeviceTest {
    private final EventLoop loop = EventLoop.virtual(5);
    private final SkBuffPool pool = SkBuffPool.create();
    private final RecordingContext host = new RecordingContext(loop, pool);
    private final TunDevice tun = new TunDevice("tun0");

    @AfterEach
    void tearDown() {
        host.releaseAll();
        tun.stop();
        loop.close();
        pool.close();
    }

    private SkBuff packet(int firstByte, int len) {
        SkBuff skb = pool.alloc(16, len);
        byte[] b = new byte[len];
        b[0] = (byte) firstByte;
        return skb.putBytes(b);
    }

    @Test
    void isARawIpDeviceWithoutAddress() {
        assertEquals(TunDevice.ARPHRD_NONE, tun.type());
        assertEquals(0, tun.macAddress());
        assertEquals(1500, tun.mtu());
        assertThrows(IllegalArgumentException.class, () -> new TunDevice(""));
        assertThrows(IllegalArgumentException.class, () -> tun.setMtu(67));
    }

    @Test
    void transmittedPacketsWaitInTheReadQueueAndTheReaderIsTold() {
        tun.open(host, 2);
        List<Integer> told = new ArrayList<>();
        tun.setReader(d -> told.add(d.readQueueSize()));
        assertEquals(TxResult.OK, tun.startXmit(packet(0x45, 40)));
        assertEquals(TxResult.OK, tun.startXmit(packet(0x45, 60)));
        assertEquals(List.of(1, 2), told);
        assertEquals(2, tun.stats().txPackets());
        assertEquals(100, tun.stats().txBytes());
        SkBuff first = tun.read();
        assertEquals(40, first.len());
        first.consume();
        tun.read().consume();
        assertNull(tun.read());
    }

    @Test
    void aFullReadQueueDropsAndCountsTxDropped() {
        tun.open(host, 2);
        tun.setTxQueueLen(1);
        tun.startXmit(packet(0x45, 20));
        long before = pool.drops(DropReason.FULL_RING);
        assertEquals(TxResult.OK, tun.startXmit(packet(0x45, 20)));
        assertEquals(1, tun.readQueueSize());
        assertEquals(1, tun.stats().txDropped());
        assertEquals(before + 1, pool.drops(DropReason.FULL_RING));
    }

    @Test
    void writtenPacketIsReceivedOnALaterEventAtTheSameTimeAsIpv4() {
        tun.open(host, 2);
        loop.runFor(7_000);
        assertTrue(tun.write(packet(0x45, 28)));
        assertTrue(host.received.isEmpty());
        loop.runUntilIdle();
        assertEquals(1, host.received.size());
        assertEquals(7_000L, host.receivedAt.get(0));
        SkBuff got = host.received.get(0);
        assertEquals(EtherType.IPV4, got.protocol());
        assertEquals(SkBuff.PACKET_HOST, got.pktType());
        assertEquals(1, tun.stats().rxPackets());
    }

    @Test
    void writeOfSomethingThatIsNotIpIsRefused() {
        tun.open(host, 2);
        assertFalse(tun.write(packet(0x15, 20)));
        loop.runUntilIdle();
        assertTrue(host.received.isEmpty());
        assertEquals(1, tun.stats().rxDropped());
    }

    @Test
    void writeOfBytesCopiesFromTheHostsPool() {
        tun.open(host, 2);
        byte[] b = new byte[24];
        b[0] = 0x45;
        b[23] = 9;
        assertTrue(tun.write(b, 0, b.length));
        loop.runUntilIdle();
        assertEquals(9, host.releaseAll().get(0)[23]);
    }

    @Test
    void stopFreesUnreadPacketsAndRefusesMore() {
        tun.open(host, 2);
        tun.startXmit(packet(0x45, 20));
        tun.write(packet(0x45, 20));
        tun.stop();
        assertEquals(0, tun.readQueueSize());
        loop.runUntilIdle();
        assertTrue(host.received.isEmpty());
        assertEquals(TxResult.OK, tun.startXmit(packet(0x45, 20)));
        assertEquals(1, tun.stats().txDropped());
        assertFalse(tun.write(packet(0x45, 20)));
        assertSame(null, tun.read());
    }
}
