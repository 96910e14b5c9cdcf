package dev.stacksim.nic;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

import java.util.Arrays;

/**
 * One DMA descriptor ring of a {@link SimNic}, as the driver and the device share it: a circular
 * array of descriptors, each holding a buffer (an {@link SkBuff}), a length and a <i>done</i> bit
 * (the "descriptor done", DD, status bit an e1000 writes back), and three indices that walk around
 * it in the same direction.
 *
 * <pre>
 *   next_to_clean              head (RDH / TDH)          next_to_use (RDT / TDT)
 *        |                          |                          |
 *   -----+--------------------------+--------------------------+----------------------+-----
 *   ...  | processed by the device: | owned by the device:     | unused: the driver's |  ...
 *        | done bit set, waiting    | posted, waiting for the  | to fill next         |
 *        | for the driver to clean  | DMA engine               |                      |
 *   -----+--------------------------+--------------------------+----------------------+-----
 *        slot = index &amp; (size - 1)       (size is a power of two)
 * </pre>
 *
 * <ul>
 *   <li><b>next_to_use</b> (the driver's producer index, written to the tail register): where the
 *       driver puts the next descriptor. On the RX ring the driver posts empty pre-allocated buffers
 *       here; on the TX ring, frames to send.</li>
 *   <li><b>head</b> (the device's index, the head register): the next descriptor the DMA engine
 *       takes. On RX it fills that buffer with an arriving frame; on TX it reads the frame out to the
 *       wire. Either way it then sets the descriptor's done bit (write-back).</li>
 *   <li><b>next_to_clean</b> (the driver's consumer index): the next descriptor the driver reclaims,
 *       once its done bit is set. NAPI hands received buffers to the stack
 *       ({@code e1000_clean_rx_irq}); TX completion counts and frees sent ones
 *       ({@code e1000_clean_tx_irq}).</li>
 * </ul>
 *
 * <p>The indices are kept as free-running counters and masked with {@code size - 1} to find a
 * slot, as Agrona's rings do, so all {@code size} descriptors can be in use at once. (The e1000
 * driver keeps its indices masked and leaves one descriptor always unused, so that
 * {@code next_to_use == next_to_clean} can only mean "empty"; printed masked, a full ring here looks
 * like an empty one, which is why {@link #toString()} also prints how many are unused.)
 *
 * <p>Between the device taking a descriptor and setting its done bit lies the DMA latency: such a
 * descriptor is past {@code head} but not done yet, and cleaning stops at it, exactly as a driver
 * stops at the first descriptor whose DD bit is clear.
 *
 * <p>Descriptors are parallel arrays allocated once: moving a frame through the ring allocates
 * nothing. Only the owning {@link SimNic} changes a ring; the public methods read it.
 */
public final class DescriptorRing {
    /** How the ring prints: {@code "rx ring"}, {@code "rx ring 2"}, {@code "tx ring"}. */
    private final String name;
    /** Number of descriptors, a power of two. */
    private final int size;
    /** {@code size - 1}: turns a free-running index into a slot. */
    private final int mask;
    /** The buffer of each descriptor; null when the descriptor holds none. */
    private final SkBuff[] buffers;
    /** The frame length of each descriptor: written by the DMA engine on RX, by the driver on TX. */
    private final int[] lengths;
    /** The done (DD) bit of each descriptor: set by the device, cleared by the driver when it cleans. */
    private final boolean[] done;
    /** Free-running: the next descriptor the driver fills. */
    private int nextToUse;
    /** Free-running: the next descriptor the device takes. */
    private int head;
    /** Free-running: the next descriptor the driver reclaims. */
    private int nextToClean;

    /**
     * An empty ring of {@code size} descriptors.
     *
     * @throws IllegalArgumentException unless {@code size} is a power of two, at least 2
     */
    DescriptorRing(String name, int size) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException(name + ": size=" + size + " must be a power of two >= 2");
        }
        this.name = name;
        this.size = size;
        this.mask = size - 1;
        this.buffers = new SkBuff[size];
        this.lengths = new int[size];
        this.done = new boolean[size];
    }

    // ---------------------------------------------------------------- what a driver or student reads

    /** The ring's name as printed ({@code "rx ring"}, {@code "rx ring 1"}, {@code "tx ring"}). */
    public String name() {
        return name;
    }

    /** Number of descriptors ({@code ethtool -g}'s "Current hardware settings"). */
    public int size() {
        return size;
    }

    /** The slot the driver fills next: {@code next_to_use & (size - 1)}, the tail register. */
    public int nextToUse() {
        return nextToUse & mask;
    }

    /** The slot the device takes next: {@code head & (size - 1)}, the head register. */
    public int head() {
        return head & mask;
    }

    /** The slot the driver reclaims next: {@code next_to_clean & (size - 1)}. */
    public int nextToClean() {
        return nextToClean & mask;
    }

    /** Descriptors the driver may fill now ({@code E1000_DESC_UNUSED}, without its spare slot). */
    public int unused() {
        return size - (nextToUse - nextToClean);
    }

    /** Descriptors posted by the driver that the device has not taken yet. */
    public int ownedByDevice() {
        return nextToUse - head;
    }

    /** Descriptors the device has taken but whose done bit is not set yet: their DMA is under way. */
    public int inDma() {
        return (head - nextToClean) - doneCount();
    }

    /**
     * Descriptors whose done bit is set and that wait for the driver to clean them: the ones after
     * {@code next_to_clean} up to the first that is not done.
     */
    public int doneCount() {
        int n = 0;
        for (int i = nextToClean; i != head && done[i & mask]; i++) {
            n++;
        }
        return n;
    }

    /**
     * One character per slot, slot 0 first: {@code D} done (waiting for the driver), {@code d} taken
     * by the device with its DMA still under way, {@code P} posted and owned by the device, {@code .}
     * unused. An 8-slot RX ring that received three frames, of which NAPI cleaned one and has not
     * refilled yet: {@code ".DDPPPPP"}.
     */
    public String picture() {
        char[] out = new char[size];
        for (int i = nextToClean; i != nextToClean + size; i++) {
            char c;
            if (i - head < 0) {
                c = done[i & mask] ? 'D' : 'd';
            } else if (i - nextToUse < 0) {
                c = 'P';
            } else {
                c = '.';
            }
            out[i & mask] = c;
        }
        return new String(out);
    }

    /**
     * The ring as a teaching dump:
     * {@code rx ring: size=256 next_to_use=12 next_to_clean=7 (5 done) head=12 owned_by_device=251 unused=0}.
     */
    @Override
    public String toString() {
        return name + ": size=" + size + " next_to_use=" + nextToUse() + " next_to_clean=" + nextToClean()
                + " (" + doneCount() + " done) head=" + head() + " owned_by_device=" + ownedByDevice()
                + " unused=" + unused();
    }

    // ---------------------------------------------------------------- driver and device operations

    /** Driver: puts {@code skb} of {@code len} bytes into the descriptor at next_to_use; needs {@code unused() > 0}. */
    int post(SkBuff skb, int len) {
        int slot = nextToUse & mask;
        buffers[slot] = skb;
        lengths[slot] = len;
        done[slot] = false;
        nextToUse++;
        return slot;
    }

    /** Device: whether a posted descriptor waits to be taken. */
    boolean hasPosted() {
        return head != nextToUse;
    }

    /** Device: takes the descriptor at head, returning its slot; needs {@link #hasPosted()}. */
    int take() {
        return head++ & mask;
    }

    /** Device: writes back {@code len} and sets the done bit of {@code slot}. */
    void complete(int slot, int len) {
        lengths[slot] = len;
        done[slot] = true;
    }

    /** Driver: whether the descriptor at next_to_clean is done. */
    boolean cleanable() {
        return nextToClean != head && done[nextToClean & mask];
    }

    /** Driver: advances next_to_clean past a done descriptor, clearing its bit; returns its slot. */
    int clean() {
        int slot = nextToClean++ & mask;
        done[slot] = false;
        return slot;
    }

    /** The buffer in {@code slot}, or null. */
    SkBuff buffer(int slot) {
        return buffers[slot];
    }

    /** The buffer in {@code slot}, leaving the descriptor without one. */
    SkBuff takeBuffer(int slot) {
        SkBuff skb = buffers[slot];
        buffers[slot] = null;
        return skb;
    }

    /** The length written in {@code slot}. */
    int length(int slot) {
        return lengths[slot];
    }

    /** Free-running head, for callers that track write-backs in order. */
    int headIndex() {
        return head;
    }

    /** The slot of free-running index {@code index}. */
    int slot(int index) {
        return index & mask;
    }

    /**
     * Releases every buffer the ring holds and empties it (what {@code e1000_clean_rx_ring} and
     * {@code e1000_clean_tx_ring} do on {@code ndo_stop}). Buffers holding a frame are dropped with
     * {@link DropReason#QUEUE_PURGE}; the empty buffers an RX ring has posted for the device are
     * consumed, since they carried no packet.
     *
     * @param postedAreEmpty true for an RX ring, whose posted descriptors hold empty buffers
     */
    void purge(boolean postedAreEmpty) {
        for (int i = nextToClean; i != nextToUse; i++) {
            int slot = i & mask;
            SkBuff skb = buffers[slot];
            if (skb == null) {
                continue;
            }
            buffers[slot] = null;
            if (postedAreEmpty && i - head >= 0) {
                skb.consume();
            } else {
                skb.free(DropReason.QUEUE_PURGE);
            }
        }
        Arrays.fill(done, false);
        Arrays.fill(lengths, 0);
        nextToUse = 0;
        head = 0;
        nextToClean = 0;
    }
}
