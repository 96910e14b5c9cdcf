package dev.stacksim.inet;

/**
 * The hash functions the inet lookup tables use: Bob Jenkins' {@code jhash} final mix over three
 * words ({@code jhash_3words}, {@code include/linux/jhash.h}), the connection hash of a 4-tuple
 * ({@code __inet_ehashfn}) and the multiply-shift that scales a hash onto a range
 * ({@code reciprocal_scale}). SO_REUSEPORT groups choose their member with these, which is why a
 * group spreads flows by a keyed hash and not round-robin.
 *
 * <p>All values are 32-bit unsigned quantities held in Java {@code int}s.
 */
public final class InetHash {
    /** {@code JHASH_INITVAL}: an arbitrary value, the golden ratio's first digits in Jenkins' code. */
    public static final int JHASH_INITVAL = 0xdeadbeef;

    private InetHash() {
    }

    /**
     * {@code jhash_3words(a, b, c, initval)}: mixes three words with a seed; every input bit
     * affects every output bit.
     */
    public static int jhash3words(int a, int b, int c, int initval) {
        int iv = initval + JHASH_INITVAL + (3 << 2);
        a += iv;
        b += iv;
        c += iv;
        // __jhash_final
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /**
     * {@code __inet_ehashfn}: the hash of a connection's 4-tuple seen from this host (local
     * address and port, foreign address and port) with a per-boot secret, as the established table
     * and the SO_REUSEPORT selection use it ({@code inet_ehashfn}, {@code udp_ehashfn}).
     *
     * @param laddr  the local address bits
     * @param lport  the local port
     * @param faddr  the foreign address bits
     * @param fport  the foreign port
     * @param secret the secret ({@code inet_ehash_secret} + {@code net_hash_mix})
     */
    public static int ehashfn(int laddr, int lport, int faddr, int fport, int secret) {
        return jhash3words(laddr, faddr, (lport << 16) | (fport & 0xFFFF), secret);
    }

    /**
     * {@code reciprocal_scale(val, ep_ro)}: maps a 32-bit hash onto {@code [0, range)} by a
     * multiply and shift, {@code (u64) val * range >> 32}.
     */
    public static int reciprocalScale(int value, int range) {
        return (int) ((Integer.toUnsignedLong(value) * Integer.toUnsignedLong(range)) >>> 32);
    }
}
