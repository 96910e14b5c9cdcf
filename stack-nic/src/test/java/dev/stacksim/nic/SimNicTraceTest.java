package dev.stacksim.nic;

import static dev.stacksim.nic.TestFrames.MAC_A;
import static dev.stacksim.nic.TestFrames.MAC_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;
import dev.stacksim.net.FramePort;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import dev.stacksim.trace.Tracer;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a NIC reports to the event trace: its ring moves and the drops of frames it takes in. */
class SimNicTraceTest {
    private final EventLoop loop = EventLoop.virtual(7);
    private final Tracer tracer = new Tracer();
    private final TraceRecorder rec = new TraceRecorder();

    /** Two NICs back to back through instant media, each on a host context tracing as "a" and "b". */
    private SimNic[] pair(SkBuffPool poolA, SkBuffPool poolB, int ringSize) {
        SinkContext hostA = new SinkContext(poolA, new HostTrace("a", tracer, loop));
        SinkContext hostB = new SinkContext(poolB, new HostTrace("b", tracer, loop));
        SimNic a = SimNic.builder().name("eth0").mac(MAC_A).txRingSize(ringSize).rxRingSize(ringSize).build();
        SimNic b = SimNic.builder().name("eth1").mac(MAC_B).txRingSize(ringSize).rxRingSize(ringSize).build();
        a.connect(new Wire(b));
        b.connect(new Wire(a));
        a.open(hostA, 1);
        b.open(hostB, 1);
        return new SimNic[] {a, b};
    }

    private static byte[] frame() {
        return TestFrames.ipv4(17, TestFrames.addr("10.0.0.1"), TestFrames.addr("10.0.0.2"), 4000, 9, 0, 100);
    }

    @Test
    void aFrameIsPostedSentReceivedPolledAndItsDescriptorsRecycled() {
        SkBuffPool pool = SkBuffPool.create();
        SimNic[] nics = pair(pool, pool, 4);
        tracer.addListener(rec);
        assertEquals(TxResult.OK, nics[0].startXmit(TestFrames.skb(pool, frame())));
        loop.runUntilIdle();

        List<String> moves = rec.events(TraceEvent.RingMove.class).stream()
                .map(e -> e.host() + " " + e.describe()).collect(Collectors.toList());
        assertEquals(List.of(
                "a ring eth0 tx0 post [0]",      // e1000_xmit_frame
                "a ring eth0 tx0 dma [0]",       // the MAC read it out, done bit written back
                "b ring eth1 rx0 dma [0]",       // DMA into the buffer posted at head
                "b ring eth1 rx0 poll [0]",      // NAPI hands it to the stack
                "b ring eth1 rx0 post [0]",      // and refills the descriptor
                "a ring eth0 tx0 clean [0]"),    // TX completion on a's next poll
                moves);
        nics[0].stop();
        nics[1].stop();
        pool.close();
    }

    @Test
    void aFrameTheReceivingNicDropsIsTheReceivingHostsDrop() {
        SkBuffPool pool = SkBuffPool.create();
        SimNic[] nics = pair(pool, pool, 4);
        tracer.addListener(rec);
        SkBuff big = TestFrames.skb(pool, TestFrames.ethernet(MAC_B, MAC_A, 0x0800, 1600, 1));
        big.setDropListener(new HostTrace("a", tracer, loop)); // sent by a
        nics[1].frameArrived(big);

        TraceEvent.Drop d = rec.events(TraceEvent.Drop.class).get(0);
        assertEquals("b", d.host());
        assertEquals(DropReason.PKT_TOO_BIG, d.reason());
        assertEquals("SimNic.frameArrived", d.where());
        nics[0].stop();
        nics[1].stop();
        pool.close();
    }

    @Test
    void withNobodyListeningATracingHostCostsNothingPerPacket() {
        SkBuffPool poolA = recyclingPool();
        SkBuffPool poolB = recyclingPool();
        SimNic[] nics = pair(poolA, poolB, 64);
        try {
            send(nics[0], poolA, 2_048);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            send(nics[0], poolA, 20_480);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20480 frames");
            assertEquals(22_528, nics[1].stats().rxPackets());

            tracer.addListener(rec);
            send(nics[0], poolA, 32);
            assertEquals(32 * 6, rec.events(TraceEvent.RingMove.class).size(),
                    "the same path, listened to, reports six moves a frame");
        } finally {
            nics[0].stop();
            nics[1].stop();
            poolA.close();
            poolB.close();
        }
    }

    /** A host that consumes what it receives and traces as its {@link HostTrace} says. */
    private final class SinkContext implements DeviceContext {
        private final SkBuffPool pool;
        private final HostTrace trace;

        SinkContext(SkBuffPool pool, HostTrace trace) {
            this.pool = pool;
            this.trace = trace;
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
            skb.consume();
        }

        @Override
        public void wakeQueue(NetDevice dev) {
        }

        @Override
        public HostTrace trace() {
            return trace;
        }
    }

    /** A cable that hands each frame to the peer at once and records nothing (allocates nothing). */
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

    /** A recycling pool without netty's PARANOID leak detector (see SimNicAllocationTest). */
    private static SkBuffPool recyclingPool() {
        return SkBuffPool.builder().trackAllocations(false)
                .allocator(new UnpooledByteBufAllocator(false, true)).build();
    }

    private void send(SimNic nic, SkBuffPool pool, int n) {
        byte[] f = frame();
        for (int i = 0; i < n; i += 32) {
            for (int j = 0; j < 32; j++) {
                SkBuff skb = pool.alloc(SkBuffPool.NET_SKB_PAD, f.length).putBytes(f);
                if (nic.startXmit(skb) != TxResult.OK) {
                    throw new AssertionError("busy");
                }
            }
            loop.runUntilIdle();
        }
    }
}
