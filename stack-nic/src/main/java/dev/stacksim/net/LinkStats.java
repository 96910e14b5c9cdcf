package dev.stacksim.net;

/**
 * The counters of one direction of a {@link Link}, as a snapshot: what the sending port offered,
 * what went on the wire, what reached the far end and why the rest did not.
 *
 * <p>Every frame is accounted for. Once nothing is queued or in flight:
 * <pre>
 *   offered + duplicated = delivered + queueDrops + lossDrops + downDrops
 * </pre>
 * (while the link is busy, add {@link #backlog()} and {@link #inFlight()} to the right side).
 * Drops free the skb with a reason: {@link dev.stacksim.buf.DropReason#QDISC_DROP} for the queue,
 * {@link dev.stacksim.buf.DropReason#LINK_LOSS} for loss and a link that is down.
 *
 * @param offered        frames the sending port passed to {@link Medium#transmit}
 * @param txPackets      frames that went on the wire (started serialization): {@code tx_packets}
 * @param txBytes        their bytes, without wire overhead: {@code tx_bytes}
 * @param delivered      frames handed to the far port, duplicates included
 * @param deliveredBytes their bytes
 * @param queueDrops     frames refused because the egress queue was full (tail drop)
 * @param lossDrops      frames lost on the wire by the loss impairment
 * @param downDrops      frames dropped because the link was down: refused, flushed from the queue, or in flight
 * @param duplicated     duplicates made by the duplication impairment
 * @param reordered      frames sent immediately by the reorder impairment
 * @param corrupted      frames with one bit flipped by the corruption impairment
 * @param backlog        frames waiting in the egress queue now
 * @param inFlight       frames on the wire now, serializing or propagating
 */
public record LinkStats(long offered, long txPackets, long txBytes, long delivered, long deliveredBytes,
                        long queueDrops, long lossDrops, long downDrops, long duplicated, long reordered,
                        long corrupted, int backlog, int inFlight) {

    /** All drops: {@code queueDrops + lossDrops + downDrops}. */
    public long dropped() {
        return queueDrops + lossDrops + downDrops;
    }

    /**
     * One {@code name: value} pair per counter on one line, in the manner of {@code ethtool -S}:
     * {@code tx_packets: 10 tx_bytes: 15000 delivered: 9 ...}.
     */
    @Override
    public String toString() {
        return "offered: " + offered + " tx_packets: " + txPackets + " tx_bytes: " + txBytes
                + " delivered: " + delivered + " delivered_bytes: " + deliveredBytes
                + " dropped_queue: " + queueDrops + " dropped_loss: " + lossDrops + " dropped_down: " + downDrops
                + " duplicated: " + duplicated + " reordered: " + reordered + " corrupted: " + corrupted
                + " backlog: " + backlog + " in_flight: " + inFlight;
    }
}
