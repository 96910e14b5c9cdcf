package dev.stacksim.wire;

/**
 * A parsed, validated UDP header (RFC 768): the ports and how much data follows, what
 * {@code __udp4_lib_rcv} checks before handing a datagram to a socket and what
 * {@code udp_send_skb} writes.
 *
 * <p>The data itself is not part of the representation: it stays in the buffer after the header,
 * at {@link UdpHeader#payloadOffset()}. Because the checksum covers it, {@link #emit} needs it in
 * place already, so {@link #bufferLen()} counts header and data while {@link #headerLen()} is the
 * 8 bytes {@code emit} writes.
 *
 * @param srcPort    source port, 0..65535 (0 when the sender expects no reply, RFC 768)
 * @param dstPort    destination port, 0..65535
 * @param payloadLen bytes of data after the header, 0..65507
 */
public record UdpRepr(int srcPort, int dstPort, int payloadLen) {
    /** The most data one UDP datagram can carry in IPv4 without options: 65535 - 20 - 8. */
    public static final int MAX_PAYLOAD_LEN = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.HEADER_LEN - UdpHeader.HEADER_LEN;

    /** @throws IllegalArgumentException naming a field out of range */
    public UdpRepr {
        check("sport", srcPort, 0xFFFF);
        check("dport", dstPort, 0xFFFF);
        check("payload_len", payloadLen, MAX_PAYLOAD_LEN);
    }

    /**
     * Parses and validates the datagram, verifying a nonzero checksum with the pseudo-header of
     * {@code srcAddr} and {@code dstAddr}: {@code parse(view, srcAddr, dstAddr, true)}.
     */
    public static UdpRepr parse(UdpHeader view, int srcAddr, int dstAddr) throws MalformedPacketException {
        return parse(view, srcAddr, dstAddr, true);
    }

    /**
     * Parses the datagram the view was wrapped over: {@link UdpHeader#checkLen()}, then, when
     * {@code verifyChecksum} and the checksum field is not zero, the checksum over pseudo-header,
     * header and data ({@code udp4_csum_init}). A zero field means the sender computed none and is
     * accepted. The payload length comes from the UDP length field.
     *
     * @param srcAddr the IP source address bits, for the pseudo-header
     * @param dstAddr the IP destination address bits, for the pseudo-header
     * @throws MalformedPacketException TRUNCATED, BAD_LENGTH, or BAD_CHECKSUM
     */
    public static UdpRepr parse(UdpHeader view, int srcAddr, int dstAddr, boolean verifyChecksum)
            throws MalformedPacketException {
        view.checkLen();
        if (verifyChecksum && !view.verifyChecksum(srcAddr, dstAddr)) {
            int field = view.checksum();
            int sum = Checksum.combine(
                    Checksum.pseudoHeader(srcAddr, dstAddr, IpProtocol.UDP, view.datagramLength()),
                    Checksum.sum(view.buffer(), view.offset(), view.datagramLength()));
            // Taking the field back out of the sum gives what the sender should have put there.
            int computed = Checksum.finish(Checksum.combine(sum, ~field & 0xFFFF));
            throw new MalformedPacketException(MalformedReason.BAD_CHECKSUM,
                    "udp: check=0x" + Integer.toHexString(field) + " computed=0x" + Integer.toHexString(computed)
                            + " ulen=" + view.datagramLength());
        }
        return new UdpRepr(view.srcPort(), view.dstPort(), view.payloadLen());
    }

    /** The length of the header {@link #emit} writes: 8. */
    public int headerLen() {
        return UdpHeader.HEADER_LEN;
    }

    /** Header plus data: the UDP length field, and the bytes the view given to {@link #emit} must cover. */
    public int bufferLen() {
        return UdpHeader.HEADER_LEN + payloadLen;
    }

    /**
     * Writes the 8 header bytes and the checksum over the pseudo-header of {@code srcAddr} and
     * {@code dstAddr}, the header and the {@link #payloadLen()} bytes of data already after the
     * header. A computed zero is sent as {@code 0xFFFF} (RFC 768).
     *
     * @throws IllegalArgumentException when the view covers fewer than {@link #bufferLen()} bytes
     */
    public void emit(UdpHeader view, int srcAddr, int dstAddr) {
        if (view.length() < bufferLen()) {
            throw new IllegalArgumentException("udp emit: len=" + view.length() + " bufferLen=" + bufferLen());
        }
        view.setSrcPort(srcPort).setDstPort(dstPort).setDatagramLength(bufferLen()).fillChecksum(srcAddr, dstAddr);
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("udp: " + field + "=" + value + " not in 0.." + max);
        }
    }
}
