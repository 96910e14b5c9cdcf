package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A test tap: wraps a device and records a copy of every frame it transmits and receives, with the
 * virtual time, as {@code tcpdump -i dev} would see them. The middleware style of smoltcp's tracer:
 * the tap is a device in front of the device, not code inside it.
 */
public final class FrameTap implements NetDevice {
    /** One captured frame. */
    public record Frame(long time, boolean outgoing, byte[] bytes) {
    }

    private final NetDevice inner;
    private final List<Frame> frames = new ArrayList<>();
    private EventLoop loop;

    /** A tap in front of {@code inner}; register the tap with the host instead of the device. */
    public FrameTap(NetDevice inner) {
        this.inner = inner;
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
    public String name() {
        return inner.name();
    }

    @Override
    public int type() {
        return inner.type();
    }

    @Override
    public long macAddress() {
        return inner.macAddress();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void open(DeviceContext ctx, int ifindex) {
        this.loop = ctx.loop();
        inner.open(new DeviceContext() {
            @Override
            public EventLoop loop() {
                return ctx.loop();
            }

            @Override
            public SkBuffPool pool() {
                return ctx.pool();
            }

            @Override
            public void receive(NetDevice dev, SkBuff skb) {
                frames.add(new Frame(loop.now(), false, skb.toByteArray()));
                ctx.receive(FrameTap.this, skb);
            }

            @Override
            public void wakeQueue(NetDevice dev) {
                ctx.wakeQueue(FrameTap.this);
            }
        }, ifindex);
    }

    @Override
    public int ifindex() {
        return inner.ifindex();
    }

    @Override
    public boolean isUp() {
        return inner.isUp();
    }

    @Override
    public void stop() {
        inner.stop();
    }

    @Override
    public TxResult startXmit(SkBuff skb) {
        byte[] bytes = skb.toByteArray();
        long now = loop.now();
        TxResult r = inner.startXmit(skb);
        if (r == TxResult.OK) {
            frames.add(new Frame(now, true, bytes));
        }
        return r;
    }

    @Override
    public DeviceStats stats() {
        return inner.stats();
    }
}
