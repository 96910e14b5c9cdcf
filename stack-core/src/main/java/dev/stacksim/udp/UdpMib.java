package dev.stacksim.udp;

import dev.stacksim.host.MibField;

/**
 * The {@code Udp:} group of {@code /proc/net/snmp} ({@code UDP_MIB_*}, RFC 4113's counters and
 * Linux's additions), in the order Linux prints them:
 * <pre>
 * Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
 * </pre>
 * Linux prints a {@code UdpLite:} group with the same columns after it; this stack has no
 * UDP-Lite, so that group stays zero.
 */
public enum UdpMib implements MibField {
    /**
     * Datagrams read by applications: counted by {@code udp_recvmsg} when a datagram is taken
     * off the queue (not peeked), not when it arrives.
     */
    IN_DATAGRAMS("InDatagrams"),
    /** Datagrams to a port no socket holds (answered with ICMP port unreachable unless broadcast). */
    NO_PORTS("NoPorts"),
    /** Datagrams dropped for any other reason: too short, bad checksum, receive buffer full. */
    IN_ERRORS("InErrors"),
    /** Datagrams handed to IP by {@code udp_send_skb}. */
    OUT_DATAGRAMS("OutDatagrams"),
    /** Datagrams dropped because the socket's receive buffer (SO_RCVBUF) was full; also InErrors. */
    RCVBUF_ERRORS("RcvbufErrors"),
    /** Sends refused for want of send buffer (SO_SNDBUF), or dropped by a full device queue. */
    SNDBUF_ERRORS("SndbufErrors"),
    /** Datagrams whose checksum did not verify; also InErrors. */
    IN_CSUM_ERRORS("InCsumErrors"),
    /** Broadcast or multicast datagrams no socket wanted (no ICMP is sent for them). */
    IGNORED_MULTI("IgnoredMulti"),
    /** Datagrams dropped by the protocol memory limit ({@code udp_mem}; not modelled, stays 0). */
    MEM_ERRORS("MemErrors");

    private final String linuxName;

    UdpMib(String linuxName) {
        this.linuxName = linuxName;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }
}
