package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

/**
 * Watches a {@link Link}'s frames: when each goes on the wire, arrives, or is dropped, with the
 * virtual time. {@link LinkRecorder} uses it to draw sequence diagrams. The skb is lent for the
 * call only: read it, never keep, release or modify it.
 */
public interface LinkObserver {
    /** {@code frame} started onto the wire of {@code end} (its first bit left the sender). */
    void sent(LinkEnd end, SkBuff frame, long timeNanos);

    /** {@code frame} arrived whole at the far end of {@code end} and is being handed to the port. */
    void delivered(LinkEnd end, SkBuff frame, long timeNanos);

    /** {@code frame} was dropped by {@code end}: a full queue, a loss, a cut cable. */
    void dropped(LinkEnd end, SkBuff frame, long timeNanos, DropReason reason);
}
