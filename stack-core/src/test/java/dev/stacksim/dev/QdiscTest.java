package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QdiscTest {
    /** A device with a TX ring of {@code room} slots: BUSY when full, until the test frees slots. */
    static final class RingDevice implements NetDevice {
        final List<SkBuff> ring = new ArrayList<>();
        int room;
        boolean up = true;
        int calls;

        RingDevice(int room) {
            this.room = room;
        }

        @Override
        public String name() {
            return "eth0";
        }

        @Override
        public int type() {
            return ARPHRD_ETHER;
        }

        @Override
        public long macAddress() {
            return 0x0200_0000_0001L;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void open(DeviceContext ctx, int ifindex) {
        }

        @Override
        public int ifindex() {
            return 2;
        }

        @Override
        public boolean isUp() {
            return up;
        }

        @Override
        public void stop() {
            up = false;
        }

        @Override
        public TxResult startXmit(SkBuff skb) {
            calls++;
            if (ring.size() >= room) {
                return TxResult.BUSY;
            }
            ring.add(skb);
            return TxResult.OK;
        }

        @Override
        public DeviceStats stats() {
            return new DeviceStats();
        }

        List<Integer> drain() {
            List<Integer> ids = new ArrayList<>();
            for (SkBuff s : ring) {
                ids.add((int) s.getByte(s.data()));
                s.consume();
            }
            ring.clear();
            return ids;
        }
    }

    private final SkBuffPool pool = SkBuffPool.create();

    @AfterEach
    void tearDown() {
        pool.close();
    }

    private SkBuff frame(int id) {
        return pool.alloc(0, 60).putBytes(new byte[] {(byte) id}).putBytes(new byte[59]);
    }

    @Test
    void idleQueuePassesFramesStraightToTheDevice() {
        RingDevice dev = new RingDevice(8);
        Qdisc q = new Qdisc(dev, 1000);
        assertTrue(q.enqueue(frame(1)));
        assertEquals(1, dev.ring.size());
        assertEquals(0, q.qlen());
        assertEquals(1, q.sentPackets());
        assertEquals(60, q.sentBytes());
        dev.drain();
    }

    @Test
    void busyStopsTheQueueAndWakeResumesInOrder() {
        RingDevice dev = new RingDevice(2);
        Qdisc q = new Qdisc(dev, 1000);
        for (int i = 1; i <= 5; i++) {
            assertTrue(q.enqueue(frame(i)));
        }
        assertTrue(q.isStopped());
        assertEquals(3, q.qlen());
        assertEquals(180, q.backlogBytes());
        assertEquals(1, q.requeues());
        assertEquals(List.of(1, 2), dev.drain());
        int callsWhileStopped = dev.calls;
        q.enqueue(frame(6));
        assertEquals(callsWhileStopped, dev.calls, "a stopped queue does not call the device");
        q.wake();
        assertEquals(List.of(3, 4), dev.drain());
        assertTrue(q.isStopped());
        dev.room = 10;
        q.wake();
        assertFalse(q.isStopped());
        assertEquals(List.of(5, 6), dev.drain());
        assertEquals(0, q.qlen());
        assertEquals(0, q.backlogBytes());
        assertEquals(6, q.sentPackets());
        assertEquals(2, q.requeues());
    }

    @Test
    void fullQueueTailDropsWithQdiscDrop() {
        RingDevice dev = new RingDevice(0);
        Qdisc q = new Qdisc(dev, 3);
        for (int i = 1; i <= 5; i++) {
            q.enqueue(frame(i));
        }
        assertEquals(3, q.qlen());
        assertEquals(2, q.dropped());
        assertEquals(2, pool.drops(DropReason.QDISC_DROP));
        q.purge(DropReason.QUEUE_PURGE);
        assertEquals(3, pool.drops(DropReason.QUEUE_PURGE));
        assertEquals(0, q.backlogBytes());
    }

    @Test
    void downDeviceDropsWithDevReady() {
        RingDevice dev = new RingDevice(1);
        dev.up = false;
        Qdisc q = new Qdisc(dev, 10);
        assertFalse(q.enqueue(frame(1)));
        assertEquals(1, pool.drops(DropReason.DEV_READY));
        assertEquals(1, q.dropped());
    }

    @Test
    void deviceGoingDownWhileQueuedDropsTheRestOnWake() {
        RingDevice dev = new RingDevice(0);
        Qdisc q = new Qdisc(dev, 10);
        q.enqueue(frame(1));
        q.enqueue(frame(2));
        dev.up = false;
        q.wake();
        assertEquals(0, q.qlen());
        assertEquals(2, pool.drops(DropReason.DEV_READY));
    }

    @Test
    void printsLikeTcShowsIt() {
        RingDevice dev = new RingDevice(1);
        Qdisc q = new Qdisc(dev, 1000);
        q.enqueue(frame(1));
        assertEquals("qdisc pfifo_fast 0: dev eth0 root limit 1000p\n"
                + " Sent 60 bytes 1 pkt (dropped 0, overlimits 0 requeues 0)\n"
                + " backlog 0b 0p requeues 0\n", q.toString());
        dev.drain();
    }
}
