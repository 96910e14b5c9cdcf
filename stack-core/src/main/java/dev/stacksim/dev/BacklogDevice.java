package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

/**
 * What the software devices ({@code lo}, veth) share: no rings, a received frame goes through a
 * {@link Backlog} ({@code netif_rx}'s per-CPU queue) and reaches the stack on a later event of the
 * loop, and the life cycle open → stop purges that backlog.
 */
abstract class BacklogDevice implements NetDevice {
    /** The device's counters. */
    final DeviceStats stats = new DeviceStats();
    /** The host's side, once open. */
    DeviceContext ctx;
    /** Frames waiting to be received; null before {@link #open}. */
    Backlog backlog;
    int ifindex;
    boolean up;

    /** The backlog's name in the loop's timers ({@code lo-backlog}, {@code veth-rx:veth0}). */
    abstract String backlogName();

    @Override
    public void open(DeviceContext ctx, int ifindex) {
        if (up) {
            throw new IllegalStateException(name() + ": already open ifindex=" + this.ifindex);
        }
        this.ctx = ctx;
        this.ifindex = ifindex;
        this.backlog = new Backlog(ctx.loop(), backlogName(), this::deliver);
        this.up = true;
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public void stop() {
        up = false;
        if (backlog != null) {
            backlog.purge(DropReason.QUEUE_PURGE);
        }
    }

    @Override
    public DeviceStats stats() {
        return stats;
    }

    /** A transmit the device cannot make (it or its peer is down): counted and dropped, never BUSY. */
    TxResult dropDown(SkBuff skb) {
        stats.countTxDropped();
        skb.free(DropReason.DEV_READY);
        return TxResult.OK;
    }

    /** The backlog hands a frame up: count it and give it to the host. */
    private void deliver(SkBuff skb) {
        stats.countRxPacket(skb.len());
        ctx.receive(this, skb);
    }
}
