package dev.stacksim.sim;

import java.nio.charset.StandardCharsets;

/**
 * A deterministic stream of random numbers, derived from the simulation's one seed: where every
 * random choice of the stack comes from (initial sequence numbers, ephemeral port offsets, link
 * losses and jitter, reuseport hash secrets).
 *
 * <h2>Named streams</h2>
 * A component never shares a stream with another: it {@link #fork forks} its own by name, and
 * forks again for each purpose.
 * <pre>{@code
 * SimRandom root   = loop.random();                 // from EventLoop.builder().seed(7)
 * SimRandom client = root.fork("host:client");      // one per host ...
 * SimRandom isn    = client.fork("tcp-isn");        // ... and per purpose inside it
 * SimRandom link   = root.fork("link:client-server");
 * }</pre>
 * A fork's seed is a function of its parent's seed and its name only, not of the parent's state or
 * of the order forks are made. So adding a host, or drawing one more number on a link, leaves every
 * other stream exactly as it was: a failing test stays reproducible while it is being changed.
 * The flip side: forking the same name twice gives the same stream, so names must be unique
 * (host names are).
 *
 * <h2>Algorithm (pinned, so a seed means the same run on every JDK)</h2>
 * The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), written out here rather than borrowed from
 * {@link java.util.SplittableRandom}, whose javadoc does not promise its algorithm across releases:
 * <pre>
 *   state += 0x9e3779b97f4a7c15;  return mix64(state)
 *   mix64(z): z = (z ^ z&gt;&gt;&gt;30) * 0xbf58476d1ce4e5b9;  z = (z ^ z&gt;&gt;&gt;27) * 0x94d049bb133111eb;  z ^ z&gt;&gt;&gt;31
 * </pre>
 * A fork's seed is {@code mix64(mix64(parentSeed) ^ fnv1a64(utf8(name)))}: FNV-1a is a stable
 * byte hash ({@link String#hashCode()} would collide too easily and identity hashes differ from run
 * to run). Bounded draws reject the biased tail, so {@code nextInt(bound)} is exactly uniform. Every
 * method draws a fixed number of 64-bit values per call except the bounded ones (which redraw
 * with probability below {@code bound / 2^31}), so changing a loss probability does not shift the
 * rest of a link's stream.
 *
 * <p>Not thread-safe: a stream belongs to the component that forked it, and the stack runs on one
 * event loop thread.
 */
public final class SimRandom {
    private static final long GOLDEN_GAMMA = 0x9e37_79b9_7f4a_7c15L;
    private static final long FNV_OFFSET_BASIS = 0xcbf2_9ce4_8422_2325L;
    private static final long FNV_PRIME = 0x0000_0100_0000_01b3L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    /** The seed this stream started from; forks derive theirs from it. */
    private final long seed;
    /** How this stream was derived, for messages: {@code seed=7/host:client/tcp-isn}. */
    private final String path;
    /** The SplitMix64 state: advanced by {@link #GOLDEN_GAMMA} per 64-bit draw. */
    private long state;

    /** The root stream of a simulation run with {@code seed}. */
    public SimRandom(long seed) {
        this(seed, "seed=" + seed);
    }

    private SimRandom(long seed, String path) {
        this.seed = seed;
        this.path = path;
        this.state = seed;
    }

    /**
     * The independent stream named {@code name} under this one. It depends only on this stream's
     * {@link #seed()} and on {@code name}: not on how many numbers were drawn here, nor on other forks.
     */
    public SimRandom fork(String name) {
        if (name == null) {
            throw new IllegalArgumentException("fork: name=null");
        }
        long childSeed = mix64(mix64(seed) ^ fnv1a64(name.getBytes(StandardCharsets.UTF_8)));
        return new SimRandom(childSeed, path + "/" + name);
    }

    /** The seed this stream started from: the simulation's seed for the root, derived for a fork. */
    public long seed() {
        return seed;
    }

    /** A uniformly distributed {@code long}: the next SplitMix64 output. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** A uniformly distributed {@code int}: the top 32 bits of {@link #nextLong()}. */
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /**
     * A uniformly distributed {@code int} in {@code [0, bound)}.
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound=" + bound + " must be > 0");
        }
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        // Reject the draws in the incomplete last block of size bound: u - r is that block's start,
        // and it overflows exactly when the block does not fit below 2^31.
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // redraw
        }
        return r;
    }

    /**
     * A uniformly distributed {@code int} in {@code [origin, bound)}, as for a port in
     * {@code ip_local_port_range}.
     *
     * @throws IllegalArgumentException if {@code origin >= bound}
     */
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("nextInt: origin=" + origin + " bound=" + bound
                    + " must have origin < bound");
        }
        int n = bound - origin;
        if (n > 0) {
            return origin + nextInt(n);
        }
        // The range is wider than Integer.MAX_VALUE: draw until inside it (at most ~2 tries on average).
        int r;
        do {
            r = nextInt();
        } while (r < origin || r >= bound);
        return r;
    }

    /**
     * A uniformly distributed {@code long} in {@code [0, bound)}.
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextLong: bound=" + bound + " must be > 0");
        }
        long r = nextLong() >>> 1;
        long m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // redraw, as in nextInt(int)
        }
        return r;
    }

    /** A uniformly distributed {@code double} in {@code [0, 1)}, from the top 53 bits of a draw. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** A fair coin: the sign bit of a draw. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /**
     * True with probability {@code probability}: a loss or corruption decision. Always draws exactly
     * one value, also for 0 and 1, so a stream's later numbers do not depend on the probability.
     *
     * @throws IllegalArgumentException unless {@code 0 <= probability <= 1}
     */
    public boolean nextBoolean(double probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("nextBoolean: probability=" + probability
                    + " must be in [0, 1]");
        }
        return nextDouble() < probability;
    }

    /**
     * Fills {@code bytes} with random bytes, eight per draw, least significant byte first; a last
     * partial group uses the low bytes of one more draw.
     */
    public void nextBytes(byte[] bytes) {
        int i = 0;
        int end = bytes.length;
        while (i < end) {
            long v = nextLong();
            for (int n = Math.min(8, end - i); n > 0; n--) {
                bytes[i++] = (byte) v;
                v >>>= 8;
            }
        }
    }

    /** {@code n} random bytes in a new array (see {@link #nextBytes(byte[])}). */
    public byte[] nextBytes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("nextBytes: n=" + n + " must be >= 0");
        }
        byte[] bytes = new byte[n];
        nextBytes(bytes);
        return bytes;
    }

    /** The derivation path and seed, e.g. {@code SimRandom[seed=7/host:client seed=0x1f…]}. */
    @Override
    public String toString() {
        return "SimRandom[" + path + " seed=0x" + Long.toHexString(seed) + "]";
    }

    /** The SplitMix64 finaliser (David Stafford's "Mix13"): a bijection that avalanches every bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a over {@code bytes}: a stable, platform-independent hash of a stream's name. */
    static long fnv1a64(byte[] bytes) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }
}
