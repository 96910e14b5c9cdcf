package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

/**
 * A test device in front of a device that can stop frames in either direction, as pulling one
 * strand of a cable would: {@link #blockIn} drops what arrives, {@link #blockOut} what the host
 * sends (both freed with {@link DropReason#DEV_READY}). With it a test holds a connection in a
 * state that needs a silent peer: a request sock whose SYN-ACK never arrives, FIN_WAIT1 and
 * LAST_ACK waiting for an ACK, CLOSING.
 */
public final class Gate extends WrappingDevice {
    /** Drop every frame arriving from the wire. */
    public boolean blockIn;
    /** Drop every frame the host transmits. */
    public boolean blockOut;

    /** A gate in front of {@code inner}; register the gate with the host instead of the device. */
    public Gate(NetDevice inner) {
        super(inner);
    }

    /** Blocks (or opens) both directions. */
    public void block(boolean on) {
        blockIn = on;
        blockOut = on;
    }

    @Override
    protected void onReceive(SkBuff skb, DeviceContext deliver) {
        if (blockIn) {
            skb.free(DropReason.DEV_READY);
            return;
        }
        deliver.receive(this, skb);
    }

    @Override
    protected TxResult onXmit(SkBuff skb) {
        if (blockOut) {
            skb.free(DropReason.DEV_READY);
            return TxResult.OK;
        }
        return inner.startXmit(skb);
    }
}
