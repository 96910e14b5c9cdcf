package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;

/**
 * Where captured frames go: a {@link PcapWriter}, or a test's recorder. A {@link Tap} or a
 * {@link Link#capture link capture} calls it with each frame it sees and the virtual time it saw
 * the frame, in the manner of Linux's packet taps ({@code dev_queue_xmit_nit}, {@code AF_PACKET}).
 *
 * <p>The skb is only lent for the duration of the call: an implementation copies what it keeps
 * and neither retains, releases nor modifies the skb.
 */
@FunctionalInterface
public interface FrameCapture {
    /**
     * Records the frame's data, {@code [frame.data(), frame.tail())}, starting at the Ethernet header.
     *
     * @param frame          the frame, lent for this call
     * @param timestampNanos the virtual time the frame was seen
     */
    void capture(SkBuff frame, long timestampNanos);
}
