package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;

/**
 * The loopback device {@code lo} ({@code drivers/net/loopback.c}): every frame transmitted comes
 * back in as received. A host has one, at ifindex 1 with {@code 127.0.0.1/8}; traffic to any of the
 * host's own addresses goes through it, as Linux routes local destinations via {@code lo}.
 *
 * <p>Like {@code loopback_xmit}, which hands the frame to {@code netif_rx}, a transmitted frame is
 * queued on a backlog and received on a later event of the loop at the same virtual instant: a
 * ping to {@code 127.0.0.1} has an RTT of exactly zero, yet the receive path never runs inside the
 * transmit path. The frame is orphaned on transmit ({@code skb_orphan}), giving its memory back to
 * the sending socket.
 *
 * <p>Frames carry no link-layer header: the data starts at the IP header and
 * {@link SkBuff#protocol()} says what it is (the NetDevice contract for {@link NetDevice#ARPHRD_LOOPBACK}).
 * Transmit and receive are both counted in {@link #stats()}, as {@code ip -s link show lo} shows
 * equal RX and TX.
 */
public final class LoopbackDevice extends BacklogDevice {
    /** The loopback MTU Linux has used since 4.0: 64 KiB. */
    public static final int MTU = 65536;

    private int mtu = MTU;

    /** An unregistered {@code lo}; a host opens it. */
    public LoopbackDevice() {
    }

    @Override
    public String name() {
        return "lo";
    }

    @Override
    public int type() {
        return ARPHRD_LOOPBACK;
    }

    @Override
    public long macAddress() {
        return 0;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Sets the MTU ({@code ip link set lo mtu N}); at least 68, the IPv4 minimum (RFC 791). */
    public void setMtu(int mtu) {
        if (mtu < 68) {
            throw new IllegalArgumentException("lo: mtu=" + mtu + " below 68");
        }
        this.mtu = mtu;
    }

    /** Queues the frame to come back in; refuses nothing (a down device drops and counts). */
    @Override
    public TxResult startXmit(SkBuff skb) {
        if (!up) {
            return dropDown(skb);
        }
        skb.setOwner(null);
        // nothing between here and the receive path can change a byte: no checksum to verify. A
        // TCP segment stays CHECKSUM_PARTIAL (lo offloads, and takes that as good on the way in);
        // a checksum computed in software is right for these bytes
        if (skb.ipSummed() != SkBuff.CHECKSUM_PARTIAL) {
            skb.setIpSummed(SkBuff.CHECKSUM_UNNECESSARY);
        }
        stats.countTxPacket(skb.len());
        backlog.enqueue(skb, ctx.loop().now());
        return TxResult.OK;
    }

    /** {@code lo} offloads the transport checksum: it never computes one ({@code NETIF_F_HW_CSUM}). */
    @Override
    public long features() {
        return NETIF_F_HW_CSUM;
    }

    /** Frames transmitted and not yet received back. */
    public int backlogSize() {
        return backlog == null ? 0 : backlog.size();
    }

    @Override
    String backlogName() {
        return "lo-backlog";
    }

    @Override
    public String toString() {
        return "lo[ifindex=" + ifindex + " mtu=" + mtu + (up ? " UP]" : " DOWN]");
    }
}
