package dev.stacksim.packetdrill;

import dev.stacksim.wire.IpProtocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the packet part of a line, after its time ({@code packet_spec} in packetdrill's
 * {@code parser.y}):
 *
 * <pre>
 * packet  := (&lt; | &gt;) [ip_info] (tcp | udp | icmp)
 * ip_info := ( info ) | [ info ]        info := noecn | ect0 | ect1 | ce | ect01 | tos 0xNN | ttl N
 * tcp     := [sport&gt;dport] flags start:end(len) [ack N] [win N] [urg N] [&lt;options&gt; | &lt;...&gt;]
 * udp     := udp [sport&gt;dport] (len)
 * icmp    := icmp type [code] [mtu N] [id N] [\[start:end(len)\] | \[udp (len)\] | \[raw (len)\]]
 * options := option {, option}           option := nop | eol | mss N | wscale N | sackOK
 *                                                 | sack L:R ... | TS val N ecr N | FO [hex] | FOEXP [hex]
 * </pre>
 */
final class PacketLineParser {
    private static final String VALID_FLAGS = "FSRP.UEWA";

    private final TokenStream in;

    PacketLineParser(TokenStream in) {
        this.in = in;
    }

    PacketSpec packet() {
        Token dirToken = in.next();
        PacketSpec.Direction dir = dirToken.is('<') ? PacketSpec.Direction.INBOUND : PacketSpec.Direction.OUTBOUND;
        PacketSpec.IpInfo ip = PacketSpec.IpInfo.NONE;
        if (in.peek().is('(') || in.peek().is('[')) {
            ip = ipInfo(dir);
        }
        Token t = in.peek();
        if (t.isWord("ipv4") || t.isWord("ipv6") || t.isWord("gre") || t.isWord("GREv0") || t.isWord("mpls")
                || t.isWord("encap")) {
            throw in.error(t, "encapsulation and explicit addresses (" + t.text() + ") are not supported");
        }
        if (t.isWord("udp")) {
            in.next();
            return new PacketSpec(dir, ip, udp());
        }
        if (t.isWord("icmp")) {
            in.next();
            return new PacketSpec(dir, ip, icmp());
        }
        return new PacketSpec(dir, ip, tcp(dir));
    }

    private PacketSpec.IpInfo ipInfo(PacketSpec.Direction dir) {
        Token open = in.next();
        char close = open.is('(') ? ')' : ']';
        Token t = in.next();
        PacketSpec.IpInfo info;
        switch (t.type() == Token.Type.WORD ? t.text() : "") {
            case "noecn": info = new PacketSpec.IpInfo(PacketSpec.TosCheck.ECN, 0, 0); break;
            case "ect1": info = new PacketSpec.IpInfo(PacketSpec.TosCheck.ECN, 1, 0); break;
            case "ect0": info = new PacketSpec.IpInfo(PacketSpec.TosCheck.ECN, 2, 0); break;
            case "ce": info = new PacketSpec.IpInfo(PacketSpec.TosCheck.ECN, 3, 0); break;
            case "ect01":
                if (dir == PacketSpec.Direction.INBOUND) {
                    throw in.error(t, "[ect01] can only be used with outbound packets");
                }
                info = new PacketSpec.IpInfo(PacketSpec.TosCheck.ECT01, 0, 0);
                break;
            case "tos": {
                Token v = in.next();
                if (v.type() != Token.Type.HEX_INTEGER || v.longValue() > 0xFF) {
                    throw in.error(v, "tos out of range for 8 bits (write it as 0xNN)");
                }
                info = new PacketSpec.IpInfo(PacketSpec.TosCheck.TOS, (int) v.longValue(), 0);
                break;
            }
            case "ttl":
                info = new PacketSpec.IpInfo(PacketSpec.TosCheck.NONE, 0, (int) in.expectInt("a TTL", 0, 255));
                break;
            default:
                throw in.error(t, "expected noecn, ect0, ect1, ce, ect01, tos 0xNN or ttl N but found " + t.describe());
        }
        in.expectChar(close, "'" + close + "' closing the IP information");
        return info;
    }

    private PacketSpec.Udp udp() {
        int[] ports = ports();
        in.expectChar('(', "'(' and the UDP payload length");
        int len = (int) in.expectInt("a UDP payload size", 0, 0xFFFF);
        in.expectChar(')', "')' after the UDP payload length");
        return new PacketSpec.Udp(ports[0], ports[1], len);
    }

    private PacketSpec.Icmp icmp() {
        Token type = in.next();
        if (type.type() != Token.Type.WORD) {
            throw in.error(type, "expected an ICMP type name (unreachable, echo_request ...) but found " + type.describe());
        }
        String code = null;
        if (in.peek().type() == Token.Type.WORD && !in.peek().isWord("mtu") && !in.peek().isWord("id")) {
            code = in.next().text();
        }
        int mtu = -1;
        if (in.peek().isWord("mtu")) {
            in.next();
            mtu = (int) in.expectInt("an MTU", 0, 0xFFFF);
        }
        int id = 0;
        if (in.peek().isWord("id")) {
            in.next();
            id = (int) in.expectInt("an ICMP echo id", 0, 0xFFFF);
        }
        PacketSpec.Echoed echoed = new PacketSpec.Echoed(IpProtocol.TCP, 0, 0);
        if (in.peek().is('[')) {
            in.next();
            Token what = in.peek();
            if (what.isWord("udp") || what.isWord("raw")) {
                in.next();
                in.expectChar('(', "'('");
                int len = (int) in.expectInt("a payload length", 0, 0xFFFF);
                in.expectChar(')', "')'");
                echoed = new PacketSpec.Echoed(what.isWord("udp") ? IpProtocol.UDP : 255, 0, len);
            } else {
                long[] seq = seq();
                echoed = new PacketSpec.Echoed(IpProtocol.TCP, seq[0], (int) seq[2]);
            }
            in.expectChar(']', "']' closing the echoed packet");
        }
        return new PacketSpec.Icmp(type.text(), code, mtu, id, echoed);
    }

    private PacketSpec.Tcp tcp(PacketSpec.Direction dir) {
        int[] ports = ports();
        Token flagsAt = in.peek();
        String flags = flags();
        long[] seq = seq();
        long ack = 0;
        if (in.peek().isWord("ack")) {
            in.next();
            ack = in.expectInt("a TCP ack sequence number", 0, 0xFFFF_FFFFL);
        }
        int window = -1;
        if (in.peek().isWord("win")) {
            in.next();
            window = (int) in.expectInt("a TCP window value", 0, 0xFFFF);
        }
        int urg = 0;
        if (in.peek().isWord("urg")) {
            in.next();
            urg = (int) in.expectInt("an urg_ptr value", 0, 0xFFFF);
        }
        List<TcpOptionSpec> options = List.of();
        Token optAt = in.peek();
        if (optAt.is('<')) {
            options = options();
            if (options == null && dir == PacketSpec.Direction.INBOUND) {
                throw in.error(optAt, "<...> for TCP options can only be used with outbound packets");
            }
        }
        if (window < 0 && dir == PacketSpec.Direction.INBOUND) {
            throw in.error(flagsAt, "window must be specified for inbound packets");
        }
        return new PacketSpec.Tcp(ports[0], ports[1], flags, seq[0], (int) seq[2], ack, window, urg, options);
    }

    /** {@code sport>dport}, or {0, 0} when absent. */
    private int[] ports() {
        if (in.peek().type() == Token.Type.INTEGER && in.peek(1).is('>')) {
            int src = (int) in.expectInt("a source port", 0, 0xFFFF);
            in.next();
            int dst = (int) in.expectInt("a destination port", 0, 0xFFFF);
            return new int[] {src, dst};
        }
        return new int[] {0, 0};
    }

    private String flags() {
        Token t = in.peek();
        String flags;
        if (t.is('.')) {
            in.next();
            flags = ".";
        } else if (t.is('-')) {
            in.next();
            flags = "";
        } else if (t.type() == Token.Type.WORD) {
            in.next();
            flags = t.text();
            if (in.peek().is('.')) {
                in.next();
                flags += ".";
            } else if (in.peek().type() == Token.Type.FLOAT && in.peek().text().startsWith(".")) {
                flags += in.next().text();
            }
        } else if (t.type() == Token.Type.FLOAT && t.text().startsWith(".")) {
            in.next();
            flags = t.text();
        } else {
            throw in.error(t, "expected TCP flags (S, S., ., P., F., R, R. ...), udp or icmp but found " + t.describe());
        }
        boolean ecn = false;
        boolean ace = false;
        for (int i = 0; i < flags.length(); i++) {
            char c = flags.charAt(i);
            if (Character.isDigit(c) && c <= '7') {
                if (ace || ecn) {
                    throw in.error(t, "Conflicting TCP flag: '" + c + "'");
                }
                ace = true;
            } else if (VALID_FLAGS.indexOf(c) < 0) {
                throw in.error(t, "Invalid TCP flag: '" + c + "'");
            } else if (c == 'E' || c == 'W' || c == 'A') {
                if (ace) {
                    throw in.error(t, "Conflicting TCP flag: '" + c + "'");
                }
                ecn = true;
            }
        }
        return flags;
    }

    /** {@code start:end(len)} as {start, end, len}. */
    private long[] seq() {
        Token at = in.peek();
        long start = in.expectInt("a TCP start sequence number (start:end(len))", 0, 0xFFFF_FFFFL);
        in.expectChar(':', "':' in start:end(len)");
        long end = in.expectInt("a TCP end sequence number", 0, 0xFFFF_FFFFL);
        in.expectChar('(', "'(' in start:end(len)");
        long len = in.expectInt("a TCP payload size", 0, 0xFFFF);
        in.expectChar(')', "')' in start:end(len)");
        if (end != start + len) {
            throw in.error(at, "inconsistent TCP sequence numbers and payload size");
        }
        return new long[] {start, end, len};
    }

    /** {@code <...>} (null: options not checked) or {@code <option, ...>}. */
    private List<TcpOptionSpec> options() {
        Token open = in.next();
        if (in.peek().type() == Token.Type.ELLIPSIS) {
            in.next();
            in.expectChar('>', "'>' after <...");
            return null;
        }
        List<TcpOptionSpec> list = new ArrayList<>();
        list.add(option());
        while (in.peek().is(',')) {
            in.next();
            list.add(option());
        }
        in.expectChar('>', "',' or '>' in the TCP options");
        int len = TcpOptionSpec.encodeAll(list).length;
        if (len > 40) {
            throw in.error(open, "TCP option list too long");
        }
        if ((len & 3) != 0) {
            throw in.error(open, "TCP options are not padded correctly to ensure TCP header is a multiple of 4 bytes: "
                    + (len & 3) + " excess bytes");
        }
        return List.copyOf(list);
    }

    private TcpOptionSpec option() {
        Token t = in.next();
        switch (t.type() == Token.Type.WORD ? t.text() : "") {
            case "nop":
                return new TcpOptionSpec.Nop();
            case "eol":
                return new TcpOptionSpec.Eol();
            case "mss":
                return new TcpOptionSpec.Mss((int) in.expectInt("an mss value", 0, 0xFFFF));
            case "wscale":
                return new TcpOptionSpec.WindowScale((int) in.expectInt("a window scale shift count", 0, 0xFF));
            case "sackOK":
                return new TcpOptionSpec.SackPermitted();
            case "sack": {
                List<long[]> blocks = new ArrayList<>();
                do {
                    long l = in.expectInt("a TCP SACK left sequence number", 0, 0xFFFF_FFFFL);
                    in.expectChar(':', "':' in a SACK block");
                    long r = in.expectInt("a TCP SACK right sequence number", 0, 0xFFFF_FFFFL);
                    blocks.add(new long[] {l, r});
                } while (in.peek().type() == Token.Type.INTEGER);
                return new TcpOptionSpec.Sack(List.copyOf(blocks));
            }
            case "TS": {
                in.expectWord("val", "'val' after TS");
                long val = in.expectInt("a ts val", 0, 0xFFFF_FFFFL);
                in.expectWord("ecr", "'ecr' after TS val");
                long ecr = in.expectInt("an ecr val", 0, 0xFFFF_FFFFL);
                return new TcpOptionSpec.Timestamp(val, ecr);
            }
            case "FO":
            case "FOEXP": {
                byte[] cookie = new byte[0];
                Token c = in.peek();
                if (c.type() == Token.Type.WORD || c.type() == Token.Type.INTEGER) {
                    in.next();
                    cookie = hex(c);
                }
                return new TcpOptionSpec.FastOpen(cookie, t.text().equals("FOEXP"));
            }
            default:
                throw in.error(t, "expected a TCP option (nop, eol, mss N, wscale N, sackOK, sack L:R, TS val N ecr N, FO)"
                        + " but found " + t.describe());
        }
    }

    private byte[] hex(Token t) {
        String s = t.text();
        if ((s.length() & 1) != 0) {
            throw in.error(t, "TCP fast open cookie is not a valid hex string");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw in.error(t, "TCP fast open cookie is not a valid hex string");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
