package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.trace.HostTrace;

/**
 * A test device in front of another one (smoltcp's middleware style): everything is delegated,
 * and a subclass sees each frame on the way in ({@link #onReceive}) and out ({@link #onXmit}).
 * Register the wrapper with the host instead of the device.
 */
public abstract class WrappingDevice implements NetDevice {
    /** The device behind. */
    protected final NetDevice inner;
    /** The host's loop, once opened. */
    protected EventLoop loop;

    /** A wrapper in front of {@code inner}. */
    protected WrappingDevice(NetDevice inner) {
        this.inner = inner;
    }

    /**
     * A frame arriving from the wire; hand it on with {@code deliver.receive(this, skb)} or free it.
     */
    protected abstract void onReceive(SkBuff skb, DeviceContext deliver);

    /** A frame the host transmits; pass it on with {@code inner.startXmit(skb)} or free it. */
    protected abstract TxResult onXmit(SkBuff skb);

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
                onReceive(skb, ctx);
            }

            @Override
            public void wakeQueue(NetDevice dev) {
                ctx.wakeQueue(WrappingDevice.this);
            }

            @Override
            public HostTrace trace() {
                return ctx.trace();
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
        return onXmit(skb);
    }

    @Override
    public DeviceStats stats() {
        return inner.stats();
    }

    /** The wrapped device's offloads: a wrapper is transparent. */
    @Override
    public long features() {
        return inner.features();
    }
}
