package dev.stacksim.net.internal;

import dev.stacksim.buf.SkBuff;

/**
 * A first-in first-out queue of frames: the egress queue of one link direction (what a
 * {@code pfifo} qdisc or a switch's port buffer holds while the wire is busy).
 *
 * <p>A power-of-two ring indexed by {@code seq & (capacity - 1)}, as Agrona's rings are. It starts
 * small and doubles when full, so a queue limit of a million costs nothing until a million frames
 * wait; once grown it never allocates again. The limit itself is the caller's business.
 *
 * <p>Ownership: the queue holds the references it was given; whoever {@link #poll}s a frame owns
 * it again. Not thread-safe: it belongs to one event loop.
 */
public final class FrameQueue {
    private static final int INITIAL_CAPACITY = 16;

    private SkBuff[] ring = new SkBuff[INITIAL_CAPACITY];
    /** Sequence number of the head (next to poll); the slot is {@code head & mask}. */
    private long head;
    /** Sequence number one past the tail (next to fill). */
    private long tail;

    /** Frames waiting. */
    public int size() {
        return (int) (tail - head);
    }

    /** True when no frame waits. */
    public boolean isEmpty() {
        return tail == head;
    }

    /** Appends {@code frame} at the tail, growing the ring when it is full. */
    public void offer(SkBuff frame) {
        if (tail - head == ring.length) {
            grow();
        }
        ring[(int) (tail & (ring.length - 1))] = frame;
        tail++;
    }

    /** Removes and returns the head, or {@code null} when empty. */
    public SkBuff poll() {
        if (tail == head) {
            return null;
        }
        int i = (int) (head & (ring.length - 1));
        SkBuff frame = ring[i];
        ring[i] = null;
        head++;
        return frame;
    }

    private void grow() {
        SkBuff[] bigger = new SkBuff[ring.length << 1];
        int n = size();
        for (int k = 0; k < n; k++) {
            bigger[k] = ring[(int) ((head + k) & (ring.length - 1))];
        }
        ring = bigger;
        head = 0;
        tail = n;
    }
}
