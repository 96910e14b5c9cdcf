package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * IPv4 option kinds (RFC 791 section 3.1, IANA "IP Option Numbers") and their tcpdump printing.
 * The names are those of {@code include/uapi/linux/ip.h} without the {@code IPOPT_} prefix.
 *
 * <pre>
 *   kind byte:  | copied (1) | class (2) | number (5) |
 *   EOL, NOP:   | kind |                           one byte
 *   the others: | kind | length | data ...         length counts kind and length bytes
 * </pre>
 *
 * <p>The copied bit says whether a fragment must carry the option too (RR is not copied, the
 * source routes are). {@link Ipv4Header} iterates the options of a header; this class names them.
 */
public final class Ipv4Option {
    /** End of Option List, one byte; what follows is padding ({@code IPOPT_END}). */
    public static final int EOL = 0;
    /** No Operation, one byte, used to align the next option ({@code IPOPT_NOOP}). */
    public static final int NOP = 1;
    /** Record Route ({@code IPOPT_RR}): each router writes its address into the next slot; {@code ping -R} sends it. */
    public static final int RR = 7;
    /** Internet Timestamp ({@code IPOPT_TS}); {@code ping -T tsonly} sends it. */
    public static final int TS = 68;
    /** Security, RFC 1108 ({@code IPOPT_SEC}). */
    public static final int SECURITY = 130;
    /** Loose Source and Record Route ({@code IPOPT_LSRR}). */
    public static final int LSRR = 131;
    /** Strict Source and Record Route ({@code IPOPT_SSRR}). */
    public static final int SSRR = 137;
    /** Router Alert, RFC 2113 ({@code IPOPT_RA}): four bytes, kind, length 4 and a 16-bit value. */
    public static final int RA = 148;

    /** The copied flag of the kind byte: the option goes into every fragment ({@code IPOPT_COPIED}). */
    public static final int COPIED_FLAG = 0x80;

    private Ipv4Option() {
    }

    /** True for EOL and NOP, the options that are a single kind byte with no length byte. */
    public static boolean isSingleByte(int kind) {
        return kind == EOL || kind == NOP;
    }

    /** True when the kind's copied bit is set, so fragmentation copies it into every fragment. */
    public static boolean isCopied(int kind) {
        return (kind & COPIED_FLAG) != 0;
    }

    /** The kind's name as tcpdump prints it ({@code RR}, {@code NOP}, {@code timestamp}, {@code unknown 25}). */
    public static String name(int kind) {
        switch (kind) {
            case EOL: return "EOL";
            case NOP: return "NOP";
            case RR: return "RR";
            case TS: return "timestamp";
            case SECURITY: return "security";
            case LSRR: return "LSRR";
            case SSRR: return "SSRR";
            case RA: return "RA";
            default: return "unknown " + kind;
        }
    }

    /**
     * Appends the options between absolute indexes {@code start} and {@code end} as tcpdump's
     * {@code ip_optprint} does: names separated by commas, route options with their addresses,
     * router alert with a nonzero value, {@code [bad length N]} where a length byte is wrong.
     * Stops at EOL. Timestamp contents are not printed. Reads nothing outside {@code start..end}.
     */
    static void print(StringBuilder sb, ByteBuf buf, int start, int end) {
        for (int at = start; at < end; ) {
            if (at > start) {
                sb.append(',');
            }
            int kind = buf.getUnsignedByte(at);
            sb.append(name(kind));
            if (kind == EOL) {
                return;
            }
            if (kind == NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                sb.append(" [|ip]");
                return;
            }
            int len = buf.getUnsignedByte(at + 1);
            if (len < 2 || at + len > end) {
                sb.append(" [bad length ").append(len).append(']');
                return;
            }
            if (kind == RR || kind == LSRR || kind == SSRR) {
                printRoute(sb, buf, at, len);
            } else if (kind == RA) {
                if (len != 4) {
                    sb.append(" [bad length ").append(len).append(']');
                } else if (buf.getUnsignedShort(at + 2) != 0) {
                    sb.append(" value ").append(buf.getUnsignedShort(at + 2));
                }
            }
            at += len;
        }
    }

    /** Route slots as tcpdump prints them: a comma after each slot already filled (before the pointer). */
    private static void printRoute(StringBuilder sb, ByteBuf buf, int at, int len) {
        if (len < 3) {
            sb.append(" [bad length ").append(len).append(']');
            return;
        }
        int pointer = buf.getUnsignedByte(at + 2) - 1;
        if (pointer < 3) {
            sb.append(" [bad ptr ").append(pointer + 1).append(']');
            return;
        }
        for (int slot = 3; slot + 4 <= len; slot += 4) {
            sb.append(' ').append(Ipv4Address.toString(buf.getInt(at + slot)));
            if (pointer > slot) {
                sb.append(',');
            }
        }
    }
}
