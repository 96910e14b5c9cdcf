package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;

/**
 * What a port transmits into: its end of a cable. The medium serializes frames at its bandwidth,
 * queues what arrives while it is busy (bounded, tail drop), applies its impairments and delivers
 * to the {@link FramePort} at the far end after the propagation delay.
 */
public interface Medium {
    /**
     * Sends one frame. Ownership of the skb always passes to the medium: when it cannot be sent
     * (egress queue full, link down) the medium frees it with a reason and counts the drop.
     *
     * @return true when the frame was accepted for transmission, false when it was dropped
     */
    boolean transmit(SkBuff frame);

    /**
     * True while a frame is being serialized: a port that paces itself waits for
     * {@link FramePort#transmitReady()} instead of queueing in the medium.
     */
    boolean isBusy();
}
