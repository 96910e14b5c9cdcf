package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

import java.util.ArrayDeque;

/**
 * A device's transmit queue discipline: a FIFO of {@code txqueuelen} frames in front of
 * {@link NetDevice#startXmit}, as Linux's default {@code pfifo_fast} is in front of
 * {@code ndo_start_xmit} ({@code dev_queue_xmit}, {@code sch_direct_xmit}). One band only: the
 * stack sets no priorities.
 *
 * <pre>
 *  enqueue ──► [ f5 f4 f3 ] ──► startXmit ──► OK: the device owns it, next
 *              txqueuelen 1000        └──────► BUSY: stays at the head; queue stopped until
 *  full: dropped (QDISC_DROP)                   the device calls wakeQueue (netif_wake_queue)
 * </pre>
 *
 * <p>When the queue is empty and not stopped, a frame goes straight to the device (Linux's
 * {@code TCQ_F_CAN_BYPASS}). A device that answers {@link TxResult#BUSY} keeps nothing: the frame
 * stays at the head of this queue, the queue is stopped ({@code netif_stop_queue}), and
 * {@link #wake()} ({@code netif_wake_queue}, from {@link DeviceContext#wakeQueue}) restarts it.
 * Drops are counted here, as {@code tc -s qdisc} shows them, not in the device's stats.
 */
public final class Qdisc {
    /** Linux's default {@code txqueuelen} for Ethernet devices. */
    public static final int DEFAULT_TXQUEUELEN = 1000;

    private final NetDevice dev;
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
    private int limit;
    private boolean stopped;
    private boolean running;
    private long backlogBytes;
    private long sentPackets;
    private long sentBytes;
    private long dropped;
    private long requeues;

    /** A queue of at most {@code limit} frames in front of {@code dev}. */
    public Qdisc(NetDevice dev, int limit) {
        this.dev = dev;
        setLimit(limit);
    }

    /** Sets {@code txqueuelen} ({@code ip link set eth0 txqueuelen N}); frames already queued stay. */
    public void setLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("qdisc " + dev.name() + ": txqueuelen=" + limit + " must be >= 0");
        }
        this.limit = limit;
    }

    /** The queue's limit in frames. */
    public int limit() {
        return limit;
    }

    /**
     * Queues {@code skb} and transmits what the device will take ({@code dev_queue_xmit}).
     * Ownership always passes: a frame that cannot be queued is freed.
     *
     * @return true when queued or sent; false when dropped (device down, or queue full)
     */
    public boolean enqueue(SkBuff skb) {
        if (!dev.isUp()) {
            dropped++;
            skb.free(DropReason.DEV_READY);
            return false;
        }
        // An idle queue passes the frame straight on (bypass); otherwise it holds up to limit frames.
        boolean bypass = queue.isEmpty() && !stopped;
        if (!bypass && queue.size() >= limit) {
            dropped++;
            skb.free(DropReason.QDISC_DROP);
            return false;
        }
        queue.addLast(skb);
        backlogBytes += skb.len();
        run();
        return true;
    }

    /** The device has room again ({@code netif_wake_queue}): restart transmission. */
    public void wake() {
        stopped = false;
        run();
    }

    /** True while the device has refused a frame and not woken the queue ({@code netif_queue_stopped}). */
    public boolean isStopped() {
        return stopped;
    }

    /** Frames waiting. */
    public int qlen() {
        return queue.size();
    }

    /** Bytes waiting. */
    public long backlogBytes() {
        return backlogBytes;
    }

    /** Frames the device accepted. */
    public long sentPackets() {
        return sentPackets;
    }

    /** Bytes the device accepted. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Frames dropped: queue full or device down. */
    public long dropped() {
        return dropped;
    }

    /** Times the device answered BUSY and the frame went back to the head. */
    public long requeues() {
        return requeues;
    }

    /** Frees every queued frame with {@code reason} ({@code qdisc_reset}). */
    public void purge(DropReason reason) {
        SkBuff skb;
        while ((skb = queue.pollFirst()) != null) {
            backlogBytes -= skb.len();
            skb.free(reason);
        }
        backlogBytes = 0;
    }

    /** {@code __qdisc_run}: transmit from the head until empty, stopped, or the device refuses. */
    private void run() {
        if (running) {
            return;
        }
        running = true;
        try {
            while (!stopped && !queue.isEmpty()) {
                SkBuff skb = queue.peekFirst();
                int len = skb.len();
                if (!dev.isUp()) {
                    queue.pollFirst();
                    backlogBytes -= len;
                    dropped++;
                    skb.free(DropReason.DEV_READY);
                    continue;
                }
                TxResult r = dev.startXmit(skb);
                if (r == TxResult.BUSY) {
                    stopped = true;
                    requeues++;
                    break;
                }
                queue.pollFirst();
                backlogBytes -= len;
                sentPackets++;
                sentBytes += len;
            }
        } finally {
            running = false;
        }
    }

    /** As {@code tc -s qdisc show dev eth0} prints it. */
    @Override
    public String toString() {
        return "qdisc pfifo_fast 0: dev " + dev.name() + " root limit " + limit + "p\n"
                + " Sent " + sentBytes + " bytes " + sentPackets + " pkt (dropped " + dropped
                + ", overlimits 0 requeues " + requeues + ")\n"
                + " backlog " + backlogBytes + "b " + queue.size() + "p requeues " + requeues
                + (stopped ? " (stopped)" : "") + "\n";
    }
}
