package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.net.FramePort;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;

/**
 * One direction of a cable with a bandwidth and a propagation delay, just enough to check the
 * NIC's timing: a frame takes len * 8 / bandwidth to serialize (the medium is busy meanwhile and
 * then tells the sending port it is ready), then arrives at the far port after the delay.
 */
final class TestWire implements Medium {
    private final EventLoop loop;
    private final long bitsPerSecond;
    private final long delay;
    private final FramePort sender;
    private final FramePort receiver;
    private long busyUntil;

    TestWire(EventLoop loop, long bitsPerSecond, long delayNanos, FramePort sender, FramePort receiver) {
        this.loop = loop;
        this.bitsPerSecond = bitsPerSecond;
        this.delay = delayNanos;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** Serialization time of {@code len} bytes, exact for the rates the tests use. */
    long serialization(int len) {
        return len * 8L * SimTime.NANOS_PER_SECOND / bitsPerSecond;
    }

    @Override
    public boolean transmit(SkBuff frame) {
        if (isBusy()) {
            throw new AssertionError("transmit while busy: the NIC must pace itself");
        }
        long ser = serialization(frame.len());
        busyUntil = loop.now() + ser;
        loop.schedule(ser, sender::transmitReady);
        loop.schedule(ser + delay, () -> receiver.frameArrived(frame));
        return true;
    }

    @Override
    public boolean isBusy() {
        return loop.now() < busyUntil;
    }
}
