package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each kind of capture stamps a frame: the TX tap, the RX tap and the link capture. */
class TapTest {
    private final EventLoop loop = EventLoop.virtual(5);
    private final SkBuffPool pool = SkBuffPool.create();
    private final RecordingPort a = new RecordingPort(loop, "a");
    private final RecordingPort b = new RecordingPort(loop, "b");
    private final List<String> tx = new ArrayList<>();
    private final List<String> wire = new ArrayList<>();
    private final List<String> rx = new ArrayList<>();

    private static FrameCapture into(List<String> log) {
        return (frame, time) -> log.add(time + ":" + TestFrames.seqOf(frame.toByteArray()));
    }

    @Test
    void eachCaptureStampsAtItsOwnPointOnThePath() {
        Link link = Link.builder(loop).name("tap").bandwidth(1_000_000_000L).latency(Duration.ofMillis(5))
                .build(a, Tap.wrap(b, loop, into(rx)));
        link.capture(into(wire));
        Medium txSide = Tap.wrap(link.endA(), loop, into(tx));

        txSide.transmit(TestFrames.numbered(pool, 1500, 0));
        assertTrue(txSide.isBusy(), "isBusy passes through");
        txSide.transmit(TestFrames.numbered(pool, 1500, 1));
        loop.runUntilIdle();

        assertEquals(List.of("0:0", "0:1"), tx, "TX tap: when the port hands the frame over");
        assertEquals(List.of("0:0", "12000:1"), wire, "link capture: when the first bit leaves");
        assertEquals(List.of("5012000:0", "5024000:1"), rx, "RX tap: when the last bit has arrived");
        assertEquals(List.of(0, 1), b.seqs(), "the frames pass through unchanged");
    }

    @Test
    void theTxTapSeesFramesTheLinkDropsTheLinkCaptureDoesNot() {
        Link link = Link.builder(loop).name("tap").build(a, b);
        link.capture(into(wire));
        Medium txSide = Tap.wrap(link.endA(), loop, into(tx));
        link.setUp(false);

        assertFalse(txSide.transmit(TestFrames.numbered(pool, 64, 7)));
        assertEquals(List.of("0:7"), tx);
        assertEquals(List.of(), wire);
    }

    @Test
    void linkCaptureSeesBothDirectionsAndStopsOnNull() {
        Link link = Link.builder(loop).name("tap").latency(Duration.ofMillis(1)).build(a, b);
        link.capture(into(wire));
        link.endA().transmit(TestFrames.numbered(pool, 64, 1));
        link.endB().transmit(TestFrames.numbered(pool, 64, 2));
        link.capture(null);
        link.endA().transmit(TestFrames.numbered(pool, 64, 3));
        loop.runUntilIdle();

        assertEquals(List.of("0:1", "0:2"), wire);
        assertEquals(2, b.arrivals.size());
    }

    @Test
    void aLostFrameShowsInTheLinkCaptureButNotAtTheReceiver() {
        Link link = Link.builder(loop).name("tap").impairments(Impairments.builder().lossRate(1.0).build())
                .build(a, Tap.wrap(b, loop, into(rx)));
        link.capture(into(wire));
        link.endA().transmit(TestFrames.numbered(pool, 64, 1));
        loop.runUntilIdle();

        assertEquals(List.of("0:1"), wire, "the sender put it on the wire");
        assertEquals(List.of(), rx);
    }

    @Test
    void transmitReadyPassesThroughAWrappedPort() {
        FramePort tapped = Tap.wrap(a, loop, into(rx));
        Link link = Link.builder(loop).name("tap").bandwidth(1_000_000_000L).build(tapped, b);
        link.endA().transmit(TestFrames.numbered(pool, 1500, 1));
        loop.runUntilIdle();

        assertEquals(List.of(12_000L), a.readyTimes);
    }

    @Test
    void aPcapWriterIsACaptureAndRetainsNothing() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (PcapWriter pcap = PcapWriter.open(out)) {
            Link link = Link.builder(loop).name("tap").build(a, Tap.wrap(b, loop, pcap));
            SkBuff frame = TestFrames.numbered(pool, 64, 1);
            link.endA().transmit(frame);
            loop.runUntilIdle();
            assertEquals(1, pcap.packets());
        }
        assertEquals(24 + 16 + 64, out.size());
    }

    @Test
    void nullsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tap.wrap((Medium) null, loop, into(tx)));
        assertThrows(IllegalArgumentException.class, () -> Tap.wrap(a, null, into(tx)));
        assertThrows(IllegalArgumentException.class, () -> Tap.wrap(a, loop, null));
    }
}
