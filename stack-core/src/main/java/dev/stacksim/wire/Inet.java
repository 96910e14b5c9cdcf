package dev.stacksim.wire;

import java.nio.ByteOrder;

/**
 * The C byte-order and address helpers of {@code <arpa/inet.h>} and {@code <netinet/in.h>}, under
 * their C names, so that code from a C sockets book reads the same here. The stack itself never
 * needs them (see below); they exist to teach byte order.
 *
 * <h2>Host order and network order</h2>
 * A 16-bit port or a 32-bit address is a number; on the wire it is bytes, and the Internet sends
 * the most significant byte first: <b>network byte order</b> is big-endian (RFC 1700, "Data
 * Notations"). A CPU keeps numbers in its own <b>host byte order</b>: x86 and most ARM systems are
 * little-endian, least significant byte first in memory. Take port 9501:
 * <pre>
 *   the number 9501, in hex                    0x251D       (host order: the value itself)
 *   the bytes on the wire (network order)      25 1D        (most significant byte first)
 *   the same bytes in the memory of a
 *     little-endian x86 host's sin_port        25 1D  read back as a host integer: 0x1D25
 * </pre>
 * So on x86 {@code htons(9501)} returns {@code 0x1D25} (7461): the number whose little-endian
 * bytes in memory are {@code 25 1D}, ready to be copied into a {@code struct sockaddr_in} and onto
 * the wire. Printing a {@code sin_port} without {@code ntohs} shows 7461, the classic bug. Linux's
 * {@code /proc/net/tcp} shows both faces: ports as host-order hex ({@code 251D}), addresses as the
 * raw network-order {@code u32} printed by a little-endian host ({@code 127.0.0.1} as
 * {@code 0100007F}).
 *
 * <h2>The host these functions model</h2>
 * Java has no host order of its own (a {@code ByteBuffer} is big-endian unless told otherwise,
 * whatever the CPU), so these functions model one on purpose: a <b>little-endian host like x86</b>
 * ({@link #HOST_BYTE_ORDER}). {@code htons}/{@code ntohs} and {@code htonl}/{@code ntohl} therefore
 * always swap bytes, as they do on the machines students run; on a big-endian host they would do
 * nothing. The answer does not depend on the CPU the JVM runs on, so tests are reproducible.
 *
 * <h2>How the values map onto this package</h2>
 * {@link Ipv4Address#toInt()} and every view's address getter hold an address as a host-order
 * number: {@code 10.0.0.1} is {@code 0x0A000001}, which is also the four wire bytes read
 * big-endian. In C terms that is {@code ntohl(sin_addr.s_addr)}. The {@code in_addr_t} values
 * below ({@link #inet_addr}, {@link #inet_ntoa}) are the other face: the network-order bytes as a
 * little-endian host reads them, so
 * <pre>{@code
 * inet_addr("10.0.0.1") == htonl(Ipv4Address.parse("10.0.0.1").toInt())   // 0x0100000A
 * Ipv4Address.of(ntohl(inet_addr("10.0.0.1")))                            // 10.0.0.1
 * }</pre>
 * The {@code INADDR_*} constants are host-order numbers, as in C, where one writes
 * {@code htonl(INADDR_LOOPBACK)}; they equal the matching {@code Ipv4Address} bits.
 */
public final class Inet {
    /** The byte order of the host these helpers model: little-endian, like x86 (see the class comment). */
    public static final ByteOrder HOST_BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Network byte order: big-endian, most significant byte first on the wire. */
    public static final ByteOrder NETWORK_BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    /** {@code 0.0.0.0} as a host-order number: bind to every local address. */
    public static final int INADDR_ANY = 0x0000_0000;
    /** {@code 127.0.0.1} as a host-order number. */
    public static final int INADDR_LOOPBACK = 0x7F00_0001;
    /** {@code 255.255.255.255} as a host-order number: the limited broadcast address. */
    public static final int INADDR_BROADCAST = 0xFFFF_FFFF;
    /**
     * What {@link #inet_addr} returns for bad text: {@code 0xFFFFFFFF}, the same bits as
     * {@link #INADDR_BROADCAST}, which is why {@code inet_addr("255.255.255.255")} cannot be told from
     * an error and {@code inet_aton}/{@code inet_pton} replaced it.
     */
    public static final int INADDR_NONE = 0xFFFF_FFFF;

    private Inet() {
    }

    /**
     * Host to network short: the 16-bit {@code hostshort} swapped into network order, as a
     * little-endian host's {@code htons} does. {@code htons(9501)} is {@code 0x1D25}. Only the low
     * 16 bits of the argument count (C converts it to {@code uint16_t}); the result is 0..0xFFFF.
     */
    public static int htons(int hostshort) {
        return (hostshort & 0xFF) << 8 | (hostshort >>> 8) & 0xFF;
    }

    /**
     * Network to host short: the inverse of {@link #htons}, and on a little-endian host the same
     * swap. {@code ntohs(0x1D25)} is 9501. Only the low 16 bits count; the result is 0..0xFFFF.
     */
    public static int ntohs(int netshort) {
        return htons(netshort);
    }

    /** Host to network long: the four bytes of {@code hostlong} reversed. {@code htonl(0x0A000001)} is {@code 0x0100000A}. */
    public static int htonl(int hostlong) {
        return Integer.reverseBytes(hostlong);
    }

    /** Network to host long: the inverse of {@link #htonl}, the same swap on a little-endian host. */
    public static int ntohl(int netlong) {
        return Integer.reverseBytes(netlong);
    }

    /**
     * The legacy parser: the {@code in_addr_t} (network order, as a little-endian host reads it) of
     * an address text, or {@link #INADDR_NONE} when the text is not one, as glibc's
     * {@code inet_addr} returns them. {@code inet_addr("127.0.0.1")} is {@code 0x0100007F}.
     *
     * <p>It takes every form of {@link #inet_aton}, not only dotted decimal: {@code "127.1"} is
     * {@code 127.0.0.1}, {@code "0x7f.1"} is hex, {@code "010.0.0.1"} is octal {@code 8.0.0.1}. And
     * since {@code "255.255.255.255"} gives {@code INADDR_NONE} too, a valid address cannot be told
     * from an error: prefer {@link #inet_pton}.
     */
    public static int inet_addr(String cp) {
        long bits = aton(cp);
        return bits < 0 ? INADDR_NONE : htonl((int) bits);
    }

    /**
     * The legacy parser with an honest failure: the address of {@code cp}, or {@code null} when it is
     * not one (C's {@code inet_aton} returns 0 then and fills a {@code struct in_addr} otherwise).
     * Accepts what glibc's accepts (checked against glibc 2.36):
     * <ul>
     *   <li>one to four parts separated by {@code '.'}: {@code a.b.c.d}; {@code a.b.c} where c fills the
     *       last 16 bits; {@code a.b} where b fills the last 24 bits; {@code a} alone, all 32 bits
     *       ({@code "2130706433"} is {@code 127.0.0.1});</li>
     *   <li>each part a C integer constant: {@code 0x}/{@code 0X} then hex digits, or {@code 0} then
     *       octal digits, or decimal ({@code "0177.0.0.1"} and {@code "0x7f.0.0.1"} are {@code 127.0.0.1};
     *       {@code "08.0.0.1"} is an error);</li>
     *   <li>each leading part at most 255 and the last part at most what is left, else an error;</li>
     *   <li>after the address, the end of the text, or a blank and then anything ({@code "1.2.3.4 x"}
     *       is {@code 1.2.3.4}); a leading blank is an error.</li>
     * </ul>
     */
    public static Ipv4Address inet_aton(String cp) {
        long bits = aton(cp);
        return bits < 0 ? null : Ipv4Address.of((int) bits);
    }

    /**
     * The dotted-decimal text of an {@code in_addr_t} (network order, as a little-endian host reads
     * it), as C's {@code inet_ntoa} prints a {@code struct in_addr}: {@code inet_ntoa(0x0100007F)} is
     * {@code "127.0.0.1"}, so {@code inet_ntoa(inet_addr(s))} gives back {@code s} in dotted decimal.
     * To print {@link Ipv4Address} bits, use {@link Ipv4Address#toString(int)} (that is,
     * {@code inet_ntoa(htonl(bits))}). C's version returns a static buffer that the next call
     * overwrites; this one returns a new string.
     */
    public static String inet_ntoa(int in) {
        return Ipv4Address.toString(ntohl(in));
    }

    /**
     * The modern parser for {@code AF_INET}: the four address bytes in network order, first on the
     * wire first, or {@code null} when {@code src} is not strict dotted decimal (C's
     * {@code inet_pton(AF_INET, src, dst)} returns 0 then, 1 after writing the four bytes to
     * {@code dst}). Strict means what glibc means: exactly four decimal parts 0..255, no leading zero,
     * no blanks, nothing else ({@code "127.1"}, {@code "0x7f.0.0.1"}, {@code "010.0.0.1"} are all
     * rejected). The same rules as {@link Ipv4Address#parse}.
     */
    public static byte[] inet_pton(String src) {
        try {
            return Ipv4Address.parse(src).toBytes();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The dotted-decimal text of four address bytes in network order, as C's
     * {@code inet_ntop(AF_INET, src, dst, size)} writes it: {@code {10, 0, 0, 1}} gives
     * {@code "10.0.0.1"}.
     *
     * @throws IllegalArgumentException if {@code src} is not four bytes long
     */
    public static String inet_ntop(byte[] src) {
        if (src.length != 4) {
            throw new IllegalArgumentException("inet_ntop: src.length=" + src.length + " not 4");
        }
        return (src[0] & 0xFF) + "." + (src[1] & 0xFF) + "." + (src[2] & 0xFF) + "." + (src[3] & 0xFF);
    }

    /**
     * glibc's {@code inet_aton} rules (see {@link #inet_aton}): the address as host-order bits in
     * 0..0xFFFFFFFF, or -1 when the text is not an address.
     */
    private static long aton(String cp) {
        if (cp == null) {
            return -1;
        }
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int n = cp.length();
        while (true) {
            // Each part must start with a digit: this rejects "", ".1", "1..2", "+1" and a leading blank.
            if (i >= n || !isDigit(cp.charAt(i))) {
                return -1;
            }
            int base = 10;
            if (cp.charAt(i) == '0') {
                i++;
                if (i < n && (cp.charAt(i) == 'x' || cp.charAt(i) == 'X')) {
                    i++;
                    base = 16;
                    if (i >= n || Character.digit(cp.charAt(i), 16) < 0 || cp.charAt(i) > 'f') {
                        return -1;
                    }
                } else {
                    base = 8;
                }
            }
            long value = 0;
            while (i < n) {
                char ch = cp.charAt(i);
                int digit = ch <= 'f' ? Character.digit(ch, base) : -1;
                if (digit < 0) {
                    if (base == 8 && (ch == '8' || ch == '9')) {
                        return -1;
                    }
                    break;
                }
                value = value * base + digit;
                if (value > 0xFFFF_FFFFL) {
                    return -1;
                }
                i++;
            }
            if (i < n && cp.charAt(i) == '.') {
                // Only three dots, and every part before the last is one octet.
                if (count == 3 || value > 0xFF) {
                    return -1;
                }
                parts[count++] = value;
                i++;
                continue;
            }
            if (i < n && !isCSpace(cp.charAt(i))) {
                return -1;
            }
            parts[count++] = value;
            break;
        }
        long last = parts[count - 1];
        // The last part fills the bits the parts before it leave: 32, 24, 16 or 8.
        long max = 0xFFFF_FFFFL >>> (8 * (count - 1));
        if (last > max) {
            return -1;
        }
        long bits = last;
        for (int k = 0; k < count - 1; k++) {
            bits |= parts[k] << (24 - 8 * k);
        }
        return bits;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    /** {@code isspace} in the C locale. */
    private static boolean isCSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == 0x0B || ch == '\f' || ch == '\r';
    }
}
