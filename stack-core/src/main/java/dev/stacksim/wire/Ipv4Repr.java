package dev.stacksim.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A parsed, validated IPv4 header (RFC 791): what {@code ip_rcv_core} learns from a datagram and
 * what {@code ip_build_and_send_pkt} / {@code __ip_queue_xmit} put into one.
 *
 * <p>The representation covers the header only. {@link #payloadLen()} says how long the data is,
 * but the data itself belongs to the next layer: {@link #emit} writes the {@link #bufferLen()}
 * header bytes and never touches the payload, which the upper layer has already written (or will
 * write) after the header.
 *
 * <p>Build one with {@link #of} and the {@code with*} methods:
 * <pre>{@code
 * Ipv4Repr ip = Ipv4Repr.of(src, dst, IpProtocol.UDP, udp.bufferLen())
 *         .withIdentification(id).withDontFragment(true);
 * ip.emit(view.wrap(buf, offset, ip.bufferLen()));
 * }</pre>
 *
 * <p>{@code options} holds the raw option bytes (kind, length, data ...), padded with EOL to a
 * multiple of four. The record keeps its own copy and {@link #options()} returns a fresh copy, so
 * no caller can change a representation after it is made.
 *
 * @param src                 source address
 * @param dst                 destination address
 * @param protocol            payload protocol, 0..255 ({@link IpProtocol})
 * @param ttl                 time to live, 0..255
 * @param payloadLen          bytes of data after the header, so total length = header + payload
 * @param identification      the datagram's identification, 0..65535
 * @param dontFragment        the DF flag
 * @param moreFragments       the MF flag
 * @param fragmentOffsetBytes where this fragment's data starts in the original datagram, in bytes
 *                            (a multiple of 8, 0..65528)
 * @param dscp                Differentiated Services codepoint, 0..63 (RFC 2474)
 * @param ecn                 ECN codepoint, 0..3 (RFC 3168)
 * @param options             option bytes, a multiple of 4 and at most 40 long; empty when none
 */
public record Ipv4Repr(Ipv4Address src, Ipv4Address dst, int protocol, int ttl, int payloadLen,
                       int identification, boolean dontFragment, boolean moreFragments,
                       int fragmentOffsetBytes, int dscp, int ecn, byte[] options) {

    private static final byte[] NO_OPTIONS = new byte[0];

    /**
     * Validates every field and copies {@code options}, padding them with EOL bytes to a multiple
     * of four ({@code null} means none). Option lengths are checked as {@link Ipv4Header#checkLen()}
     * checks them, so whatever {@link #emit} writes parses again.
     *
     * @throws IllegalArgumentException naming the field and value that is out of range
     * @throws NullPointerException     when an address is null
     */
    public Ipv4Repr {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        check("protocol", protocol, 0xFF);
        check("ttl", ttl, 0xFF);
        check("id", identification, 0xFFFF);
        check("dscp", dscp, 63);
        check("ecn", ecn, 3);
        check("frag_offset", fragmentOffsetBytes, Ipv4Header.FRAGMENT_OFFSET_MASK * Ipv4Header.FRAGMENT_UNIT);
        if (fragmentOffsetBytes % Ipv4Header.FRAGMENT_UNIT != 0) {
            throw new IllegalArgumentException("ipv4: frag_offset=" + fragmentOffsetBytes + " not a multiple of 8");
        }
        options = padOptions(options);
        check("payload_len", payloadLen, Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.HEADER_LEN - options.length);
    }

    /**
     * A header with Linux's defaults: TTL 64, identification 0, no flags, no fragment offset,
     * DSCP and ECN zero, no options.
     */
    public static Ipv4Repr of(Ipv4Address src, Ipv4Address dst, int protocol, int payloadLen) {
        return new Ipv4Repr(src, dst, protocol, Ipv4Header.DEFAULT_TTL, payloadLen, 0, false, false, 0, 0, 0, null);
    }

    /** Parses and validates the header, verifying its checksum: {@code parse(view, true)}. */
    public static Ipv4Repr parse(Ipv4Header view) throws MalformedPacketException {
        return parse(view, true);
    }

    /**
     * Parses the header the view was wrapped over: {@link Ipv4Header#checkLen()}, then the
     * checksum when {@code verifyChecksum} (a device with receive checksum offload, or loopback,
     * passes false, as Linux trusts {@code CHECKSUM_UNNECESSARY}). The payload length comes from
     * the total length field, so link-layer padding after the datagram is not counted.
     *
     * @throws MalformedPacketException as {@code checkLen()} does, or BAD_CHECKSUM
     */
    public static Ipv4Repr parse(Ipv4Header view, boolean verifyChecksum) throws MalformedPacketException {
        view.checkLen();
        if (verifyChecksum) {
            int sum = Checksum.sum(view.buffer(), view.offset(), view.headerLen());
            if (!Checksum.verify(sum)) {
                int field = view.headerChecksum();
                throw new MalformedPacketException(MalformedReason.BAD_CHECKSUM,
                        "ipv4: check=0x" + Integer.toHexString(field) + " computed=0x"
                                + Integer.toHexString(Checksum.finish(Checksum.combine(sum, ~field & 0xFFFF))));
            }
        }
        byte[] options = NO_OPTIONS;
        int optionsLen = view.optionsLen();
        if (optionsLen > 0) {
            options = new byte[optionsLen];
            view.buffer().getBytes(view.optionsOffset(), options);
        }
        return new Ipv4Repr(Ipv4Address.of(view.srcAddr()), Ipv4Address.of(view.dstAddr()), view.protocol(),
                view.ttl(), view.payloadLen(), view.identification(), view.dontFragment(), view.moreFragments(),
                view.fragmentOffsetBytes(), view.dscp(), view.ecn(), options);
    }

    /** The header length: 20 plus the (padded) options. */
    public int headerLen() {
        return Ipv4Header.HEADER_LEN + options.length;
    }

    /**
     * The bytes {@link #emit} writes: the header only, {@link #headerLen()}. The payload that
     * follows is the next layer's.
     */
    public int bufferLen() {
        return headerLen();
    }

    /** The total length field this header carries: header plus payload. */
    public int totalLength() {
        return headerLen() + payloadLen;
    }

    /**
     * Writes the header into the view's first {@link #bufferLen()} bytes and fills the checksum
     * ({@code ip_send_check}). The reserved flag is written as zero. The payload is not touched.
     *
     * @throws IllegalArgumentException when the view covers fewer than {@link #bufferLen()} bytes
     */
    public void emit(Ipv4Header view) {
        int headerLen = headerLen();
        if (view.length() < headerLen) {
            throw new IllegalArgumentException("ipv4 emit: len=" + view.length() + " bufferLen=" + headerLen);
        }
        int fragOff = fragmentOffsetBytes / Ipv4Header.FRAGMENT_UNIT
                | (dontFragment ? Ipv4Header.FLAG_DF : 0)
                | (moreFragments ? Ipv4Header.FLAG_MF : 0);
        view.buffer().setByte(view.offset() + Ipv4Header.VERSION_IHL_OFFSET,
                Ipv4Header.VERSION << 4 | headerLen / 4);
        view.setTos(dscp << 2 | ecn)
                .setTotalLength(totalLength())
                .setIdentification(identification)
                .setFragOff(fragOff)
                .setTtl(ttl)
                .setProtocol(protocol)
                .setSrcAddr(src.toInt())
                .setDstAddr(dst.toInt());
        if (options.length > 0) {
            view.buffer().setBytes(view.optionsOffset(), options);
        }
        view.fillChecksum();
    }

    /** A copy of the option bytes (padded to a multiple of 4); empty when there are none. */
    @Override
    public byte[] options() {
        return options.length == 0 ? NO_OPTIONS : options.clone();
    }

    /** The number of option bytes, without copying them. */
    public int optionsLen() {
        return options.length;
    }

    /** True when the datagram is a fragment (MF set or a nonzero offset). */
    public boolean isFragment() {
        return moreFragments || fragmentOffsetBytes != 0;
    }

    /** This header with another source address. */
    public Ipv4Repr withSrc(Ipv4Address newSrc) {
        return new Ipv4Repr(newSrc, dst, protocol, ttl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with another destination address. */
    public Ipv4Repr withDst(Ipv4Address newDst) {
        return new Ipv4Repr(src, newDst, protocol, ttl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with another time to live. */
    public Ipv4Repr withTtl(int newTtl) {
        return new Ipv4Repr(src, dst, protocol, newTtl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with another payload length. */
    public Ipv4Repr withPayloadLen(int newPayloadLen) {
        return new Ipv4Repr(src, dst, protocol, ttl, newPayloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with another identification. */
    public Ipv4Repr withIdentification(int newIdentification) {
        return new Ipv4Repr(src, dst, protocol, ttl, payloadLen, newIdentification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with the DF flag set or cleared. */
    public Ipv4Repr withDontFragment(boolean newDontFragment) {
        return new Ipv4Repr(src, dst, protocol, ttl, payloadLen, identification, newDontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header as a fragment: the MF flag and the offset of its data in bytes (a multiple of 8). */
    public Ipv4Repr withFragment(boolean newMoreFragments, int newFragmentOffsetBytes) {
        return new Ipv4Repr(src, dst, protocol, ttl, payloadLen, identification, dontFragment, newMoreFragments,
                newFragmentOffsetBytes, dscp, ecn, options);
    }

    /** This header with another DSCP (0..63) and ECN codepoint (0..3). */
    public Ipv4Repr withDscpEcn(int newDscp, int newEcn) {
        return new Ipv4Repr(src, dst, protocol, ttl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, newDscp, newEcn, options);
    }

    /** This header with other option bytes (copied, padded with EOL to a multiple of 4; null for none). */
    public Ipv4Repr withOptions(byte[] newOptions) {
        return new Ipv4Repr(src, dst, protocol, ttl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn, newOptions);
    }

    /** Equal when every field is, options compared by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Ipv4Repr)) {
            return false;
        }
        Ipv4Repr r = (Ipv4Repr) o;
        return src.equals(r.src) && dst.equals(r.dst) && protocol == r.protocol && ttl == r.ttl
                && payloadLen == r.payloadLen && identification == r.identification
                && dontFragment == r.dontFragment && moreFragments == r.moreFragments
                && fragmentOffsetBytes == r.fragmentOffsetBytes && dscp == r.dscp && ecn == r.ecn
                && Arrays.equals(options, r.options);
    }

    /** A hash over every field, options by content. */
    @Override
    public int hashCode() {
        int h = Objects.hash(src, dst, protocol, ttl, payloadLen, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, dscp, ecn);
        return 31 * h + Arrays.hashCode(options);
    }

    /** Every field, options in hex. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(160);
        sb.append("Ipv4Repr[src=").append(src).append(", dst=").append(dst)
                .append(", protocol=").append(protocol).append(", ttl=").append(ttl)
                .append(", payloadLen=").append(payloadLen).append(", identification=").append(identification)
                .append(", dontFragment=").append(dontFragment).append(", moreFragments=").append(moreFragments)
                .append(", fragmentOffsetBytes=").append(fragmentOffsetBytes)
                .append(", dscp=").append(dscp).append(", ecn=").append(ecn).append(", options=");
        for (byte b : options) {
            sb.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.append(']').toString();
    }

    private static byte[] padOptions(byte[] options) {
        if (options == null || options.length == 0) {
            return NO_OPTIONS;
        }
        if (options.length > Ipv4Header.MAX_OPTIONS_LEN) {
            throw new IllegalArgumentException("ipv4: options_len=" + options.length + " > 40");
        }
        checkOptionLengths(options);
        // Arrays.copyOf pads with zero bytes, which are EOL.
        return Arrays.copyOf(options, (options.length + 3) & ~3);
    }

    /** The walk of {@link Ipv4Header#checkLen()}, so that what {@link #emit} writes always parses. */
    private static void checkOptionLengths(byte[] options) {
        int at = 0;
        while (at < options.length) {
            int kind = options[at] & 0xFF;
            if (kind == Ipv4Option.EOL) {
                return;
            }
            if (kind == Ipv4Option.NOP) {
                at++;
                continue;
            }
            int optionLen = at + 1 < options.length ? options[at + 1] & 0xFF : -1;
            if (optionLen < 2 || at + optionLen > options.length) {
                throw new IllegalArgumentException("ipv4: option kind=" + kind + " at=" + at + " optlen=" + optionLen
                        + " options_len=" + options.length);
            }
            at += optionLen;
        }
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("ipv4: " + field + "=" + value + " not in 0.." + max);
        }
    }
}
