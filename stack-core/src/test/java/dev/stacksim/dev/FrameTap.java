package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;

import java.util.ArrayList;
import java.util.List;

/**
 * A test tap: wraps a device and records a copy of every frame it transmits and receives, with the
 * virtual time, as {@code tcpdump -i dev} would see them, except that an offloaded checksum is
 * shown done (tcpdump shows it unfinished on a real host). The middleware style of smoltcp's tracer:
 * the tap is a device in front of the device, not code inside it.
 */
public final class FrameTap extends WrappingDevice {
    /** One captured frame. */
    public record Frame(long time, boolean outgoing, byte[] bytes) {
    }

    private final List<Frame> frames = new ArrayList<>();

    /** A tap in front of {@code inner}; register the tap with the host instead of the device. */
    public FrameTap(NetDevice inner) {
        super(inner);
    }

    /** Every frame in order. */
    public List<Frame> frames() {
        return frames;
    }

    /** Frames sent by the host. */
    public List<Frame> sent() {
        return frames.stream().filter(Frame::outgoing).toList();
    }

    /** Frames received by the host. */
    public List<Frame> received() {
        return frames.stream().filter(f -> !f.outgoing()).toList();
    }

    /** Forgets what was captured. */
    public void clear() {
        frames.clear();
    }

    @Override
    protected void onReceive(SkBuff skb, DeviceContext deliver) {
        skb.checksumHelp(); // the bytes as on the wire: an offloaded checksum done
        frames.add(new Frame(loop.now(), false, skb.toByteArray()));
        deliver.receive(this, skb);
    }

    @Override
    protected TxResult onXmit(SkBuff skb) {
        skb.checksumHelp();
        byte[] bytes = skb.toByteArray();
        long now = loop.now();
        TxResult r = inner.startXmit(skb);
        if (r == TxResult.OK) {
            frames.add(new Frame(now, true, bytes));
        }
        return r;
    }
}
