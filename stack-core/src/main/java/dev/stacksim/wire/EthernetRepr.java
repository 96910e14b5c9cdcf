package dev.stacksim.wire;

/**
 * A parsed Ethernet II header: who sent the frame, to whom, and what it carries. The
 * representation face of {@link EthernetHeader} (see the package contract).
 *
 * <p>Parsing rejects a type field below {@code 0x0600}: that is an IEEE 802.3 length, the frame
 * carries LLC and nothing this stack speaks. Any EtherType from {@code 0x0600} up parses; whether
 * the stack handles it (IPv4, ARP) is for the receive path to decide and count, as Linux's
 * {@code __netif_receive_skb} does when no {@code packet_type} matches.
 *
 * @param src       the source address, the sending interface
 * @param dst       the destination address: one station, a multicast group or broadcast
 * @param etherType the protocol of the payload (see {@link EtherType}), {@code 0x0600..0xFFFF}
 */
public record EthernetRepr(MacAddress src, MacAddress dst, int etherType) {

    /**
     * @throws NullPointerException     if an address is null
     * @throws IllegalArgumentException if {@code etherType} is not in {@code 0x0600..0xFFFF}
     */
    public EthernetRepr {
        if (src == null || dst == null) {
            throw new NullPointerException("ethernet: src=" + src + " dst=" + dst);
        }
        if (etherType < EthernetHeader.MIN_ETHERTYPE || etherType > 0xFFFF) {
            throw new IllegalArgumentException("ethernet: ethertype=0x" + EthernetHeader.hex4(etherType) + " not in 0x0600..0xffff");
        }
    }

    /**
     * Parses the header under {@code view}.
     *
     * @throws MalformedPacketException {@link MalformedReason#TRUNCATED} when the header does not fit,
     *                                  {@link MalformedReason#UNSUPPORTED_ETHERTYPE} when the type
     *                                  field is an 802.3 length
     */
    public static EthernetRepr parse(EthernetHeader view) throws MalformedPacketException {
        view.checkLen();
        int type = view.etherType();
        if (type < EthernetHeader.MIN_ETHERTYPE) {
            throw new MalformedPacketException(MalformedReason.UNSUPPORTED_ETHERTYPE,
                    "ethernet: ethertype=0x" + EthernetHeader.hex4(type) + " is an 802.3 length");
        }
        return new EthernetRepr(MacAddress.of(view.src()), MacAddress.of(view.dst()), type);
    }

    /** The bytes {@link #emit} writes: {@link EthernetHeader#HEADER_LEN}. */
    public int bufferLen() {
        return EthernetHeader.HEADER_LEN;
    }

    /**
     * Writes this header into {@code view}, which must wrap at least {@link #bufferLen()} bytes;
     * the payload after it is not touched.
     */
    public void emit(EthernetHeader view) {
        view.setDst(dst.toLong());
        view.setSrc(src.toLong());
        view.setEtherType(etherType);
    }
}
