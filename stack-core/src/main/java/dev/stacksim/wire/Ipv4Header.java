package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A flyweight view of an IPv4 header (RFC 791 section 3.1) over a {@link ByteBuf}, the
 * {@code struct iphdr} of {@code include/uapi/linux/ip.h}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |R|D|M|     Fragment Offset     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |        Header Checksum        |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source Address                         | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Destination Address                       | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Options (0 to 40 bytes)         |    Padding    | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   R = reserved (must be zero), D = Don't Fragment, M = More Fragments
 * </pre>
 *
 * <p>The second byte was RFC 791's "type of service"; RFC 2474 split it into the 6-bit DSCP and
 * RFC 3168 gave the low two bits to ECN. {@link #tos()} reads the whole byte as tcpdump prints it.
 * IHL counts 32-bit words (5..15, so the header is 20..60 bytes); the fragment offset counts
 * 8-byte units, so accessors say which unit they use ({@link #fragmentOffsetBytes()} vs
 * {@link #fragmentOffsetUnits()}).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Ipv4Header ip = new Ipv4Header();            // one per event loop, reused for every packet
 * ip.wrap(buf, offset, length);                // the bytes from the IP header to the frame's end
 * ip.checkLen();                               // throws MalformedPacketException
 * if (!ip.verifyChecksum()) { ... }
 * int proto = ip.protocol();                   // no accessor fails after checkLen()
 * }</pre>
 *
 * <p>A received frame may carry Ethernet padding after the datagram (a 28-byte ICMP echo in a
 * 60-byte minimum frame): the view's {@code length} may exceed {@link #totalLength()}. Everything
 * here measures by the total length; the input path trims the skb to it, as {@code ip_rcv_core}
 * does with {@code pskb_trim_rcsum}.
 *
 * <h2>Options</h2>
 * Options are iterated without allocation by their absolute buffer index:
 * <pre>{@code
 * for (int at = ip.firstOption(); at != Ipv4Header.NO_OPTION; at = ip.nextOption(at)) {
 *     int kind = ip.optionKind(at);      // Ipv4Option.RR ...
 *     int len = ip.optionLength(at);     // 1 for EOL and NOP, else the option's length byte
 * }
 * }</pre>
 * {@link #checkLen()} validates every option length up to the first EOL, as
 * {@code ip_options_compile} does; the bytes after an EOL are padding and never read. Option
 * contents (route pointers, timestamp overflow) are the IP layer's to judge.
 *
 * <p>{@link #toString()} prints as {@code tcpdump -v} does: {@code IP (tos 0x0, ttl 64, id 1,
 * offset 0, flags [DF], proto TCP (6), length 60) 10.0.0.1 > 10.0.0.2}. Record-route style options
 * print their addresses as tcpdump does; other options print their name only.
 */
public final class Ipv4Header extends WireView {
    /** Offset of the version (high nibble) and IHL (low nibble) byte. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the DSCP/ECN byte, RFC 791's type of service ({@code iphdr.tos}). */
    public static final int TOS_OFFSET = 1;
    /** Offset of the 16-bit total length: header plus data, in bytes ({@code iphdr.tot_len}). */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the 16-bit identification ({@code iphdr.id}). */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the 16-bit flags and fragment offset word ({@code iphdr.frag_off}). */
    public static final int FRAG_OFF_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol number ({@link IpProtocol}). */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the 16-bit header checksum ({@code iphdr.check}). */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SRC_ADDR_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DST_ADDR_OFFSET = 16;
    /** Offset of the first option byte, when IHL is above 5. */
    public static final int OPTIONS_OFFSET = 20;

    /** The only version this view accepts. */
    public static final int VERSION = 4;
    /** The length of a header without options: IHL 5. */
    public static final int HEADER_LEN = 20;
    /** The longest header: IHL 15. */
    public static final int MAX_HEADER_LEN = 60;
    /** The most option bytes a header can carry. */
    public static final int MAX_OPTIONS_LEN = MAX_HEADER_LEN - HEADER_LEN;
    /** The largest value of the total length field. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** Linux's {@code net.ipv4.ip_default_ttl}. */
    public static final int DEFAULT_TTL = 64;
    /** The fragment offset field counts units of this many bytes. */
    public static final int FRAGMENT_UNIT = 8;

    /** Reserved flag bit of the {@code frag_off} word; RFC 791 says zero (Linux calls it {@code IP_CE}). */
    public static final int FLAG_RESERVED = 0x8000;
    /** Don't Fragment ({@code IP_DF}). */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments: set on every fragment but the last ({@code IP_MF}). */
    public static final int FLAG_MF = 0x2000;
    /** The fragment offset bits of the {@code frag_off} word, in 8-byte units ({@code IP_OFFSET}). */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    /** ECN codepoint: not ECN-capable transport (RFC 3168 section 5). */
    public static final int ECN_NOT_ECT = 0;
    /** ECN codepoint ECT(1). */
    public static final int ECN_ECT1 = 1;
    /** ECN codepoint ECT(0). */
    public static final int ECN_ECT0 = 2;
    /** ECN codepoint CE: congestion experienced. */
    public static final int ECN_CE = 3;

    /** What {@link #firstOption()} and {@link #nextOption(int)} return when there is no option. */
    public static final int NO_OPTION = -1;

    /**
     * Points this view at {@code length} bytes of {@code buf} from {@code offset}. Checks nothing;
     * call {@link #checkLen()} before reading a received packet.
     *
     * @return this view
     */
    public Ipv4Header wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies that every field lies within the wrapped bytes, the checks of {@code ip_rcv_core}
     * and {@code ip_options_compile}: at least 20 bytes, version 4, IHL at least 5, header within
     * the bytes and within the total length, total length within the bytes, and every option
     * length byte at least 2 and inside the header. After it passes no accessor fails.
     *
     * @throws MalformedPacketException TRUNCATED, BAD_VERSION, BAD_IHL, BAD_LENGTH or
     *                                  BAD_OPTION_LENGTH, with the numbers
     */
    public void checkLen() throws MalformedPacketException {
        if (length < HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED, "ipv4: len=" + length);
        }
        int version = version();
        if (version != VERSION) {
            throw new MalformedPacketException(MalformedReason.BAD_VERSION,
                    "ipv4: version=" + version + " len=" + length);
        }
        int ihl = ihl();
        if (ihl < 5) {
            throw new MalformedPacketException(MalformedReason.BAD_IHL, "ipv4: ihl=" + ihl + " len=" + length);
        }
        int headerLen = ihl * 4;
        if (headerLen > length) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "ipv4: ihl=" + ihl + " hdrlen=" + headerLen + " len=" + length);
        }
        int totalLength = totalLength();
        if (totalLength < headerLen) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "ipv4: tot_len=" + totalLength + " hdrlen=" + headerLen);
        }
        if (totalLength > length) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "ipv4: tot_len=" + totalLength + " len=" + length);
        }
        checkOptions(offset + HEADER_LEN, offset + headerLen);
    }

    private void checkOptions(int start, int end) throws MalformedPacketException {
        int at = start;
        while (at < end) {
            int kind = buf.getUnsignedByte(at);
            if (kind == Ipv4Option.EOL) {
                return;
            }
            if (kind == Ipv4Option.NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                throw new MalformedPacketException(MalformedReason.BAD_OPTION_LENGTH,
                        "ipv4: option kind=" + kind + " at=" + (at - offset) + " has no length byte, options end="
                                + (end - offset));
            }
            int optionLen = buf.getUnsignedByte(at + 1);
            if (optionLen < 2 || at + optionLen > end) {
                throw new MalformedPacketException(MalformedReason.BAD_OPTION_LENGTH,
                        "ipv4: option kind=" + kind + " at=" + (at - offset) + " optlen=" + optionLen
                                + " options end=" + (end - offset));
            }
            at += optionLen;
        }
    }

    /** The version field (4 for IPv4). */
    public int version() {
        return buf.getUnsignedByte(offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Sets the version nibble (0..15). */
    public Ipv4Header setVersion(int version) {
        checkRange("version", version, 15);
        int b = buf.getUnsignedByte(offset + VERSION_IHL_OFFSET);
        buf.setByte(offset + VERSION_IHL_OFFSET, (version << 4) | (b & 0x0F));
        return this;
    }

    /** The Internet Header Length in 32-bit words (5..15 in a valid header). */
    public int ihl() {
        return buf.getUnsignedByte(offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Sets the IHL nibble (0..15 words). */
    public Ipv4Header setIhl(int ihl) {
        checkRange("ihl", ihl, 15);
        int b = buf.getUnsignedByte(offset + VERSION_IHL_OFFSET);
        buf.setByte(offset + VERSION_IHL_OFFSET, (b & 0xF0) | ihl);
        return this;
    }

    /** The header length in bytes, {@code ihl() * 4}. */
    public int headerLen() {
        return ihl() * 4;
    }

    /** The whole second byte, DSCP and ECN together (RFC 791's type of service), as tcpdump prints it. */
    public int tos() {
        return buf.getUnsignedByte(offset + TOS_OFFSET);
    }

    /** Sets the whole second byte (0..255). */
    public Ipv4Header setTos(int tos) {
        checkRange("tos", tos, 0xFF);
        buf.setByte(offset + TOS_OFFSET, tos);
        return this;
    }

    /** The Differentiated Services codepoint, the top six bits of the second byte (RFC 2474). */
    public int dscp() {
        return tos() >>> 2;
    }

    /** Sets the DSCP (0..63), keeping the ECN bits. */
    public Ipv4Header setDscp(int dscp) {
        checkRange("dscp", dscp, 63);
        return setTos((dscp << 2) | ecn());
    }

    /** The ECN codepoint, the low two bits of the second byte (RFC 3168): {@link #ECN_CE} etc. */
    public int ecn() {
        return tos() & 0x03;
    }

    /** Sets the ECN codepoint (0..3), keeping the DSCP. */
    public Ipv4Header setEcn(int ecn) {
        checkRange("ecn", ecn, 3);
        return setTos((tos() & 0xFC) | ecn);
    }

    /** The total length of the datagram in bytes, header plus data. */
    public int totalLength() {
        return buf.getUnsignedShort(offset + TOTAL_LENGTH_OFFSET);
    }

    /** Sets the total length (0..65535). */
    public Ipv4Header setTotalLength(int totalLength) {
        checkRange("tot_len", totalLength, MAX_TOTAL_LENGTH);
        buf.setShort(offset + TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    /** The identification: the fragments of one datagram share it. */
    public int identification() {
        return buf.getUnsignedShort(offset + IDENTIFICATION_OFFSET);
    }

    /** Sets the identification (0..65535). */
    public Ipv4Header setIdentification(int identification) {
        checkRange("id", identification, 0xFFFF);
        buf.setShort(offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The raw {@code frag_off} word: three flag bits over the 13-bit offset in 8-byte units. */
    public int fragOff() {
        return buf.getUnsignedShort(offset + FRAG_OFF_OFFSET);
    }

    /** Sets the raw {@code frag_off} word (flags and offset together, 0..65535). */
    public Ipv4Header setFragOff(int fragOff) {
        checkRange("frag_off", fragOff, 0xFFFF);
        buf.setShort(offset + FRAG_OFF_OFFSET, fragOff);
        return this;
    }

    /** The reserved flag bit (RFC 3514's "evil bit"); a well-behaved sender leaves it zero. */
    public boolean reservedFlag() {
        return (fragOff() & FLAG_RESERVED) != 0;
    }

    /** Sets or clears the reserved flag bit. */
    public Ipv4Header setReservedFlag(boolean set) {
        return setFlag(FLAG_RESERVED, set);
    }

    /** The Don't Fragment flag: routers must drop rather than fragment (and send ICMP frag-needed). */
    public boolean dontFragment() {
        return (fragOff() & FLAG_DF) != 0;
    }

    /** Sets or clears Don't Fragment. */
    public Ipv4Header setDontFragment(boolean set) {
        return setFlag(FLAG_DF, set);
    }

    /** The More Fragments flag: set on every fragment but the last. */
    public boolean moreFragments() {
        return (fragOff() & FLAG_MF) != 0;
    }

    /** Sets or clears More Fragments. */
    public Ipv4Header setMoreFragments(boolean set) {
        return setFlag(FLAG_MF, set);
    }

    /** The fragment offset as it stands in the field, in 8-byte units (0..8191). */
    public int fragmentOffsetUnits() {
        return fragOff() & FRAGMENT_OFFSET_MASK;
    }

    /** Sets the fragment offset in 8-byte units (0..8191), keeping the flags. */
    public Ipv4Header setFragmentOffsetUnits(int units) {
        checkRange("frag_units", units, FRAGMENT_OFFSET_MASK);
        return setFragOff((fragOff() & ~FRAGMENT_OFFSET_MASK) | units);
    }

    /** The fragment offset in bytes: where this fragment's data sits in the original datagram. */
    public int fragmentOffsetBytes() {
        return fragmentOffsetUnits() * FRAGMENT_UNIT;
    }

    /**
     * Sets the fragment offset in bytes, keeping the flags.
     *
     * @throws IllegalArgumentException unless {@code bytes} is a multiple of 8 in 0..65528
     */
    public Ipv4Header setFragmentOffsetBytes(int bytes) {
        if (bytes % FRAGMENT_UNIT != 0) {
            throw new IllegalArgumentException("ipv4: frag_offset=" + bytes + " not a multiple of 8");
        }
        checkRange("frag_offset", bytes, FRAGMENT_OFFSET_MASK * FRAGMENT_UNIT);
        return setFragmentOffsetUnits(bytes / FRAGMENT_UNIT);
    }

    /** True when this datagram is a fragment: More Fragments set or a nonzero offset ({@code ip_is_fragment}). */
    public boolean isFragment() {
        return (fragOff() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** The time to live: hops left before a router drops the datagram. */
    public int ttl() {
        return buf.getUnsignedByte(offset + TTL_OFFSET);
    }

    /** Sets the time to live (0..255). */
    public Ipv4Header setTtl(int ttl) {
        checkRange("ttl", ttl, 0xFF);
        buf.setByte(offset + TTL_OFFSET, ttl);
        return this;
    }

    /** The protocol of the payload ({@link IpProtocol}). */
    public int protocol() {
        return buf.getUnsignedByte(offset + PROTOCOL_OFFSET);
    }

    /** Sets the protocol (0..255). */
    public Ipv4Header setProtocol(int protocol) {
        checkRange("protocol", protocol, 0xFF);
        buf.setByte(offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    /** The header checksum as it stands in the field. */
    public int headerChecksum() {
        return buf.getUnsignedShort(offset + CHECKSUM_OFFSET);
    }

    /** Sets the header checksum field (0..65535); see {@link #fillChecksum()}. */
    public Ipv4Header setHeaderChecksum(int checksum) {
        checkRange("check", checksum, 0xFFFF);
        buf.setShort(offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** The source address bits ({@code 10.0.0.1} is {@code 0x0A000001}); see {@link Ipv4Address#of(int)}. */
    public int srcAddr() {
        return buf.getInt(offset + SRC_ADDR_OFFSET);
    }

    /** Sets the source address bits. */
    public Ipv4Header setSrcAddr(int addr) {
        buf.setInt(offset + SRC_ADDR_OFFSET, addr);
        return this;
    }

    /** The destination address bits. */
    public int dstAddr() {
        return buf.getInt(offset + DST_ADDR_OFFSET);
    }

    /** Sets the destination address bits. */
    public Ipv4Header setDstAddr(int addr) {
        buf.setInt(offset + DST_ADDR_OFFSET, addr);
        return this;
    }

    /** The absolute buffer index of the first option byte (whether or not there are options). */
    public int optionsOffset() {
        return offset + OPTIONS_OFFSET;
    }

    /** The number of option bytes, padding included: {@code headerLen() - 20}. */
    public int optionsLen() {
        return headerLen() - HEADER_LEN;
    }

    /** The absolute buffer index of the first option, or {@link #NO_OPTION} when the header has none. */
    public int firstOption() {
        return headerLen() > HEADER_LEN ? offset + OPTIONS_OFFSET : NO_OPTION;
    }

    /**
     * The absolute buffer index of the option after the one at {@code at}, or {@link #NO_OPTION}
     * after an EOL or the last option. {@code at} must come from {@link #firstOption()} or this
     * method, on a view that passed {@link #checkLen()}.
     */
    public int nextOption(int at) {
        if (optionKind(at) == Ipv4Option.EOL) {
            return NO_OPTION;
        }
        int next = at + optionLength(at);
        return next > at && next < offset + headerLen() ? next : NO_OPTION;
    }

    /** The kind byte of the option at absolute index {@code at} ({@link Ipv4Option#RR} ...). */
    public int optionKind(int at) {
        return buf.getUnsignedByte(at);
    }

    /**
     * The length of the option at absolute index {@code at} in bytes, kind and length bytes
     * included: 1 for EOL and NOP, otherwise the option's length byte. Its data starts at
     * {@code at + 2}.
     */
    public int optionLength(int at) {
        int kind = buf.getUnsignedByte(at);
        if (kind == Ipv4Option.EOL || kind == Ipv4Option.NOP) {
            return 1;
        }
        return buf.getUnsignedByte(at + 1);
    }

    /** The absolute buffer index of the payload, just after the header and its options. */
    public int payloadOffset() {
        return offset + headerLen();
    }

    /** The payload length from the header: {@code totalLength() - headerLen()}, link padding excluded. */
    public int payloadLen() {
        return totalLength() - headerLen();
    }

    /** True when the header checksum verifies over the {@link #headerLen()} bytes (RFC 1071). */
    public boolean verifyChecksum() {
        return Checksum.verify(Checksum.sum(buf, offset, headerLen()));
    }

    /** Computes the header checksum over {@link #headerLen()} bytes and stores it ({@code ip_send_check}). */
    public Ipv4Header fillChecksum() {
        setHeaderChecksum(0);
        return setHeaderChecksum(Checksum.compute(buf, offset, headerLen()));
    }

    /**
     * Writes a whole header without options (IHL 5) at the view's offset, its checksum included,
     * as three big-endian stores: what {@code __ip_queue_xmit} fills field by field, for the
     * output path of every locally sent datagram. The checksum is summed from the values, not
     * read back. Same bytes as the setters followed by {@link #fillChecksum()}
     * ({@code Ipv4HeaderTest} checks both ways against each other).
     *
     * @param tos            the DSCP/ECN byte
     * @param totalLength    header plus data, in bytes
     * @param identification the 16-bit identification
     * @param fragOff        the flags and fragment offset word ({@link #FLAG_DF} ...)
     * @param ttl            the time to live
     * @param protocol       the protocol number
     * @param srcAddr        the source address bits
     * @param dstAddr        the destination address bits
     * @return this view
     * @throws IndexOutOfBoundsException (the buffer's) when 20 bytes do not fit at the offset
     */
    public Ipv4Header emitBasic(int tos, int totalLength, int identification, int fragOff, int ttl, int protocol,
                                int srcAddr, int dstAddr) {
        int w0 = VERSION << 12 | (HEADER_LEN / 4) << 8 | (tos & 0xFF);
        int w4 = (ttl & 0xFF) << 8 | (protocol & 0xFF);
        int sum = w0 + (totalLength & 0xFFFF) + (identification & 0xFFFF) + (fragOff & 0xFFFF) + w4
                + (srcAddr >>> 16) + (srcAddr & 0xFFFF) + (dstAddr >>> 16) + (dstAddr & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        int check = ~sum & 0xFFFF;
        buf.setLong(offset, (long) w0 << 48 | (long) (totalLength & 0xFFFF) << 32
                | (long) (identification & 0xFFFF) << 16 | (fragOff & 0xFFFF));
        buf.setLong(offset + TTL_OFFSET, (long) w4 << 48 | (long) check << 32 | (srcAddr & 0xFFFF_FFFFL));
        buf.setInt(offset + DST_ADDR_OFFSET, dstAddr);
        return this;
    }

    /**
     * The header as {@code tcpdump -v} prints it: {@code IP (tos 0x0, ttl 64, id 1, offset 0,
     * flags [DF], proto TCP (6), length 60) 10.0.0.1 > 10.0.0.2}, with {@code , options (...)}
     * and {@code , bad cksum f730 (->f731)!} when they apply. Never throws, even on a view that
     * fails {@link #checkLen()}.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "IP [unwrapped]";
        }
        if (length < HEADER_LEN) {
            return "IP [|ip] len=" + length;
        }
        if (version() != VERSION) {
            return "IP [bad version " + version() + "] len=" + length;
        }
        int headerLen = headerLen();
        if (headerLen < HEADER_LEN) {
            return "IP [bad-hlen " + headerLen + "] len=" + length;
        }
        StringBuilder sb = new StringBuilder(128);
        int tos = tos();
        sb.append("IP (tos 0x").append(Integer.toHexString(tos));
        switch (tos & 0x03) {
            case ECN_ECT1: sb.append(",ECT(1)"); break;
            case ECN_ECT0: sb.append(",ECT(0)"); break;
            case ECN_CE: sb.append(",CE"); break;
            default: break;
        }
        sb.append(", ttl ").append(ttl())
                .append(", id ").append(identification())
                .append(", offset ").append(fragmentOffsetBytes())
                .append(", flags [");
        appendFlags(sb);
        int protocol = protocol();
        String name = IpProtocol.name(protocol);
        sb.append("], proto ").append(name.startsWith("proto-") ? "unknown" : name)
                .append(" (").append(protocol).append("), length ").append(totalLength());
        if (headerLen > HEADER_LEN) {
            sb.append(", options (");
            Ipv4Option.print(sb, buf, offset + HEADER_LEN, offset + Math.min(headerLen, length));
            sb.append(')');
        }
        if (headerLen <= length) {
            int sum = Checksum.sum(buf, offset, headerLen);
            if (!Checksum.verify(sum)) {
                int field = headerChecksum();
                int shouldBe = Checksum.finish(Checksum.combine(sum, ~field & 0xFFFF));
                sb.append(", bad cksum ").append(Integer.toHexString(field))
                        .append(" (->").append(Integer.toHexString(shouldBe)).append(")!");
            }
        }
        sb.append(") ").append(Ipv4Address.toString(srcAddr()))
                .append(" > ").append(Ipv4Address.toString(dstAddr()));
        return sb.toString();
    }

    private void appendFlags(StringBuilder sb) {
        int fragOff = fragOff();
        int before = sb.length();
        if ((fragOff & FLAG_MF) != 0) {
            sb.append('+');
        }
        if ((fragOff & FLAG_DF) != 0) {
            sb.append(sb.length() > before ? ", " : "").append("DF");
        }
        if ((fragOff & FLAG_RESERVED) != 0) {
            sb.append(sb.length() > before ? ", " : "").append("rsvd");
        }
        if (sb.length() == before) {
            sb.append("none");
        }
    }

    private Ipv4Header setFlag(int flag, boolean set) {
        int fragOff = fragOff();
        return setFragOff(set ? fragOff | flag : fragOff & ~flag);
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("ipv4: " + field + "=" + value + " not in 0.." + max);
        }
    }
}
