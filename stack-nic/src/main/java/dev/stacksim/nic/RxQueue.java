package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;
import dev.stacksim.trace.HostTrace;
import io.netty.buffer.ByteBuf;

/**
 * One receive queue of a {@link SimNic}: its descriptor ring, the DMA write-backs under way, its
 * interrupt mask and its NAPI context (Linux's {@code struct napi_struct} with the driver's
 * {@code e1000_clean}/{@code e1000_clean_rx_irq}). Queue 0 also reclaims the TX ring, as a
 * single-vector e1000 does in its poll.
 *
 * <pre>
 *   frame arrives ─► DMA copies it into the buffer posted at head ─(dma latency)─► done bit set
 *        ─► interrupt, unless masked: mask it, schedule NAPI (a loop event: the softirq)
 *   NAPI poll ─► up to budget done descriptors: put(len), hand to the stack ─► refill the ring
 *        ─► budget not used up: napi_complete_done, unmask the interrupt
 *           budget used up: stay scheduled (another event), interrupt stays masked
 * </pre>
 *
 * Everything is preallocated: the ring's arrays, the per-slot write-back time and length, and two
 * {@link Timer}s re-armed for NAPI and DMA write-back ({@link EventLoop#execute} would allocate a
 * timer per call).
 */
final class RxQueue {
    /** The queue number: {@code rx_queue_N_*} in ethtool. */
    final int index;
    /** The ring's name in trace events: {@code rx0}, {@code rx1} ... */
    private final String traceName;
    /** The descriptor ring. */
    final DescriptorRing ring;
    private final SimNic nic;
    /** Per slot: when the DMA of the frame taken into it completes (its write-back time). */
    private final long[] readyAt;
    /** Per slot: the length the write-back will report. */
    private final int[] pendingLen;
    /**
     * Per slot: where a partial checksum the frame carries starts, from the frame's first byte
     * ({@code csum_start}), -1 when it carries none; with {@link #partialOffset}.
     */
    private final int[] partialStart;
    /** Per slot: the partial checksum's field offset from its start ({@code csum_offset}). */
    private final int[] partialOffset;
    /** Free-running index of the oldest taken descriptor whose write-back is still to come. */
    private int writeBackIndex;
    /** The loop of the host the NIC is open on. */
    private EventLoop loop;
    /** The NAPI poll, armed at now when scheduled ({@code napi_schedule}). */
    private Timer napiTimer;
    /** Fires at the next write-back time while DMA transfers are under way (only with a DMA latency). */
    private Timer dmaTimer;
    /** The interrupt is unmasked: the next write-back raises it. Masked while NAPI is scheduled. */
    private boolean irqEnabled = true;

    /** Frames handed to the stack ({@code rx_queue_N_packets}). */
    long packets;
    /** Bytes handed to the stack ({@code rx_queue_N_bytes}). */
    long bytes;
    /** Interrupts raised ({@code rx_queue_N_interrupts}). */
    long interrupts;
    /** NAPI polls run ({@code rx_queue_N_napi_polls}). */
    long napiPolls;
    /** Polls that finished under budget and re-enabled the interrupt. */
    long napiComplete;
    /** Polls that used their whole budget and rescheduled themselves (softnet's {@code time_squeeze}). */
    long budgetExhausted;

    RxQueue(SimNic nic, int index, String ringName, int size) {
        this.nic = nic;
        this.index = index;
        this.traceName = "rx" + index;
        this.ring = new DescriptorRing(ringName, size);
        this.readyAt = new long[size];
        this.pendingLen = new int[size];
        this.partialStart = new int[size];
        this.partialOffset = new int[size];
    }

    /** Whether the interrupt is unmasked (not masked by a scheduled NAPI poll). */
    boolean irqEnabled() {
        return irqEnabled;
    }

    /** Called on open: binds the timers to the host's loop and posts a buffer in every descriptor. */
    void open(EventLoop newLoop) {
        if (loop != newLoop) {
            loop = newLoop;
            String prefix = nic.name() + " rx" + index;
            napiTimer = new Timer(newLoop, prefix + " napi", this::poll);
            dmaTimer = new Timer(newLoop, prefix + " dma", this::writeBackDue);
        }
        irqEnabled = true;
        refill();
    }

    /** Called on stop: cancels the timers and releases every buffer the ring holds. */
    void stop() {
        if (napiTimer != null) {
            napiTimer.cancel();
            dmaTimer.cancel();
        }
        ring.purge(true);
        writeBackIndex = 0;
        irqEnabled = true;
    }

    /**
     * The DMA engine receives {@code frame} ({@code len} bytes, at least an Ethernet header) into the
     * buffer posted at head: a real copy, as DMA into host memory is. Frames shorter than the
     * Ethernet minimum are zero-padded to {@link SimNic#ETH_ZLEN} bytes, as the sending MAC would
     * have padded them on the wire. The wire skb is consumed.
     *
     * @return false, leaving {@code frame} to the caller, when no buffer is posted (the ring is full
     *         of frames the driver has not cleaned, or was not refilled)
     */
    boolean dmaReceive(SkBuff frame, int len, long dmaLatency) {
        if (!ring.hasPosted()) {
            return false;
        }
        int slot = ring.take();
        SkBuff skb = ring.buffer(slot);
        int at = skb.tail();
        int wireLen = Math.max(len, SimNic.ETH_ZLEN);
        skb.ensureWritable(at, wireLen);
        ByteBuf dst = skb.buf();
        dst.setBytes(at, frame.buf(), frame.data(), len);
        if (len < wireLen) {
            dst.setZero(at + len, wireLen - len);
        }
        // receive checksum offload (e1000_rx_checksum): the hardware's verdict on a TCP segment.
        // The simulation knows it without summing: good when its sender computed the checksum
        // over these bytes and nothing on the way changed one (a corrupted frame is verified by
        // the stack, which counts the error). A segment whose sender's NIC offloads its checksum
        // arrives still partial, as over a veth: verified, and completed by whoever reads it as
        // wire bytes (a capture, a device without the offload when it is forwarded)
        if (frame.ipSummed() == SkBuff.CHECKSUM_PARTIAL) {
            partialStart[slot] = frame.csumStart() - frame.data();
            partialOffset[slot] = frame.csumOffset();
        } else {
            partialStart[slot] = -1;
            skb.setIpSummed(frame.ipSummed());
        }
        frame.consume();
        long now = loop.now();
        if (dmaLatency == 0) {
            writeBack(slot, wireLen, now);
            writeBackIndex++;
            raiseIrq();
        } else {
            readyAt[slot] = now + dmaLatency;
            pendingLen[slot] = wireLen;
            if (!dmaTimer.isPending()) {
                dmaTimer.mod(readyAt[slot]);
            }
        }
        return true;
    }

    /** The DMA timer: writes back every transfer that has completed by now, then raises the interrupt. */
    private void writeBackDue() {
        long now = loop.now();
        boolean any = false;
        while (writeBackIndex != ring.headIndex()) {
            int slot = ring.slot(writeBackIndex);
            if (readyAt[slot] > now) {
                dmaTimer.mod(readyAt[slot]);
                break;
            }
            writeBack(slot, pendingLen[slot], readyAt[slot]);
            writeBackIndex++;
            any = true;
        }
        if (any) {
            raiseIrq();
        }
    }

    /** Sets the descriptor's length and done bit; the hardware receive timestamp is the write-back time. */
    private void writeBack(int slot, int len, long time) {
        ring.buffer(slot).setTstamp(time);
        ring.complete(slot, len);
        nic.trace().ringMove(nic.name(), traceName, "dma", slot);
    }

    /**
     * Raises this queue's interrupt: unless masked, masks it and schedules the NAPI poll
     * ({@code e1000_intr}: {@code napi_schedule_prep}, {@code __napi_schedule}).
     */
    void raiseIrq() {
        if (!irqEnabled) {
            return;
        }
        irqEnabled = false;
        interrupts++;
        napiTimer.mod(loop.now() + nic.rxUsecsNanos());
    }

    /** The NAPI poll ({@code e1000_clean}): TX completions on queue 0, then up to budget frames, refill. */
    private void poll() {
        if (!nic.isOpen()) {
            return;
        }
        napiPolls++;
        if (index == 0) {
            nic.cleanTxIrq();
        }
        int budget = nic.napiBudget();
        int work = 0;
        while (work < budget && ring.cleanable()) {
            int slot = ring.clean();
            nic.trace().ringMove(nic.name(), traceName, "poll", slot);
            int len = ring.length(slot);
            SkBuff skb = ring.takeBuffer(slot);
            skb.put(len);
            if (partialStart[slot] >= 0) {
                skb.setChecksumPartial(skb.data() + partialStart[slot], partialOffset[slot]);
            }
            packets++;
            bytes += len;
            work++;
            nic.deliver(skb, len);
            if (!nic.isOpen()) {
                return; // the stack took the device down from inside receive; stop() purged the ring
            }
        }
        refill();
        if (work < budget) {
            // napi_complete_done: nothing left, unmask; the next write-back interrupts again.
            napiComplete++;
            irqEnabled = true;
        } else {
            // The budget ran out with frames possibly left: stay scheduled, interrupt masked, and let
            // the loop's other events (other devices, timers) run first, as net_rx_action does.
            budgetExhausted++;
            napiTimer.mod(loop.now());
        }
    }

    /**
     * Posts a fresh buffer into every unused descriptor ({@code e1000_alloc_rx_buffers}): NET_SKB_PAD
     * headroom, room for an MTU-sized frame and its Ethernet header.
     */
    private void refill() {
        SkBuffPool pool = nic.pool();
        HostTrace trace = nic.trace();
        int room = nic.mtu() + SimNic.ETH_HLEN;
        while (ring.unused() > 0) {
            int slot = ring.post(pool.alloc(SkBuffPool.NET_SKB_PAD, room).setDropListener(trace), 0);
            trace.ringMove(nic.name(), traceName, "post", slot);
        }
    }
}
