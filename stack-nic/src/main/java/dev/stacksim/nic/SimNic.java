package dev.stacksim.nic;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.DeviceStats;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;
import dev.stacksim.net.FrameCapture;
import dev.stacksim.net.FramePort;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.SimTime;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated Ethernet NIC with its driver, modelled on Intel's e1000 and its Linux driver
 * ({@code drivers/net/ethernet/intel/e1000/e1000_main.c}): DMA descriptor rings, interrupts that
 * schedule a NAPI poll, TX queue flow control, optional multi-queue receive with RSS, and the
 * counters {@code ip -s link} and {@code ethtool -S} print.
 *
 * <h2>The two data paths</h2>
 * <pre>
 *   transmit                                           receive
 *   host ─► startXmit ─► TX ring (next_to_use)         Medium ─► frameArrived ─► RSS picks a queue
 *     ring full? BUSY, queue stopped                     no posted buffer? rx_missed_errors, dropped
 *   MAC takes the descriptor at head when the          DMA copies the bytes into the buffer at head
 *     Medium is idle (paced by transmitReady)          ─(dma latency)─► done bit, interrupt
 *   ─(dma latency)─► Medium.transmit, done bit,        NAPI poll (≤ budget) ─► DeviceContext.receive
 *     TX interrupt                                       refill the ring with fresh buffers
 *   NAPI poll reclaims done descriptors, counts        budget used up? poll again; else unmask
 *     tx_packets, wakes the queue (wakeQueue)
 * </pre>
 *
 * <h2>Rings</h2>
 * Each ring ({@link DescriptorRing}) has a power-of-two size (default {@value #DEFAULT_RING_SIZE}
 * each, as an e1000), and the driver's {@code next_to_use}/{@code next_to_clean} and the device's
 * {@code head}. On {@link #open} the driver posts an empty skb in every RX descriptor
 * ({@link SkBuffPool#NET_SKB_PAD} headroom, room for MTU + 14 bytes) from the host's pool, and NAPI
 * refills each descriptor it hands to the stack. Receiving is a real copy from the wire skb into the
 * posted buffer: that is what DMA is. Frames shorter than {@value #ETH_ZLEN} bytes arrive zero-padded
 * to that length, as the sending MAC pads them on the wire; frames longer than MTU + 14 are dropped
 * ({@code rx_length_errors}).
 *
 * <h2>Time</h2>
 * The DMA latency (default 0) is the time between the MAC taking a TX descriptor and the frame
 * entering the Medium, and between a frame arriving and its RX descriptor being written back. With
 * the default 0 a NIC adds no time at all: a ping's RTT over a link is exactly the link's delays
 * plus serialization, and the DMA engine moves up to {@link SimNicBuilder#txBurst} posted
 * descriptors (default {@value #DEFAULT_TX_BURST}) into an idle Medium in one loop event, with one
 * TX interrupt: each still enters the Medium only when it is idle, so on a link of finite bandwidth
 * the frames go one per serialization time as before, and on an infinitely fast one a burst leaves
 * at one instant (one event for all instead of one each: what is sent, in what order and at what
 * virtual time, does not change). A latency
 * {@code d} adds {@code d} on each side: one way costs {@code 2d} more. The MAC takes the next TX
 * descriptor only once the Medium is idle, so frames leave at line rate and one DMA at a time:
 * back-to-back frames are spaced serialization + {@code d}.
 *
 * <h2>Interrupt coalescing</h2>
 * By default an RX write-back raises the interrupt and the NAPI poll runs at the same nanosecond:
 * the host costs no time. {@link SimNicBuilder#rxUsecs(Duration)} (what {@code ethtool -C eth0 rx-usecs N}
 * sets) delays the poll after the interrupt: a coalescing window during which arriving frames only
 * fill the ring. A flood faster than the ring drains in that window overflows it: the frames that
 * find no posted buffer are counted in {@code rx_missed_errors}, never lost silently.
 *
 * <h2>Flow control</h2>
 * A full TX ring answers {@link TxResult#BUSY} ({@code tx_busy}) and stops the queue
 * ({@code netif_stop_queue}); once TX completions leave at least the wake threshold of descriptors
 * unused (e1000's {@code TX_WAKE_THRESHOLD}, 32, or half a smaller ring) the driver calls
 * {@link DeviceContext#wakeQueue} ({@code netif_wake_queue}, {@code tx_restart_queue}).
 *
 * <h2>Carrier</h2>
 * {@link #connect} plugs the cable into a {@link Medium}. Without one there is no carrier: transmits
 * are dropped and counted as {@code tx_carrier_errors}, and {@link #isUp()} is false.
 *
 * <h2>Allocation</h2>
 * None per packet in steady state: descriptors are parallel arrays, RX buffers come from the host's
 * recycling pool, and NAPI polls and DMA completions are preallocated {@code Timer}s re-armed
 * ({@code EventLoop.execute} and {@code schedule} allocate a timer per call).
 *
 * <pre>{@code
 * SimNic eth0 = SimNic.builder().name("eth0").mac(0x02_00_00_00_00_01L)
 *         .rxQueues(4).dmaLatency(Duration.ofNanos(500)).build();
 * eth0.connect(medium);                // plug the cable: a Link end
 * eth0.open(ctx, 2);                   // what the host does when it registers the device
 * ...
 * System.out.print(eth0.ethtoolStats());   // NIC statistics:
     rx_packets: 12 ...
 * System.out.print(eth0.dumpRings());      // tx ring: size=256 next_to_use=12 ...
 * }</pre>
 *
 * <p>Not thread-safe: every call happens on the host's event loop.
 */
public final class SimNic implements NetDevice, FramePort {
    /** Default descriptors per ring, as an e1000 ({@code E1000_DEFAULT_RXD}/{@code TXD}). */
    public static final int DEFAULT_RING_SIZE = 256;
    /** Largest ring ({@code E1000_MAX_TXD}). */
    public static final int MAX_RING_SIZE = 4096;
    /** Default NAPI budget per poll ({@code NAPI_POLL_WEIGHT}). */
    public static final int DEFAULT_NAPI_BUDGET = 64;
    /** Default descriptors one zero-latency TX DMA event moves out ({@link SimNicBuilder#txBurst}). */
    public static final int DEFAULT_TX_BURST = 64;
    /** Unused TX descriptors needed to wake a stopped queue (e1000's {@code TX_WAKE_THRESHOLD}). */
    public static final int TX_WAKE_THRESHOLD = 32;
    /** The Ethernet header length ({@code ETH_HLEN}). */
    public static final int ETH_HLEN = EthernetHeader.HEADER_LEN;
    /** The minimum frame length without FCS ({@code ETH_ZLEN}); shorter frames are padded. */
    public static final int ETH_ZLEN = 60;
    /** Smallest MTU ({@code ETH_MIN_MTU}, the IPv4 minimum). */
    public static final int MIN_MTU = 68;
    /** Largest MTU (the e1000's jumbo limit: a 16128-byte frame less header and FCS). */
    public static final int MAX_MTU = 16110;
    /** Most RX queues. */
    public static final int MAX_RX_QUEUES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(SimNic.class);

    private final String name;
    private final long mac;
    private final int mtu;
    private final int napiBudget;
    private final long dmaLatency;
    private final int txBurst;
    private final boolean txChecksumOffload;
    /** Where {@link #capture} sends the frames it sees; null when not capturing. */
    private FrameCapture capture;
    /** Interrupt coalescing: nanoseconds from an RX interrupt to its NAPI poll. */
    private final long rxUsecs;
    private final int txWakeThreshold;
    private final Rss rss;
    private final DeviceStats stats = new DeviceStats();
    private final TxQueue txQueue;
    private final RxQueue[] rxQueues;

    /** The host's context while open (kept after stop for a later open). */
    private DeviceContext ctx;
    private int ifindex;
    private boolean open;
    /** The cable; null when unplugged (no carrier). */
    private Medium medium;

    private long rxNoBufferCount;
    private long rxLongLengthErrors;
    private long rxShortLengthErrors;

    SimNic(SimNicBuilder b) {
        this.name = b.name;
        this.mac = b.mac;
        this.mtu = b.mtu;
        this.napiBudget = b.napiBudget;
        this.dmaLatency = b.dmaLatency;
        this.txBurst = b.txBurst;
        this.txChecksumOffload = b.txChecksumOffload;
        this.rxUsecs = b.rxUsecs;
        this.txWakeThreshold = b.txWakeThreshold > 0 ? b.txWakeThreshold
                : Math.min(TX_WAKE_THRESHOLD, b.txRingSize / 2);
        this.rss = new Rss(new Toeplitz(b.rssKey), b.rxQueues);
        this.txQueue = new TxQueue(this, b.txRingSize, txWakeThreshold);
        this.rxQueues = new RxQueue[b.rxQueues];
        for (int q = 0; q < b.rxQueues; q++) {
            rxQueues[q] = new RxQueue(this, q, b.rxQueues == 1 ? "rx ring" : "rx ring " + q, b.rxRingSize);
        }
    }

    /** A builder with the e1000 defaults: 256-descriptor rings, one RX queue, budget 64, MTU 1500, no DMA latency. */
    public static SimNicBuilder builder() {
        return new SimNicBuilder();
    }

    // ---------------------------------------------------------------- NetDevice

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

    @Override
    public int ifindex() {
        return ifindex;
    }

    /** Open ({@code IFF_UP}) and a cable plugged in ({@code LOWER_UP}, carrier). */
    @Override
    public boolean isUp() {
        return open && medium != null;
    }

    /**
     * Brings the NIC up on a host ({@code e1000_open}): binds its timers to {@code ctx.loop()}, posts an
     * empty buffer from {@code ctx.pool()} in every RX descriptor and unmasks the interrupts.
     *
     * @throws IllegalStateException when already open
     */
    @Override
    public void open(DeviceContext ctx, int ifindex) {
        if (open) {
            throw new IllegalStateException(name + ": open: already open ifindex=" + this.ifindex);
        }
        this.ctx = ctx;
        this.ifindex = ifindex;
        this.open = true;
        txQueue.open(ctx.loop());
        for (RxQueue q : rxQueues) {
            q.open(ctx.loop());
        }
    }

    /**
     * Takes the NIC down ({@code e1000_close}): cancels its timers and releases every skb its rings hold.
     * Frames not yet sent or not yet handed to the stack are dropped with {@link DropReason#QUEUE_PURGE};
     * the empty receive buffers are consumed. Later transmits are dropped. Idempotent.
     */
    @Override
    public void stop() {
        if (!open) {
            return;
        }
        open = false;
        txQueue.stop();
        for (RxQueue q : rxQueues) {
            q.stop();
        }
    }

    /**
     * Places the frame in the next TX descriptor ({@code e1000_xmit_frame}) and rings the doorbell.
     * A full ring answers {@link TxResult#BUSY} and stops the queue; the skb stays the caller's.
     * Otherwise the NIC owns the skb: a NIC that is down drops it ({@code tx_dropped},
     * {@link DropReason#DEV_READY}), one without carrier too ({@code tx_carrier_errors},
     * {@link DropReason#LINK_LOSS}), as does a frame longer than MTU + 14 ({@code tx_dropped},
     * {@link DropReason#PKT_TOO_BIG}).
     */
    @Override
    public TxResult startXmit(SkBuff skb) {
        if (!open) {
            stats.countTxDropped();
            skb.free(DropReason.DEV_READY);
            return TxResult.OK;
        }
        int len = skb.len();
        if (len > mtu + ETH_HLEN) {
            stats.countTxDropped();
            skb.free(DropReason.PKT_TOO_BIG);
            return TxResult.OK;
        }
        if (medium == null) {
            stats.countTxCarrierError();
            skb.free(DropReason.LINK_LOSS);
            return TxResult.OK;
        }
        TxResult result = txQueue.xmit(skb, len);
        if (result == TxResult.OK) {
            // dev_queue_xmit_nit: a packet tap on the device sees the frame as it is handed over.
            tap(skb);
        }
        return result;
    }

    /**
     * Captures every frame this NIC sends and receives, like {@code tcpdump -i eth0}: a sent frame
     * when the stack hands it to the driver ({@code dev_queue_xmit_nit}), a received one when NAPI
     * hands it to the stack ({@code netif_receive_skb}), each stamped with that virtual time.
     * Frames the NIC drops (missed, too long) are not seen, as tcpdump does not see them. {@code null}
     * stops capturing.
     */
    public void capture(FrameCapture sink) {
        this.capture = sink;
    }

    /** Shows a frame to the capture; a failing sink is logged and detached, never breaks the data path. */
    private void tap(SkBuff skb) {
        FrameCapture c = capture;
        if (c == null) {
            return;
        }
        // tcpdump on a real host sees an offloaded checksum unfinished; the capture shows the
        // bytes as they are on the wire, the checksum done
        skb.checksumHelp();
        try {
            c.capture(skb, ctx.loop().now());
        } catch (RuntimeException e) {
            capture = null;
            LOG.warn("{}: capture failed, stopped capturing: {}", name, e.toString());
        }
    }

    @Override
    public DeviceStats stats() {
        return stats;
    }

    /**
     * {@link NetDevice#NETIF_F_HW_CSUM} unless built with {@code txChecksumOffload(false)}: the
     * NIC completes each TCP segment's checksum as it sends it, so the host never sums a payload.
     */
    @Override
    public long features() {
        return txChecksumOffload ? NETIF_F_HW_CSUM : 0;
    }

    // ---------------------------------------------------------------- FramePort

    /**
     * A frame arrives from the cable. RSS picks the RX queue; the DMA engine copies the frame into the
     * buffer posted at that ring's head and consumes the wire skb. With no buffer posted the frame is
     * dropped ({@code rx_missed_errors}, {@code rx_no_buffer_count}, {@link DropReason#FULL_RING});
     * longer than MTU + 14 or shorter than an Ethernet header, dropped as {@code rx_length_errors}. A
     * NIC that is down drops everything ({@link DropReason#DEV_READY}, uncounted: its receiver is off).
     */
    @Override
    public void frameArrived(SkBuff frame) {
        frame.setDropListener(trace()); // the frame is this host's now: a drop from here on is reported as its
        if (!open) {
            frame.free(DropReason.DEV_READY);
            return;
        }
        int len = frame.len();
        if (len > mtu + ETH_HLEN) {
            rxLongLengthErrors++;
            stats.countRxLengthError();
            frame.free(DropReason.PKT_TOO_BIG);
            return;
        }
        if (len < ETH_HLEN) {
            rxShortLengthErrors++;
            stats.countRxLengthError();
            frame.free(DropReason.PKT_TOO_SMALL);
            return;
        }
        RxQueue q = rxQueues[rss.selectQueue(frame.buf(), frame.data(), len)];
        if (!q.dmaReceive(frame, len, dmaLatency)) {
            // No FIFO to hold it: a frame that finds no buffer is a missed frame at once.
            rxNoBufferCount++;
            stats.countRxMissed();
            frame.free(DropReason.FULL_RING);
        }
    }

    /** The Medium went idle: the MAC may take the next TX descriptor. */
    @Override
    public void transmitReady() {
        txQueue.kick();
    }

    // ---------------------------------------------------------------- the cable

    /**
     * Plugs the cable into {@code medium} (carrier on); frames waiting in the TX ring start to leave.
     *
     * @throws IllegalStateException when a medium is already connected
     */
    public void connect(Medium medium) {
        if (medium == null) {
            throw new IllegalArgumentException(name + ": connect: medium=null");
        }
        if (this.medium != null) {
            throw new IllegalStateException(name + ": connect: already connected to " + this.medium);
        }
        this.medium = medium;
        txQueue.kick();
    }

    /**
     * Unplugs the cable (carrier off): frames still in the TX ring are dropped as the MAC reaches them
     * ({@code tx_carrier_errors}).
     *
     * @return the medium that was connected, or null
     */
    public Medium disconnect() {
        Medium old = medium;
        medium = null;
        txQueue.kick();
        return old;
    }

    /** The connected medium, or null. */
    public Medium medium() {
        return medium;
    }

    /** Whether a cable is plugged in ({@code netif_carrier_ok}). */
    public boolean isCarrierOk() {
        return medium != null;
    }

    // ---------------------------------------------------------------- inspection

    /** The TX descriptor ring. */
    public DescriptorRing txRing() {
        return txQueue.ring;
    }

    /** The RX descriptor ring of queue {@code queue}. */
    public DescriptorRing rxRing(int queue) {
        return rxQueues[queue].ring;
    }

    /** Number of RX queues (1 unless built with {@link SimNicBuilder#rxQueues}). */
    public int rxQueueCount() {
        return rxQueues.length;
    }

    /** Whether queue {@code queue}'s interrupt is unmasked; false while its NAPI poll is scheduled. */
    public boolean interruptsEnabled(int queue) {
        return rxQueues[queue].irqEnabled();
    }

    /** Whether the TX queue is stopped: startXmit answered BUSY and the queue was not woken yet. */
    public boolean isQueueStopped() {
        return txQueue.isStopped();
    }

    /** Most frames one NAPI poll hands to the stack. */
    public int napiBudget() {
        return napiBudget;
    }

    /** Descriptors one zero-latency TX DMA event moves out at most ({@link SimNicBuilder#txBurst}). */
    public int txBurst() {
        return txBurst;
    }

    /** The DMA latency in nanoseconds (see the class documentation). */
    public long dmaLatencyNanos() {
        return dmaLatency;
    }

    /** The interrupt coalescing delay in nanoseconds ({@code rx-usecs}): from interrupt to NAPI poll. */
    public long rxUsecsNanos() {
        return rxUsecs;
    }

    /** Unused TX descriptors needed to wake a stopped queue. */
    public int txWakeThreshold() {
        return txWakeThreshold;
    }

    /** The RSS configuration: key, hash and indirection table ({@code ethtool -x}). */
    public Rss rss() {
        return rss;
    }

    /** Whether the NIC is open (administratively up), with or without carrier. */
    public boolean isOpen() {
        return open;
    }

    /**
     * The driver's counters as {@code ethtool -S} lists them, in this order: the
     * {@code rtnl_link_stats64} fields, the e1000 error detail ({@code rx_long_length_errors},
     * {@code rx_no_buffer_count} …), queue flow control ({@code tx_busy}, {@code tx_restart_queue}),
     * interrupts and NAPI, then per queue ({@code tx_queue_0_*}, {@code rx_queue_N_packets},
     * {@code _bytes}, {@code _interrupts}, {@code _napi_polls}).
     */
    public EthtoolStats ethtoolStats() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_packets", stats.rxPackets());
        m.put("tx_packets", stats.txPackets());
        m.put("rx_bytes", stats.rxBytes());
        m.put("tx_bytes", stats.txBytes());
        m.put("rx_errors", stats.rxErrors());
        m.put("tx_errors", stats.txErrors());
        m.put("rx_dropped", stats.rxDropped());
        m.put("tx_dropped", stats.txDropped());
        m.put("multicast", stats.multicast());
        m.put("rx_length_errors", stats.rxLengthErrors());
        m.put("rx_long_length_errors", rxLongLengthErrors);
        m.put("rx_short_length_errors", rxShortLengthErrors);
        m.put("rx_missed_errors", stats.rxMissedErrors());
        m.put("rx_no_buffer_count", rxNoBufferCount);
        m.put("tx_carrier_errors", stats.txCarrierErrors());
        m.put("tx_busy", txQueue.busy);
        m.put("tx_restart_queue", txQueue.restarts);
        long interrupts = 0;
        long polls = 0;
        long complete = 0;
        long exhausted = 0;
        for (RxQueue q : rxQueues) {
            interrupts += q.interrupts;
            polls += q.napiPolls;
            complete += q.napiComplete;
            exhausted += q.budgetExhausted;
        }
        m.put("interrupts", interrupts);
        m.put("napi_polls", polls);
        m.put("napi_complete", complete);
        m.put("napi_budget_exhausted", exhausted);
        m.put("tx_queue_0_packets", stats.txPackets());
        m.put("tx_queue_0_bytes", stats.txBytes());
        for (RxQueue q : rxQueues) {
            String p = "rx_queue_" + q.index + "_";
            m.put(p + "packets", q.packets);
            m.put(p + "bytes", q.bytes);
            m.put(p + "interrupts", q.interrupts);
            m.put(p + "napi_polls", q.napiPolls);
        }
        return new EthtoolStats(m);
    }

    /**
     * The rings, one line each, with a slot picture for rings of up to 64 descriptors (see
     * {@link DescriptorRing#picture()}):
     * <pre>
     * tx ring: size=8 next_to_use=3 next_to_clean=1 (2 done) head=3 owned_by_device=0 unused=6
     *   .DD.....
     * rx ring: size=8 next_to_use=0 next_to_clean=0 (0 done) head=0 owned_by_device=8 unused=0
     *   PPPPPPPP
     * </pre>
     */
    public String dumpRings() {
        StringBuilder sb = new StringBuilder();
        appendRing(sb, txQueue.ring);
        for (RxQueue q : rxQueues) {
            appendRing(sb, q.ring);
        }
        return sb.toString();
    }

    private static void appendRing(StringBuilder sb, DescriptorRing ring) {
        sb.append(ring).append('\n');
        if (ring.size() <= 64) {
            sb.append("  ").append(ring.picture()).append('\n');
        }
    }

    /** {@code SimNic[eth0 02:00:00:00:00:01 mtu=1500 up carrier rx_queues=1 dma_latency=+0.000s]}. */
    @Override
    public String toString() {
        return "SimNic[" + name + " " + MacAddress.toString(mac) + " mtu=" + mtu + (open ? " up" : " down")
                + (medium != null ? " carrier" : " no-carrier") + " rx_queues=" + rxQueues.length
                + " dma_latency=" + SimTime.formatDelta(dmaLatency) + "]";
    }

    // ---------------------------------------------------------------- for RxQueue and TxQueue

    /** The pool RX buffers come from. */
    SkBuffPool pool() {
        return ctx.pool();
    }

    /** The host's trace (ring moves, drops of frames taken in); {@link HostTrace#NONE} before the first open. */
    HostTrace trace() {
        return ctx != null ? ctx.trace() : HostTrace.NONE;
    }

    /** Hands a received frame of {@code len} bytes to the stack, counting it. */
    void deliver(SkBuff skb, int len) {
        stats.countRxPacket(len);
        if ((skb.getByte(skb.data()) & 0x01) != 0) {
            stats.countMulticast();
        }
        skb.setIfindex(ifindex);
        tap(skb);
        ctx.receive(this, skb);
    }

    /** Reclaims the TX ring: queue 0's NAPI poll does it first, as e1000's single vector does. */
    void cleanTxIrq() {
        txQueue.clean();
    }

    // ---------------------------------------------------------------- for TxQueue

    /** A TX descriptor was written back: the TX interrupt shares queue 0's vector. */
    void raiseTxInterrupt() {
        rxQueues[0].raiseIrq();
    }

    /** Enough TX descriptors are free again: {@code netif_wake_queue}. */
    void wakeQueue() {
        ctx.wakeQueue(this);
    }
}
