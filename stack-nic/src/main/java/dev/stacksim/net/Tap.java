package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.sim.Clock;

/**
 * Capture by decoration: a tap wraps a {@link Medium} or a {@link FramePort} and shows each frame
 * that passes to a {@link FrameCapture} (a {@link PcapWriter}) before handing it on unchanged.
 * This is smoltcp's rule for middleware ({@code phy::PcapWriter}, {@code phy::FaultInjector}): it
 * wraps a device instead of living inside it, so neither the NIC, the switch nor the link knows it
 * is being watched.
 *
 * <pre>{@code
 * PcapWriter pcap = PcapWriter.open(path);
 * nic.connect(Tap.wrap(link.endA(), loop, pcap));        // what the NIC transmits (its TX side)
 * Link link = Link.builder(loop).name("l").build(Tap.wrap(nic, loop, pcap), sw.port(0));
 *                                                          // what arrives at the NIC (its RX side)
 * }</pre>
 *
 * <h2>When the timestamp is taken</h2>
 * <ul>
 *   <li>A wrapped {@code Medium} stamps a frame when the port calls {@link Medium#transmit}: the
 *       moment the port hands it over, before the link queues, serializes or drops it. That is
 *       where Linux's tcpdump stamps transmitted packets on a NIC (in {@code dev_queue_xmit}'s
 *       path, just before the driver), and a frame the link then drops still shows.</li>
 *   <li>A wrapped {@code FramePort} stamps a frame when {@link FramePort#frameArrived} is called:
 *       when its last bit has arrived, as Linux stamps received packets in the driver's NAPI poll
 *       (before the host's own receive processing, which the port does after).</li>
 *   <li>{@link Link#capture} stamps when the first bit leaves the sender.</li>
 * </ul>
 * Timestamps are the clock's virtual time. The skb is lent to the capture during the call only.
 */
public final class Tap {
    private Tap() {
    }

    /**
     * A medium that shows every frame transmitted into {@code medium} to {@code capture}, stamped
     * {@code clock.nanoTime()} at the call, and then transmits it.
     */
    public static Medium wrap(Medium medium, Clock clock, FrameCapture capture) {
        check(medium, clock, capture);
        return new TappedMedium(medium, clock, capture);
    }

    /**
     * A port that shows every frame arriving for {@code port} to {@code capture}, stamped
     * {@code clock.nanoTime()} on arrival, and then hands it to {@code port}; {@code transmitReady}
     * passes through.
     */
    public static FramePort wrap(FramePort port, Clock clock, FrameCapture capture) {
        check(port, clock, capture);
        return new TappedPort(port, clock, capture);
    }

    private static void check(Object inner, Clock clock, FrameCapture capture) {
        if (inner == null || clock == null || capture == null) {
            throw new IllegalArgumentException("tap: inner=" + inner + " clock=" + clock + " capture=" + capture
                    + " must not be null");
        }
    }

    /** The TX-side tap. */
    private static final class TappedMedium implements Medium {
        private final Medium medium;
        private final Clock clock;
        private final FrameCapture capture;

        TappedMedium(Medium medium, Clock clock, FrameCapture capture) {
            this.medium = medium;
            this.clock = clock;
            this.capture = capture;
        }

        @Override
        public boolean transmit(SkBuff frame) {
            frame.checksumHelp(); // the wire's bytes: an offloaded checksum is done
            capture.capture(frame, clock.nanoTime());
            return medium.transmit(frame);
        }

        @Override
        public boolean isBusy() {
            return medium.isBusy();
        }

        @Override
        public String toString() {
            return "Tap[" + medium + "]";
        }
    }

    /** The RX-side tap. */
    private static final class TappedPort implements FramePort {
        private final FramePort port;
        private final Clock clock;
        private final FrameCapture capture;

        TappedPort(FramePort port, Clock clock, FrameCapture capture) {
            this.port = port;
            this.clock = clock;
            this.capture = capture;
        }

        @Override
        public void frameArrived(SkBuff frame) {
            frame.checksumHelp(); // the wire's bytes: an offloaded checksum is done
            capture.capture(frame, clock.nanoTime());
            port.frameArrived(frame);
        }

        @Override
        public void transmitReady() {
            port.transmitReady();
        }

        @Override
        public String toString() {
            return "Tap[" + port + "]";
        }
    }
}
