package dev.stacksim.nic;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.IpProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.stacksim.nic.TestFrames.MAC_A;
import static dev.stacksim.nic.TestFrames.MAC_B;
import static dev.stacksim.nic.TestFrames.addr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One NIC between a fake host ({@link TestDeviceContext}) and a fake cable ({@link TestMedium}). */
class SimNicTest {
    private final EventLoop loop = EventLoop.virtual(1);
    private final SkBuffPool pool = SkBuffPool.create();
    private final TestDeviceContext ctx = new TestDeviceContext(loop, pool);
    private final TestMedium medium = new TestMedium(loop);
    private final List<SkBuff> held = new ArrayList<>();
    private SimNic nic;

    private SimNic open(SimNicBuilder builder) {
        nic = builder.build();
        nic.connect(medium);
        nic.open(ctx, 2);
        return nic;
    }

    private static SimNicBuilder eth0() {
        return SimNic.builder().name("eth0").mac(MAC_B);
    }

    /** A unicast frame to this NIC, {@code len} bytes, arriving from the cable now. */
    private void arrive(int len, int seed) {
        nic.frameArrived(TestFrames.skb(pool, TestFrames.ethernet(MAC_B, MAC_A, 0x0800, len, seed)));
    }

    private SkBuff frame(int len) {
        return TestFrames.skb(pool, TestFrames.ethernet(MAC_A, MAC_B, 0x0800, len, 1));
    }

    private long stat(String name) {
        return nic.ethtoolStats().get(name);
    }

    @AfterEach
    void tearDown() {
        if (nic != null) {
            nic.stop();
        }
        medium.releaseAll();
        held.forEach(SkBuff::consume);
        assertEquals(0, pool.outstanding(), "every skb released once the NIC is stopped");
        loop.close();
    }

    @Nested
    class Receive {
        @Test
        void openPostsAnEmptyBufferInEveryRxDescriptor() {
            open(eth0().rxRingSize(16));
            DescriptorRing rx = nic.rxRing(0);
            assertEquals(16, rx.ownedByDevice());
            assertEquals(0, rx.unused());
            assertEquals("PPPPPPPPPPPPPPPP", rx.picture());
            assertEquals(16, pool.outstanding());
            assertTrue(nic.isUp());
            assertTrue(nic.interruptsEnabled(0));
        }

        @Test
        void frameIsCopiedIntoAPostedBufferAndHandedToTheStack() {
            open(eth0());
            byte[] bytes = TestFrames.ethernet(MAC_B, MAC_A, 0x0800, 100, 3);
            SkBuff wire = TestFrames.skb(pool, bytes);
            nic.frameArrived(wire);
            assertEquals(0, wire.refCnt(), "the wire skb is consumed once DMA copied it");
            assertEquals(1, nic.rxRing(0).doneCount());
            assertFalse(nic.interruptsEnabled(0), "the interrupt masks itself and schedules NAPI");
            assertTrue(ctx.received.isEmpty(), "nothing reaches the stack before the NAPI poll runs");

            loop.runUntilIdle();
            assertEquals(1, ctx.received.size());
            TestDeviceContext.Received r = ctx.received.get(0);
            assertArrayEquals(bytes, r.bytes());
            assertEquals(2, r.ifindex());
            assertEquals(SkBuffPool.NET_SKB_PAD, r.headroom());
            assertEquals(1, nic.stats().rxPackets());
            assertEquals(100, nic.stats().rxBytes());
            assertEquals(0, nic.stats().multicast());
            assertTrue(nic.interruptsEnabled(0));
        }

        @Test
        void broadcastFramesCountAsMulticast() {
            open(eth0());
            nic.frameArrived(TestFrames.skb(pool, TestFrames.ethernet(0xFFFF_FFFF_FFFFL, MAC_A, 0x0806, 60, 0)));
            loop.runUntilIdle();
            assertEquals(1, nic.stats().multicast());
        }

        @Test
        void napiRefillsEveryDescriptorItHandsToTheStack() {
            open(eth0().rxRingSize(8));
            for (int i = 0; i < 5; i++) {
                arrive(64, i);
            }
            assertEquals("DDDDDPPP", nic.rxRing(0).picture());
            loop.runUntilIdle();
            assertEquals(8, nic.rxRing(0).ownedByDevice());
            assertEquals("PPPPPPPP", nic.rxRing(0).picture());
            assertEquals(5, nic.rxRing(0).nextToClean());
            assertEquals(8, pool.outstanding(), "8 posted buffers, the 5 received ones released by the stack");
        }

        @Test
        void burstIsProcessedInPollsOfAtMostTheBudgetThenInterruptsAreReenabled() {
            open(eth0());
            for (int i = 0; i < 200; i++) {
                arrive(60, i);
            }
            assertEquals(1, stat("interrupts"), "one interrupt: it stays masked while NAPI is scheduled");
            assertFalse(nic.interruptsEnabled(0));
            assertEquals(200, nic.rxRing(0).doneCount());

            loop.runUntilIdle();
            Map<Long, Integer> perPoll = new TreeMap<>();
            for (TestDeviceContext.Received r : ctx.received) {
                perPoll.merge(r.event(), 1, Integer::sum);
            }
            assertEquals(List.of(64, 64, 64, 8), new ArrayList<>(perPoll.values()));
            assertEquals(4, stat("napi_polls"));
            assertEquals(3, stat("napi_budget_exhausted"));
            assertEquals(1, stat("napi_complete"));
            assertTrue(nic.interruptsEnabled(0));
            for (int i = 0; i < 200; i++) {
                assertEquals((byte) (i + 14), ctx.received.get(i).bytes()[14], "in arrival order");
            }

            arrive(60, 0);
            assertEquals(2, stat("interrupts"), "re-enabled: the next frame interrupts again");
            loop.runUntilIdle();
        }

        @Test
        void smallerBudgetGivesMorePolls() {
            open(eth0().napiBudget(16));
            for (int i = 0; i < 40; i++) {
                arrive(60, i);
            }
            loop.runUntilIdle();
            assertEquals(3, stat("napi_polls"));
            assertEquals(40, ctx.received.size());
        }

        @Test
        void interruptCoalescingDelaysThePollAndFramesArrivingMeanwhileWaitInTheRing() {
            open(eth0().rxRingSize(8).rxUsecs(java.time.Duration.ofNanos(50_000)));
            arrive(60, 0);
            loop.runFor(java.time.Duration.ofNanos(49_000));
            assertEquals(0, ctx.received.size(), "the poll waits for rx-usecs");
            for (int i = 1; i < 10; i++) {
                arrive(60, i);
            }
            assertEquals(2, nic.stats().rxMissedErrors(), "eight descriptors, ten frames in the window");
            loop.runFor(java.time.Duration.ofNanos(1_000));
            assertEquals(8, ctx.received.size());
            assertEquals(1, stat("interrupts"), "one interrupt for the whole window");
            assertEquals(10, ctx.received.size() + nic.stats().rxMissedErrors());
            loop.runUntilIdle();
        }

        @Test
        void floodThatOutrunsNapiIsCountedAsMissedNeverLostSilently() {
            open(eth0());
            int sent = 300;
            for (int i = 0; i < sent; i++) {
                arrive(60, i);
            }
            assertEquals(44, nic.stats().rxMissedErrors());
            assertEquals(44, stat("rx_no_buffer_count"));
            assertEquals(44, pool.drops(DropReason.FULL_RING));
            loop.runUntilIdle();
            assertEquals(256, ctx.received.size());
            assertEquals(sent, ctx.received.size() + nic.stats().rxMissedErrors());
            assertEquals(256, nic.rxRing(0).ownedByDevice(), "refilled: the next frames fit again");
            arrive(60, 0);
            loop.runUntilIdle();
            assertEquals(257, ctx.received.size());
        }

        @Test
        void framesLongerThanMtuPlusHeaderAreLengthErrors() {
            open(eth0());
            arrive(1514, 0);
            arrive(1515, 0);
            nic.frameArrived(TestFrames.skb(pool, new byte[10]));
            loop.runUntilIdle();
            assertEquals(1, ctx.received.size());
            assertEquals(1514, ctx.received.get(0).bytes().length);
            assertEquals(2, nic.stats().rxLengthErrors());
            assertEquals(2, nic.stats().rxErrors());
            assertEquals(1, stat("rx_long_length_errors"));
            assertEquals(1, stat("rx_short_length_errors"));
            assertEquals(1, pool.drops(DropReason.PKT_TOO_BIG));
            assertEquals(1, pool.drops(DropReason.PKT_TOO_SMALL));
        }

        @Test
        void jumboMtuAcceptsJumboFrames() {
            open(eth0().mtu(9000).rxRingSize(4));
            arrive(9014, 0);
            loop.runUntilIdle();
            assertEquals(9014, ctx.received.get(0).bytes().length);
        }

        @Test
        void framesShorterThanTheEthernetMinimumArrivePaddedWithZeros() {
            open(eth0());
            byte[] arp = TestFrames.ethernet(0xFFFF_FFFF_FFFFL, MAC_A, 0x0806, 42, 5);
            nic.frameArrived(TestFrames.skb(pool, arp));
            loop.runUntilIdle();
            byte[] got = ctx.received.get(0).bytes();
            assertEquals(SimNic.ETH_ZLEN, got.length);
            assertArrayEquals(arp, Arrays.copyOf(got, 42));
            assertArrayEquals(new byte[18], Arrays.copyOfRange(got, 42, 60));
            assertEquals(60, nic.stats().rxBytes());
        }

        @Test
        void downNicDropsArrivingFramesUncounted() {
            nic = eth0().build();
            nic.frameArrived(frame(60));
            assertEquals(1, pool.drops(DropReason.DEV_READY));
            assertEquals(0, nic.stats().rxPackets() + nic.stats().rxMissedErrors());
        }
    }

    @Nested
    class Transmit {
        @Test
        void sendingSocketGetsItsBufferSpaceBackAtTxCompletionNotWhenTheFrameArrives() {
            open(eth0());
            long[] charged = {0};
            dev.stacksim.buf.SkbOwner socket = new dev.stacksim.buf.SkbOwner() {
                @Override
                public void charge(SkBuff skb, int truesize) {
                    charged[0] += truesize;
                }

                @Override
                public void uncharge(SkBuff skb, int truesize) {
                    charged[0] -= truesize;
                }
            };
            SkBuff f = frame(100);
            f.setOwner(socket);
            assertTrue(charged[0] > 0);
            nic.startXmit(f);
            loop.runUntilIdle();
            assertEquals(1, medium.frames.size(), "the medium holds the frame, still on its way");
            assertEquals(0, charged[0], "e1000_clean_tx_irq frees the skb: the socket is uncharged");
        }

        @Test
        void macTakesDescriptorsInOrderOnlyWhileTheMediumIsIdle() {
            open(eth0().txRingSize(8));
            medium.busy = true;
            for (int i = 0; i < 3; i++) {
                assertEquals(TxResult.OK, nic.startXmit(frame(60 + i)));
            }
            loop.runUntilIdle();
            assertTrue(medium.frames.isEmpty());
            assertEquals(3, nic.txRing().ownedByDevice());
            assertEquals("PPP.....", nic.txRing().picture());

            medium.busy = false;
            nic.transmitReady();
            loop.runUntilIdle();
            assertEquals(3, medium.frames.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(60 + i, medium.frames.get(i).len(), "in ring order");
            }
            assertEquals(3, nic.stats().txPackets(), "counted when reclaimed by the TX completion");
            assertEquals(183, nic.stats().txBytes());
            assertEquals(8, nic.txRing().unused());
            assertEquals(3, nic.txRing().nextToClean());
        }

        @Test
        void zeroLatencyDmaMovesABurstOfPostedDescriptorsInOneEventInRingOrder() {
            open(eth0().txRingSize(256).txBurst(64));
            medium.busy = true; // let the qdisc's worth of frames pile up in the ring first
            for (int i = 0; i < 100; i++) {
                assertEquals(TxResult.OK, nic.startXmit(frame(60 + i)));
            }
            loop.runUntilIdle();
            long before = loop.eventCount();
            medium.busy = false;
            nic.transmitReady();
            loop.runUntilIdle();
            assertEquals(100, medium.frames.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(60 + i, medium.frames.get(i).len(), "in ring order");
                assertEquals(0L, medium.times.get(i), "all at the same instant: DMA takes no time");
            }
            // two DMA events (64 + 36) and the NAPI polls that reclaim them, not one DMA event a frame
            assertTrue(loop.eventCount() - before <= 4, "events=" + (loop.eventCount() - before));
            assertEquals(100, nic.stats().txPackets());
        }

        @Test
        void aBurstOfOneIsOneDmaEventPerFrame() {
            open(eth0().txBurst(1));
            for (int i = 0; i < 5; i++) {
                nic.startXmit(frame(60));
            }
            long before = loop.eventCount();
            loop.runUntilIdle();
            assertEquals(5, medium.frames.size());
            assertTrue(loop.eventCount() - before >= 5, "one DMA event per frame");
        }

        @Test
        void aBurstStopsWhenTheMediumGetsBusy() {
            open(eth0().txBurst(64));
            medium.busyAfterTransmit = true;
            for (int i = 0; i < 3; i++) {
                nic.startXmit(frame(60));
            }
            loop.runUntilIdle();
            assertEquals(1, medium.frames.size(), "the rest of the burst waits for an idle medium");
            medium.busy = false;
            nic.transmitReady();
            loop.runUntilIdle();
            assertEquals(2, medium.frames.size());
        }

        @Test
        void txBurstMustBePositive() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> eth0().txBurst(0));
            assertEquals("SimNic: txBurst=0 must be >= 1", e.getMessage());
        }

        @Test
        void fullTxRingAnswersBusyAndTheQueueWakesOnceEnoughDescriptorsAreFree() {
            open(eth0().txRingSize(8));
            assertEquals(4, nic.txWakeThreshold(), "min(32, ring / 2)");
            medium.busy = true;
            for (int i = 0; i < 8; i++) {
                assertEquals(TxResult.OK, nic.startXmit(frame(60)));
            }
            SkBuff ninth = frame(60);
            held.add(ninth);
            assertEquals(TxResult.BUSY, nic.startXmit(ninth));
            assertEquals(1, ninth.refCnt(), "BUSY: the skb is still the caller's");
            assertTrue(nic.isQueueStopped());
            assertEquals(1, stat("tx_busy"));

            medium.busyAfterTransmit = true;
            for (int sent = 1; sent <= 4; sent++) {
                medium.busy = false;
                nic.transmitReady();
                loop.runUntilIdle();
                assertEquals(sent, medium.frames.size());
                assertEquals(sent, nic.txRing().unused());
                assertEquals(sent < 4 ? 0 : 1, ctx.wakeups, "woken at " + sent + " free descriptors?");
            }
            assertFalse(nic.isQueueStopped());
            assertEquals(1, stat("tx_restart_queue"));
            held.remove(ninth);
            assertEquals(TxResult.OK, nic.startXmit(ninth));
        }

        @Test
        void noCarrierDropsTransmitsAsCarrierErrors() {
            nic = eth0().build();
            nic.open(ctx, 2);
            assertFalse(nic.isUp());
            assertTrue(nic.isOpen());
            assertEquals(TxResult.OK, nic.startXmit(frame(60)));
            assertEquals(1, nic.stats().txCarrierErrors());
            assertEquals(1, nic.stats().txErrors());
            assertEquals(1, pool.drops(DropReason.LINK_LOSS));
            nic.connect(medium);
            assertTrue(nic.isUp());
            assertThrows(IllegalStateException.class, () -> nic.connect(medium));
        }

        @Test
        void unpluggingTheCableDropsWhatWaitsInTheTxRing() {
            open(eth0().txRingSize(8));
            medium.busy = true;
            for (int i = 0; i < 3; i++) {
                nic.startXmit(frame(60));
            }
            assertEquals(medium, nic.disconnect());
            loop.runUntilIdle();
            assertEquals(3, nic.stats().txCarrierErrors());
            assertEquals(0, nic.stats().txPackets());
            assertEquals(8, nic.txRing().unused(), "the dropped descriptors were reclaimed");
            assertEquals(3, pool.drops(DropReason.LINK_LOSS));
        }

        @Test
        void oversizedAndDownTransmitsAreDropped() {
            nic = eth0().build();
            assertEquals(TxResult.OK, nic.startXmit(frame(60)));
            assertEquals(1, pool.drops(DropReason.DEV_READY));
            nic.connect(medium);
            nic.open(ctx, 2);
            assertEquals(TxResult.OK, nic.startXmit(frame(1515)));
            assertEquals(1, pool.drops(DropReason.PKT_TOO_BIG));
            assertEquals(2, nic.stats().txDropped());
        }
    }

    @Nested
    class Rss {
        private SkBuff tcp(int src, int dst, int sport, int dport) {
            return TestFrames.skb(pool, TestFrames.ipv4(IpProtocol.TCP, src, dst, sport, dport, 0, 60));
        }

        @Test
        void verificationSuiteTuplesLandOnTheQueueTheirHashSelects() {
            open(eth0().rxQueues(4));
            // 0x51ccc178 & 127 = 120 -> queue 0; 0xc626b0ea & 127 = 106 -> queue 2;
            // 0x5c2b394a & 127 = 74 -> queue 2; 0xafc7327f & 127 = 127 -> queue 3; 0x10e828a2 & 127 = 34 -> 2.
            nic.frameArrived(tcp(addr("66.9.149.187"), addr("161.142.100.80"), 2794, 1766));
            nic.frameArrived(tcp(addr("199.92.111.2"), addr("65.69.140.83"), 14230, 4739));
            nic.frameArrived(tcp(addr("38.27.205.30"), addr("209.142.163.6"), 48228, 2217));
            assertEquals(1, nic.rxRing(0).doneCount());
            assertEquals(1, nic.rxRing(2).doneCount());
            assertEquals(1, nic.rxRing(3).doneCount());
            assertEquals(0, nic.rxRing(1).doneCount());
            nic.frameArrived(TestFrames.skb(pool, TestFrames.ethernet(MAC_B, MAC_A, 0x0806, 60, 0)));
            assertEquals(2, nic.rxRing(0).doneCount(), "not IP: queue 0");
            loop.runUntilIdle();
            assertEquals(4, ctx.received.size());
            assertEquals(1, stat("rx_queue_3_packets"));
            assertEquals(1, stat("rx_queue_3_napi_polls"), "each queue polls in its own NAPI context");
            assertEquals(0, stat("rx_queue_1_napi_polls"));
        }

        @Test
        void manyFlowsSpreadOverAllQueuesTheSameWayEveryRun() {
            long[] first = spread();
            nic.stop();
            long[] second = spread();
            assertArrayEquals(first, second);
            for (int q = 0; q < 4; q++) {
                assertTrue(first[q] > 30, "queue " + q + " got " + first[q] + " of 200 flows");
            }
            assertEquals(200, Arrays.stream(first).sum());
        }

        /** 200 flows from one client to port 80, one frame each; the frames each queue received. */
        private long[] spread() {
            open(eth0().rxQueues(4));
            for (int i = 0; i < 200; i++) {
                nic.frameArrived(tcp(addr("10.0.0.1"), addr("10.0.0.2"), 32768 + i, 80));
            }
            loop.runUntilIdle();
            long[] perQueue = new long[4];
            for (int q = 0; q < 4; q++) {
                perQueue[q] = stat("rx_queue_" + q + "_packets");
                assertEquals(perQueue[q], stat("rx_queue_" + q + "_bytes") / 60);
            }
            return perQueue;
        }
    }

    @Test
    void stopReleasesEverySkbTheRingsHoldWhereverItIs() {
        open(eth0().rxRingSize(8).txRingSize(8).dmaLatencyNanos(1_000));
        arrive(60, 1);
        arrive(60, 2);                                   // RX: DMA under way until 1 us
        for (int i = 0; i < 3; i++) {
            nic.startXmit(frame(60));                    // TX: the first in DMA, two waiting
        }
        assertTrue(loop.step());                         // 1 us: the RX write-backs, NAPI scheduled
        assertEquals(2, nic.rxRing(0).doneCount());
        arrive(60, 3);                                   // RX: another in DMA until 2 us
        assertEquals("DDdPPPPP", nic.rxRing(0).picture());
        assertEquals("dPP.....", nic.txRing().picture());

        nic.stop();
        assertEquals(6, pool.drops(DropReason.QUEUE_PURGE), "3 received frames and 3 unsent ones");
        assertEquals(0, pool.outstanding(), "and the 5 empty RX buffers were consumed");
        assertEquals(0, loop.pendingEvents(), "NAPI and DMA timers cancelled");
        assertFalse(nic.isUp());
        assertEquals(TxResult.OK, nic.startXmit(frame(60)));
        assertEquals(1, pool.drops(DropReason.DEV_READY), "transmits after stop are dropped");
        assertTrue(ctx.received.isEmpty());
    }

    @Test
    void stopFromInsideReceiveEndsThePollCleanly() {
        open(eth0());
        ctx.hook = (NetDevice dev, SkBuff skb) -> nic.stop();
        arrive(60, 1);
        arrive(60, 2);
        loop.runUntilIdle();
        assertEquals(1, ctx.received.size());
        assertEquals(1, pool.drops(DropReason.QUEUE_PURGE));
    }

    @Test
    void ethtoolStatsPrintsTheDriversCountersInOrder() {
        open(eth0());
        for (int i = 0; i < 3; i++) {
            arrive(60, i);
        }
        loop.runUntilIdle();
        assertEquals("NIC statistics:\n"
                + "     rx_packets: 3\n"
                + "     tx_packets: 0\n"
                + "     rx_bytes: 180\n"
                + "     tx_bytes: 0\n"
                + "     rx_errors: 0\n"
                + "     tx_errors: 0\n"
                + "     rx_dropped: 0\n"
                + "     tx_dropped: 0\n"
                + "     multicast: 0\n"
                + "     rx_length_errors: 0\n"
                + "     rx_long_length_errors: 0\n"
                + "     rx_short_length_errors: 0\n"
                + "     rx_missed_errors: 0\n"
                + "     rx_no_buffer_count: 0\n"
                + "     tx_carrier_errors: 0\n"
                + "     tx_busy: 0\n"
                + "     tx_restart_queue: 0\n"
                + "     interrupts: 1\n"
                + "     napi_polls: 1\n"
                + "     napi_complete: 1\n"
                + "     napi_budget_exhausted: 0\n"
                + "     tx_queue_0_packets: 0\n"
                + "     tx_queue_0_bytes: 0\n"
                + "     rx_queue_0_packets: 3\n"
                + "     rx_queue_0_bytes: 180\n"
                + "     rx_queue_0_interrupts: 1\n"
                + "     rx_queue_0_napi_polls: 1\n", nic.ethtoolStats().toString());
    }

    @Test
    void dumpShowsEachRingWithItsPicture() {
        open(eth0().rxRingSize(8).txRingSize(8));
        medium.busy = true;
        nic.startXmit(frame(60));
        arrive(60, 0);
        assertEquals("tx ring: size=8 next_to_use=1 next_to_clean=0 (0 done) head=0 owned_by_device=1 unused=7\n"
                + "  P.......\n"
                + "rx ring: size=8 next_to_use=0 next_to_clean=0 (1 done) head=1 owned_by_device=7 unused=0\n"
                + "  DPPPPPPP\n", nic.dumpRings());
        assertEquals("SimNic[eth0 02:00:00:00:00:0b mtu=1500 up carrier rx_queues=1 dma_latency=+0.000s]", nic.toString());
    }

    @Test
    void builderRejectsBadSettings() {
        assertEquals("SimNic: rxRingSize=100 must be a power of two 2..4096",
                assertThrows(IllegalArgumentException.class, () -> SimNic.builder().rxRingSize(100)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimNic.builder().txRingSize(8192));
        assertThrows(IllegalArgumentException.class, () -> SimNic.builder().mtu(67));
        assertThrows(IllegalArgumentException.class, () -> SimNic.builder().rxQueues(0));
        assertThrows(IllegalArgumentException.class, () -> SimNic.builder().napiBudget(0));
        assertThrows(IllegalArgumentException.class, () -> SimNic.builder().mac(1L << 48));
        assertEquals("SimNic eth0: mac address not set",
                assertThrows(IllegalStateException.class, () -> SimNic.builder().build()).getMessage());
        SimNic d = SimNic.builder().mac(MAC_A).build();
        assertEquals(256, d.txRing().size());
        assertEquals(256, d.rxRing(0).size());
        assertEquals(1, d.rxQueueCount());
        assertEquals(64, d.napiBudget());
        assertEquals(0, d.dmaLatencyNanos());
        assertEquals(32, d.txWakeThreshold());
        assertEquals(NetDevice.ARPHRD_ETHER, d.type());
        assertEquals(0, d.ifindex());
    }
}
