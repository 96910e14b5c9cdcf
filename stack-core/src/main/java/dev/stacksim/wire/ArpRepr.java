package dev.stacksim.wire;

/**
 * A parsed ARP packet (RFC 826) for Ethernet and IPv4: the representation face of
 * {@link ArpPacket} (see the package contract). Linux builds one in {@code arp_create} and reads
 * one in {@code arp_process}.
 *
 * <p>RFC 826's packet reception algorithm, which {@code dev.stacksim.ip} implements, reads these
 * fields: "?Do I have the hardware type in ar$hrd?" and "?Do I speak the protocol in ar$pro?" (parse
 * answers both, with {@link MalformedReason#UNSUPPORTED_ARP}); then an existing entry for SPA is
 * updated with SHA; then "?Am I the target protocol address?"; and only then "?Is the opcode
 * ares_op$REQUEST? (NOW look at the opcode!!)", to which the answer is {@link #replyTo}.
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}
 * @param senderHw  SHA, the sender's hardware address
 * @param senderIp  SPA, the sender's IPv4 address ({@code 0.0.0.0} in an RFC 5227 probe)
 * @param targetHw  THA: in a request, unknown and usually {@link MacAddress#ZERO}; in a reply, the
 *                  requester's address
 * @param targetIp  TPA, the address asked about (request) or the requester's (reply)
 */
public record ArpRepr(int operation, MacAddress senderHw, Ipv4Address senderIp, MacAddress targetHw, Ipv4Address targetIp) {
    /** Operation 1: "who has TPA? tell SPA" ({@code ARPOP_REQUEST}). */
    public static final int REQUEST = 1;
    /** Operation 2: "SPA is at SHA" ({@code ARPOP_REPLY}). */
    public static final int REPLY = 2;

    /**
     * @throws NullPointerException     if any address is null
     * @throws IllegalArgumentException if {@code operation} is neither {@link #REQUEST} nor {@link #REPLY}
     */
    public ArpRepr {
        if (senderHw == null || senderIp == null || targetHw == null || targetIp == null) {
            throw new NullPointerException("arp: senderHw=" + senderHw + " senderIp=" + senderIp
                    + " targetHw=" + targetHw + " targetIp=" + targetIp);
        }
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("arp: oper=" + operation + " not 1 (request) or 2 (reply)");
        }
    }

    /** A request "who has {@code targetIp}? tell {@code senderIp}", THA zero, as {@code arp_send} makes one. */
    public static ArpRepr request(MacAddress senderHw, Ipv4Address senderIp, Ipv4Address targetIp) {
        return new ArpRepr(REQUEST, senderHw, senderIp, MacAddress.ZERO, targetIp);
    }

    /**
     * The reply to {@code request} from the host owning its TPA at {@code localHw}: "TPA is at
     * localHw", addressed to the requester's SHA and SPA (RFC 826, "swap hardware and protocol fields").
     */
    public static ArpRepr replyTo(ArpRepr request, MacAddress localHw) {
        return new ArpRepr(REPLY, localHw, request.targetIp, request.senderHw, request.senderIp);
    }

    /**
     * Parses the packet under {@code view}.
     *
     * @throws MalformedPacketException {@link MalformedReason#TRUNCATED} when fewer than
     *                                  {@link ArpPacket#LEN} bytes are there,
     *                                  {@link MalformedReason#UNSUPPORTED_ARP} for anything but
     *                                  Ethernet/IPv4 (HTYPE 1, PTYPE 0x0800, HLEN 6, PLEN 4),
     *                                  {@link MalformedReason#BAD_ARP_OPERATION} for an operation other
     *                                  than request or reply (RARP's 3 and 4, InARP's 8 and 9 …)
     */
    public static ArpRepr parse(ArpPacket view) throws MalformedPacketException {
        view.checkLen();
        if (!view.isEthernetIpv4()) {
            throw new MalformedPacketException(MalformedReason.UNSUPPORTED_ARP,
                    "arp: htype=" + view.htype() + " ptype=0x" + EthernetHeader.hex4(view.ptype())
                            + " hlen=" + view.hlen() + " plen=" + view.plen());
        }
        int oper = view.oper();
        if (oper != REQUEST && oper != REPLY) {
            throw new MalformedPacketException(MalformedReason.BAD_ARP_OPERATION, "arp: oper=" + oper);
        }
        return new ArpRepr(oper, MacAddress.of(view.sha()), Ipv4Address.of(view.spa()),
                MacAddress.of(view.tha()), Ipv4Address.of(view.tpa()));
    }

    /** The bytes {@link #emit} writes: {@link ArpPacket#LEN}. */
    public int bufferLen() {
        return ArpPacket.LEN;
    }

    /** Writes all 28 bytes of this packet into {@code view}, which must wrap at least {@link #bufferLen()} bytes. */
    public void emit(ArpPacket view) {
        view.setHtype(ArpPacket.HTYPE_ETHERNET);
        view.setPtype(EtherType.IPV4);
        view.setHlen(ArpPacket.HLEN_ETHERNET);
        view.setPlen(ArpPacket.PLEN_IPV4);
        view.setOper(operation);
        view.setSha(senderHw.toLong());
        view.setSpa(senderIp.toInt());
        view.setTha(targetHw.toLong());
        view.setTpa(targetIp.toInt());
    }

    /**
     * True when SPA equals TPA: a gratuitous ARP, in which a host announces (request or reply) its
     * own address, so that neighbours refresh their entries (Linux updates an existing entry on it;
     * {@code arp_accept} decides whether one is created) and a host already using the address can
     * object. An RFC 5227 probe, with SPA {@code 0.0.0.0}, is not gratuitous.
     */
    public boolean isGratuitous() {
        return senderIp.equals(targetIp);
    }
}
