package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * Prints a TCP segment the way {@code tcpdump -nn -S} (4.99) prints it after the addresses, so
 * that a test or a trace line can be compared with a real capture. It follows tcpdump's
 * {@code tcp_print} step by step, bad headers and bad options included, and reads nothing outside
 * the header: it never throws on any bytes.
 */
final class TcpDump {
    /** tcpdump's flag letters, in the order it prints them (bit 0 first). */
    private static final String[] FLAG_LETTERS = {"F", "S", "R", "P", ".", "U", "E", "W"};

    private TcpDump() {
    }

    /** The text for {@code length} bytes of header and payload at {@code offset}. */
    static String format(ByteBuf buf, int offset, int length) {
        StringBuilder sb = new StringBuilder(128);
        if (length < TcpHeader.MIN_HEADER_LEN) {
            return sb.append("[|tcp]").toString();
        }
        int hlen = (buf.getUnsignedByte(offset + TcpHeader.DOFF_OFFSET) >>> 4) * 4;
        if (hlen < TcpHeader.MIN_HEADER_LEN) {
            return sb.append("tcp ").append(length - hlen).append(" [bad hdr length ").append(hlen)
                    .append(" - too short, < ").append(TcpHeader.MIN_HEADER_LEN).append(']').toString();
        }
        int flags = buf.getUnsignedByte(offset + TcpHeader.FLAGS_OFFSET);
        sb.append("Flags [");
        appendFlags(sb, flags);
        sb.append(']');
        if (hlen > length) {
            return sb.append(" [bad hdr length ").append(hlen).append(" - too long, > ").append(length)
                    .append(']').toString();
        }
        int seq = buf.getInt(offset + TcpHeader.SEQ_OFFSET);
        int payload = length - hlen;
        if (payload > 0 || (flags & (TcpHeader.SYN | TcpHeader.FIN | TcpHeader.RST)) != 0) {
            sb.append(", seq ").append(Integer.toUnsignedString(seq));
            if (payload > 0) {
                sb.append(':').append(Integer.toUnsignedString(seq + payload));
            }
        }
        if ((flags & TcpHeader.ACK) != 0) {
            sb.append(", ack ").append(Integer.toUnsignedString(buf.getInt(offset + TcpHeader.ACK_OFFSET)));
        }
        sb.append(", win ").append(buf.getUnsignedShort(offset + TcpHeader.WINDOW_OFFSET));
        if ((flags & TcpHeader.URG) != 0) {
            sb.append(", urg ").append(buf.getUnsignedShort(offset + TcpHeader.URGENT_POINTER_OFFSET));
        }
        if (hlen > TcpHeader.MIN_HEADER_LEN) {
            sb.append(", options [");
            if (!appendOptions(sb, buf, offset + TcpHeader.OPTIONS_OFFSET, hlen - TcpHeader.MIN_HEADER_LEN)) {
                return sb.toString();
            }
            sb.append(']');
        }
        return sb.append(", length ").append(payload).toString();
    }

    /** tcpdump's flag letters for {@code flags}, {@code none} when there are none. */
    static void appendFlags(StringBuilder sb, int flags) {
        if ((flags & 0xFF) == 0) {
            sb.append("none");
            return;
        }
        for (int bit = 0; bit < FLAG_LETTERS.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                sb.append(FLAG_LETTERS[bit]);
            }
        }
    }

    /**
     * Appends the options in {@code room} bytes at {@code pos}, separated by commas, without the
     * brackets. On an option that does not fit it appends {@code [bad opt]} (and the closing
     * bracket when something was printed before it, as tcpdump does) and returns false.
     */
    static boolean appendOptions(StringBuilder sb, ByteBuf buf, int pos, int room) {
        boolean first = true;
        while (room > 0) {
            if (!first) {
                sb.append(',');
            }
            int kind = buf.getUnsignedByte(pos);
            pos++;
            int len;
            if (kind == TcpHeader.OPT_EOL || kind == TcpHeader.OPT_NOP) {
                len = 1;
            } else {
                if (room < 2) {
                    return badOption(sb, first);
                }
                len = buf.getUnsignedByte(pos);
                pos++;
                if (len < 2 || len > room) {
                    return badOption(sb, first);
                }
                room--;
            }
            room--;
            sb.append(optionName(kind));
            // tcpdump advances by the size it expects for the kind, not by the length byte, and
            // flags a mismatch with "[len N]".
            int datalen;
            switch (kind) {
                case TcpHeader.OPT_MSS:
                    datalen = 2;
                    if (datalen > room) {
                        return badOption(sb, first);
                    }
                    sb.append(' ').append(buf.getUnsignedShort(pos));
                    break;
                case TcpHeader.OPT_WINDOW:
                    datalen = 1;
                    if (datalen > room) {
                        return badOption(sb, first);
                    }
                    sb.append(' ').append(buf.getUnsignedByte(pos));
                    break;
                case TcpHeader.OPT_SACK:
                    datalen = len - 2;
                    if (datalen % 8 != 0) {
                        sb.append(" invalid sack");
                    } else {
                        sb.append(' ').append(datalen / 8).append(' ');
                        for (int i = 0; i < datalen; i += 8) {
                            if (i + 8 > room) {
                                return badOption(sb, first);
                            }
                            sb.append('{').append(Integer.toUnsignedString(buf.getInt(pos + i)))
                                    .append(':').append(Integer.toUnsignedString(buf.getInt(pos + i + 4)))
                                    .append('}');
                        }
                    }
                    break;
                case TcpHeader.OPT_TIMESTAMP:
                    datalen = 8;
                    if (datalen > room) {
                        return badOption(sb, first);
                    }
                    sb.append(" val ").append(Integer.toUnsignedString(buf.getInt(pos)))
                            .append(" ecr ").append(Integer.toUnsignedString(buf.getInt(pos + 4)));
                    break;
                case TcpHeader.OPT_EOL:
                case TcpHeader.OPT_NOP:
                case TcpHeader.OPT_SACK_PERM:
                    datalen = 0;
                    break;
                default:
                    datalen = len - 2;
                    if (datalen > 0) {
                        sb.append(" 0x");
                        for (int i = 0; i < datalen; i++) {
                            appendHex(sb, buf.getUnsignedByte(pos + i));
                        }
                    }
                    break;
            }
            pos += datalen;
            room -= datalen;
            int expected = datalen + (kind == TcpHeader.OPT_EOL || kind == TcpHeader.OPT_NOP ? 1 : 2);
            if (expected != len) {
                sb.append("[len ").append(len).append(']');
            }
            first = false;
            if (kind == TcpHeader.OPT_EOL) {
                break;
            }
        }
        return true;
    }

    private static boolean badOption(StringBuilder sb, boolean first) {
        sb.append("[bad opt]");
        if (!first) {
            sb.append(']');
        }
        return false;
    }

    /** tcpdump's name for an option kind ({@code tcp_option_values}), or {@code unknown-K}. */
    static String optionName(int kind) {
        switch (kind) {
            case 0: return "eol";
            case 1: return "nop";
            case 2: return "mss";
            case 3: return "wscale";
            case 4: return "sackOK";
            case 5: return "sack";
            case 6: return "echo";
            case 7: return "echoreply";
            case 8: return "TS";
            case 11: return "cc";
            case 12: return "ccnew";
            case 13: return "ccecho";
            case 19: return "md5";
            case 20: return "scps";
            case 28: return "uto";
            case 29: return "tcp-ao";
            case 30: return "mptcp";
            case 34: return "tfo";
            case 254: return "exp";
            default: return "unknown-" + kind;
        }
    }

    private static void appendHex(StringBuilder sb, int b) {
        sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
    }
}
