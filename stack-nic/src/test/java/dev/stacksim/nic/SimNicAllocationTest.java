package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;
import dev.stacksim.net.FramePort;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.EventLoop;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NIC's per-packet path allocates nothing in steady state: descriptors are arrays, NAPI and DMA
 * are re-armed timers, and the pools recycle skbs (tracking off here, so that they do; the tests'
 * leak check does not see these pools, so the test checks them itself). Measured with the JVM's
 * per-thread allocation counter over 20480 frames from one NIC to another (two RX queues).
 */
class SimNicAllocationTest {
    /** A host that only consumes what it receives. */
    private static final class SinkContext implements DeviceContext {
        private final EventLoop loop;
        private final SkBuffPool pool;
        long received;

        SinkContext(EventLoop loop, SkBuffPool pool) {
            this.loop = loop;
            this.pool = pool;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public SkBuffPool pool() {
            return pool;
        }

        @Override
        public void receive(NetDevice dev, SkBuff skb) {
            received++;
            skb.consume();
        }

        @Override
        public void wakeQueue(NetDevice dev) {
        }
    }

    /** A cable that hands each frame to the peer at once and records nothing. */
    private static final class Wire implements Medium {
        private final FramePort peer;

        Wire(FramePort peer) {
            this.peer = peer;
        }

        @Override
        public boolean transmit(SkBuff frame) {
            peer.frameArrived(frame);
            return true;
        }

        @Override
        public boolean isBusy() {
            return false;
        }
    }

    @Test
    void steadyStateTrafficAllocatesNothingPerPacket() {
        EventLoop loop = EventLoop.virtual(3);
        SkBuffPool poolA = recyclingPool();
        SkBuffPool poolB = recyclingPool();
        SinkContext hostA = new SinkContext(loop, poolA);
        SinkContext hostB = new SinkContext(loop, poolB);
        SimNic a = SimNic.builder().mac(TestFrames.MAC_A).txRingSize(64).rxRingSize(64).build();
        SimNic b = SimNic.builder().mac(TestFrames.MAC_B).txRingSize(64).rxRingSize(64).rxQueues(2).build();
        a.connect(new Wire(b));
        b.connect(new Wire(a));
        a.open(hostA, 1);
        b.open(hostB, 1);
        byte[] frame = TestFrames.ipv4(6, TestFrames.addr("10.0.0.1"), TestFrames.addr("10.0.0.2"), 40000, 80, 0, 1000);

        try {
            send(loop, a, poolA, frame, 2_048);   // warm up: pools fill, code is compiled
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            send(loop, a, poolA, frame, 20_480);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertEquals(22_528, hostB.received);
            assertEquals(22_528, b.stats().rxPackets());
            assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20480 frames");
        } finally {
            a.stop();
            b.stop();
            assertEquals(0, poolA.outstanding());
            assertEquals(0, poolB.outstanding());
            poolA.close();
            poolB.close();
            loop.close();
        }
    }

    /**
     * A pool that recycles (tracking off) over buffers without netty's PARANOID leak detector, which
     * would otherwise record a stack trace on every buffer access and drown what is measured.
     */
    private static SkBuffPool recyclingPool() {
        return SkBuffPool.builder().trackAllocations(false)
                .allocator(new UnpooledByteBufAllocator(false, true)).build();
    }

    /** Sends {@code n} (a multiple of 32) copies of {@code frame} in bursts of 32, running the loop after each. */
    private static void send(EventLoop loop, SimNic nic, SkBuffPool pool, byte[] frame, int n) {
        for (int i = 0; i < n; i += 32) {
            for (int j = 0; j < 32; j++) {
                SkBuff skb = pool.alloc(SkBuffPool.NET_SKB_PAD, frame.length).putBytes(frame);
                if (nic.startXmit(skb) != TxResult.OK) {
                    throw new AssertionError("busy");
                }
            }
            loop.runUntilIdle();
        }
    }
}
