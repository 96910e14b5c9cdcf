package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A flyweight view of a UDP header (RFC 768) over a {@link ByteBuf}, the {@code struct udphdr} of
 * {@code include/uapi/linux/udp.h}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          data ...                             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The length field counts header and data. The checksum covers the pseudo-header (source and
 * destination address, zero, protocol 17, UDP length), the header and the data; a checksum field
 * of zero means the sender computed none, so a computed zero is sent as {@code 0xFFFF} (RFC 768).
 *
 * <p>Wrap the view over the IP payload: {@code wrap(buf, ip.payloadOffset(), ip.payloadLen())}. A
 * UDP length shorter than that is legal (the rest is trimmed, as {@code __udp4_lib_rcv} does with
 * {@code pskb_trim_rcsum}); a longer one is not. Once {@link #checkLen()} has passed, no accessor
 * fails.
 *
 * <p>{@link #toString()} prints the ports and tcpdump's summary: {@code 57435 > 9501: UDP, length 6},
 * where the length is the data's, as tcpdump counts it.
 */
public final class UdpHeader extends WireView {
    /** Offset of the source port. */
    public static final int SRC_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DST_PORT_OFFSET = 2;
    /** Offset of the length field: header plus data ({@code udphdr.len}). */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Offset of the data. */
    public static final int PAYLOAD_OFFSET = 8;

    /** The length of the header. */
    public static final int HEADER_LEN = 8;
    /** The checksum field value that means "no checksum was computed". */
    public static final int NO_CHECKSUM = 0;

    /**
     * Points this view at {@code length} bytes of {@code buf} from {@code offset} (the IP payload).
     * Checks nothing; call {@link #checkLen()} before reading a received datagram.
     *
     * @return this view
     */
    public UdpHeader wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies the header is there and its length field is sane, as {@code __udp4_lib_rcv} does:
     * at least 8 bytes, and a length field of at least 8 and at most the bytes there are.
     *
     * @throws MalformedPacketException TRUNCATED under 8 bytes, BAD_LENGTH for the length field
     */
    public void checkLen() throws MalformedPacketException {
        if (length < HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED, "udp: len=" + length);
        }
        int datagramLength = datagramLength();
        if (datagramLength < HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH, "udp: ulen=" + datagramLength);
        }
        if (datagramLength > length) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "udp: ulen=" + datagramLength + " len=" + length);
        }
    }

    /** The source port. */
    public int srcPort() {
        return buf.getUnsignedShort(offset + SRC_PORT_OFFSET);
    }

    /** Sets the source port (0..65535). */
    public UdpHeader setSrcPort(int port) {
        checkRange("sport", port, 0xFFFF);
        buf.setShort(offset + SRC_PORT_OFFSET, port);
        return this;
    }

    /** The destination port. */
    public int dstPort() {
        return buf.getUnsignedShort(offset + DST_PORT_OFFSET);
    }

    /** Sets the destination port (0..65535). */
    public UdpHeader setDstPort(int port) {
        checkRange("dport", port, 0xFFFF);
        buf.setShort(offset + DST_PORT_OFFSET, port);
        return this;
    }

    /** The length field: header plus data, in bytes ({@code udphdr.len}). */
    public int datagramLength() {
        return buf.getUnsignedShort(offset + LENGTH_OFFSET);
    }

    /** Sets the length field (0..65535). */
    public UdpHeader setDatagramLength(int datagramLength) {
        checkRange("ulen", datagramLength, 0xFFFF);
        buf.setShort(offset + LENGTH_OFFSET, datagramLength);
        return this;
    }

    /** The checksum as it stands in the field; {@link #NO_CHECKSUM} when the sender computed none. */
    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM_OFFSET);
    }

    /** Sets the checksum field (0..65535); see {@link #fillChecksum(int, int)}. */
    public UdpHeader setChecksum(int checksum) {
        checkRange("check", checksum, 0xFFFF);
        buf.setShort(offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** The absolute buffer index of the data. */
    public int payloadOffset() {
        return offset + PAYLOAD_OFFSET;
    }

    /** The data length from the length field: {@code datagramLength() - 8}. */
    public int payloadLen() {
        return datagramLength() - HEADER_LEN;
    }

    /**
     * The folded one's complement sum over pseudo-header, header and data (the length field's
     * bytes), the checksum field as it stands.
     */
    private int sum(int srcAddr, int dstAddr) {
        int datagramLength = datagramLength();
        return Checksum.combine(Checksum.pseudoHeader(srcAddr, dstAddr, IpProtocol.UDP, datagramLength),
                Checksum.sum(buf, offset, datagramLength));
    }

    /**
     * True when the checksum verifies with the pseudo-header of {@code srcAddr} and
     * {@code dstAddr}, or when the field is zero (no checksum was sent).
     */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        return checksum() == NO_CHECKSUM || Checksum.verify(sum(srcAddr, dstAddr));
    }

    /**
     * Computes the checksum over pseudo-header, header and {@link #payloadLen()} bytes of data and
     * stores it, a computed zero as {@code 0xFFFF} (RFC 768; {@code udp4_hwcsum}'s
     * {@code CSUM_MANGLED_0}). The length field must already be set.
     */
    public UdpHeader fillChecksum(int srcAddr, int dstAddr) {
        setChecksum(0);
        int checksum = Checksum.finish(sum(srcAddr, dstAddr));
        return setChecksum(checksum == 0 ? 0xFFFF : checksum);
    }

    /**
     * The ports and tcpdump's summary: {@code 57435 > 9501: UDP, length 6} (the data length), or
     * tcpdump's complaints about a bad length field. Never throws, even on a view that fails
     * {@link #checkLen()}.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "UDP [unwrapped]";
        }
        if (length < HEADER_LEN) {
            return "UDP [|udp] len=" + length;
        }
        StringBuilder sb = new StringBuilder(48)
                .append(srcPort()).append(" > ").append(dstPort()).append(": UDP, ");
        int datagramLength = datagramLength();
        if (datagramLength < HEADER_LEN) {
            sb.append("truncated-udplength ").append(datagramLength);
        } else if (datagramLength > length) {
            sb.append("bad length ").append(datagramLength).append(" > ").append(length);
        } else {
            sb.append("length ").append(datagramLength - HEADER_LEN);
        }
        return sb.toString();
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("udp: " + field + "=" + value + " not in 0.." + max);
        }
    }
}
