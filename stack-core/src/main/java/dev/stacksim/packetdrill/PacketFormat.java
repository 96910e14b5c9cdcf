package dev.stacksim.packetdrill;

import dev.stacksim.wire.TcpHeader;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints packets the way packetdrill's {@code packet_to_string} does in its short format, so that a
 * failure report reads like packetdrill's:
 *
 * <pre>
 * script packet:  0.100000 S. 0:0(0) ack 1 &lt;mss 1460,nop,wscale 7&gt;
 * actual packet:  0.100000 S. 0:0(0) ack 1 win 65535 &lt;mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7&gt;
 * </pre>
 *
 * Flags in tcpdump's order (F S R P . U, then E W A), {@code seq:end(len)}, {@code ack} when the ACK
 * flag is set, {@code win} unless unchecked, then the options.
 */
final class PacketFormat {
    private PacketFormat() {
    }

    /** {@code type packet: %9.6f dump}, the line packetdrill appends to an error. */
    static String dumpLine(String type, long timeUsecs, String dump) {
        return type + " packet: " + String.format(java.util.Locale.ROOT, "%9.6f", timeUsecs / 1e6) + " " + dump;
    }

    /** The short form of a script packet line (its own values, as written). */
    static String script(PacketSpec p) {
        if (p.transport() instanceof PacketSpec.Tcp t) {
            byte[] opts = t.options() == null ? new byte[0] : TcpOptionSpec.encodeAll(t.options());
            return tcp(t.flagBits(), t.seq(), t.payloadLen(), t.ack(), t.window(), opts, t.options() == null);
        }
        if (p.transport() instanceof PacketSpec.Udp u) {
            return "udp (" + u.payloadLen() + ")";
        }
        PacketSpec.Icmp i = (PacketSpec.Icmp) p.transport();
        return "icmp " + i.type() + (i.code() == null ? "" : " " + i.code());
    }

    /** The short form of a live (or mapped) packet. */
    static String live(LivePacket p) {
        if (p.isTcp()) {
            return tcp(p.flags, p.seq, p.payloadLen(), p.ack, p.window, p.options, false);
        }
        if (p.isUdp()) {
            return "udp (" + p.payloadLen() + ")";
        }
        return "icmp " + IcmpNames.typeName(p.icmpType) + " " + IcmpNames.codeName(p.icmpType, p.icmpCode);
    }

    /** A live packet with its addresses and ports: {@code 192.168.0.1:8080 > 192.0.2.1:40000 S. 0:0(0) ...}. */
    static String full(LivePacket p) {
        String src = dev.stacksim.wire.Ipv4Address.toString(p.srcAddr) + (p.isIcmp() ? "" : ":" + p.srcPort);
        String dst = dev.stacksim.wire.Ipv4Address.toString(p.dstAddr) + (p.isIcmp() ? "" : ":" + p.dstPort);
        return src + " > " + dst + " " + live(p);
    }

    private static String tcp(int flags, long seq, int len, long ack, int window, byte[] options, boolean ellipsis) {
        StringBuilder sb = new StringBuilder();
        if ((flags & TcpHeader.FIN) != 0) {
            sb.append('F');
        }
        if ((flags & TcpHeader.SYN) != 0) {
            sb.append('S');
        }
        if ((flags & TcpHeader.RST) != 0) {
            sb.append('R');
        }
        if ((flags & TcpHeader.PSH) != 0) {
            sb.append('P');
        }
        if ((flags & TcpHeader.ACK) != 0) {
            sb.append('.');
        }
        if ((flags & TcpHeader.URG) != 0) {
            sb.append('U');
        }
        if ((flags & TcpHeader.ECE) != 0) {
            sb.append('E');
        }
        if ((flags & TcpHeader.CWR) != 0) {
            sb.append('W');
        }
        if ((flags & PacketSpec.AE) != 0) {
            sb.append('A');
        }
        sb.append(' ').append(seq).append(':').append((seq + len) & 0xFFFF_FFFFL).append('(').append(len).append(')');
        if ((flags & TcpHeader.ACK) != 0) {
            sb.append(" ack ").append(ack);
        }
        if (window >= 0) {
            sb.append(" win ").append(window);
        }
        if (ellipsis) {
            sb.append(" <...>");
        } else if (options.length > 0) {
            sb.append(" <").append(String.join(",", options(options))).append('>');
        }
        return sb.toString();
    }

    /** Each option of a TCP option list as packetdrill names it ({@code tcp_option_info_to_string}). */
    static List<String> options(byte[] o) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < o.length) {
            int kind = o[i] & 0xFF;
            if (kind == TcpHeader.OPT_EOL) {
                out.add("eol");
                i++;
                continue;
            }
            if (kind == TcpHeader.OPT_NOP) {
                out.add("nop");
                i++;
                continue;
            }
            if (i + 1 >= o.length || (o[i + 1] & 0xFF) < 2 || i + (o[i + 1] & 0xFF) > o.length) {
                out.add("bad-option(kind=" + kind + ")");
                break;
            }
            int len = o[i + 1] & 0xFF;
            out.add(option(o, i, kind, len));
            i += len;
        }
        return out;
    }

    /** One option at {@code at}, of {@code kind} and {@code len} bytes. */
    static String option(byte[] o, int at, int kind, int len) {
        switch (kind) {
            case TcpHeader.OPT_MSS:
                return len == 4 ? "mss " + LivePacket.u16(o, at + 2) : "mss(len=" + len + ")";
            case TcpHeader.OPT_WINDOW:
                return len == 3 ? "wscale " + (o[at + 2] & 0xFF) : "wscale(len=" + len + ")";
            case TcpHeader.OPT_SACK_PERM:
                return "sackOK";
            case TcpHeader.OPT_SACK: {
                StringBuilder sb = new StringBuilder("sack");
                for (int b = at + 2; b + 8 <= at + len; b += 8) {
                    sb.append(' ').append(LivePacket.i32(o, b) & 0xFFFF_FFFFL).append(':')
                            .append(LivePacket.i32(o, b + 4) & 0xFFFF_FFFFL);
                }
                return sb.toString();
            }
            case TcpHeader.OPT_TIMESTAMP:
                return len == 10 ? "TS val " + (LivePacket.i32(o, at + 2) & 0xFFFF_FFFFL) + " ecr "
                        + (LivePacket.i32(o, at + 6) & 0xFFFF_FFFFL) : "TS(len=" + len + ")";
            case 34:
            case 254: {
                boolean exp = kind == 254;
                StringBuilder sb = new StringBuilder(exp ? "FOEXP" : "FO");
                int from = at + 2 + (exp ? 2 : 0);
                if (from < at + len) {
                    sb.append(' ');
                }
                for (int b = from; b < at + len; b++) {
                    sb.append(String.format("%02x", o[b] & 0xFF));
                }
                return sb.toString();
            }
            default:
                return "unknown-option(kind=" + kind + ",len=" + len + ")";
        }
    }
}
