package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.net.internal.FrameQueue;
import dev.stacksim.net.internal.InFlightQueue;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import dev.stacksim.sim.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a {@link Link}: the {@link Medium} a port transmits into, with its egress
 * queue, its transmitter, the frames in flight and the impairments applied to them.
 *
 * <pre>
 *  sender ──transmit()──► [ egress queue, tail drop ] ──► transmitter ──► wire ──► receiver.frameArrived()
 *                           queueLimit frames            len·8/bandwidth  latency ± jitter
 *                                                        (isBusy)         loss, duplicate, corrupt, reorder
 *           ◄──transmitReady()── when the transmitter goes idle
 * </pre>
 *
 * <h2>Timing</h2>
 * A frame starts serializing when the transmitter is idle: at once if the port transmits into an
 * idle link, else when the frame ahead of it has been serialized. Its last bit leaves the sender
 * {@code (len + wireOverhead)·8 / bandwidth} later, and reaches the far port {@code latency} after
 * that (plus jitter), when {@link FramePort#frameArrived} is called. Serialization is exact in
 * virtual nanoseconds: the end of each frame is its exact bit time rounded <em>up</em> to the next
 * nanosecond, and while frames follow each other without a gap (queued, or sent by the port the
 * instant {@code transmitReady} told it the transmitter is idle) the fraction is carried from frame
 * to frame, so back-to-back frames never drift from the line rate (a run of 100-byte frames at
 * 3 bit/ns ends at exactly the nanosecond the total bit count says). With bandwidth 0 (infinite) a frame takes no
 * time to send, the transmitter is never busy, nothing queues and {@code transmitReady} is never
 * called.
 *
 * <h2>Allocation</h2>
 * No per-frame objects: the queue and the in-flight frames live in growing rings/heaps that are
 * kept, and two {@link Timer}s per direction (transmit done, next arrival) are re-armed rather
 * than scheduling a task per frame. Only a duplicate costs an skb copy.
 *
 * <p>All methods run on the link's event loop.
 */
public final class LinkEnd implements Medium {
    private static final Logger log = LoggerFactory.getLogger(LinkEnd.class);

    private final Link link;
    private final EventLoop loop;
    /** {@code "a->b"} or {@code "b->a"}. */
    private final String direction;
    private final FramePort sender;
    private final FramePort receiver;

    private final FrameQueue queue = new FrameQueue();
    private final InFlightQueue inFlight = new InFlightQueue();
    /** Tie-breaker for frames arriving at the same nanosecond: the order they went on the wire. */
    private long nextSeq;
    private final Timer txDone;
    private final Timer arrival;

    /** True while a frame is being serialized. */
    private boolean busy;
    /** The exact end of the frame on the wire: whole nanoseconds plus {@link #txFraction}/bandwidth. */
    private long txExactNanos;
    /** The fractional nanosecond of {@link #txExactNanos}, in units of 1/bandwidth ns; always below bandwidth. */
    private long txFraction;
    /** When the last frame's last bit left, rounded up: a frame sent at that instant follows it without a gap. */
    private long txEnd = Long.MIN_VALUE;

    private Impairments impairments;
    private final SimRandom lossRandom;
    private final SimRandom duplicateRandom;
    private final SimRandom corruptRandom;
    private final SimRandom reorderRandom;
    private final SimRandom jitterRandom;
    /** The Gilbert–Elliott chain is in Bad. */
    private boolean burstBad;
    /** Frames delayed normally since the last reordered one (netem's {@code counter}), saturating. */
    private int reorderCounter;
    /** Arrival time of the last normally delayed frame: jitter does not let a later frame overtake it. */
    private long lastArrival = Long.MIN_VALUE;

    private long offered;
    private long txPackets;
    private long txBytes;
    private long delivered;
    private long deliveredBytes;
    private long queueDrops;
    private long lossDrops;
    private long downDrops;
    private long duplicated;
    private long reordered;
    private long corrupted;

    LinkEnd(Link link, String direction, FramePort sender, FramePort receiver, SimRandom random,
            Impairments impairments) {
        this.link = link;
        this.loop = link.loop();
        this.direction = direction;
        this.sender = sender;
        this.receiver = receiver;
        this.lossRandom = random.fork("loss");
        this.duplicateRandom = random.fork("duplicate");
        this.corruptRandom = random.fork("corrupt");
        this.reorderRandom = random.fork("reorder");
        this.jitterRandom = random.fork("jitter");
        String timerName = "link:" + link.name() + ":" + direction;
        this.txDone = new Timer(loop, timerName + ":tx-done", this::onTransmitDone);
        this.arrival = new Timer(loop, timerName + ":arrival", this::onArrival);
        setImpairments(impairments);
    }

    // ---------------------------------------------------------------- Medium

    /**
     * Sends one frame towards the far port. Ownership passes to the link: the frame is serialized
     * at once when the transmitter is idle, queued when it is busy, and freed with a counted reason
     * when the queue is full ({@link DropReason#QDISC_DROP}) or the link is down
     * ({@link DropReason#LINK_LOSS}).
     *
     * @return true when accepted (serializing or queued), false when dropped
     * @throws IllegalStateException when called off the loop's thread (the caller keeps the skb)
     */
    @Override
    public boolean transmit(SkBuff frame) {
        loop.checkInEventLoop("LinkEnd.transmit");
        offered++;
        if (!link.isUp()) {
            downDrops++;
            trace("down", frame);
            observeDrop(frame, DropReason.LINK_LOSS);
            frame.free(DropReason.LINK_LOSS);
            return false;
        }
        if (!busy) {
            // Sent the instant the transmitter went idle (a MAC pulling its next descriptor on
            // transmitReady): it follows without a gap, so the bit clock continues exactly.
            startTransmit(frame, loop.now() == txEnd);
            return true;
        }
        if (queue.size() >= link.queueLimit()) {
            queueDrops++;
            trace("queue full", frame);
            observeDrop(frame, DropReason.QDISC_DROP);
            frame.free(DropReason.QDISC_DROP);
            return false;
        }
        queue.offer(frame);
        return true;
    }

    /** True while a frame is being serialized (never with infinite bandwidth, nor while the link is down). */
    @Override
    public boolean isBusy() {
        return busy;
    }

    // ---------------------------------------------------------------- API

    /** The link this is one direction of. */
    public Link link() {
        return link;
    }

    /** The port that transmits into this end. */
    public FramePort sender() {
        return sender;
    }

    /** The port at the far end, where frames arrive. */
    public FramePort receiver() {
        return receiver;
    }

    /** The impairments applied in this direction. */
    public Impairments impairments() {
        return impairments;
    }

    /**
     * Replaces the impairments of this direction, from the next frame on (netem's
     * {@code tc qdisc change}); the burst-loss chain restarts in Good and the reorder gap count at 0.
     *
     * @throws IllegalArgumentException when reordering is asked of a link without latency (as tc
     *         says: "reordering not possible without specifying some delay")
     */
    public LinkEnd setImpairments(Impairments impairments) {
        if (impairments == null) {
            throw new IllegalArgumentException("link " + link.name() + " " + direction + ": impairments=null (use Impairments.NONE)");
        }
        if (impairments.reorderRate() > 0 && link.latencyNanos() == 0) {
            throw new IllegalArgumentException("link " + link.name() + " " + direction + ": reorder=" + impairments
                    + " latency=0: reordering sends a frame ahead of the delay, so it needs a latency");
        }
        this.impairments = impairments;
        this.burstBad = false;
        this.reorderCounter = 0;
        return this;
    }

    /** Frames waiting in the egress queue. */
    public int backlog() {
        return queue.size();
    }

    /** Frames on the wire: being serialized or propagating (lost frames are not). */
    public int inFlight() {
        return inFlight.size();
    }

    /** A snapshot of this direction's counters. */
    public LinkStats stats() {
        return new LinkStats(offered, txPackets, txBytes, delivered, deliveredBytes, queueDrops, lossDrops, downDrops,
                duplicated, reordered, corrupted, queue.size(), inFlight.size());
    }

    /** {@code LinkEnd[client-server a->b busy backlog=3 in_flight=5]}. */
    @Override
    public String toString() {
        return "LinkEnd[" + link.name() + " " + direction + (busy ? " busy" : " idle") + " backlog=" + queue.size()
                + " in_flight=" + inFlight.size() + "]";
    }

    // ---------------------------------------------------------------- for Link

    private void observeDrop(SkBuff frame, DropReason reason) {
        LinkObserver observer = link.observer();
        if (observer != null) {
            frame.checksumHelp();
            observer.dropped(this, frame, loop.now(), reason);
        }
    }

    /** The link is closed: free everything it holds, uncounted (nothing was lost on the wire). */
    void purge() {
        SkBuff f;
        while ((f = queue.poll()) != null) {
            f.free(DropReason.QUEUE_PURGE);
        }
        while ((f = inFlight.pollAny()) != null) {
            f.free(DropReason.QUEUE_PURGE);
        }
        txDone.cancel();
        arrival.cancel();
        busy = false;
    }

    /** The link went down: everything queued or on the wire is lost, and the transmitter stops. */
    void linkDown() {
        SkBuff f;
        while ((f = queue.poll()) != null) {
            downDrops++;
            observeDrop(f, DropReason.LINK_LOSS);
            f.free(DropReason.LINK_LOSS);
        }
        while ((f = inFlight.pollAny()) != null) {
            downDrops++;
            observeDrop(f, DropReason.LINK_LOSS);
            f.free(DropReason.LINK_LOSS);
        }
        txDone.cancel();
        arrival.cancel();
        busy = false;
        txEnd = Long.MIN_VALUE;
        lastArrival = Long.MIN_VALUE;
    }

    // ---------------------------------------------------------------- transmitter

    /**
     * Puts {@code frame} on the wire now: counts it, shows it to the link capture (first bit
     * leaving the sender), works out when its last bit leaves and decides its fate.
     *
     * @param backToBack whether it follows the previous frame without a gap, continuing its exact time
     */
    private void startTransmit(SkBuff frame, boolean backToBack) {
        long now = loop.now();
        int len = frame.len();
        txPackets++;
        txBytes += len;
        FrameCapture capture = link.captureSink();
        LinkObserver observer = link.observer();
        if (capture != null || observer != null) {
            // whoever watches the wire sees its bytes: an offloaded checksum is done by now
            frame.checksumHelp();
        }
        if (capture != null) {
            try {
                capture.capture(frame, now);
            } catch (RuntimeException e) {
                // A failing capture (a closed or broken file) must not break the link: stop it.
                link.capture(null);
                log.warn("link {}: capture failed, stopped capturing: {}", link.name(), e.toString());
            }
        }
        if (observer != null) {
            observer.sent(this, frame, now);
        }
        long end = now;
        long bandwidth = link.bandwidth();
        if (bandwidth > 0) {
            if (!backToBack) {
                txExactNanos = now;
                txFraction = 0;
            }
            long bits = (len + (long) link.wireOverhead()) * 8;
            long numerator = txFraction + bits * SimTime.NANOS_PER_SECOND;
            txExactNanos += numerator / bandwidth;
            txFraction = numerator % bandwidth;
            end = txExactNanos + (txFraction > 0 ? 1 : 0);
            txEnd = end;
            busy = true;
            txDone.mod(end);
        }
        launch(frame, end);
    }

    /** The last bit is out: send the next queued frame back to back, or go idle and tell the sender. */
    private void onTransmitDone() {
        SkBuff next = queue.poll();
        if (next != null) {
            startTransmit(next, true);
            return;
        }
        busy = false;
        sender.transmitReady();
    }

    // ---------------------------------------------------------------- impairments (netem_enqueue order)

    /** Applies duplication and loss to a frame whose last bit leaves at {@code end}. */
    private void launch(SkBuff frame, long end) {
        Impairments imp = impairments;
        boolean duplicate = imp.duplicateRate() > 0 && duplicateRandom.nextBoolean(imp.duplicateRate());
        boolean lost = lossEvent(imp);
        if (lost && !duplicate) {
            lossDrops++;
            trace("lost", frame);
            observeDrop(frame, DropReason.LINK_LOSS);
            frame.free(DropReason.LINK_LOSS);
            return;
        }
        if (duplicate && !lost) {
            // netem re-enqueues the clone at the root with duplication off: it meets loss again.
            duplicated++;
            SkBuff copy = frame.copy();
            if (lossEvent(imp)) {
                lossDrops++;
                copy.free(DropReason.LINK_LOSS);
            } else {
                propagate(copy, end, imp);
            }
        }
        propagate(frame, end, imp);
    }

    /** Netem's loss models: Gilbert–Elliott ({@code loss_gilb_ell}) or independent ({@code loss random}). */
    private boolean lossEvent(Impairments imp) {
        Impairments.GilbertElliott ge = imp.burstLoss();
        if (ge != null) {
            // Transition first, then lose with the probability of the state the frame found.
            if (!burstBad) {
                if (lossRandom.nextDouble() < ge.p()) {
                    burstBad = true;
                }
                return lossRandom.nextDouble() < ge.lossInGood();
            }
            if (lossRandom.nextDouble() < ge.r()) {
                burstBad = false;
            }
            return lossRandom.nextDouble() < ge.lossInBad();
        }
        return imp.lossRate() > 0 && lossRandom.nextBoolean(imp.lossRate());
    }

    /** Corrupts, then delays (or reorders) one frame that survived, and puts it in flight. */
    private void propagate(SkBuff frame, long end, Impairments imp) {
        if (imp.corruptRate() > 0 && corruptRandom.nextBoolean(imp.corruptRate())) {
            corrupt(frame);
        }
        long at;
        int gap = imp.reorderGap();
        if (gap > 0 && reorderCounter >= gap - 1 && reorderRandom.nextBoolean(imp.reorderRate())) {
            // netem puts it at the head of its queue with time_to_send = now: no delay at all.
            reorderCounter = 0;
            reordered++;
            at = end;
        } else {
            if (reorderCounter < Integer.MAX_VALUE) {
                reorderCounter++;
            }
            long delay = link.latencyNanos() + jitter(imp);
            at = end + Math.max(0, delay);
            if (!imp.jitterReorders() && at < lastArrival) {
                at = lastArrival;
            }
            lastArrival = at;
        }
        inFlight.add(frame, at, nextSeq++);
        arrival.reduce(at);
    }

    /** Flips one random bit of one random byte, unsharing the data first so no other holder sees it. */
    private void corrupt(SkBuff frame) {
        int len = frame.len();
        if (len == 0) {
            return;
        }
        int at = frame.data() + corruptRandom.nextInt(len);
        int bit = corruptRandom.nextInt(8);
        frame.setByte(at, frame.getByte(at) ^ (1 << bit));
        corrupted++;
    }

    /** A jitter sample in nanoseconds: uniform in [-j, j) or normal with deviation j. */
    private long jitter(Impairments imp) {
        long j = imp.jitterNanos();
        if (j == 0) {
            return 0;
        }
        if (imp.jitterDistribution() == Impairments.JitterDistribution.UNIFORM) {
            return jitterRandom.nextLong(2 * j) - j;
        }
        // Box–Muller with StrictMath, so that a seed gives the same delays on every JVM.
        double u1 = jitterRandom.nextDouble();
        double u2 = jitterRandom.nextDouble();
        double z = StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
        return Math.round(z * j);
    }

    // ---------------------------------------------------------------- receiver

    /**
     * Delivers every frame whose last bit has arrived. Frames put in flight by the receivers during
     * this event (a zero-delay reply) wait for the next event, so that a ping-pong without delay
     * shows up as events the loop's livelock guard counts instead of spinning inside one.
     */
    private void onArrival() {
        long now = loop.now();
        long limit = nextSeq;
        while (!inFlight.isEmpty() && inFlight.peekTime() <= now && inFlight.peekSeq() < limit) {
            SkBuff f = inFlight.poll();
            delivered++;
            deliveredBytes += f.len();
            LinkObserver observer = link.observer();
            if (observer != null) {
                f.checksumHelp();
                observer.delivered(this, f, now);
            }
            receiver.frameArrived(f);
        }
        if (!inFlight.isEmpty()) {
            arrival.mod(inFlight.peekTime());
        }
    }

    private void trace(String what, SkBuff frame) {
        if (log.isTraceEnabled()) {
            log.trace("link {} {}: {} len={} at {}", link.name(), direction, what, frame.len(), SimTime.format(loop.now()));
        }
    }
}
