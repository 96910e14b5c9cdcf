package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A view of an Ethernet II frame header (DIX framing; RFC 894 carries IPv4 in it): a reusable
 * flyweight over a {@link ByteBuf}, in the manner of Linux's {@code struct ethhdr}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Destination MAC address (0..3)                |  DST_OFFSET = 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Destination MAC (4..5)       |    Source MAC address (0..1)  |  SRC_OFFSET = 6
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Source MAC address (2..5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  payload (IPv4, ARP …)        |  ETHERTYPE_OFFSET = 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |  HEADER_LEN = 14
 * </pre>
 *
 * <p>What the header does not show, because a capture does not show it either: the preamble and
 * start-of-frame delimiter before it, and the 4-byte frame check sequence (CRC-32) after the payload,
 * which the NIC adds on transmit and checks and strips on receive. Nor does this view pad to the
 * 60-byte minimum; a sender pads (a captured ARP request is 42 bytes on the sending host and 60 at
 * the receiver), and a receiver sees the padding as bytes after the payload.
 *
 * <p>The type field at offset 12 is an EtherType only from {@code 0x0600} up; below that it is an
 * IEEE 802.3 length and an LLC header follows. {@link EthernetRepr#parse} rejects those frames.
 *
 * <p>Usage follows the package contract: {@link #wrap} records where the bytes are, {@link #checkLen}
 * proves that {@link #HEADER_LEN} bytes are there, after which no getter fails.
 */
public final class EthernetHeader extends WireView {
    /** Offset of the destination address, 6 bytes. */
    public static final int DST_OFFSET = 0;
    /** Offset of the source address, 6 bytes. */
    public static final int SRC_OFFSET = 6;
    /** Offset of the EtherType (or 802.3 length), 2 bytes. */
    public static final int ETHERTYPE_OFFSET = 12;
    /** Length of the header, and offset of the payload (Linux {@code ETH_HLEN}). */
    public static final int HEADER_LEN = 14;
    /** The smallest type value that is an EtherType; smaller ones are 802.3 lengths (Linux {@code ETH_P_802_3_MIN}). */
    public static final int MIN_ETHERTYPE = 0x0600;

    /** Makes an unwrapped view; call {@link #wrap} before use. */
    public EthernetHeader() {
    }

    /**
     * Points this view at the frame of {@code length} bytes at {@code offset} of {@code buf}. Checks
     * nothing; reuses this object.
     *
     * @return this view
     */
    public EthernetHeader wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies that the header fits in the wrapped length.
     *
     * @throws MalformedPacketException {@link MalformedReason#TRUNCATED} when fewer than
     *                                  {@link #HEADER_LEN} bytes are there
     */
    public void checkLen() throws MalformedPacketException {
        if (length < HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED, "ethernet: len=" + length + " need=" + HEADER_LEN);
        }
    }

    /** The destination address bits (see {@link MacAddress#toLong()}). */
    public long dst() {
        return getMac(buf, offset + DST_OFFSET);
    }

    /** Sets the destination address from its bits. */
    public void setDst(long mac) {
        setMac(buf, offset + DST_OFFSET, mac);
    }

    /** The source address bits (see {@link MacAddress#toLong()}). */
    public long src() {
        return getMac(buf, offset + SRC_OFFSET);
    }

    /** Sets the source address from its bits. */
    public void setSrc(long mac) {
        setMac(buf, offset + SRC_OFFSET, mac);
    }

    /** The EtherType (see {@link EtherType}), or an 802.3 length when below {@link #MIN_ETHERTYPE}. */
    public int etherType() {
        return buf.getUnsignedShort(offset + ETHERTYPE_OFFSET);
    }

    /** Sets the EtherType field; only the low 16 bits are written. */
    public void setEtherType(int etherType) {
        buf.setShort(offset + ETHERTYPE_OFFSET, etherType);
    }

    /** Where the payload starts in the buffer: {@code offset() + HEADER_LEN}. */
    public int payloadOffset() {
        return offset + HEADER_LEN;
    }

    /** The number of bytes after the header, padding included. */
    public int payloadLength() {
        return length - HEADER_LEN;
    }

    /**
     * The header as {@code tcpdump -e -n} prints it, with the frame length:
     * {@code 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98}. A type this
     * package does not name prints as {@code ethertype Unknown (0x1234)}; a frame whose type field is
     * an 802.3 length prints {@code 802.3, length 46} with the length after the header, as tcpdump
     * does; one shorter than the header prints {@code [|ether]}, tcpdump's mark for a truncated header.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "ethernet: unwrapped";
        }
        if (length < HEADER_LEN) {
            return "[|ether]";
        }
        StringBuilder sb = new StringBuilder(80)
                .append(MacAddress.toString(src())).append(" > ").append(MacAddress.toString(dst())).append(", ");
        int type = etherType();
        if (type < MIN_ETHERTYPE) {
            // tcpdump gives the length after the header for 802.3 frames, the frame length otherwise.
            return sb.append("802.3, length ").append(length - HEADER_LEN).toString();
        }
        String name = EtherType.name(type);
        sb.append("ethertype ").append(name.startsWith("0x") ? "Unknown" : name).append(" (0x").append(hex4(type)).append(')');
        return sb.append(", length ").append(length).toString();
    }

    /** Reads six bytes at {@code index} as the low 48 bits of a long, first byte highest. */
    static long getMac(ByteBuf buf, int index) {
        return (long) buf.getUnsignedShort(index) << 32 | buf.getUnsignedInt(index + 2);
    }

    /** Writes the low 48 bits of {@code mac} as six bytes at {@code index}, highest first. */
    static void setMac(ByteBuf buf, int index, long mac) {
        buf.setShort(index, (int) (mac >>> 32));
        buf.setInt(index + 2, (int) mac);
    }

    /** Four lowercase hex digits, as tcpdump prints 16-bit types. */
    static String hex4(int v) {
        String h = Integer.toHexString(v);
        return h.length() >= 4 ? h : "0000".substring(h.length()) + h;
    }
}
