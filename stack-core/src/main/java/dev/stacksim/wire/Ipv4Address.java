package dev.stacksim.wire;

/**
 * An IPv4 address: an immutable value over the 32 bits as they stand on the wire (network byte
 * order read as a big-endian {@code int}, so {@code 10.0.0.1} is {@code 0x0A000001}).
 *
 * <p>Views return addresses as raw {@code int}s so that the hot path allocates nothing; this class
 * is for representations, configuration and printing.
 */
public final class Ipv4Address implements Comparable<Ipv4Address> {
    /** {@code 0.0.0.0}: INADDR_ANY, the wildcard a socket binds to for every local address. */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** {@code 127.0.0.1}: INADDR_LOOPBACK. */
    public static final Ipv4Address LOOPBACK = new Ipv4Address(0x7F00_0001);
    /** {@code 255.255.255.255}: the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFF_FFFF);

    /** The address bits, most significant octet first. */
    private final int bits;

    private Ipv4Address(int bits) {
        this.bits = bits;
    }

    /** The address whose bits are {@code bits} (the first octet in the top byte). */
    public static Ipv4Address of(int bits) {
        if (bits == 0) {
            return ANY;
        }
        return new Ipv4Address(bits);
    }

    /** The address of four octets, {@code of(10, 0, 0, 1)}. Each must be 0..255. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        checkOctet(a);
        checkOctet(b);
        checkOctet(c);
        checkOctet(d);
        return of(a << 24 | b << 16 | c << 8 | d);
    }

    /**
     * Parses dotted-decimal {@code "10.0.0.1"}: exactly four decimal octets 0..255 (the strict form
     * glibc's {@code inet_pton} accepts; no shorthand, no hex, no leading {@code +}, no leading zero
     * such as {@code "010"}, no blanks). {@link Inet#inet_addr} takes the looser legacy forms.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static Ipv4Address parse(String text) {
        int bits = parseBits(text);
        return of(bits);
    }

    /**
     * Like {@link #parse} but returns the bits; throws {@link IllegalArgumentException} on bad text.
     */
    static int parseBits(String text) {
        if (text == null) {
            throw new IllegalArgumentException("ipv4: text=null");
        }
        int bits = 0;
        int octets = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : '.';
            if (ch >= '0' && ch <= '9') {
                if (value == 0) {
                    // A leading zero: glibc's inet_pton rejects "010", which inet_aton would read as octal 8.
                    throw new IllegalArgumentException("ipv4: not an address text=\"" + text + "\"");
                }
                value = (value < 0 ? 0 : value * 10) + (ch - '0');
                digits++;
                if (digits > 3 || value > 255) {
                    throw new IllegalArgumentException("ipv4: not an address text=\"" + text + "\"");
                }
            } else if (ch == '.' && value >= 0 && octets < 4) {
                bits = bits << 8 | value;
                octets++;
                value = -1;
                digits = 0;
            } else {
                throw new IllegalArgumentException("ipv4: not an address text=\"" + text + "\"");
            }
        }
        if (octets != 4) {
            throw new IllegalArgumentException("ipv4: not an address text=\"" + text + "\"");
        }
        return bits;
    }

    /** The address bits, first octet in the top byte: what a view's address getter returns. */
    public int toInt() {
        return bits;
    }

    /** The four octets, first on the wire first. */
    public byte[] toBytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    /** {@code 0.0.0.0}. */
    public boolean isUnspecified() {
        return bits == 0;
    }

    /** {@code 127.0.0.0/8}. */
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    /** {@code 224.0.0.0/4}. */
    public boolean isMulticast() {
        return (bits >>> 28) == 0xE;
    }

    /** {@code 255.255.255.255}. */
    public boolean isBroadcast() {
        return bits == 0xFFFF_FFFF;
    }

    /** Dotted decimal text of raw address bits, without allocating an {@code Ipv4Address}. */
    public static String toString(int bits) {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }

    @Override
    public String toString() {
        return toString(bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Address && ((Ipv4Address) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    /** Orders as unsigned 32-bit numbers, so {@code 10.0.0.1 < 192.168.0.1}. */
    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    private static void checkOctet(int octet) {
        if (octet < 0 || octet > 255) {
            throw new IllegalArgumentException("ipv4: octet=" + octet + " not in 0..255");
        }
    }
}
