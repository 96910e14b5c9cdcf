package dev.stacksim.bench;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.DeviceStats;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;

/**
 * An Ethernet device whose wire goes nowhere: every frame transmitted is counted and consumed at
 * once, and nothing is ever received but what a benchmark hands to its host directly. It stands
 * for the far end of a link a host answers into (a SYN flood's spoofed sources) without paying
 * for a peer: Linux's {@code dummy} device, but with ARP, so the host's neighbour layer runs as it
 * would on a NIC.
 */
public final class SinkDevice implements NetDevice {
    private final String name;
    private final long mac;
    private final DeviceStats stats = new DeviceStats();
    private DeviceContext ctx;
    private int ifindex;
    private boolean up;

    /** A sink named {@code name} with MAC address {@code mac} (48 bits in the low bits). */
    public SinkDevice(String name, long mac) {
        this.name = name;
        this.mac = mac;
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
        return 1500;
    }

    @Override
    public void open(DeviceContext ctx, int ifindex) {
        this.ctx = ctx;
        this.ifindex = ifindex;
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
    }

    /** Counts the frame and consumes it: it left the host. */
    @Override
    public TxResult startXmit(SkBuff skb) {
        stats.countTxPacket(skb.len());
        skb.consume();
        return TxResult.OK;
    }

    @Override
    public DeviceStats stats() {
        return stats;
    }

    /** The context the host gave the device: its {@link DeviceContext#receive} is the way in. */
    public DeviceContext context() {
        return ctx;
    }
}
