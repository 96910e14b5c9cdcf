package dev.stacksim.wire;

/**
 * Why a packet failed to parse. Each value names one check, so a receive path can count drops by
 * reason (as Linux counts {@code IpInHdrErrors}, {@code TcpInErrs}, {@code InCsumErrors} …).
 */
public enum MalformedReason {
    /** Fewer bytes than the fixed part of the header. */
    TRUNCATED,
    /** A length field inside the header (IHL, data offset, total length, UDP length) points past the bytes there are. */
    BAD_LENGTH,
    /** The IP version field is not 4. */
    BAD_VERSION,
    /** The IPv4 IHL is below 5 (20 bytes). */
    BAD_IHL,
    /** The TCP data offset is below 5 (20 bytes). */
    BAD_DATA_OFFSET,
    /** An option's length byte is below its minimum or runs past the end of the options. */
    BAD_OPTION_LENGTH,
    /** An option of a known kind carries a length that kind never has. */
    BAD_OPTION,
    /** The checksum does not verify. */
    BAD_CHECKSUM,
    /** An ARP hardware/protocol type or address length this stack does not speak (only Ethernet/IPv4). */
    UNSUPPORTED_ARP,
    /** An ARP operation other than request (1) or reply (2). */
    BAD_ARP_OPERATION,
    /** An ICMP type or code whose layout the stack does not know. */
    UNSUPPORTED_ICMP,
    /** An EtherType below 0x0600 (an 802.3 length field) or one this stack does not handle. */
    UNSUPPORTED_ETHERTYPE,
    /** A field value that can never occur in a valid packet (for example a source address that is multicast). */
    BAD_FIELD
}
