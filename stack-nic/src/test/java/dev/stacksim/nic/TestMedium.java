package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.net.FramePort;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A medium with no time of its own: it either hands each frame at once to a peer port (two NICs
 * back to back) or keeps it for the test to inspect and release. It is busy when the test says so,
 * or, with {@link #busyAfterTransmit}, after every frame until the test frees it.
 */
final class TestMedium implements Medium {
    private final EventLoop loop;
    /** Where frames go at once; null to record them instead. */
    FramePort peer;
    /** What {@link #isBusy()} answers. */
    boolean busy;
    /** Become busy after each transmit (one frame per {@code transmitReady}). */
    boolean busyAfterTransmit;
    /** Recorded frames (when there is no peer); the test releases them. */
    final List<SkBuff> frames = new ArrayList<>();
    /** When each frame was transmitted. */
    final List<Long> times = new ArrayList<>();

    TestMedium(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public boolean transmit(SkBuff frame) {
        if (busy) {
            throw new AssertionError("transmit while busy: the NIC must pace itself");
        }
        times.add(loop.now());
        busy = busyAfterTransmit;
        if (peer != null) {
            peer.frameArrived(frame);
        } else {
            frames.add(frame);
        }
        return true;
    }

    @Override
    public boolean isBusy() {
        return busy;
    }

    /** Releases every recorded frame. */
    void releaseAll() {
        for (SkBuff f : frames) {
            f.consume();
        }
        frames.clear();
    }

    @Override
    public String toString() {
        return "TestMedium[peer=" + peer + "]";
    }
}
