package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.MacAddress;

/**
 * One end of a {@link VethPair}: an Ethernet device whose every transmitted frame is received by
 * its peer ({@code drivers/net/veth.c}). Made only by {@link VethPair}.
 *
 * <p>{@code veth_xmit} drops (and counts in {@code tx_dropped}) when the peer is down, and a frame
 * longer than the peer's MTU plus the Ethernet and VLAN headers is dropped at the peer
 * ({@code is_skb_forwardable}, counted in the peer's {@code rx_dropped}). Linux counts a frame in
 * the sender's TX and the peer's RX at transmit time; here the peer counts it when it is
 * received. Frames are not padded to Ethernet's 60-byte minimum, as a veth does not pad either.
 */
public final class VethDevice extends BacklogDevice {
    /** The default MTU of an Ethernet device. */
    public static final int DEFAULT_MTU = 1500;
    /** VLAN_HLEN: {@code is_skb_forwardable} allows a frame this much longer than MTU + header. */
    private static final int VLAN_HLEN = 4;

    private final String name;
    private final long mac;
    private final VethPair pair;
    private VethDevice peer;
    private int mtu = DEFAULT_MTU;

    VethDevice(VethPair pair, String name, long mac) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("veth: name=\"" + name + "\" must be 1..15 characters (IFNAMSIZ)");
        }
        if ((mac & ~MacAddress.MASK) != 0 || MacAddress.isMulticast(mac) || mac == 0) {
            throw new IllegalArgumentException("veth: mac=" + MacAddress.toString(mac) + " must be unicast and not zero");
        }
        this.pair = pair;
        this.name = name;
        this.mac = mac;
    }

    void setPeer(VethDevice peer) {
        this.peer = peer;
    }

    /** The other end. */
    public VethDevice peer() {
        return peer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int type() {
        return ARPHRD_ETHER;
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Sets the MTU ({@code ip link set veth0 mtu N}): 68 (RFC 791's minimum) to 65535. */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("veth " + name + ": mtu=" + mtu + " not in 68..65535");
        }
        this.mtu = mtu;
    }

    /**
     * A veth offloads the transport checksum ({@code VETH_FEATURES} has {@code NETIF_F_HW_CSUM}): a
     * TCP segment crosses to the peer {@code CHECKSUM_PARTIAL}, and the peer's stack takes it as
     * verified.
     */
    @Override
    public long features() {
        return NETIF_F_HW_CSUM;
    }

    /** Hands the frame to the peer's backlog ({@code veth_xmit}); never answers BUSY. */
    @Override
    public TxResult startXmit(SkBuff skb) {
        VethDevice rcv = peer;
        if (!up || rcv == null || !rcv.up) {
            return dropDown(skb);
        }
        int len = skb.len();
        if (len > rcv.mtu + EthernetHeader.HEADER_LEN + VLAN_HLEN) {
            stats.countTxDropped();
            rcv.stats.countRxDropped();
            skb.free(DropReason.PKT_TOO_BIG);
            return TxResult.OK;
        }
        // The frame leaves this host: its memory is no longer the sending socket's (skb_orphan).
        skb.setOwner(null);
        stats.countTxPacket(len);
        // ... and enters the peer's (__dev_forward_skb sets skb->dev): a drop from now on is the peer's.
        skb.setDropListener(rcv.ctx.trace());
        rcv.backlog.enqueue(skb, ctx.loop().now() + pair.delayNanos());
        return TxResult.OK;
    }

    @Override
    String backlogName() {
        return "veth-rx:" + name;
    }

    @Override
    public String toString() {
        return name + "[" + MacAddress.toString(mac) + " ifindex=" + ifindex + " mtu=" + mtu
                + (up ? " UP" : " DOWN") + " peer=" + (peer == null ? "none" : peer.name) + "]";
    }
}
