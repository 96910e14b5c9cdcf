package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.trace.HostTrace;

/**
 * A test device in front of a device that can stop frames in either direction, as pulling one
 * strand of a cable would: {@link #blockIn} drops what arrives, {@link #blockOut} what the host
 * sends (both freed with {@link DropReason#DEV_READY}). With it a test holds a connection in a
 * state that needs a silent peer: a request sock whose SYN-ACK never arrives, FIN_WAIT1 and
 * LAST_ACK waiting for an ACK, CLOSING.
 */
public final class Gate implements NetDevice {
    private final NetDevice inner;
    /** Drop every frame arriving from the wire. */
    public boolean blockIn;
    /** Drop every frame the host transmits. */
    public boolean blockOut;

    /** A gate in front of {@code inner}; register the gate with the host instead of the device. */
    public Gate(NetDevice inner) {
        this.inner = inner;
    }

    /** Blocks (or opens) both directions. */
    public void block(boolean on) {
        blockIn = on;
        blockOut = on;
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
                if (blockIn) {
                    skb.free(DropReason.DEV_READY);
                    return;
                }
                ctx.receive(Gate.this, skb);
            }

            @Override
            public void wakeQueue(NetDevice dev) {
                ctx.wakeQueue(Gate.this);
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
        if (blockOut) {
            skb.free(DropReason.DEV_READY);
            return TxResult.OK;
        }
        return inner.startXmit(skb);
    }

    @Override
    public DeviceStats stats() {
        return inner.stats();
    }
}
