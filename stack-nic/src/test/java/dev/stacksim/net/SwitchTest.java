package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchTest {
    private static final long H0 = MacAddress.parse("02:00:00:00:00:10").toLong();
    private static final long H1 = MacAddress.parse("02:00:00:00:00:11").toLong();
    private static final long H2 = MacAddress.parse("02:00:00:00:00:12").toLong();
    private static final long BROADCAST = MacAddress.BROADCAST.toLong();
    private static final long MULTICAST = MacAddress.parse("01:00:5e:00:00:01").toLong();

    private final EventLoop loop = EventLoop.virtual(3);
    private final SkBuffPool pool = SkBuffPool.create();
    private final Switch sw = Switch.builder(loop).name("sw0").ports(4).build();
    private final RecordingMedium[] out = new RecordingMedium[4];

    SwitchTest() {
        for (int i = 0; i < 4; i++) {
            out[i] = new RecordingMedium();
            sw.connect(i, out[i]);
        }
    }

    /** Frame {@code seq} from {@code src} to {@code dst} arrives on port {@code in}. */
    private void arrive(int in, long src, long dst, int seq) {
        sw.port(in).frameArrived(TestFrames.numbered(pool, dst, src, 64, seq));
    }

    private int[] counts() {
        int[] c = new int[4];
        for (int i = 0; i < 4; i++) {
            c[i] = out[i].frames.size();
        }
        return c;
    }

    @Test
    void unknownUnicastIsFloodedThenTheReplyIsForwardedOnlyToTheLearnedPort() {
        arrive(0, H0, H1, 1);
        assertArrayEquals(new int[] {0, 1, 1, 1}, counts(), "H1 unknown: every port but the ingress");
        assertEquals(0, sw.lookup(H0), "learned H0 behind port0");

        arrive(1, H1, H0, 2);
        assertArrayEquals(new int[] {1, 1, 1, 1}, counts(), "H0 known: only port0");
        arrive(0, H0, H1, 3);
        assertArrayEquals(new int[] {1, 2, 1, 1}, counts(), "H1 known now: only port1");

        assertEquals(1, sw.flooded());
        assertEquals(2, sw.forwarded());
        assertEquals("02:00:00:00:00:10 dev port0 master sw0\n02:00:00:00:00:11 dev port1 master sw0\n", sw.fdb());
    }

    @Test
    void broadcastAndMulticastAreFloodedToEveryOtherPortWithIdenticalBytes() {
        arrive(2, H2, BROADCAST, 7);
        arrive(2, H2, MULTICAST, 8);

        assertArrayEquals(new int[] {2, 2, 0, 2}, counts());
        byte[] sent = TestFrames.numberedBytes(BROADCAST, H2, 64, 7);
        for (int i : new int[] {0, 1, 3}) {
            assertArrayEquals(sent, out[i].frames.get(0), "port " + i);
        }
        assertEquals(2, sw.flooded());
    }

    @Test
    void floodHandsClonesToAllButTheLastPortWhichGetsTheFrameItself() {
        SkBuff[] got = new SkBuff[4];
        for (int i = 0; i < 4; i++) {
            int port = i;
            sw.connect(i, new Medium() {
                @Override
                public boolean transmit(SkBuff frame) {
                    got[port] = frame;
                    return true;
                }

                @Override
                public boolean isBusy() {
                    return false;
                }
            });
        }
        SkBuff frame = TestFrames.numbered(pool, BROADCAST, H0, 64, 1);
        sw.port(0).frameArrived(frame);

        assertSame(frame, got[3], "the last port gets the original");
        assertTrue(got[1].isCloned() && got[2].isCloned(), "the others get clones sharing the bytes");
        assertEquals(got[1].buf(), got[3].buf());
        for (int i = 1; i < 4; i++) {
            got[i].consume();
        }
    }

    @Test
    void frameForAStationOnTheIngressPortIsFiltered() {
        arrive(0, H0, BROADCAST, 1);
        arrive(0, H1, BROADCAST, 2); // H0 and H1 share the segment behind port0
        int[] before = counts();
        arrive(0, H1, H0, 3);

        assertArrayEquals(before, counts(), "not sent back where it came from");
        assertEquals(1, sw.filtered());
        assertEquals(1, pool.drops(DropReason.BRIDGE_NO_EGRESS_PORT));
        assertEquals(1, sw.port(0).stats().rxDropped());
    }

    @Test
    void multicastOrZeroSourceIsDroppedAndNotLearned() {
        arrive(0, MULTICAST, H1, 1);
        arrive(0, 0, H1, 2);

        assertArrayEquals(new int[] {0, 0, 0, 0}, counts());
        assertEquals(2, pool.drops(DropReason.MAC_INVALID_SOURCE));
        assertEquals("", sw.fdb());
    }

    @Test
    void runtFrameIsDropped() {
        SkBuff runt = pool.alloc(0, 10);
        runt.putBytes(new byte[10]);
        sw.port(0).frameArrived(runt);

        assertEquals(1, pool.drops(DropReason.PKT_TOO_SMALL));
        assertEquals(new Switch.PortStats(1, 10, 1, 0, 0, 0), sw.port(0).stats());
    }

    @Test
    void entriesAgeOutAfterThreeHundredSecondsOfSilence() {
        arrive(1, H1, BROADCAST, 1);
        loop.runFor(Switch.DEFAULT_AGEING_TIME.toNanos() - 1);
        assertEquals(1, sw.lookup(H1), "one nanosecond before the ageing time");
        arrive(0, H0, H1, 2);
        assertArrayEquals(new int[] {1, 1, 1, 1}, counts());

        loop.runFor(1);
        assertEquals(-1, sw.lookup(H1), "expired at updated + ageing_time (br_fdb has_expired)");
        assertEquals("02:00:00:00:00:10 dev port0 master sw0\n", sw.fdb());
        arrive(0, H0, H1, 3);
        assertArrayEquals(new int[] {1, 2, 2, 2}, counts(), "flooded again");
    }

    @Test
    void seeingASourceAgainRefreshesItsEntry() {
        arrive(1, H1, BROADCAST, 1);
        loop.runFor(SimTime.seconds(200));
        arrive(1, H1, BROADCAST, 2);
        loop.runFor(SimTime.seconds(200));

        assertEquals(1, sw.lookup(H1), "refreshed at 200 s, so alive until 500 s");
        assertEquals(SimTime.seconds(200), sw.fdbEntries().get(0).updatedNanos());
    }

    @Test
    void aStationThatMovesIsLearnedOnItsNewPort() {
        arrive(1, H1, BROADCAST, 1);
        arrive(3, H1, BROADCAST, 2);

        assertEquals(3, sw.lookup(H1));
        assertEquals("02:00:00:00:00:11 dev port3 master sw0\n", sw.fdb());
    }

    @Test
    void shortAgeingTimeExpiresEntries() {
        Switch fast = Switch.builder(loop).name("br1").ports(2).ageingTime(Duration.ofSeconds(10)).build();
        fast.connect(0, new RecordingMedium()).connect(1, new RecordingMedium());
        fast.port(0).frameArrived(TestFrames.numbered(pool, BROADCAST, H0, 64, 1));
        loop.runFor(SimTime.seconds(10));

        assertEquals(-1, fast.lookup(H0));
    }

    @Test
    void unpluggedPortsAreLeftOutOfFloodsAndAFloodWithNoPortIsDropped() {
        sw.connect(1, null).connect(2, null).connect(3, null);
        arrive(0, H0, BROADCAST, 1);

        assertEquals(1, pool.drops(DropReason.BRIDGE_NO_EGRESS_PORT));
        assertEquals(0, sw.flooded());

        sw.connect(2, out[2]);
        arrive(0, H0, BROADCAST, 2);
        assertArrayEquals(new int[] {0, 0, 1, 0}, counts());
    }

    @Test
    void aRefusedFrameCountsInTheEgressPortsTxDropped() {
        arrive(1, H1, BROADCAST, 1);
        out[1].refuse = true;
        arrive(0, H0, H1, 2);

        assertEquals(new Switch.PortStats(1, 64, 0, 0, 0, 1), sw.port(1).stats(), "the broadcast in, the refused frame");
        assertEquals(new Switch.PortStats(1, 64, 0, 1, 64, 0), sw.port(0).stats(), "the broadcast out, the frame in");
        assertEquals(new Switch.PortStats(0, 0, 0, 1, 64, 0), sw.port(2).stats(), "the broadcast out");
    }

    @Test
    void flushForgetsEverything() {
        arrive(1, H1, BROADCAST, 1);
        sw.flushFdb();
        assertEquals(-1, sw.lookup(H1));
        assertEquals(List.of(), sw.fdbEntries());
    }

    @Test
    void switchedHostsOverLinksStoreAndForwardOnEachHop() {
        // Two hosts on gigabit links with 1 us latency: the switch forwards after the last bit is in.
        RecordingPort h0 = new RecordingPort(loop, "h0");
        RecordingPort h1 = new RecordingPort(loop, "h1");
        Switch br = Switch.builder(loop).name("br0").ports(2).build();
        Link l0 = Link.builder(loop).name("h0-br0").bandwidth(1_000_000_000L).latencyNanos(1_000).build(h0, br.port(0));
        Link l1 = Link.builder(loop).name("h1-br0").bandwidth(1_000_000_000L).latencyNanos(1_000).build(h1, br.port(1));
        br.connect(0, l0.endB()).connect(1, l1.endB());

        l0.endA().transmit(TestFrames.numbered(pool, H1, H0, 1500, 1));
        loop.runUntilIdle();
        assertEquals(List.of(26_000L), h1.times(), "12 us + 1 us, then 12 us + 1 us again");

        l1.endA().transmit(TestFrames.numbered(pool, H0, H1, 1500, 2));
        loop.runUntilIdle();
        assertEquals(List.of(2), h0.seqs());
        assertEquals("02:00:00:00:00:10 dev port0 master br0\n02:00:00:00:00:11 dev port1 master br0\n", br.fdb());
        assertEquals(1, br.forwarded(), "the reply went straight to port0");
    }

    @Test
    void portsAreNamedAndBoundsChecked() {
        assertEquals("port2", sw.port(2).name());
        assertEquals(2, sw.port(2).index());
        assertSame(sw, sw.port(2).bridge());
        assertSame(out[2], sw.port(2).medium());
        assertEquals(4, sw.portCount());
        assertThrows(IndexOutOfBoundsException.class, () -> sw.port(4));
        assertThrows(IllegalArgumentException.class, () -> Switch.builder(loop).ports(0));
        assertThrows(IllegalArgumentException.class, () -> Switch.builder(loop).ageingTime(Duration.ofSeconds(-1)));
        assertEquals("Switch[sw0 ports=4 fdb=0]", sw.toString());
        assertTrue(Arrays.asList(sw.port(0).toString(), sw.port(1).toString()).contains("Port[sw0 port0]"));
    }
}
