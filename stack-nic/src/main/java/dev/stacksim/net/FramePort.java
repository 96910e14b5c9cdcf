package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;

/**
 * Where a cable plugs in: a NIC's port or a switch port. The medium on the other side of the cable
 * (a {@code Link} end) calls it on the event loop.
 */
public interface FramePort {
    /**
     * A frame has arrived from the medium, fully received (its last bit is in). Ownership of the skb
     * passes to the port, which consumes or frees it. The data starts at the Ethernet header; there is
     * no FCS.
     */
    void frameArrived(SkBuff frame);

    /**
     * The medium's transmitter went idle: a port that paces itself at line rate (a NIC's MAC pulling
     * its next TX descriptor) may {@link Medium#transmit} again.
     */
    default void transmitReady() {
    }
}
