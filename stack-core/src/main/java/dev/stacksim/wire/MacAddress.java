package dev.stacksim.wire;

/**
 * An Ethernet (IEEE 802 MAC-48) address: an immutable value over the 48 bits as they stand on
 * the wire, kept in the low 48 bits of a {@code long} with the first octet on the wire in bits
 * 47..40 ({@code 02:00:00:00:00:01} is {@code 0x0200_0000_0001L}).
 *
 * <p>The first octet carries two flag bits, the two least significant bits of the octet (which
 * are the first two bits sent, since Ethernet sends each octet least significant bit first):
 * <pre>
 *   bit of the first octet:  7   6   5   4   3   2   1   0
 *                          +---+---+---+---+---+---+---+---+
 *                          |  more of the OUI      |U/L|I/G|
 *                          +---+---+---+---+---+---+---+---+
 *   I/G = 1: a group (multicast) address;   0: an individual (unicast) address
 *   U/L = 1: locally administered;          0: universally administered (burnt in by the maker)
 * </pre>
 * The simulator gives its NICs locally administered unicast addresses ({@code 02:…}), as
 * {@code ip link add … type veth} does for addresses it makes up.
 *
 * <p>Views return addresses as raw {@code long}s so that the hot path allocates nothing; this class
 * is for representations, configuration and printing. Mirrors Linux's {@code etherdevice.h}
 * helpers ({@code is_broadcast_ether_addr}, {@code is_multicast_ether_addr},
 * {@code is_local_ether_addr}, {@code is_zero_ether_addr}).
 */
public final class MacAddress implements Comparable<MacAddress> {
    /** Number of octets in an address (Linux {@code ETH_ALEN}). */
    public static final int LEN = 6;
    /** The mask of the 48 address bits inside a {@code long}. */
    public static final long MASK = 0xFFFF_FFFF_FFFFL;

    /** {@code 00:00:00:00:00:00}: the unknown target hardware address of an ARP request. */
    public static final MacAddress ZERO = new MacAddress(0);
    /** {@code ff:ff:ff:ff:ff:ff}: every station on the segment. */
    public static final MacAddress BROADCAST = new MacAddress(MASK);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The address bits, first octet on the wire in bits 47..40; bits 63..48 are zero. */
    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits;
    }

    /**
     * The address whose bits are {@code bits} (first octet in bits 47..40), as a view's address
     * getter returns them.
     *
     * @throws IllegalArgumentException if any of bits 63..48 is set
     */
    public static MacAddress of(long bits) {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("mac: bits=0x" + Long.toHexString(bits) + " wider than 48 bits");
        }
        if (bits == 0) {
            return ZERO;
        }
        if (bits == MASK) {
            return BROADCAST;
        }
        return new MacAddress(bits);
    }

    /**
     * The address of six octets, first on the wire first.
     *
     * @throws IllegalArgumentException if {@code bytes} is not six long
     */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != LEN) {
            throw new IllegalArgumentException("mac: bytes.length=" + bytes.length + " not 6");
        }
        long v = 0;
        for (byte b : bytes) {
            v = v << 8 | (b & 0xFF);
        }
        return of(v);
    }

    /**
     * Parses the colon form {@code "02:00:00:00:00:01"}: exactly six groups of exactly two hex digits
     * (either case) separated by {@code ':'}. Nothing else is accepted: no dashes or dots (the
     * Windows and Cisco forms), no single-digit groups, no surrounding blanks.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static MacAddress parse(String text) {
        if (text == null || text.length() != 17) {
            throw notAnAddress(text);
        }
        long v = 0;
        for (int i = 0; i < 17; i++) {
            char ch = text.charAt(i);
            if (i % 3 == 2) {
                if (ch != ':') {
                    throw notAnAddress(text);
                }
                continue;
            }
            int digit = Character.digit(ch, 16);
            // Character.digit also accepts full-width and other Unicode digits; the wire text is ASCII.
            if (digit < 0 || ch > 'f') {
                throw notAnAddress(text);
            }
            v = v << 4 | digit;
        }
        return of(v);
    }

    /** The address bits, first octet in bits 47..40: what a view's address getter returns. */
    public long toLong() {
        return bits;
    }

    /** The six octets, first on the wire first. */
    public byte[] toBytes() {
        byte[] out = new byte[LEN];
        for (int i = 0; i < LEN; i++) {
            out[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return out;
    }

    /** {@code ff:ff:ff:ff:ff:ff} (Linux {@code is_broadcast_ether_addr}). */
    public boolean isBroadcast() {
        return isBroadcast(bits);
    }

    /**
     * The I/G bit is set: a group address. The broadcast address is a multicast address too, as in
     * Linux's {@code is_multicast_ether_addr}.
     */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    /** The I/G bit is clear: the address of one station. */
    public boolean isUnicast() {
        return !isMulticast(bits);
    }

    /** The U/L bit is set: assigned by software, not burnt in by the maker (Linux {@code is_local_ether_addr}). */
    public boolean isLocallyAdministered() {
        return ((bits >>> 40) & 0x02) != 0;
    }

    /** {@code 00:00:00:00:00:00} (Linux {@code is_zero_ether_addr}). */
    public boolean isZero() {
        return bits == 0;
    }

    /** {@link #isBroadcast()} on raw address bits, for the receive path that holds no object. */
    public static boolean isBroadcast(long bits) {
        return bits == MASK;
    }

    /** {@link #isMulticast()} on raw address bits, for the receive path that holds no object. */
    public static boolean isMulticast(long bits) {
        return ((bits >>> 40) & 0x01) != 0;
    }

    /**
     * The lowercase colon text of raw address bits ({@code 02:00:00:00:00:01}, as tcpdump and
     * {@code ip link} print it) without allocating a {@code MacAddress}. Bits above 47 are ignored.
     */
    public static String toString(long bits) {
        char[] out = new char[17];
        for (int i = 0; i < LEN; i++) {
            int octet = (int) (bits >>> (40 - 8 * i)) & 0xFF;
            int p = i * 3;
            out[p] = HEX[octet >>> 4];
            out[p + 1] = HEX[octet & 0xF];
            if (i < LEN - 1) {
                out[p + 2] = ':';
            }
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return toString(bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** Orders as 48-bit unsigned numbers, that is octet by octet from the first on the wire. */
    @Override
    public int compareTo(MacAddress other) {
        return Long.compare(bits, other.bits);
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("mac: not an address text=" + (text == null ? "null" : "\"" + text + "\""));
    }
}
