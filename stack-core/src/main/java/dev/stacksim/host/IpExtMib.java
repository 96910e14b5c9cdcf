package dev.stacksim.host;

/** The {@code IpExt:} group of {@code /proc/net/netstat} ({@code IPSTATS_MIB_*} beyond RFC 4293's), in Linux's order. */
public enum IpExtMib implements MibField {
    /** Datagrams dropped for want of a route while forwarding (ICMP net unreachable sent). */
    IN_NO_ROUTES("InNoRoutes"),
    /** Datagrams shorter than their total length field. */
    IN_TRUNCATED_PKTS("InTruncatedPkts"),
    /** Multicast datagrams received. */
    IN_MCAST_PKTS("InMcastPkts"),
    /** Multicast datagrams sent. */
    OUT_MCAST_PKTS("OutMcastPkts"),
    /** Broadcast datagrams received. */
    IN_BCAST_PKTS("InBcastPkts"),
    /** Broadcast datagrams sent. */
    OUT_BCAST_PKTS("OutBcastPkts"),
    /** Bytes received in datagrams, headers included. */
    IN_OCTETS("InOctets"),
    /** Bytes handed to the neighbour layer. */
    OUT_OCTETS("OutOctets"),
    /** Bytes received in multicast datagrams. */
    IN_MCAST_OCTETS("InMcastOctets"),
    /** Bytes sent in multicast datagrams. */
    OUT_MCAST_OCTETS("OutMcastOctets"),
    /** Bytes received in broadcast datagrams. */
    IN_BCAST_OCTETS("InBcastOctets"),
    /** Bytes sent in broadcast datagrams. */
    OUT_BCAST_OCTETS("OutBcastOctets"),
    /** Datagrams whose header checksum did not verify (also counted in InHdrErrors). */
    IN_CSUM_ERRORS("InCsumErrors"),
    /** Datagrams received with ECN codepoint Not-ECT. */
    IN_NO_ECT_PKTS("InNoECTPkts"),
    /** Datagrams received with ECT(1). */
    IN_ECT1_PKTS("InECT1Pkts"),
    /** Datagrams received with ECT(0). */
    IN_ECT0_PKTS("InECT0Pkts"),
    /** Datagrams received with CE. */
    IN_CE_PKTS("InCEPkts"),
    /** Reassemblies abandoned because fragments overlapped (RFC 5722). */
    REASM_OVERLAPS("ReasmOverlaps");

    private final String linuxName;

    IpExtMib(String linuxName) {
        this.linuxName = linuxName;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }
}
