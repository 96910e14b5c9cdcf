package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.wire.EtherType;

import java.util.ArrayDeque;

/**
 * A TUN device ({@code drivers/net/tun.c}, opened with {@code IFF_TUN | IFF_NO_PI}): a raw-IP,
 * point-to-point device whose other side is a program instead of a wire. Frames carry no
 * link-layer header and there is no ARP ({@link #ARPHRD_NONE}, {@code IFF_POINTOPOINT | IFF_NOARP}):
 *
 * <pre>
 *   host output ─► ip_finish_output2 ─► startXmit ─► read queue ─► {@link #read()}     (read(2) on the tun fd)
 *   {@link #write(SkBuff)} ─► backlog (netif_rx) ─► host receive path ─► IPv4 input     (write(2) on the tun fd)
 * </pre>
 *
 * <p>What the host transmits is an IPv4 packet starting at its IP header; it waits in the read
 * queue, as {@code tun_net_xmit} puts it on the file's {@code tx_ring}, until the program reads it.
 * The queue holds {@link #DEFAULT_TXQUEUELEN} packets (Linux's {@code TUN_READQ_SIZE}, the tun
 * device's default {@code txqueuelen}); past that a transmit is dropped and counted in
 * {@code tx_dropped} ({@code SKB_DROP_REASON_FULL_RING}). A program that wants to be told rather
 * than poll sets a {@link Reader}, called on the loop each time a packet is queued (the wake-up
 * {@code poll()} on the fd would see).
 *
 * <p>What the program writes enters the host's receive path on a later event of the loop at the
 * same virtual time, as {@code tun_get_user} hands the packet to {@code netif_rx}. Without packet
 * information ({@code IFF_NO_PI}) the protocol comes from the version nibble: 4 is IPv4, 6 IPv6;
 * anything else is refused ({@code -EINVAL}) and counted in {@code rx_dropped}.
 *
 * <p>The packetdrill runner uses one to inject packets below the host's IP layer and capture what
 * the host sends; a bridge to a real Linux TUN can use the same two calls.
 */
public final class TunDevice extends BacklogDevice {
    /** {@code ARPHRD_NONE}: a device without a link-layer header or address (tun in TUN mode). */
    public static final int ARPHRD_NONE = 0xFFFE;
    /** The MTU a new tun device gets ({@code TUN_DRIVER_DEFAULT_MTU}, as Ethernet). */
    public static final int DEFAULT_MTU = 1500;
    /** Packets the read queue holds ({@code TUN_READQ_SIZE}). */
    public static final int DEFAULT_TXQUEUELEN = 500;

    /** Told that a transmitted packet is waiting in the read queue. */
    @FunctionalInterface
    public interface Reader {
        /** A packet was queued; {@link #read()} returns it. Called on the loop. */
        void readable(TunDevice dev);
    }

    private final String name;
    private final ArrayDeque<SkBuff> readQueue = new ArrayDeque<>();
    private int mtu = DEFAULT_MTU;
    private int txQueueLen = DEFAULT_TXQUEUELEN;
    private Reader reader;

    /**
     * An unregistered tun device ({@code ip tuntap add dev tun0 mode tun}).
     *
     * @throws IllegalArgumentException for a name that is empty or longer than 15 characters
     */
    public TunDevice(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("tun: name=\"" + name + "\" must be 1..15 characters (IFNAMSIZ)");
        }
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@link #ARPHRD_NONE}: no link-layer header, no ARP. */
    @Override
    public int type() {
        return ARPHRD_NONE;
    }

    /** 0: a tun device has no hardware address. */
    @Override
    public long macAddress() {
        return 0;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Sets the MTU ({@code ip link set tun0 mtu N}): 68 (RFC 791's minimum) to 65535. */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("tun " + name + ": mtu=" + mtu + " not in 68..65535");
        }
        this.mtu = mtu;
    }

    /** Sets how many transmitted packets may wait unread ({@code ip link set tun0 txqueuelen N}). */
    public void setTxQueueLen(int len) {
        if (len < 1) {
            throw new IllegalArgumentException("tun " + name + ": txqueuelen=" + len + " must be >= 1");
        }
        this.txQueueLen = len;
    }

    /** Sets (or, with null, clears) the program told when a packet can be read. */
    public void setReader(Reader reader) {
        this.reader = reader;
    }

    /**
     * Queues an IPv4 packet the host transmits for the program ({@code tun_net_xmit}). The skb's
     * data starts at the IP header. Never answers BUSY: a full queue or a down device drops.
     */
    @Override
    public TxResult startXmit(SkBuff skb) {
        if (!up) {
            return dropDown(skb);
        }
        if (readQueue.size() >= txQueueLen) {
            stats.countTxDropped();
            skb.free(DropReason.FULL_RING);
            return TxResult.OK;
        }
        // The packet leaves the stack for a program: its memory is no longer the socket's (skb_orphan).
        skb.setOwner(null);
        stats.countTxPacket(skb.len());
        readQueue.addLast(skb);
        Reader r = reader;
        if (r != null) {
            r.readable(this);
        }
        return TxResult.OK;
    }

    /**
     * Takes the oldest transmitted packet ({@code read(2)} on a non-blocking tun fd): its data starts
     * at the IP header and the caller owns it (release it). Null when none waits.
     */
    public SkBuff read() {
        return readQueue.pollFirst();
    }

    /** Packets transmitted and not yet read. */
    public int readQueueSize() {
        return readQueue.size();
    }

    /**
     * Injects a packet into the host ({@code write(2)} on the tun fd, {@code tun_get_user}): the
     * skb's data starts at the IP header; ownership passes. It is received on a later event at the
     * current time. Must be called on the loop.
     *
     * @return false when it was dropped: the device is down, or the first byte is no IP version
     *         ({@code -EINVAL}, counted in {@code rx_dropped})
     */
    public boolean write(SkBuff skb) {
        if (!up) {
            stats.countRxDropped();
            skb.free(DropReason.DEV_READY);
            return false;
        }
        int version = skb.len() > 0 ? (skb.getByte(skb.data()) & 0xF0) >> 4 : 0;
        if (version == 4) {
            skb.setProtocol(EtherType.IPV4);
        } else if (version == 6) {
            skb.setProtocol(EtherType.IPV6);
        } else {
            stats.countRxDropped();
            skb.free(DropReason.UNHANDLED_PROTO);
            return false;
        }
        skb.setPktType(SkBuff.PACKET_HOST);
        backlog.enqueue(skb, ctx.loop().now());
        return true;
    }

    /**
     * {@link #write(SkBuff)} of {@code packet[off, off + len)}, copied into an skb from the host's pool.
     *
     * @throws IllegalStateException before the device is registered with a host
     */
    public boolean write(byte[] packet, int off, int len) {
        if (ctx == null) {
            throw new IllegalStateException("tun " + name + ": write before the device is registered");
        }
        SkBuff skb = ctx.pool().alloc(SkBuffPool.NET_SKB_PAD, len);
        skb.putBytes(packet, off, len);
        return write(skb);
    }

    /** Takes the device down: frees the packets waiting in both directions. */
    @Override
    public void stop() {
        super.stop();
        SkBuff skb;
        while ((skb = readQueue.pollFirst()) != null) {
            skb.free(DropReason.QUEUE_PURGE);
        }
    }

    @Override
    String backlogName() {
        return "tun-rx:" + name;
    }

    @Override
    public String toString() {
        return name + "[tun ifindex=" + ifindex + " mtu=" + mtu + (up ? " UP" : " DOWN") + " unread="
                + readQueue.size() + "]";
    }
}
