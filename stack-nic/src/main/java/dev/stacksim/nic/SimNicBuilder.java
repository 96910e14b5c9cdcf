package dev.stacksim.nic;

import dev.stacksim.wire.MacAddress;
import java.time.Duration;

/**
 * Configures a {@link SimNic}. Every setting has the e1000's default except the MAC address,
 * which must be given.
 */
public final class SimNicBuilder {
    String name = "eth0";
    long mac = -1;
    int mtu = 1500;
    int rxRingSize = SimNic.DEFAULT_RING_SIZE;
    int txRingSize = SimNic.DEFAULT_RING_SIZE;
    int rxQueues = 1;
    int napiBudget = SimNic.DEFAULT_NAPI_BUDGET;
    long dmaLatency;
    int txBurst = SimNic.DEFAULT_TX_BURST;
    boolean txChecksumOffload = true;
    long rxUsecs;
    int txWakeThreshold;
    byte[] rssKey = Toeplitz.microsoftKey();

    SimNicBuilder() {
    }

    /** The interface name (default {@code eth0}). */
    public SimNicBuilder name(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("SimNic: name=" + name + " must be 1..15 characters (IFNAMSIZ)");
        }
        this.name = name;
        return this;
    }

    /** The MAC address as raw bits (first octet in bits 47..40). */
    public SimNicBuilder mac(long mac) {
        if ((mac & ~MacAddress.MASK) != 0) {
            throw new IllegalArgumentException("SimNic: mac=" + Long.toHexString(mac) + " is wider than 48 bits");
        }
        this.mac = mac;
        return this;
    }

    /** The MAC address. */
    public SimNicBuilder mac(MacAddress mac) {
        return mac(mac.toLong());
    }

    /** The MTU (default 1500), between {@value SimNic#MIN_MTU} and {@value SimNic#MAX_MTU}. */
    public SimNicBuilder mtu(int mtu) {
        if (mtu < SimNic.MIN_MTU || mtu > SimNic.MAX_MTU) {
            throw new IllegalArgumentException("SimNic: mtu=" + mtu + " must be " + SimNic.MIN_MTU + ".." + SimNic.MAX_MTU);
        }
        this.mtu = mtu;
        return this;
    }

    /** Descriptors per RX ring (default 256): a power of two, 2..4096 ({@code ethtool -G eth0 rx N}). */
    public SimNicBuilder rxRingSize(int size) {
        this.rxRingSize = checkRing("rxRingSize", size);
        return this;
    }

    /** Descriptors in the TX ring (default 256): a power of two, 2..4096 ({@code ethtool -G eth0 tx N}). */
    public SimNicBuilder txRingSize(int size) {
        this.txRingSize = checkRing("txRingSize", size);
        return this;
    }

    /** RX queues, each with its own ring and NAPI context (default 1; RSS spreads flows over them). */
    public SimNicBuilder rxQueues(int queues) {
        if (queues < 1 || queues > SimNic.MAX_RX_QUEUES) {
            throw new IllegalArgumentException("SimNic: rxQueues=" + queues + " must be 1.." + SimNic.MAX_RX_QUEUES);
        }
        this.rxQueues = queues;
        return this;
    }

    /** Most frames per NAPI poll (default 64). */
    public SimNicBuilder napiBudget(int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("SimNic: napiBudget=" + budget + " must be >= 1");
        }
        this.napiBudget = budget;
        return this;
    }

    /** The DMA latency on each path (default zero: the NIC adds no time; see the class documentation). */
    public SimNicBuilder dmaLatency(Duration latency) {
        return dmaLatencyNanos(latency.toNanos());
    }

    /** {@link #dmaLatency(Duration)} in nanoseconds. */
    public SimNicBuilder dmaLatencyNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("SimNic: dmaLatency=" + nanos + "ns must be >= 0");
        }
        this.dmaLatency = nanos;
        return this;
    }

    /**
     * Descriptors the TX DMA engine moves out in one event when the DMA latency is zero (default
     * {@value SimNic#DEFAULT_TX_BURST}, NAPI's weight): they all complete at the same instant, and
     * the Medium takes them back to back while it is idle. 1 gives one event per frame. A receiver
     * whose NAPI polls 64 frames at a time keeps up with bursts of 64 from one sender without
     * overrunning a 256-descriptor RX ring; larger bursts on an infinitely fast link can.
     */
    public SimNicBuilder txBurst(int descriptors) {
        if (descriptors < 1) {
            throw new IllegalArgumentException("SimNic: txBurst=" + descriptors + " must be >= 1");
        }
        this.txBurst = descriptors;
        return this;
    }

    /**
     * TX checksum offload ({@code ethtool -K eth0 tx on|off}; default on, as an e1000's): on, the
     * NIC completes each TCP segment's partial checksum on its way out ({@code NETIF_F_HW_CSUM});
     * off, the host sums every segment in software before handing it over
     * ({@code skb_checksum_help}). Either way the frame on the wire carries the right checksum.
     */
    public SimNicBuilder txChecksumOffload(boolean on) {
        this.txChecksumOffload = on;
        return this;
    }

    /**
     * Interrupt coalescing ({@code ethtool -C rx-usecs}): how long after an RX interrupt its NAPI
     * poll runs (default zero). Frames arriving in the meantime wait in the ring, or are missed
     * when it is full.
     */
    public SimNicBuilder rxUsecs(Duration delay) {
        long nanos = delay.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("SimNic: rxUsecs=" + nanos + "ns must be >= 0");
        }
        this.rxUsecs = nanos;
        return this;
    }

    /** Unused TX descriptors needed to wake a stopped queue (default min(32, txRingSize / 2)). */
    public SimNicBuilder txWakeThreshold(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("SimNic: txWakeThreshold=" + threshold + " must be >= 1");
        }
        this.txWakeThreshold = threshold;
        return this;
    }

    /** The RSS key (default {@link Toeplitz#microsoftKey()}); copied. At least 16 bytes. */
    public SimNicBuilder rssKey(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("SimNic: rssKey len=" + (key == null ? 0 : key.length) + " need>=16");
        }
        this.rssKey = key.clone();
        return this;
    }

    /**
     * The NIC, not yet open and not connected.
     *
     * @throws IllegalStateException when no MAC address was given, or the wake threshold exceeds the TX ring
     */
    public SimNic build() {
        if (mac < 0) {
            throw new IllegalStateException("SimNic " + name + ": mac address not set");
        }
        if (txWakeThreshold > txRingSize) {
            throw new IllegalStateException("SimNic " + name + ": txWakeThreshold=" + txWakeThreshold
                    + " > txRingSize=" + txRingSize);
        }
        return new SimNic(this);
    }

    private static int checkRing(String what, int size) {
        if (size < 2 || size > SimNic.MAX_RING_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("SimNic: " + what + "=" + size + " must be a power of two 2.."
                    + SimNic.MAX_RING_SIZE);
        }
        return size;
    }
}
