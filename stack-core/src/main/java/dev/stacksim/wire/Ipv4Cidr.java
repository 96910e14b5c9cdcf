package dev.stacksim.wire;

/**
 * An IPv4 interface address with its prefix length, written {@code 10.0.0.1/24} (CIDR notation,
 * RFC 4632 section 3.1): what {@code ip addr add 10.0.0.1/24 dev eth0} gives a Linux interface.
 *
 * <p>The prefix length says how many leading bits name the network; the rest name the host:
 * <pre>
 *   10.0.0.1/24    00001010 00000000 00000000 | 00000001
 *                  \_______ network, 24 ____/   \host/
 *   netmask()      11111111 11111111 11111111   00000000   = 0xFFFFFF00 (255.255.255.0)
 *   network()      10.0.0.0       address AND netmask
 *   broadcast()    10.0.0.255     address OR NOT netmask
 * </pre>
 *
 * <p>Equality is of the address and the prefix: {@code 10.0.0.1/24} and {@code 10.0.0.2/24} are two
 * different interface addresses on the same network, as they are to {@code ip addr}.
 *
 * @param address      the interface address, host bits included
 * @param prefixLength the number of network bits, 0..32
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {

    /**
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code prefixLength} is not in 0..32
     */
    public Ipv4Cidr {
        if (address == null) {
            throw new NullPointerException("cidr: address=null");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("cidr: prefixLength=" + prefixLength + " not in 0..32");
        }
    }

    /**
     * Parses {@code "10.0.0.1/24"}: a dotted-decimal address as {@link Ipv4Address#parse} takes it, one
     * {@code '/'}, and a decimal prefix length 0..32 without sign or leading zero. The prefix is
     * required (unlike {@code ip addr}, which takes a bare address as {@code /32}): a forgotten
     * prefix in a test's topology is a bug, not a host route.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static Ipv4Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw notACidr(text);
        }
        int bits;
        try {
            bits = Ipv4Address.parseBits(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw notACidr(text);
        }
        String prefix = text.substring(slash + 1);
        int n = prefix.length();
        if (n == 0 || n > 2 || (n == 2 && prefix.charAt(0) == '0')) {
            throw notACidr(text);
        }
        int length = 0;
        for (int i = 0; i < n; i++) {
            char ch = prefix.charAt(i);
            if (ch < '0' || ch > '9') {
                throw notACidr(text);
            }
            length = length * 10 + (ch - '0');
        }
        if (length > 32) {
            throw notACidr(text);
        }
        return new Ipv4Cidr(Ipv4Address.of(bits), length);
    }

    /** The netmask as address bits: {@code /24} is {@code 0xFFFFFF00}, {@code /0} is {@code 0}. */
    public int netmask() {
        return netmask(prefixLength);
    }

    /** The netmask of a prefix length 0..32 ({@code inet_make_mask} in Linux). */
    public static int netmask(int prefixLength) {
        // A Java int shift counts modulo 32, so -1 << 32 would be -1, not 0: /0 needs its own case.
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The network address: the host bits cleared ({@code 10.0.0.1/24} gives {@code 10.0.0.0}). */
    public Ipv4Address network() {
        return Ipv4Address.of(address.toInt() & netmask());
    }

    /**
     * The directed broadcast address: the host bits set ({@code 10.0.0.1/24} gives
     * {@code 10.0.0.255}). For {@code /32} this is the address itself, and a {@code /31} has no
     * broadcast address at all (RFC 3021); the value is computed the same way for them, and it is
     * for the caller (the routing table) to give it no meaning there.
     */
    public Ipv4Address broadcast() {
        return Ipv4Address.of(address.toInt() | ~netmask());
    }

    /** True when {@code addr} (raw address bits) is on this network: its first prefixLength bits match. */
    public boolean contains(int addr) {
        return ((addr ^ address.toInt()) & netmask()) == 0;
    }

    /** True when {@code addr} is on this network. */
    public boolean contains(Ipv4Address addr) {
        return contains(addr.toInt());
    }

    /** {@code "10.0.0.1/24"}. */
    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }

    private static IllegalArgumentException notACidr(String text) {
        return new IllegalArgumentException("cidr: not an address/prefix text=" + (text == null ? "null" : "\"" + text + "\""));
    }
}
