package dev.stacksim.dev;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;

/**
 * A device's receive backlog: frames handed over by a transmitting device, delivered on a later
 * event of the loop, never inside the transmit call. Linux's {@code netif_rx} queues a frame on
 * the per-CPU {@code softnet_data} backlog and {@code process_backlog} delivers it from the
 * {@code NET_RX} softirq; here one re-armed {@link Timer} plays the softirq, so that a frame sent
 * while the stack is deep in its own output path enters the receive path afresh, with no recursion.
 *
 * <p>Each frame carries the time it is due (its transmit time plus any configured delay); frames
 * are due in the order they were queued, so one timer armed for the head suffices. The ring grows
 * by doubling and is reused: queueing allocates nothing in steady state.
 */
final class Backlog {
    /** Who gets a frame when it is due. */
    interface Sink {
        void deliver(SkBuff skb);
    }

    private final EventLoop loop;
    private final Sink sink;
    private final Timer timer;
    private SkBuff[] ring = new SkBuff[16];
    private long[] due = new long[16];
    private int head;
    private int count;

    Backlog(EventLoop loop, String name, Sink sink) {
        this.loop = loop;
        this.sink = sink;
        this.timer = new Timer(loop, name, this::run);
    }

    /** Queues {@code skb} for delivery at {@code dueAt}, which must not be before the last queued frame's. */
    void enqueue(SkBuff skb, long dueAt) {
        if (count == ring.length) {
            grow();
        }
        int at = (head + count) & (ring.length - 1);
        ring[at] = skb;
        due[at] = dueAt;
        count++;
        if (count == 1) {
            timer.mod(dueAt);
        }
    }

    /** Frames waiting. */
    int size() {
        return count;
    }

    /** Frees every waiting frame with {@code reason} and disarms the timer. */
    void purge(DropReason reason) {
        timer.cancel();
        while (count > 0) {
            SkBuff skb = ring[head];
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            count--;
            skb.free(reason);
        }
    }

    /**
     * Delivers the frames due now that were queued before this run started; frames queued by the
     * deliveries themselves wait for the next run, as {@code process_backlog} works through a
     * bounded batch and reschedules itself.
     */
    private void run() {
        long now = loop.now();
        int batch = count;
        while (batch-- > 0 && count > 0 && due[head] <= now) {
            SkBuff skb = ring[head];
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            count--;
            sink.deliver(skb);
        }
        if (count > 0) {
            timer.mod(Math.max(due[head], now));
        }
    }

    private void grow() {
        int n = ring.length;
        SkBuff[] r = new SkBuff[n * 2];
        long[] d = new long[n * 2];
        for (int i = 0; i < count; i++) {
            r[i] = ring[(head + i) & (n - 1)];
            d[i] = due[(head + i) & (n - 1)];
        }
        ring = r;
        due = d;
        head = 0;
    }
}
