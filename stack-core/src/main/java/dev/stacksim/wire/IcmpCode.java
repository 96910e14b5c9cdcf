package dev.stacksim.wire;

/**
 * ICMP codes, the second byte of an ICMP header, grouped by the {@link IcmpType} they belong to.
 * The names are those of {@code include/uapi/linux/icmp.h} ({@code ICMP_PORT_UNREACH} is
 * {@link #PORT_UNREACH}); the RFC that defined each is in its doc.
 */
public final class IcmpCode {
    // Destination unreachable (type 3): RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1.

    /** Network unreachable: no route to the destination network ({@code ICMP_NET_UNREACH}). */
    public static final int NET_UNREACH = 0;
    /** Host unreachable: the last router could not reach the host, e.g. ARP failed ({@code ICMP_HOST_UNREACH}). */
    public static final int HOST_UNREACH = 1;
    /** Protocol unreachable: no handler for the IP protocol number ({@code ICMP_PROT_UNREACH}). */
    public static final int PROT_UNREACH = 2;
    /** Port unreachable: no UDP socket on the port ({@code ICMP_PORT_UNREACH}). */
    public static final int PORT_UNREACH = 3;
    /**
     * Fragmentation needed and DF set; the next-hop MTU rides in the header (RFC 1191)
     * ({@code ICMP_FRAG_NEEDED}).
     */
    public static final int FRAG_NEEDED = 4;
    /** Source route failed ({@code ICMP_SR_FAILED}). */
    public static final int SR_FAILED = 5;
    /** Destination network unknown ({@code ICMP_NET_UNKNOWN}). */
    public static final int NET_UNKNOWN = 6;
    /** Destination host unknown ({@code ICMP_HOST_UNKNOWN}). */
    public static final int HOST_UNKNOWN = 7;
    /** Source host isolated ({@code ICMP_HOST_ISOLATED}). */
    public static final int HOST_ISOLATED = 8;
    /** Network administratively prohibited ({@code ICMP_NET_ANO}). */
    public static final int NET_ANO = 9;
    /** Host administratively prohibited ({@code ICMP_HOST_ANO}). */
    public static final int HOST_ANO = 10;
    /** Network unreachable for the type of service ({@code ICMP_NET_UNR_TOS}). */
    public static final int NET_UNR_TOS = 11;
    /** Host unreachable for the type of service ({@code ICMP_HOST_UNR_TOS}). */
    public static final int HOST_UNR_TOS = 12;
    /**
     * Communication administratively prohibited by filtering (RFC 1812): what
     * {@code iptables -j REJECT --reject-with icmp-admin-prohibited} sends ({@code ICMP_PKT_FILTERED}).
     */
    public static final int PKT_FILTERED = 13;
    /** Host precedence violation (RFC 1812) ({@code ICMP_PREC_VIOLATION}). */
    public static final int PREC_VIOLATION = 14;
    /** Precedence cutoff in effect (RFC 1812) ({@code ICMP_PREC_CUTOFF}). */
    public static final int PREC_CUTOFF = 15;
    /** The highest destination-unreachable code defined ({@code NR_ICMP_UNREACH}). */
    public static final int MAX_UNREACH = PREC_CUTOFF;

    // Time exceeded (type 11): RFC 792.

    /** TTL reached zero in transit: what traceroute listens for ({@code ICMP_EXC_TTL}). */
    public static final int EXC_TTL = 0;
    /** Fragment reassembly time exceeded ({@code ICMP_EXC_FRAGTIME}); Linux waits 30 s ({@code ipfrag_time}). */
    public static final int EXC_FRAGTIME = 1;

    // Redirect (type 5): RFC 792.

    /** Redirect for the network ({@code ICMP_REDIR_NET}). */
    public static final int REDIR_NET = 0;
    /** Redirect for the host ({@code ICMP_REDIR_HOST}). */
    public static final int REDIR_HOST = 1;
    /** Redirect for the type of service and network ({@code ICMP_REDIR_NETTOS}). */
    public static final int REDIR_NETTOS = 2;
    /** Redirect for the type of service and host ({@code ICMP_REDIR_HOSTTOS}). */
    public static final int REDIR_HOSTTOS = 3;

    private IcmpCode() {
    }

    /**
     * What a destination-unreachable code means, as the {@code unreachable} part of a tcpdump line
     * reads once the destination is filled in: {@code "host %s unreachable"},
     * {@code "%s unreachable - need to frag"} ... Protocol and port unreachable are printed with
     * the quoted datagram's protocol and port, so they are not here; an unknown code gives
     * {@code "#N %s unreachable"}.
     *
     * @return a format with one {@code %s} for the quoted destination address
     */
    public static String unreachableFormat(int code) {
        switch (code) {
            case NET_UNREACH: return "net %s unreachable";
            case HOST_UNREACH: return "host %s unreachable";
            case PROT_UNREACH: return "%s protocol unreachable";
            case PORT_UNREACH: return "%s port unreachable";
            case FRAG_NEEDED: return "%s unreachable - need to frag";
            case SR_FAILED: return "%s unreachable - source route failed";
            case NET_UNKNOWN: return "net %s unreachable - unknown";
            case HOST_UNKNOWN: return "host %s unreachable - unknown";
            case HOST_ISOLATED: return "%s unreachable - source host isolated";
            case NET_ANO: return "net %s unreachable - admin prohibited";
            case HOST_ANO: return "host %s unreachable - admin prohibited";
            case NET_UNR_TOS: return "net %s unreachable - tos prohibited";
            case HOST_UNR_TOS: return "host %s unreachable - tos prohibited";
            case PKT_FILTERED: return "host %s unreachable - admin prohibited filter";
            case PREC_VIOLATION: return "host %s unreachable - host precedence violation";
            case PREC_CUTOFF: return "host %s unreachable - precedence cutoff";
            default: return "#" + code + " %s unreachable";
        }
    }

    /** What a time-exceeded code means, as tcpdump prints it ({@code time exceeded in-transit}). */
    public static String timeExceededName(int code) {
        switch (code) {
            case EXC_TTL: return "time exceeded in-transit";
            case EXC_FRAGTIME: return "ip reassembly time exceeded";
            default: return "time exceeded-#" + code;
        }
    }
}
