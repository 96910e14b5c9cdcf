package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A view of an ARP packet (RFC 826) for Ethernet and IPv4, the payload of a frame of EtherType
 * {@code 0x0806}: a reusable flyweight over a {@link ByteBuf}, like Linux's {@code struct arphdr}
 * followed by the addresses {@code arp_create} writes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (HTYPE) = 1   |  Protocol type (PTYPE)=0x0800 |  HTYPE_OFFSET 0, PTYPE_OFFSET 2
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HLEN = 6     |  PLEN = 4     |   Operation (OPER) 1 or 2     |  HLEN 4, PLEN 5, OPER_OFFSET 6
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender hardware address (SHA) 0..3               |  SHA_OFFSET 8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  SHA 4..5                     | Sender protocol address (SPA) |  SPA_OFFSET 14
 * |                               |  0..1                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  SPA 2..3                     | Target hardware address (THA) |  THA_OFFSET 18
 * |                               |  0..1                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          THA 2..5                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Target protocol address (TPA)                    |  TPA_OFFSET 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                                                    LEN = 28
 * </pre>
 *
 * <p>RFC 826 sizes the address fields by HLEN and PLEN, so other hardware (HTYPE 6 is IEEE 802,
 * 32 InfiniBand) moves SPA, THA and TPA. This view knows only the Ethernet/IPv4 layout above, the
 * one the stack speaks: its offsets are fixed, {@link #checkLen} proves that {@link #LEN} bytes are
 * there, and {@link ArpRepr#parse} rejects any other HTYPE/PTYPE/HLEN/PLEN as
 * {@link MalformedReason#UNSUPPORTED_ARP} before anyone trusts the address getters.
 *
 * <p>A request asks "who has TPA? tell SPA" and goes to the broadcast address with THA zero; the
 * reply "SPA is at SHA" goes back unicast. A <b>gratuitous</b> ARP has SPA equal to TPA: a host
 * announcing its own address (after {@code ip link set up}, or to detect a duplicate), which every
 * receiver may use to refresh its neighbour table.
 */
public final class ArpPacket extends WireView {
    /** Offset of the hardware type, 2 bytes. */
    public static final int HTYPE_OFFSET = 0;
    /** Offset of the protocol type (an EtherType), 2 bytes. */
    public static final int PTYPE_OFFSET = 2;
    /** Offset of the hardware address length, 1 byte. */
    public static final int HLEN_OFFSET = 4;
    /** Offset of the protocol address length, 1 byte. */
    public static final int PLEN_OFFSET = 5;
    /** Offset of the operation, 2 bytes. */
    public static final int OPER_OFFSET = 6;
    /** Offset of the sender hardware address, 6 bytes. */
    public static final int SHA_OFFSET = 8;
    /** Offset of the sender protocol address, 4 bytes. */
    public static final int SPA_OFFSET = 14;
    /** Offset of the target hardware address, 6 bytes. */
    public static final int THA_OFFSET = 18;
    /** Offset of the target protocol address, 4 bytes. */
    public static final int TPA_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LEN = 28;

    /** HTYPE of Ethernet (Linux {@code ARPHRD_ETHER}). */
    public static final int HTYPE_ETHERNET = 1;
    /** HLEN of Ethernet: six-byte addresses. */
    public static final int HLEN_ETHERNET = MacAddress.LEN;
    /** PLEN of IPv4: four-byte addresses. */
    public static final int PLEN_IPV4 = 4;

    /** Makes an unwrapped view; call {@link #wrap} before use. */
    public ArpPacket() {
    }

    /**
     * Points this view at the ARP packet of {@code length} bytes at {@code offset} of {@code buf}
     * (for a received frame: the Ethernet payload, padding included). Checks nothing; reuses this
     * object.
     *
     * @return this view
     */
    public ArpPacket wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies that the fixed Ethernet/IPv4 layout fits in the wrapped length.
     *
     * @throws MalformedPacketException {@link MalformedReason#TRUNCATED} when fewer than {@link #LEN}
     *                                  bytes are there
     */
    public void checkLen() throws MalformedPacketException {
        if (length < LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED, "arp: len=" + length + " need=" + LEN);
        }
    }

    /** The hardware type: 1 for Ethernet. */
    public int htype() {
        return buf.getUnsignedShort(offset + HTYPE_OFFSET);
    }

    /** Sets the hardware type. */
    public void setHtype(int htype) {
        buf.setShort(offset + HTYPE_OFFSET, htype);
    }

    /** The protocol type, an EtherType: {@code 0x0800} for IPv4. */
    public int ptype() {
        return buf.getUnsignedShort(offset + PTYPE_OFFSET);
    }

    /** Sets the protocol type. */
    public void setPtype(int ptype) {
        buf.setShort(offset + PTYPE_OFFSET, ptype);
    }

    /** The hardware address length: 6 for Ethernet. */
    public int hlen() {
        return buf.getUnsignedByte(offset + HLEN_OFFSET);
    }

    /** Sets the hardware address length. */
    public void setHlen(int hlen) {
        buf.setByte(offset + HLEN_OFFSET, hlen);
    }

    /** The protocol address length: 4 for IPv4. */
    public int plen() {
        return buf.getUnsignedByte(offset + PLEN_OFFSET);
    }

    /** Sets the protocol address length. */
    public void setPlen(int plen) {
        buf.setByte(offset + PLEN_OFFSET, plen);
    }

    /** The operation: {@link ArpRepr#REQUEST} (1) or {@link ArpRepr#REPLY} (2). */
    public int oper() {
        return buf.getUnsignedShort(offset + OPER_OFFSET);
    }

    /** Sets the operation. */
    public void setOper(int oper) {
        buf.setShort(offset + OPER_OFFSET, oper);
    }

    /** The sender hardware address bits (see {@link MacAddress#toLong()}). */
    public long sha() {
        return EthernetHeader.getMac(buf, offset + SHA_OFFSET);
    }

    /** Sets the sender hardware address from its bits. */
    public void setSha(long mac) {
        EthernetHeader.setMac(buf, offset + SHA_OFFSET, mac);
    }

    /** The sender protocol address bits (see {@link Ipv4Address#toInt()}). */
    public int spa() {
        return buf.getInt(offset + SPA_OFFSET);
    }

    /** Sets the sender protocol address from its bits. */
    public void setSpa(int addr) {
        buf.setInt(offset + SPA_OFFSET, addr);
    }

    /** The target hardware address bits; zero in a request, whose target is what is asked for. */
    public long tha() {
        return EthernetHeader.getMac(buf, offset + THA_OFFSET);
    }

    /** Sets the target hardware address from its bits. */
    public void setTha(long mac) {
        EthernetHeader.setMac(buf, offset + THA_OFFSET, mac);
    }

    /** The target protocol address bits (see {@link Ipv4Address#toInt()}). */
    public int tpa() {
        return buf.getInt(offset + TPA_OFFSET);
    }

    /** Sets the target protocol address from its bits. */
    public void setTpa(int addr) {
        buf.setInt(offset + TPA_OFFSET, addr);
    }

    /** True for the Ethernet/IPv4 layout this view describes (HTYPE 1, PTYPE 0x0800, HLEN 6, PLEN 4). */
    public boolean isEthernetIpv4() {
        return htype() == HTYPE_ETHERNET && ptype() == EtherType.IPV4 && hlen() == HLEN_ETHERNET && plen() == PLEN_IPV4;
    }

    /** True when SPA equals TPA: a gratuitous ARP, a host announcing its own address. */
    public boolean isGratuitous() {
        return spa() == tpa();
    }

    /**
     * The packet as {@code tcpdump -n} prints it, with the wrapped length:
     * {@code Request who-has 10.0.0.2 tell 10.0.0.1, length 28} (with {@code (tha)} after the target
     * when THA is not zero, as tcpdump adds it) and {@code Reply 10.0.0.2 is-at 02:00:00:00:00:02,
     * length 28}. Other operations and layouts print their fields as {@code key=value}; a packet
     * shorter than {@link #LEN} prints {@code [|arp]}, tcpdump's mark for a truncated packet.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "arp: unwrapped";
        }
        if (length < LEN) {
            return "[|arp]";
        }
        StringBuilder sb = new StringBuilder(80);
        int oper = oper();
        if (!isEthernetIpv4()) {
            sb.append("arp htype=").append(htype()).append(" ptype=0x").append(EthernetHeader.hex4(ptype()))
                    .append(" hlen=").append(hlen()).append(" plen=").append(plen()).append(" oper=").append(oper);
        } else if (oper == ArpRepr.REQUEST) {
            sb.append("Request who-has ").append(Ipv4Address.toString(tpa()));
            long tha = tha();
            if (tha != 0) {
                sb.append(" (").append(MacAddress.toString(tha)).append(')');
            }
            sb.append(" tell ").append(Ipv4Address.toString(spa()));
        } else if (oper == ArpRepr.REPLY) {
            sb.append("Reply ").append(Ipv4Address.toString(spa())).append(" is-at ").append(MacAddress.toString(sha()));
        } else {
            sb.append("arp oper=").append(oper)
                    .append(" sha=").append(MacAddress.toString(sha())).append(" spa=").append(Ipv4Address.toString(spa()))
                    .append(" tha=").append(MacAddress.toString(tha())).append(" tpa=").append(Ipv4Address.toString(tpa()));
        }
        return sb.append(", length ").append(length).toString();
    }
}
