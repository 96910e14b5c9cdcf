package dev.stacksim.packetdrill;

import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IpProtocol;

import java.util.Arrays;

/**
 * A packet the host sent, as the runner compares it (packetdrill's {@code struct packet} after
 * {@code parse_packet}): the IPv4 header fields and the TCP, UDP or ICMP header, with the payload.
 * The fields are mutable because, as in packetdrill, a copy is mapped from live values (ISNs,
 * TS val) into script space before the comparison ({@link #copy()}).
 */
final class LivePacket {
    /** When the host handed it to tun0, in nanoseconds of simulation time. */
    long timeNanos;
    int ipVersion;
    int ihl;
    int tos;
    int totalLength;
    int ttl;
    int protocol;
    int srcAddr;
    int dstAddr;
    boolean ipChecksumOk;

    int srcPort;
    int dstPort;
    /** TCP: sequence number (unsigned 32 bits). */
    long seq;
    /** TCP: acknowledgment number (unsigned 32 bits). */
    long ack;
    /** TCP: data offset in 32-bit words. */
    int doff;
    /** TCP: the 8 flag bits plus AE as {@link PacketSpec#AE}. */
    int flags;
    /** TCP: the three reserved bits. */
    int reserved;
    int window;
    int urgPointer;
    /** TCP: the option bytes. */
    byte[] options = new byte[0];
    /** UDP: the length field. */
    int udpLength;
    /** ICMP: type and code. */
    int icmpType;
    int icmpCode;
    /** The transport payload (for ICMP: everything after the 8-byte header). */
    byte[] payload = new byte[0];

    /**
     * Parses an IPv4 packet starting at its header.
     *
     * @return null when it is not a complete IPv4 packet carrying TCP, UDP or ICMP
     */
    static LivePacket parse(byte[] b, long timeNanos) {
        if (b.length < 20 || (b[0] & 0xF0) != 0x40) {
            return null;
        }
        LivePacket p = new LivePacket();
        p.timeNanos = timeNanos;
        p.ipVersion = (b[0] & 0xF0) >> 4;
        p.ihl = b[0] & 0x0F;
        int hlen = p.ihl * 4;
        p.tos = b[1] & 0xFF;
        p.totalLength = u16(b, 2);
        p.ttl = b[8] & 0xFF;
        p.protocol = b[9] & 0xFF;
        p.srcAddr = i32(b, 12);
        p.dstAddr = i32(b, 16);
        if (hlen < 20 || p.totalLength < hlen || p.totalLength > b.length) {
            return null;
        }
        p.ipChecksumOk = Checksum.verify(Checksum.sum(b, 0, hlen));
        int l4 = hlen;
        int l4len = p.totalLength - hlen;
        if (p.protocol == IpProtocol.TCP) {
            if (l4len < 20) {
                return null;
            }
            p.srcPort = u16(b, l4);
            p.dstPort = u16(b, l4 + 2);
            p.seq = i32(b, l4 + 4) & 0xFFFF_FFFFL;
            p.ack = i32(b, l4 + 8) & 0xFFFF_FFFFL;
            p.doff = (b[l4 + 12] & 0xF0) >> 4;
            p.reserved = (b[l4 + 12] & 0x0E) >> 1;
            p.flags = (b[l4 + 13] & 0xFF) | ((b[l4 + 12] & 0x01) != 0 ? PacketSpec.AE : 0);
            p.window = u16(b, l4 + 14);
            p.urgPointer = u16(b, l4 + 18);
            int thlen = p.doff * 4;
            if (thlen < 20 || thlen > l4len) {
                return null;
            }
            p.options = Arrays.copyOfRange(b, l4 + 20, l4 + thlen);
            p.payload = Arrays.copyOfRange(b, l4 + thlen, l4 + l4len);
        } else if (p.protocol == IpProtocol.UDP) {
            if (l4len < 8) {
                return null;
            }
            p.srcPort = u16(b, l4);
            p.dstPort = u16(b, l4 + 2);
            p.udpLength = u16(b, l4 + 4);
            p.payload = Arrays.copyOfRange(b, l4 + 8, l4 + l4len);
        } else if (p.protocol == IpProtocol.ICMP) {
            if (l4len < 8) {
                return null;
            }
            p.icmpType = b[l4] & 0xFF;
            p.icmpCode = b[l4 + 1] & 0xFF;
            p.payload = Arrays.copyOfRange(b, l4 + 8, l4 + l4len);
        } else {
            return null;
        }
        return p;
    }

    /** A copy whose fields can be rewritten. */
    LivePacket copy() {
        LivePacket c = new LivePacket();
        c.timeNanos = timeNanos;
        c.ipVersion = ipVersion;
        c.ihl = ihl;
        c.tos = tos;
        c.totalLength = totalLength;
        c.ttl = ttl;
        c.protocol = protocol;
        c.srcAddr = srcAddr;
        c.dstAddr = dstAddr;
        c.ipChecksumOk = ipChecksumOk;
        c.srcPort = srcPort;
        c.dstPort = dstPort;
        c.seq = seq;
        c.ack = ack;
        c.doff = doff;
        c.flags = flags;
        c.reserved = reserved;
        c.window = window;
        c.urgPointer = urgPointer;
        c.options = options.clone();
        c.udpLength = udpLength;
        c.icmpType = icmpType;
        c.icmpCode = icmpCode;
        c.payload = payload.clone();
        return c;
    }

    boolean isTcp() {
        return protocol == IpProtocol.TCP;
    }

    boolean isUdp() {
        return protocol == IpProtocol.UDP;
    }

    boolean isIcmp() {
        return protocol == IpProtocol.ICMP;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * The transport payload length (packetdrill's {@code packet_payload_len}): 0 for ICMP, whose
     * quoted datagram packetdrill counts as part of the ICMP header.
     */
    int payloadLen() {
        return isIcmp() ? 0 : payload.length;
    }

    /**
     * The offset in {@link #options} of the first option of {@code kind}, or -1 (walks the list as
     * {@code tcp_options_next}: EOL ends it, NOP is one byte, others carry their length).
     */
    int findOption(int kind) {
        int i = 0;
        while (i < options.length) {
            int k = options[i] & 0xFF;
            if (k == kind) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            if (k == 1) {
                i++;
                continue;
            }
            if (i + 1 >= options.length || (options[i + 1] & 0xFF) < 2) {
                return -1;
            }
            i += options[i + 1] & 0xFF;
        }
        return -1;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static int i32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
