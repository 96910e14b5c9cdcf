package dev.stacksim.tcp;

import dev.stacksim.sim.SimRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", INDOCRYPT 2012): the
 * keyed hash Linux uses wherever an attacker must not predict or steer a value derived from a
 * packet's addresses: initial sequence numbers and timestamp offsets ({@code secure_seq.c}),
 * syncookies ({@code syncookies.c}), ephemeral port offsets. Written from the paper; the kernel's
 * counterpart is {@code lib/siphash.c}.
 *
 * <h2>The algorithm</h2>
 * <pre>
 *   v0 = k0 ^ "somepseu"   v1 = k1 ^ "dorandom"   v2 = k0 ^ "lygenera"   v3 = k1 ^ "tedbytes"
 *   for each 8-byte little-endian word m of the message:   v3 ^= m; SipRound x2; v0 ^= m
 *   last word b = (length &lt;&lt; 56) | the 0..7 remaining bytes, little-endian: the same
 *   v2 ^= 0xff; SipRound x4; return v0 ^ v1 ^ v2 ^ v3
 * </pre>
 *
 * <h2>The kernel's word helpers</h2>
 * Linux hashes a few 32-bit values without laying them out in memory: {@code siphash_3u32(a, b, c)}
 * is SipHash of the 12 bytes {@code a, b, c} each little-endian ({@code (u64) b << 32 | a} is the
 * first word, {@code c} the last partial one), {@code siphash_4u32(a, b, c, d)} of the 16 bytes
 * {@code a, b, c, d}. {@link #hash3u32} and {@link #hash4u32} are those, with no allocation.
 * Where the kernel passes a {@code __be32} address as a {@code u32}, a little-endian machine
 * sees the bytes of the address reversed: {@link #be32(int)} makes that value from the host-order
 * {@code int} the stack keeps, so a hash here takes the same input bytes as on x86.
 */
public final class SipHash {
    private static final long C0 = 0x736f6d6570736575L; // "somepseu"
    private static final long C1 = 0x646f72616e646f6dL; // "dorandom"
    private static final long C2 = 0x6c7967656e657261L; // "lygenera"
    private static final long C3 = 0x7465646279746573L; // "tedbytes"

    private SipHash() {
    }

    /**
     * A 128-bit SipHash key ({@code siphash_key_t}): {@code k0} is bytes 0..7 of the key
     * little-endian, {@code k1} bytes 8..15.
     *
     * @param k0 the first key word
     * @param k1 the second key word
     */
    public record Key(long k0, long k1) {
        /**
         * A key drawn from {@code random}: two 64-bit draws, as the kernel's
         * {@code net_get_random_once()} fills a secret on first use.
         */
        public static Key random(SimRandom random) {
            long k0 = random.nextLong();
            long k1 = random.nextLong();
            return new Key(k0, k1);
        }

        /** The key bytes 0..15 as hex, for messages: {@code Key[k0=0x…, k1=0x…]}. */
        @Override
        public String toString() {
            return "Key[k0=0x" + Long.toHexString(k0) + ", k1=0x" + Long.toHexString(k1) + "]";
        }
    }

    /** SipHash-2-4 of {@code length} bytes of {@code data} from {@code offset} ({@code siphash()}). */
    public static long hash(Key key, byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("siphash: offset=" + offset + " length=" + length
                    + " array=" + data.length);
        }
        State s = new State(key);
        int end = offset + length - (length & 7);
        int i = offset;
        for (; i < end; i += 8) {
            s.compress(leLong(data, i, 8));
        }
        long b = ((long) length << 56) | leLong(data, i, length & 7);
        return s.finish(b);
    }

    /** SipHash-2-4 of all of {@code data}. */
    public static long hash(Key key, byte[] data) {
        return hash(key, data, 0, data.length);
    }

    /**
     * SipHash-2-4 of the 12 bytes {@code first, second, third}, each little-endian: Linux's
     * {@code siphash_3u32()}.
     */
    public static long hash3u32(Key key, int first, int second, int third) {
        long v0 = key.k0 ^ C0;
        long v1 = key.k1 ^ C1;
        long v2 = key.k0 ^ C2;
        long v3 = key.k1 ^ C3;
        long m = ((long) second << 32) | Integer.toUnsignedLong(first);
        // Two SipRounds per word, written out so the hot path (one SYN, one hash) allocates nothing.
        v3 ^= m;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= m;
        long b = (12L << 56) | Integer.toUnsignedLong(third);
        return finish(v0, v1, v2, v3, b);
    }

    /**
     * SipHash-2-4 of the 16 bytes {@code first, second, third, fourth}, each little-endian:
     * Linux's {@code siphash_4u32()} (which is {@code siphash_2u64()} of the two pairs).
     */
    public static long hash4u32(Key key, int first, int second, int third, int fourth) {
        long v0 = key.k0 ^ C0;
        long v1 = key.k1 ^ C1;
        long v2 = key.k0 ^ C2;
        long v3 = key.k1 ^ C3;
        long m = ((long) second << 32) | Integer.toUnsignedLong(first);
        for (int w = 0; w < 2; w++) {
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
            m = ((long) fourth << 32) | Integer.toUnsignedLong(third);
        }
        return finish(v0, v1, v2, v3, 16L << 56);
    }

    /**
     * The {@code u32} a little-endian kernel sees when it reads a {@code __be32} (an IPv4 address
     * in network order) as a number: the bytes of the host-order {@code addr} reversed.
     * {@code 10.0.0.1} ({@code 0x0a000001}) becomes {@code 0x0100000a}.
     */
    public static int be32(int addr) {
        return Integer.reverseBytes(addr);
    }

    /**
     * The {@code u16} a little-endian kernel sees when it reads a {@code __be16} port as a number:
     * port 80 ({@code 0x0050}) becomes {@code 0x5000}.
     */
    public static int be16(int port) {
        return Integer.reverseBytes(port & 0xFFFF) >>> 16;
    }

    private static long finish(long v0, long v1, long v2, long v3, long b) {
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long leLong(byte[] data, int offset, int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = (v << 8) | (data[offset + k] & 0xFF);
        }
        return v;
    }

    /** The four state words of a hash over a byte array. */
    private static final class State {
        long v0;
        long v1;
        long v2;
        long v3;

        State(Key key) {
            v0 = key.k0 ^ C0;
            v1 = key.k1 ^ C1;
            v2 = key.k0 ^ C2;
            v3 = key.k1 ^ C3;
        }

        void compress(long m) {
            v3 ^= m;
            round();
            round();
            v0 ^= m;
        }

        long finish(long b) {
            return SipHash.finish(v0, v1, v2, v3, b);
        }

        private void round() {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
    }
}
