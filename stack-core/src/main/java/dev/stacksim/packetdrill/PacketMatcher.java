package dev.stacksim.packetdrill;

import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.TcpHeader;

import java.util.Arrays;
import java.util.List;

/**
 * Compares a packet the host sent (mapped into script space) with the line that expected it,
 * field by field in packetdrill's order ({@code verify_outbound_live_headers},
 * {@code verify_outbound_live_tcp_options}, {@code verify_outbound_live_payload}), and reports the
 * first difference in packetdrill's words:
 * {@code live packet field tcp_ack_seq: expected: 1 (0x1) vs actual: 2 (0x2)}.
 *
 * <p>What a line leaves out is not checked: no {@code win} (the window), {@code <...>} (the
 * options; the lengths then allow for whatever options the host sent), the TS ecr of an outbound
 * timestamp (never checked, as in packetdrill) and its TS val (unless {@code --tcp_ts_tick_usecs}).
 */
final class PacketMatcher {
    private PacketMatcher() {
    }

    /**
     * The first difference between {@code actual} and {@code script}, or null when they match.
     *
     * @param tsToleranceUsecs how far the TS val may drift, for {@code --tcp_ts_tick_usecs}
     */
    static String verify(LivePacket actual, PacketSpec script, ScriptConfig config, long tsToleranceUsecs) {
        if (!actual.ipChecksumOk) {
            return "bad outbound IP checksum";
        }
        String err = headers(actual, script, true);
        if (err != null) {
            return err;
        }
        if (script.transport() instanceof PacketSpec.Tcp t) {
            err = options(actual, t, config, tsToleranceUsecs);
            if (err != null) {
                return err;
            }
        }
        if (!actual.isIcmp() && !Arrays.equals(actual.payload, new byte[payloadLen(script)])) {
            return "incorrect outbound data payload";
        }
        return null;
    }

    /** The payload length a line describes. */
    static int payloadLen(PacketSpec p) {
        if (p.transport() instanceof PacketSpec.Tcp t) {
            return t.payloadLen();
        }
        if (p.transport() instanceof PacketSpec.Udp u) {
            return u.payloadLen();
        }
        return 0;
    }

    private static String headers(LivePacket a, PacketSpec script, boolean strict) {
        int protocol = script.transport() instanceof PacketSpec.Tcp ? IpProtocol.TCP
                : script.transport() instanceof PacketSpec.Udp ? IpProtocol.UDP : IpProtocol.ICMP;
        int optsLen = 0;
        boolean allowance = false;
        if (script.transport() instanceof PacketSpec.Tcp t) {
            allowance = t.options() == null;
            optsLen = allowance ? a.options.length : TcpOptionSpec.encodeAll(t.options()).length;
        }
        int l4hdr = protocol == IpProtocol.TCP ? 20 + optsLen : protocol == IpProtocol.UDP ? 8 : a.totalLength - 20;
        int expectedTotal = 20 + l4hdr + payloadLen(script);
        String err = field("ipv4_version", 4, a.ipVersion);
        err = err != null ? err : field("ipv4_protocol", protocol, a.protocol);
        err = err != null ? err : field("ipv4_header_length", 5, a.ihl);
        if (err == null && strict && protocol != IpProtocol.ICMP) {
            err = field("ipv4_total_length", expectedTotal, a.totalLength);
        }
        if (err != null) {
            return err;
        }
        err = tos(script.ip(), a.tos);
        if (err == null && script.ip().ttl() != 0) {
            err = field("ttl", script.ip().ttl(), a.ttl);
        }
        if (err != null) {
            return err;
        }
        if (script.transport() instanceof PacketSpec.Tcp t) {
            return tcp(a, t, optsLen / 4, strict);
        }
        if (script.transport() instanceof PacketSpec.Udp u) {
            return strict ? field("udp_len", 8 + u.payloadLen(), a.udpLength) : null;
        }
        PacketSpec.Icmp m = (PacketSpec.Icmp) script.transport();
        int type = IcmpNames.type(m.type());
        err = field("icmp_type", type, a.icmpType);
        return err != null ? err : field("icmp_code", IcmpNames.code(type, m.code()), a.icmpCode);
    }

    private static String tos(PacketSpec.IpInfo ip, int actualTos) {
        int ecn = actualTos & 3;
        switch (ip.tosCheck()) {
            case ECT01:
                return ecn == 1 || ecn == 2 ? null
                        : "live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x" + Integer.toHexString(ecn);
            case ECN:
                return field("ip_ecn", ip.tos(), ecn);
            case TOS:
                return field("tos", ip.tos(), actualTos);
            default:
                return null;
        }
    }

    private static String tcp(LivePacket a, PacketSpec.Tcp t, int optWords, boolean strict) {
        int s = t.flagBits();
        String err = field("tcp_data_offset", 5 + optWords, a.doff);
        err = err != null || !strict ? err : flag("tcp_fin", s, a.flags, TcpHeader.FIN);
        err = err != null ? err : flag("tcp_syn", s, a.flags, TcpHeader.SYN);
        err = err != null ? err : flag("tcp_rst", s, a.flags, TcpHeader.RST);
        err = err != null || !strict ? err : flag("tcp_psh", s, a.flags, TcpHeader.PSH);
        err = err != null ? err : flag("tcp_ack", s, a.flags, TcpHeader.ACK);
        err = err != null ? err : flag("tcp_urg", s, a.flags, TcpHeader.URG);
        if (err == null && t.hasAce()) {
            err = field("tcp_ace", ace(s), ace(a.flags));
        } else if (err == null) {
            err = flag("tcp_ece", s, a.flags, TcpHeader.ECE);
            err = err != null || !strict ? err : flag("tcp_cwr", s, a.flags, TcpHeader.CWR);
            err = err != null ? err : flag("tcp_ae", s, a.flags, PacketSpec.AE);
        }
        err = err != null ? err : field("tcp_reserved_bits", 0, a.reserved);
        err = err != null ? err : field("tcp_seq", t.seq() + (strict ? 0 : t.payloadLen()), a.seq);
        err = err != null ? err : field("tcp_ack_seq", t.ack(), a.ack);
        if (err == null && t.window() >= 0) {
            err = field("tcp_window", t.window(), a.window);
        }
        return err != null ? err : field("tcp_urg_ptr", t.urgPointer(), a.urgPointer);
    }

    private static int ace(int flags) {
        return ((flags & PacketSpec.AE) != 0 ? 4 : 0) | ((flags & TcpHeader.CWR) != 0 ? 2 : 0)
                | ((flags & TcpHeader.ECE) != 0 ? 1 : 0);
    }

    private static String options(LivePacket a, PacketSpec.Tcp t, ScriptConfig config, long tsTolerance) {
        if (t.options() == null) {
            return null;
        }
        byte[] s = TcpOptionSpec.encodeAll(t.options());
        List<String> scriptNames = PacketFormat.options(s);
        List<String> actualNames = PacketFormat.options(a.options);
        int i = 0;
        int j = 0;
        int index = 0;
        while (i < s.length || j < a.options.length) {
            if (i >= s.length || j >= a.options.length || (s[i] & 0xFF) != (a.options[j] & 0xFF)) {
                return "bad outbound TCP options";
            }
            int kind = s[i] & 0xFF;
            int slen = kind <= 1 ? 1 : s[i + 1] & 0xFF;
            int alen = kind <= 1 ? 1 : j + 1 < a.options.length ? a.options[j + 1] & 0xFF : 1;
            if (kind == TcpHeader.OPT_TIMESTAMP && alen == TcpHeader.OPTLEN_TIMESTAMP) {
                long sv = LivePacket.i32(s, i + 2) & 0xFFFF_FFFFL;
                long av = LivePacket.i32(a.options, j + 2) & 0xFFFF_FFFFL;
                if (config.tcpTsTickUsecs() != 0
                        && Math.abs((int) (av - sv)) * (long) config.tcpTsTickUsecs() > tsTolerance) {
                    return "bad outbound TCP timestamp value, tolerance " + tsTolerance;
                }
            } else if (kind > 1) {
                String why = null;
                if (slen != alen) {
                    why = "bad length";
                }
                if (slen > 2 && (j + alen > a.options.length || !Arrays.equals(s, i + 2, i + slen, a.options, j + 2,
                        j + Math.min(alen, slen)))) {
                    why = "bad value";
                }
                if (why != null) {
                    return why + " in outbound TCP option (kind=" + kind + "): expected: " + name(scriptNames, index)
                            + " actual: " + name(actualNames, index);
                }
            }
            i += Math.max(slen, 1);
            j += Math.max(alen, 1);
            index++;
        }
        return null;
    }

    private static String name(List<String> names, int index) {
        return index < names.size() ? names.get(index) : "?";
    }

    private static String flag(String name, int script, int actual, int bit) {
        return field(name, (script & bit) != 0 ? 1 : 0, (actual & bit) != 0 ? 1 : 0);
    }

    /** {@code check_field}: {@code live packet field NAME: expected: E (0xE) vs actual: A (0xA)}. */
    static String field(String name, long expected, long actual) {
        if (expected == actual) {
            return null;
        }
        return "live packet field " + name + ": expected: " + expected + " (0x" + Long.toHexString(expected)
                + ") vs actual: " + actual + " (0x" + Long.toHexString(actual) + ")";
    }

    /**
     * {@code verify_packet_fragments}: whether {@code current} can be merged after {@code previous}
     * to make up a longer expected segment (same headers, contiguous sequence numbers).
     */
    static String fragment(LivePacket current, LivePacket previous, int sniffedPayload, int expectedTotal) {
        String err = field("ipv4_protocol", previous.protocol, current.protocol);
        if (err == null && current.isTcp()) {
            err = field("tcp_data_offset", previous.doff, current.doff);
            int mask = TcpHeader.SYN | TcpHeader.RST | TcpHeader.ACK | TcpHeader.URG | TcpHeader.ECE | PacketSpec.AE;
            err = err != null ? err : field("tcp_flags", previous.flags & mask, current.flags & mask);
            err = err != null ? err
                    : field("tcp_seq", (previous.seq + previous.payloadLen()) & 0xFFFF_FFFFL, current.seq);
            err = err != null ? err : field("tcp_ack_seq", previous.ack, current.ack);
            err = err != null ? err : field("tcp_window", previous.window, current.window);
        }
        if (err == null && current.payloadLen() < expectedTotal - sniffedPayload
                && current.payloadLen() != previous.payloadLen()) {
            err = "fragment payload: expected " + previous.payloadLen() + " bytes vs actual " + current.payloadLen()
                    + " bytes; total payload: expected " + expectedTotal + " bytes vs actual "
                    + (current.payloadLen() + sniffedPayload) + " bytes";
        }
        return err == null ? null : "aggregate candidate " + err;
    }

    /**
     * {@code aggregate_packets}: one packet with the last fragment's headers, the first one's seq
     * and CWR, and every fragment's payload in order.
     */
    static LivePacket aggregate(List<LivePacket> fragments) {
        LivePacket first = fragments.get(0);
        LivePacket last = fragments.get(fragments.size() - 1);
        LivePacket a = last.copy();
        int total = 0;
        for (LivePacket f : fragments) {
            total += f.payloadLen();
        }
        a.payload = new byte[total];
        int at = 0;
        for (LivePacket f : fragments) {
            System.arraycopy(f.payload, 0, a.payload, at, f.payloadLen());
            at += f.payloadLen();
        }
        a.totalLength = last.totalLength + total - last.payloadLen();
        if (a.isTcp()) {
            a.seq = first.seq;
            a.flags = (a.flags & ~TcpHeader.CWR) | (first.flags & TcpHeader.CWR);
        }
        return a;
    }
}
