package dev.stacksim.host;

/**
 * The {@code Ip:} group of {@code /proc/net/snmp} (RFC 4293's IP-MIB scalars as Linux keeps them,
 * {@code IPSTATS_MIB_*}), in the order Linux prints them.
 */
public enum IpMib implements MibField {
    /** 1 when forwarding (a router), 2 when not: a gauge read from {@code net.ipv4.ip_forward}. */
    FORWARDING("Forwarding"),
    /** The default TTL: a gauge read from {@code net.ipv4.ip_default_ttl}. */
    DEFAULT_TTL("DefaultTTL"),
    /** Datagrams received from devices, errors included ({@code ip_rcv}). */
    IN_RECEIVES("InReceives"),
    /** Datagrams dropped for a bad header: version, IHL, checksum, length; TTL expired while forwarding. */
    IN_HDR_ERRORS("InHdrErrors"),
    /** Datagrams for an address this host does not have, with forwarding off. */
    IN_ADDR_ERRORS("InAddrErrors"),
    /** Datagrams forwarded ({@code ip_forward_finish}). */
    FORW_DATAGRAMS("ForwDatagrams"),
    /** Datagrams for a protocol with no handler (ICMP protocol unreachable sent). */
    IN_UNKNOWN_PROTOS("InUnknownProtos"),
    /** Datagrams dropped for lack of resources. */
    IN_DISCARDS("InDiscards"),
    /** Datagrams delivered to a protocol handler. */
    IN_DELIVERS("InDelivers"),
    /** Datagrams this host originated ({@code __ip_local_out}), before fragmentation. */
    OUT_REQUESTS("OutRequests"),
    /** Outgoing datagrams dropped for lack of resources. */
    OUT_DISCARDS("OutDiscards"),
    /** Outgoing datagrams with no route. */
    OUT_NO_ROUTES("OutNoRoutes"),
    /** Reassemblies that timed out. */
    REASM_TIMEOUT("ReasmTimeout"),
    /** Fragments received for reassembly. */
    REASM_REQDS("ReasmReqds"),
    /** Datagrams reassembled. */
    REASM_OKS("ReasmOKs"),
    /** Reassembly failures of every kind (timeout, overlap, memory, oversize). */
    REASM_FAILS("ReasmFails"),
    /** Datagrams fragmented. */
    FRAG_OKS("FragOKs"),
    /** Datagrams that needed fragmenting and could not be (DF set). */
    FRAG_FAILS("FragFails"),
    /** Fragments created. */
    FRAG_CREATES("FragCreates"),
    /** Packets handed to the neighbour layer, forwarded ones and fragments included (Linux 6.3+). */
    OUT_TRANSMITS("OutTransmits");

    private final String linuxName;

    IpMib(String linuxName) {
        this.linuxName = linuxName;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }
}
