package dev.stacksim.nic;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.TxResult;
import dev.stacksim.net.Medium;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;

/**
 * The transmit side of a {@link SimNic}: its descriptor ring, the MAC's DMA engine that pulls
 * descriptors out to the {@link Medium} one at a time (a burst per event when DMA takes no time),
 * and the queue's stop/wake state
 * ({@code e1000_xmit_frame}, the hardware's TX path, {@code e1000_clean_tx_irq}).
 *
 * <pre>
 *   xmit ─► post at next_to_use ─► kick: MAC idle and Medium idle? take the descriptor at head
 *        ─(dma latency)─► Medium.transmit (ownership passes), done bit, TX interrupt ─► kick again
 *   Medium busy? wait for transmitReady, which kicks.
 *   NAPI ─► clean: reclaim done descriptors, count tx_packets, wake a stopped queue
 * </pre>
 *
 * One preallocated {@link Timer} carries the DMA; nothing is allocated per frame.
 */
final class TxQueue {
    /** The ring's name in trace events. */
    private static final String TRACE_NAME = "tx0";
    /** The TX descriptor ring. */
    final DescriptorRing ring;
    private final SimNic nic;
    /** Unused descriptors needed to wake a stopped queue. */
    private final int wakeThreshold;
    /** The loop the timer is bound to. */
    private EventLoop loop;
    /** The MAC's DMA of the descriptor it took. */
    private Timer dmaTimer;
    /** The slot whose DMA is under way, or -1. */
    private int dmaSlot = -1;
    /** Set when xmit answered BUSY ({@code netif_stop_queue}), cleared on wake. */
    private boolean stopped;

    /** BUSY answers ({@code tx_busy}). */
    long busy;
    /** Queue wake-ups ({@code tx_restart_queue}). */
    long restarts;

    TxQueue(SimNic nic, int size, int wakeThreshold) {
        this.nic = nic;
        this.ring = new DescriptorRing("tx ring", size);
        this.wakeThreshold = wakeThreshold;
    }

    /** Whether the queue is stopped. */
    boolean isStopped() {
        return stopped;
    }

    /** Called on open: binds the DMA timer to the host's loop. */
    void open(EventLoop newLoop) {
        if (loop != newLoop) {
            loop = newLoop;
            dmaTimer = new Timer(newLoop, nic.name() + " tx dma", this::dmaDone);
        }
    }

    /** Called on stop: cancels the DMA and drops every frame still in the ring. */
    void stop() {
        if (dmaTimer != null) {
            dmaTimer.cancel();
        }
        dmaSlot = -1;
        ring.purge(false);
        stopped = false;
    }

    /** Posts the frame, or answers BUSY and stops the queue when no descriptor is unused. */
    TxResult xmit(SkBuff skb, int len) {
        if (ring.unused() == 0) {
            busy++;
            stopped = true;
            return TxResult.BUSY;
        }
        int slot = ring.post(skb, len);
        nic.trace().ringMove(nic.name(), TRACE_NAME, "post", slot);
        kick();
        return TxResult.OK;
    }

    /**
     * The MAC takes the next posted descriptor when no DMA is under way and the Medium is idle;
     * otherwise {@code transmitReady} or the end of the current DMA kicks again.
     */
    void kick() {
        if (!nic.isOpen() || dmaSlot >= 0 || !ring.hasPosted() || !mediumIdle()) {
            return;
        }
        dmaSlot = ring.take();
        dmaTimer.arm(nic.dmaLatencyNanos());
    }

    /**
     * The DMA of the taken descriptor is done: the frame enters the Medium (ownership passes). With
     * no DMA latency, the descriptors posted behind it complete at this same instant too, so the
     * engine moves up to {@code txBurst} of them out in this one event while the Medium stays idle
     * (an infinitely fast link never gets busy), and writes back with one interrupt, as a NIC's
     * descriptor write-back threshold batches them. Only the interleaving of same-instant events
     * differs from one event per descriptor; what leaves, in what order and at what time, is the
     * same.
     */
    private void dmaDone() {
        int burst = nic.dmaLatencyNanos() == 0 ? nic.txBurst() : 1;
        while (true) {
            int slot = dmaSlot;
            dmaSlot = -1;
            SkBuff skb = ring.takeBuffer(slot);
            Medium m = nic.medium();
            if (m == null) {
                ring.complete(slot, -1); // not sent: reclaimed without counting as a packet
                nic.stats().countTxCarrierError();
                skb.free(DropReason.LINK_LOSS);
            } else {
                ring.complete(slot, ring.length(slot));
                nic.trace().ringMove(nic.name(), TRACE_NAME, "dma", slot);
                // The frame has left host memory: the sender's socket gets its buffer space back now,
                // as e1000_clean_tx_irq frees the skb at TX completion (not when a far host receives it).
                skb.setOwner(null);
                m.transmit(skb);
                if (!nic.isOpen()) {
                    return; // taken down from inside the medium's call chain; stop() purged the ring
                }
            }
            if (--burst == 0 || !ring.hasPosted() || !mediumIdle()) {
                break;
            }
            dmaSlot = ring.take();
        }
        nic.raiseTxInterrupt();
        kick();
    }

    /** Whether the Medium takes a frame now: idle, or no cable (the frame is then reclaimed unsent). */
    private boolean mediumIdle() {
        Medium m = nic.medium();
        return m == null || !m.isBusy();
    }

    /**
     * TX completion ({@code e1000_clean_tx_irq}): reclaims every done descriptor, counting what was
     * sent, and wakes a stopped queue once enough descriptors are unused.
     */
    void clean() {
        while (ring.cleanable()) {
            int slot = ring.clean();
            nic.trace().ringMove(nic.name(), TRACE_NAME, "clean", slot);
            int len = ring.length(slot);
            if (len >= 0) {
                nic.stats().countTxPacket(len);
            }
        }
        if (stopped && nic.isOpen() && ring.unused() >= wakeThreshold) {
            stopped = false;
            restarts++;
            nic.wakeQueue();
        }
    }
}
