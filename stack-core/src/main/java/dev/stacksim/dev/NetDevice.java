package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;

/**
 * A network device as the stack sees it: Linux's {@code struct net_device} with its
 * {@code net_device_ops}. A host registers it ({@link #open}), transmits through
 * {@link #startXmit}, and receives what the device hands to {@link DeviceContext#receive}.
 *
 * <p>Implementations: the loopback device, veth pairs and the tun device in this package, the
 * simulated NIC in {@code stack-nic}. All calls happen on the host's event loop.
 */
public interface NetDevice {
    /** {@code ARPHRD_ETHER}: an Ethernet device. */
    int ARPHRD_ETHER = 1;
    /** {@code ARPHRD_LOOPBACK}: the loopback device. */
    int ARPHRD_LOOPBACK = 772;
    /**
     * {@code NETIF_F_HW_CSUM} in {@link #features()}: the device completes a
     * {@link SkBuff#CHECKSUM_PARTIAL} transport checksum itself (TX checksum offload, {@code ethtool
     * -k}'s {@code tx-checksumming}); before a device without it the host completes it in software.
     */
    long NETIF_F_HW_CSUM = 1L << 3;

    /** The interface name: {@code lo}, {@code eth0}. */
    String name();

    /**
     * The hardware type: {@link #ARPHRD_ETHER}, {@link #ARPHRD_LOOPBACK} or
     * {@link TunDevice#ARPHRD_NONE} (raw IP, no link-layer header).
     */
    int type();

    /** The 48-bit MAC address (first octet in the top byte of the low 48 bits); 0 for loopback. */
    long macAddress();

    /** The MTU: the largest IP packet the device carries in one frame (1500 for Ethernet, 65536 for lo). */
    int mtu();

    /**
     * Brings the device up on a host ({@code ndo_open}): the driver keeps {@code ctx} to deliver
     * frames and posts its receive buffers. Called once, when the host registers the device with
     * {@code ifindex}.
     */
    void open(DeviceContext ctx, int ifindex);

    /** The index the host gave the device ({@code dev->ifindex}); 0 before {@link #open}. */
    int ifindex();

    /** True between {@link #open} and {@link #stop}, while the link is usable. */
    boolean isUp();

    /** Takes the device down ({@code ndo_stop}): frees what its rings hold; later transmits are refused. */
    void stop();

    /**
     * Transmits one frame ({@code ndo_start_xmit}). The skb's data starts at the link-layer header
     * (for loopback and tun: at the IP header). On {@link TxResult#OK} the device owns the skb; on
     * {@link TxResult#BUSY} the caller still does.
     */
    TxResult startXmit(SkBuff skb);

    /** The device's counters, as {@code ip -s link} prints them. */
    DeviceStats stats();

    /**
     * The offloads the device offers ({@code dev->features}): a mask of {@code NETIF_F_*} bits,
     * {@link #NETIF_F_HW_CSUM} so far. None by default.
     */
    default long features() {
        return 0;
    }
}
