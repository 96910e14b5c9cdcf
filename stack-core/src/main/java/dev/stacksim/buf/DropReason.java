package dev.stacksim.buf;

/**
 * Why an skb was dropped: the argument of {@link SkBuff#free(DropReason)}, named after Linux's
 * {@code enum skb_drop_reason} ({@code include/net/dropreason-core.h}) so that what a student sees
 * here is what {@code perf trace -e skb:kfree_skb} or {@code dropwatch} shows on a real machine.
 *
 * <p>A normal end of life is not a drop: it is {@link SkBuff#consume()} ({@code consume_skb}).
 */
public enum DropReason {
    /** Dropped for a reason nobody named: a bug to fix, never a normal path. */
    NOT_SPECIFIED,
    /** No socket matched the packet (no listener for a SYN, no bound UDP port). */
    NO_SOCKET,
    /** Shorter than its headers say, or than the minimum header. */
    PKT_TOO_SMALL,
    /** A header too short for what it claims to hold (truncated Ethernet, ARP, ICMP). */
    HDR_TRUNC,
    /** The TCP checksum did not verify ({@code TcpInCsumErrors}). */
    TCP_CSUM,
    /** The UDP checksum did not verify ({@code UdpInCsumErrors}). */
    UDP_CSUM,
    /** The ICMP checksum did not verify ({@code IcmpInCsumErrors}). */
    ICMP_CSUM,
    /** The IPv4 header checksum did not verify ({@code IpInHdrErrors}). */
    IP_CSUM,
    /** A malformed IPv4 header: version, IHL, total length ({@code IpInHdrErrors}). */
    IP_INHDR,
    /** Addressed to an IP this host does not own, with forwarding off ({@code IpInAddrErrors}). */
    IP_INADDRERRORS,
    /** No route to forward the packet ({@code IpInNoRoutes}). */
    IP_INNOROUTES,
    /** No route for an outgoing packet ({@code IpOutNoRoutes}). */
    IP_OUTNOROUTES,
    /** An IP protocol with no handler ({@code IpInUnknownProtos}). */
    IP_NOPROTO,
    /** The frame was for another host's MAC address (PACKET_OTHERHOST). */
    OTHERHOST,
    /** An EtherType or protocol this stack does not handle. */
    UNHANDLED_PROTO,
    /** The TTL reached zero while forwarding ({@code IpInHdrErrors}, ICMP time exceeded sent). */
    IP_TTL_EXPIRED,
    /** Too big for the outgoing MTU with DF set (ICMP fragmentation needed sent). */
    PKT_TOO_BIG,
    /** A fragment that duplicates one already queued. */
    DUP_FRAG,
    /** Reassembly did not complete in time ({@code ReasmTimeout}). */
    FRAG_REASM_TIMEOUT,
    /** Reassembly memory limit reached ({@code ReasmFails}). */
    FRAG_TOO_FAR,
    /** The socket receive buffer is full ({@code UdpRcvbufErrors}, TCP prune). */
    SOCKET_RCVBUFF,
    /** The socket was closed with data still queued. */
    SOCKET_CLOSE,
    /** The listen socket's accept queue is full ({@code ListenOverflows}). */
    TCP_LISTEN_OVERFLOW,
    /** The SYN queue is full and cookies are off ({@code TCPReqQFullDrop}). */
    TCP_REQQFULLDROP,
    /** A TCP segment with an invalid flag combination. */
    TCP_FLAGS,
    /** Data arrived while the receive window was zero. */
    TCP_ZEROWINDOW,
    /** Data entirely before rcv_nxt: already received. */
    TCP_OLD_DATA,
    /** An out-of-order segment already held in the out-of-order queue ({@code TCPOFOMerge}). */
    TCP_OFOMERGE,
    /** Data beyond the right edge of the receive window. */
    TCP_OVERWINDOW,
    /** A sequence number outside the acceptable window (RFC 9293 3.10.7.4). */
    TCP_INVALID_SEQUENCE,
    /** A segment carrying RST. */
    TCP_RESET,
    /** A SYN where none is allowed (RFC 5961 section 4). */
    TCP_INVALID_SYN,
    /** A segment for a socket in CLOSE. */
    TCP_CLOSE,
    /** An ACK older than snd_una minus the maximum window. */
    TCP_TOO_OLD_ACK,
    /** An ACK for data never sent. */
    TCP_ACK_UNSENT_DATA,
    /** PAWS rejected an old timestamp (RFC 7323 section 5). */
    TCP_RFC7323_PAWS,
    /** The out-of-order queue was pruned for memory. */
    TCP_OFO_QUEUE_PRUNE,
    /** A syncookie that did not validate ({@code SyncookiesFailed}). */
    TCP_SYNCOOKIE_FAILED,
    /** ARP could not resolve the next hop; the queued packets go with it. */
    NEIGH_FAILED,
    /** Too many packets waiting on an unresolved neighbour. */
    NEIGH_QUEUEFULL,
    /** The device is down or not ready. */
    DEV_READY,
    /** A NIC ring had no free descriptor ({@code rx_missed_errors}, TX busy). */
    FULL_RING,
    /** A queue discipline or link egress queue dropped it (tail drop). */
    QDISC_DROP,
    /** The link lost it (simulated loss, corruption, or the link was down). */
    LINK_LOSS,
    /** A bridge received a frame whose source MAC is multicast or zero ({@code is_valid_ether_addr}, {@code br_handle_frame}). */
    MAC_INVALID_SOURCE,
    /**
     * A bridge had no port to send the frame out of: a flood with no other port, or a destination
     * learned behind the port the frame came in on (Linux 6.14 {@code br_flood}; {@code br_forward}'s
     * {@code should_deliver}).
     */
    BRIDGE_NO_EGRESS_PORT,
    /** A queue was purged when its owner went away (a socket closed, a device removed). */
    QUEUE_PURGE,
    /** No memory: a pool or buffer limit was reached. */
    NOMEM
}
