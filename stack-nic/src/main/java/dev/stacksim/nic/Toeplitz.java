package dev.stacksim.nic;

/**
 * The Toeplitz hash that Receive Side Scaling NICs compute over a packet's addresses and ports
 * (Microsoft's RSS specification, {@code NdisHashFunctionToeplitz}; Linux's
 * {@code ETH_RSS_HASH_TOP}, and {@code toeplitz.c} in its selftests).
 *
 * <h2>The function</h2>
 * Slide a 32-bit window along the secret key, one bit per input bit; every input bit that is set
 * XORs the window's current value into the result:
 * <pre>
 *   result = 0
 *   for each bit b of input, most significant bit of input[0] first:
 *       if b == 1: result ^= the 32 key bits starting at b's position
 *
 *   key:    0110 1101 0101 1010 0101 0110 1101 1010 0010 0101 ...   (0x6d 0x5a 0x56 0xda 0x25 ...)
 *   bit 0:  [0110 1101 0101 1010 0101 0110 1101 1010]               window for input bit 0
 *   bit 1:   [110 1101 0101 1010 0101 0110 1101 1010 0]             window for input bit 1
 * </pre>
 * An input of n bytes needs a key of n + 4 bytes; the standard 40-byte key covers IPv6 with ports
 * (36 bytes). The input for IPv4 is the source address, the destination address, then for TCP and
 * UDP the source and destination ports, each in network byte order: 8 or 12 bytes.
 *
 * <p>The hash is linear over XOR (hash(a ^ b) = hash(a) ^ hash(b)), which is what lets hardware
 * compute it with a table per input byte: this class precomputes, for each of the first
 * {@value #TABLE_BYTES} input byte positions, the contribution of each of the 256 byte values, so the
 * IPv4 hashes cost 8 or 12 table lookups and allocate nothing.
 *
 * <p>Verified against the RSS verification suite Microsoft publishes with the specification
 * ("Verifying the RSS Hash Calculation"), whose key is {@link #microsoftKey()}.
 */
public final class Toeplitz {
    /** Length of the standard RSS key in bytes (320 bits). */
    public static final int KEY_LEN = 40;
    /** Input bytes covered by the precomputed tables: an IPv4 4-tuple. */
    private static final int TABLE_BYTES = 12;

    private static final byte[] MICROSOFT_KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2,
        0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3, (byte) 0x8f, (byte) 0xb0,
        (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c,
        0x6a, 0x42, (byte) 0xb7, 0x3b, (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa,
    };

    /** The secret key (a private copy). */
    private final byte[] key;
    /** {@code table[256 * p + v]}: what byte value v at input position p contributes to the hash. */
    private final int[] table = new int[TABLE_BYTES * 256];

    /**
     * A hash with {@code key}, which is copied.
     *
     * @throws IllegalArgumentException when the key is shorter than 16 bytes (an IPv4 4-tuple needs 12 + 4)
     */
    public Toeplitz(byte[] key) {
        if (key == null || key.length < TABLE_BYTES + 4) {
            throw new IllegalArgumentException("toeplitz: key len=" + (key == null ? 0 : key.length)
                    + " need>=" + (TABLE_BYTES + 4));
        }
        this.key = key.clone();
        for (int p = 0; p < TABLE_BYTES; p++) {
            for (int bit = 0; bit < 8; bit++) {
                int window = window(8 * p + bit);
                int valueBit = 0x80 >>> bit;
                for (int v = valueBit; v < 256; v = (v + 1) | valueBit) {
                    table[256 * p + v] ^= window;
                }
            }
        }
    }

    /** A hash with the key of Microsoft's verification suite, the default of most NICs and of {@link SimNic}. */
    public static Toeplitz withMicrosoftKey() {
        return new Toeplitz(MICROSOFT_KEY);
    }

    /**
     * The 40-byte key of Microsoft's RSS verification suite ({@code 6d 5a 56 da 25 5b 0e c2 ...}), which
     * many drivers also use as their default key; a fresh copy.
     */
    public static byte[] microsoftKey() {
        return MICROSOFT_KEY.clone();
    }

    /** The key, a copy. */
    public byte[] key() {
        return key.clone();
    }

    /**
     * The hash of {@code len} bytes of {@code input} from {@code offset}, bit by bit as the
     * specification's pseudocode says.
     *
     * @throws IllegalArgumentException when the key is too short for {@code len} bytes of input
     */
    public int hash(byte[] input, int offset, int len) {
        if (len < 0 || len > key.length - 4) {
            throw new IllegalArgumentException("toeplitz: len=" + len + " key len=" + key.length);
        }
        int result = 0;
        int window = ((key[0] & 0xFF) << 24) | ((key[1] & 0xFF) << 16) | ((key[2] & 0xFF) << 8) | (key[3] & 0xFF);
        for (int i = 0; i < len; i++) {
            int in = input[offset + i] & 0xFF;
            int next = key[i + 4] & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                if ((in & (1 << bit)) != 0) {
                    result ^= window;
                }
                window = (window << 1) | ((next >>> bit) & 1);
            }
        }
        return result;
    }

    /**
     * The IPv4 2-tuple hash ({@code NDIS_HASH_IPV4}): source then destination address, raw ints as the
     * wire views return them (network order read big-endian).
     */
    public int hashIpv4(int srcAddr, int dstAddr) {
        return word(0, srcAddr) ^ word(4, dstAddr);
    }

    /**
     * The IPv4 4-tuple hash ({@code NDIS_HASH_TCP_IPV4}, and UDP likewise): source address, destination
     * address, source port, destination port.
     */
    public int hashIpv4Ports(int srcAddr, int dstAddr, int srcPort, int dstPort) {
        int t = word(0, srcAddr) ^ word(4, dstAddr);
        int p = 256 * 8;
        return t ^ table[p + ((srcPort >>> 8) & 0xFF)] ^ table[p + 256 + (srcPort & 0xFF)]
                ^ table[p + 512 + ((dstPort >>> 8) & 0xFF)] ^ table[p + 768 + (dstPort & 0xFF)];
    }

    /** The contribution of the 4 bytes of {@code value} (big-endian) at input position {@code pos}. */
    private int word(int pos, int value) {
        int p = 256 * pos;
        return table[p + (value >>> 24)] ^ table[p + 256 + ((value >>> 16) & 0xFF)]
                ^ table[p + 512 + ((value >>> 8) & 0xFF)] ^ table[p + 768 + (value & 0xFF)];
    }

    /** The 32 key bits starting at bit {@code bitPos} (bit 0 = the most significant bit of key[0]). */
    private int window(int bitPos) {
        int b = bitPos >>> 3;
        long forty = 0;
        for (int i = 0; i < 5; i++) {
            forty = (forty << 8) | (b + i < key.length ? key[b + i] & 0xFF : 0);
        }
        return (int) (forty >>> (8 - (bitPos & 7)));
    }

    /** {@code Toeplitz[key=6d5a56da...]}: the first 8 key bytes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Toeplitz[key=");
        for (int i = 0; i < 8; i++) {
            sb.append(Character.forDigit((key[i] >>> 4) & 0xF, 16)).append(Character.forDigit(key[i] & 0xF, 16));
        }
        return sb.append("...]").toString();
    }
}
