package dev.stacksim.net;

import java.time.Duration;
import java.util.Locale;

/**
 * What one direction of a {@link Link} does to frames besides carrying them: loss, burst loss,
 * duplication, corruption, reordering and delay jitter, in the manner of Linux's {@code netem}
 * qdisc ({@code net/sched/sch_netem.c}, {@code man tc-netem}). Rates are probabilities in
 * {@code [0, 1]}: netem's {@code loss 1%} is {@code lossRate(0.01)}.
 *
 * <pre>{@code
 * Impairments wan = Impairments.builder()
 *         .lossRate(0.01)                        // netem: loss random 1%
 *         .duplicateRate(0.001)                  // netem: duplicate 0.1%
 *         .reorder(0.25, 5)                      // netem: reorder 25% gap 5
 *         .jitter(Duration.ofMillis(2))          // netem: delay <latency> 2ms (uniform)
 *         .build();
 * }</pre>
 *
 * <h2>Exactly what each one does</h2>
 * A link decides a frame's fate when its first bit leaves the sender (it still occupies the wire
 * for its serialization time even if it is then lost), in netem's order ({@code netem_enqueue}):
 * <ol>
 *   <li><b>Duplication</b> ({@link #duplicateRate()}): with this probability the frame is
 *       duplicated. The duplicate is an {@link dev.stacksim.buf.SkBuff#copy() skb copy} and goes
 *       through the remaining steps on its own, before the original, and is never duplicated again,
 *       as netem re-enqueues its clone with duplication switched off.</li>
 *   <li><b>Loss</b>: either independent ({@link #lossRate()}, netem {@code loss random}) or the
 *       Gilbert–Elliott model ({@link #burstLoss()}, netem {@code loss gemodel}). As in netem, a
 *       duplicated frame that is then lost is simply sent once (neither counted as a duplicate nor
 *       as a loss).</li>
 *   <li><b>Corruption</b> ({@link #corruptRate()}): one random bit of one random byte of the frame
 *       is flipped ({@code data[rand % len] ^= 1 << rand % 8}). The link unshares the skb first, so
 *       no other holder of the bytes sees the change. As with netem the bit may fall anywhere,
 *       the Ethernet header included; there is no FCS in a simulated frame, so a flipped source MAC
 *       or padding byte goes unnoticed, while IP, ICMP, UDP and TCP checksums catch the rest.</li>
 *   <li><b>Reordering</b> ({@link #reorderRate()}, {@link #reorderGap()}, netem
 *       {@code reorder P gap G}): the first {@code G - 1} frames are delayed normally; after that
 *       each frame is, with probability P, sent immediately (it skips the link's latency and jitter
 *       and arrives right after its serialization, overtaking frames still propagating), else
 *       delayed; after a reordered frame the count starts again. {@code reorder P} alone is
 *       {@code gap 1}: every frame is reordered with probability P (netem's tc sets gap 1).
 *       Like netem, reordering needs a latency to skip: a link refuses it when its latency is 0.</li>
 *   <li><b>Jitter</b> ({@link #jitterNanos()}, {@link #jitterDistribution()}): the propagation
 *       delay becomes latency plus a random offset: {@link JitterDistribution#UNIFORM} in
 *       {@code [-jitter, +jitter)} (netem without a distribution table), or
 *       {@link JitterDistribution#NORMAL} with standard deviation {@code jitter}; a delay below zero
 *       becomes zero. By default jitter does <em>not</em> reorder: a frame never arrives before one
 *       sent ahead of it (arrival = max(own, previous)), as netem behaves with a {@code rate} and a
 *       real FIFO path behaves. {@link #jitterReorders()} gives netem's behaviour without a rate,
 *       where each frame keeps its own arrival time and frames overtake each other.</li>
 * </ol>
 * Not modelled: netem's correlation parameters (deprecated for loss in the man page), the 4-state
 * loss model, ECN marking instead of loss, slots.
 *
 * <h2>Randomness</h2>
 * Each impairment draws from its own stream forked from the link direction's ({@code "loss"},
 * {@code "duplicate"}, {@code "corrupt"}, {@code "reorder"}, {@code "jitter"}), and only when it is
 * enabled. So switching on corruption, reordering or jitter leaves the frames that are lost exactly
 * as they were, and so on for each pair. Duplication is the exception: a duplicate is one more
 * frame, which draws from the loss, corruption, reorder and jitter streams (and advances the
 * Gilbert–Elliott chain) like any other, so the decisions for later frames shift.
 *
 * @param lossRate           independent loss probability; 0 when {@code burstLoss} is used
 * @param burstLoss          the Gilbert–Elliott loss model, or {@code null}
 * @param duplicateRate      duplication probability
 * @param corruptRate        probability of flipping one bit
 * @param reorderRate        probability that a frame past the gap is sent immediately
 * @param reorderGap         netem's gap: frames delayed normally before a reorder may happen; 0 = no reordering
 * @param jitterNanos        the jitter, 0 for none
 * @param jitterDistribution how jitter is distributed
 * @param jitterReorders     whether jittered frames may overtake each other (netem without a rate)
 */
public record Impairments(double lossRate, GilbertElliott burstLoss, double duplicateRate, double corruptRate,
                          double reorderRate, int reorderGap, long jitterNanos,
                          JitterDistribution jitterDistribution, boolean jitterReorders) {

    /** No impairment at all: a perfect wire. */
    public static final Impairments NONE = new Impairments(0, null, 0, 0, 0, 0, 0, JitterDistribution.UNIFORM, false);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a rate is outside {@code [0, 1]}, both loss models are
     *         set, the gap is not at least 1 with a reorder rate and 0 without, or the jitter is negative
     */
    public Impairments {
        checkRate("lossRate", lossRate);
        checkRate("duplicateRate", duplicateRate);
        checkRate("corruptRate", corruptRate);
        checkRate("reorderRate", reorderRate);
        if (burstLoss != null && lossRate > 0) {
            throw new IllegalArgumentException("impairments: lossRate=" + lossRate
                    + " and burstLoss=" + burstLoss + ": one loss model only (netem: loss random | gemodel)");
        }
        if (reorderGap < 0 || (reorderRate > 0) != (reorderGap > 0)) {
            // tc: "gap specified without reorder probability"; a rate alone gets gap 1 from the builder.
            throw new IllegalArgumentException("impairments: reorderGap=" + reorderGap + " reorderRate=" + reorderRate
                    + " (gap >= 1 exactly when reordering)");
        }
        if (jitterNanos < 0) {
            throw new IllegalArgumentException("impairments: jitterNanos=" + jitterNanos + " < 0");
        }
        if (jitterDistribution == null) {
            throw new IllegalArgumentException("impairments: jitterDistribution=null");
        }
    }

    /** A builder starting from {@link #NONE}. */
    public static Builder builder() {
        return new Builder(NONE);
    }

    /** A builder starting from these impairments, to change one of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when this is a perfect wire: nothing is lost, duplicated, corrupted, reordered or jittered. */
    public boolean isNone() {
        return lossRate == 0 && burstLoss == null && duplicateRate == 0 && corruptRate == 0
                && reorderRate == 0 && jitterNanos == 0;
    }

    /** True when frames may be reordered: by {@code reorder} or by jitter that {@link #jitterReorders() reorders}. */
    public boolean reorders() {
        return reorderRate > 0 || (jitterNanos > 0 && jitterReorders);
    }

    /**
     * The options as {@code tc qdisc ... netem} would take them, without the delay itself:
     * {@code loss random 1% duplicate 0.1% reorder 25% gap 5 jitter 2ms}; {@code none} for
     * {@link #NONE}.
     */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        if (lossRate > 0) {
            sb.append(" loss random ").append(percent(lossRate));
        }
        if (burstLoss != null) {
            sb.append(" loss ").append(burstLoss);
        }
        if (duplicateRate > 0) {
            sb.append(" duplicate ").append(percent(duplicateRate));
        }
        if (corruptRate > 0) {
            sb.append(" corrupt ").append(percent(corruptRate));
        }
        if (reorderRate > 0) {
            sb.append(" reorder ").append(percent(reorderRate));
            if (reorderGap > 1) {
                sb.append(" gap ").append(reorderGap);
            }
        }
        if (jitterNanos > 0) {
            sb.append(" jitter ").append(time(jitterNanos)).append(' ').append(jitterDistribution.name().toLowerCase(Locale.ROOT));
            if (jitterReorders) {
                sb.append(" reordering");
            }
        }
        return sb.substring(1);
    }

    static String percent(double rate) {
        String s = String.format(Locale.ROOT, "%.6f", rate * 100);
        s = s.replaceAll("0+$", "");
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "%";
    }

    /** {@code 2ms}, {@code 150us}, {@code 7ns}: tc's time units, the largest that shows the value exactly. */
    static String time(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("impairments: " + name + "=" + rate + " not in [0, 1]");
        }
    }

    /** How jitter is distributed around the link's latency. */
    public enum JitterDistribution {
        /** Uniform in {@code [latency - jitter, latency + jitter)}: netem's {@code tabledist} with no table. */
        UNIFORM,
        /**
         * Normal with mean latency and standard deviation {@code jitter} (netem's
         * {@code distribution normal}), drawn by the Box–Muller transform; delays below 0 become 0.
         */
        NORMAL
    }

    /**
     * The Gilbert–Elliott loss model as netem implements it ({@code loss gemodel p r 1-h 1-k},
     * {@code loss_gilb_ell}): a two-state Markov chain, Good and Bad, starting in Good. For each frame,
     * in the current state, first a transition is drawn (Good to Bad with probability {@code p},
     * Bad to Good with probability {@code r}), then a loss with the loss probability of the state the
     * frame found: {@code lossInGood} (1-k) or {@code lossInBad} (1-h). So with the defaults
     * ({@code 1-h = 1}, {@code 1-k = 0}) exactly the frames that find the chain in Bad are lost,
     * and loss bursts have a geometric length with mean {@code 1/r}.
     *
     * @param p          Good to Bad transition probability
     * @param r          Bad to Good transition probability
     * @param lossInBad  loss probability in Bad (netem's 1-h)
     * @param lossInGood loss probability in Good (netem's 1-k)
     */
    public record GilbertElliott(double p, double r, double lossInBad, double lossInGood) {
        /**
         * Validates.
         *
         * @throws IllegalArgumentException when a probability is outside {@code [0, 1]}
         */
        public GilbertElliott {
            checkRate("gemodel p", p);
            checkRate("gemodel r", r);
            checkRate("gemodel 1-h", lossInBad);
            checkRate("gemodel 1-k", lossInGood);
        }

        /** {@code gemodel p}: the Bernoulli case, with netem's defaults {@code r = 1-p}, {@code 1-h = 1}, {@code 1-k = 0}. */
        public static GilbertElliott of(double p) {
            return new GilbertElliott(p, 1 - p, 1, 0);
        }

        /** {@code gemodel p r}: the simple Gilbert model ({@code 1-h = 1}, {@code 1-k = 0}). */
        public static GilbertElliott of(double p, double r) {
            return new GilbertElliott(p, r, 1, 0);
        }

        /** {@code gemodel p r 1-h}: the Gilbert model ({@code 1-k = 0}). */
        public static GilbertElliott of(double p, double r, double lossInBad) {
            return new GilbertElliott(p, r, lossInBad, 0);
        }

        /** The long-run fraction of frames lost: {@code (r·(1-k) + p·(1-h)) / (p + r)}. */
        public double stationaryLossRate() {
            if (p + r == 0) {
                return lossInGood;
            }
            return (r * lossInGood + p * lossInBad) / (p + r);
        }

        /** The mean number of consecutive frames that find the chain in Bad: {@code 1/r}. */
        public double meanBadRun() {
            return 1 / r;
        }

        /** {@code gemodel 1% 30% 100% 0%}, as tc prints it. */
        @Override
        public String toString() {
            return "gemodel " + percent(p) + " " + percent(r) + " " + percent(lossInBad) + " " + percent(lossInGood);
        }
    }

    /** Builds {@link Impairments}; every setter replaces the previous value of its impairment. */
    public static final class Builder {
        private double lossRate;
        private GilbertElliott burstLoss;
        private double duplicateRate;
        private double corruptRate;
        private double reorderRate;
        private int reorderGap;
        private long jitterNanos;
        private JitterDistribution jitterDistribution;
        private boolean jitterReorders;

        private Builder(Impairments from) {
            lossRate = from.lossRate;
            burstLoss = from.burstLoss;
            duplicateRate = from.duplicateRate;
            corruptRate = from.corruptRate;
            reorderRate = from.reorderRate;
            reorderGap = from.reorderGap;
            jitterNanos = from.jitterNanos;
            jitterDistribution = from.jitterDistribution;
            jitterReorders = from.jitterReorders;
        }

        /** Independent loss with probability {@code rate} (netem {@code loss random}); clears a burst-loss model. */
        public Builder lossRate(double rate) {
            this.lossRate = rate;
            this.burstLoss = null;
            return this;
        }

        /** Burst loss by the Gilbert–Elliott model (netem {@code loss gemodel}); clears the independent loss rate. */
        public Builder burstLoss(GilbertElliott model) {
            this.burstLoss = model;
            this.lossRate = 0;
            return this;
        }

        /** {@code burstLoss(new GilbertElliott(p, r, lossInBad, lossInGood))}: netem's {@code gemodel p r 1-h 1-k}. */
        public Builder gilbertElliott(double p, double r, double lossInBad, double lossInGood) {
            return burstLoss(new GilbertElliott(p, r, lossInBad, lossInGood));
        }

        /** Duplication with probability {@code rate} (netem {@code duplicate}). */
        public Builder duplicateRate(double rate) {
            this.duplicateRate = rate;
            return this;
        }

        /** One flipped bit with probability {@code rate} (netem {@code corrupt}). */
        public Builder corruptRate(double rate) {
            this.corruptRate = rate;
            return this;
        }

        /** {@code reorder(rate, 1)}: each frame is sent immediately with probability {@code rate} (netem {@code reorder P}). */
        public Builder reorder(double rate) {
            return reorder(rate, rate > 0 ? 1 : 0);
        }

        /**
         * netem's {@code reorder P gap G}: after {@code gap - 1} normally delayed frames, each frame is
         * sent immediately with probability {@code rate}, and the count restarts after each one.
         */
        public Builder reorder(double rate, int gap) {
            this.reorderRate = rate;
            this.reorderGap = rate > 0 ? gap : 0;
            return this;
        }

        /** Uniform jitter of {@code ±jitter} around the link's latency. */
        public Builder jitter(Duration jitter) {
            return jitter(jitter, JitterDistribution.UNIFORM);
        }

        /** Jitter with the given distribution (see {@link JitterDistribution}). */
        public Builder jitter(Duration jitter, JitterDistribution distribution) {
            this.jitterNanos = jitter.toNanos();
            this.jitterDistribution = distribution;
            return this;
        }

        /**
         * Whether jitter may reorder frames (netem without a {@code rate}); default false: a frame
         * never arrives before the one sent ahead of it.
         */
        public Builder jitterReorders(boolean reorders) {
            this.jitterReorders = reorders;
            return this;
        }

        /**
         * The impairments.
         *
         * @throws IllegalArgumentException as the record's constructor
         */
        public Impairments build() {
            return new Impairments(lossRate, burstLoss, duplicateRate, corruptRate, reorderRate, reorderGap,
                    jitterNanos, jitterDistribution, jitterReorders);
        }
    }
}
