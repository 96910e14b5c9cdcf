package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A flyweight view of an ICMP message (RFC 792) over a {@link ByteBuf}: the 8-byte header of
 * {@code struct icmphdr} ({@code include/uapi/linux/icmp.h}) and the data after it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |           Checksum            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Rest of header (by type)                     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data: echo data, or the original datagram's IP header     |  8
 * |     and at least its first 8 data bytes for an error ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Rest of header:
 *   echo request / reply    | Identifier                    | Sequence Number               |
 *   unreachable, frag needed| unused (zero)                 | Next-Hop MTU (RFC 1191)       |
 *   other unreachable, time exceeded: unused (zero)
 *   parameter problem       | Pointer       | unused                                        |
 *   redirect                | Gateway Internet Address                                      |
 * </pre>
 *
 * <p>The checksum covers the whole ICMP message, header and data, with no pseudo-header. The view
 * must therefore be wrapped over exactly the message: for a received datagram,
 * {@code wrap(buf, ip.payloadOffset(), ip.payloadLen())}.
 *
 * <p>Once {@link #checkLen()} has passed (at least the 8 header bytes), every accessor works.
 * Whether an error message quotes enough of the original datagram is checked by
 * {@link IcmpRepr#parse}; {@link #dataOffset()} is where that quote starts.
 *
 * <p>{@link #toString()} prints as tcpdump does: {@code ICMP echo request, id 1, seq 1, length 64},
 * {@code ICMP 10.0.0.2 udp port 9 unreachable, length 36}. The trailing length is the whole ICMP
 * message, header included, as in tcpdump.
 */
public final class IcmpHeader extends WireView {
    /** Offset of the type ({@link IcmpType}). */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the code ({@link IcmpCode}). */
    public static final int CODE_OFFSET = 1;
    /** Offset of the 16-bit checksum over the whole message. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Offset of the 32-bit rest of header, whose meaning depends on the type. */
    public static final int REST_OF_HEADER_OFFSET = 4;
    /** Offset of the echo identifier (echo request and reply). */
    public static final int IDENTIFIER_OFFSET = 4;
    /** Offset of the echo sequence number (echo request and reply). */
    public static final int SEQUENCE_OFFSET = 6;
    /** Offset of the next-hop MTU of a fragmentation-needed message (RFC 1191). */
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Offset of the parameter-problem pointer: the octet of the original header that was bad. */
    public static final int POINTER_OFFSET = 4;
    /** Offset of the redirect's gateway address. */
    public static final int GATEWAY_OFFSET = 4;
    /** Offset of the data: echo data, or the quoted original datagram of an error. */
    public static final int DATA_OFFSET = 8;

    /** The length of the header. */
    public static final int HEADER_LEN = 8;

    /**
     * Points this view at an ICMP message of {@code length} bytes (header and data) at
     * {@code offset}. Checks nothing; call {@link #checkLen()} before reading a received message.
     *
     * @return this view
     */
    public IcmpHeader wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies that the 8 header bytes are there ({@code icmp_rcv}'s {@code pskb_pull} of the
     * header). Every accessor works after it passes.
     *
     * @throws MalformedPacketException TRUNCATED when fewer than 8 bytes
     */
    public void checkLen() throws MalformedPacketException {
        if (length < HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED, "icmp: len=" + length);
        }
    }

    /** The message type ({@link IcmpType}). */
    public int type() {
        return buf.getUnsignedByte(offset + TYPE_OFFSET);
    }

    /** Sets the type (0..255). */
    public IcmpHeader setType(int type) {
        checkRange("type", type, 0xFF);
        buf.setByte(offset + TYPE_OFFSET, type);
        return this;
    }

    /** The code, whose meaning depends on the type ({@link IcmpCode}). */
    public int code() {
        return buf.getUnsignedByte(offset + CODE_OFFSET);
    }

    /** Sets the code (0..255). */
    public IcmpHeader setCode(int code) {
        checkRange("code", code, 0xFF);
        buf.setByte(offset + CODE_OFFSET, code);
        return this;
    }

    /** The checksum as it stands in the field. */
    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM_OFFSET);
    }

    /** Sets the checksum field (0..65535); see {@link #fillChecksum()}. */
    public IcmpHeader setChecksum(int checksum) {
        checkRange("checksum", checksum, 0xFFFF);
        buf.setShort(offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** The four rest-of-header bytes as one big-endian int, whatever the type makes of them. */
    public int restOfHeader() {
        return buf.getInt(offset + REST_OF_HEADER_OFFSET);
    }

    /** Sets the four rest-of-header bytes. */
    public IcmpHeader setRestOfHeader(int rest) {
        buf.setInt(offset + REST_OF_HEADER_OFFSET, rest);
        return this;
    }

    /** The echo identifier (Linux puts the ping socket's port here). */
    public int identifier() {
        return buf.getUnsignedShort(offset + IDENTIFIER_OFFSET);
    }

    /** Sets the echo identifier (0..65535). */
    public IcmpHeader setIdentifier(int identifier) {
        checkRange("identifier", identifier, 0xFFFF);
        buf.setShort(offset + IDENTIFIER_OFFSET, identifier);
        return this;
    }

    /** The echo sequence number. */
    public int sequence() {
        return buf.getUnsignedShort(offset + SEQUENCE_OFFSET);
    }

    /** Sets the echo sequence number (0..65535). */
    public IcmpHeader setSequence(int sequence) {
        checkRange("sequence", sequence, 0xFFFF);
        buf.setShort(offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /** The next-hop MTU of a fragmentation-needed message; 0 from a router older than RFC 1191. */
    public int nextHopMtu() {
        return buf.getUnsignedShort(offset + NEXT_HOP_MTU_OFFSET);
    }

    /** Sets the next-hop MTU (0..65535). */
    public IcmpHeader setNextHopMtu(int mtu) {
        checkRange("mtu", mtu, 0xFFFF);
        buf.setShort(offset + NEXT_HOP_MTU_OFFSET, mtu);
        return this;
    }

    /** The parameter-problem pointer: the offset of the bad octet in the quoted header. */
    public int pointer() {
        return buf.getUnsignedByte(offset + POINTER_OFFSET);
    }

    /** Sets the parameter-problem pointer (0..255). */
    public IcmpHeader setPointer(int pointer) {
        checkRange("pointer", pointer, 0xFF);
        buf.setByte(offset + POINTER_OFFSET, pointer);
        return this;
    }

    /** The redirect's gateway address bits. */
    public int gatewayAddr() {
        return buf.getInt(offset + GATEWAY_OFFSET);
    }

    /** Sets the redirect's gateway address bits. */
    public IcmpHeader setGatewayAddr(int addr) {
        buf.setInt(offset + GATEWAY_OFFSET, addr);
        return this;
    }

    /** The absolute buffer index of the data: echo data, or the quoted datagram of an error. */
    public int dataOffset() {
        return offset + DATA_OFFSET;
    }

    /** The number of data bytes after the header: {@code length() - 8}. */
    public int dataLen() {
        return length - HEADER_LEN;
    }

    /** True when the checksum verifies over the whole message ({@code length()} bytes). */
    public boolean verifyChecksum() {
        return Checksum.verify(Checksum.sum(buf, offset, length));
    }

    /** Computes the checksum over the whole message ({@code length()} bytes) and stores it. */
    public IcmpHeader fillChecksum() {
        setChecksum(0);
        return setChecksum(Checksum.compute(buf, offset, length));
    }

    /**
     * The message as tcpdump prints it: {@code ICMP echo request, id 1, seq 1, length 64},
     * {@code ICMP 10.0.0.2 udp port 9 unreachable, length 36},
     * {@code ICMP 10.0.0.2 unreachable - need to frag (mtu 1400), length 556},
     * {@code ICMP time exceeded in-transit, length 36}. An error whose quote is too short to name
     * the destination prints {@code [|icmp]} in its place. Never throws, even on a view that fails
     * {@link #checkLen()}.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "ICMP [unwrapped]";
        }
        if (length < HEADER_LEN) {
            return "ICMP [|icmp] len=" + length;
        }
        int type = type();
        int code = code();
        StringBuilder sb = new StringBuilder(80).append("ICMP ");
        switch (type) {
            case IcmpType.ECHO:
            case IcmpType.ECHOREPLY:
                sb.append(type == IcmpType.ECHO ? "echo request" : "echo reply")
                        .append(", id ").append(identifier()).append(", seq ").append(sequence());
                break;
            case IcmpType.DEST_UNREACH:
                appendUnreachable(sb, code);
                break;
            case IcmpType.TIME_EXCEEDED:
                sb.append(IcmpCode.timeExceededName(code));
                break;
            case IcmpType.TIMESTAMP:
                sb.append("time stamp query id ").append(identifier()).append(" seq ").append(sequence());
                break;
            case IcmpType.PARAMETERPROB:
                if (code != 0) {
                    sb.append("parameter problem - code ").append(code);
                } else {
                    sb.append("parameter problem - octet ").append(pointer());
                }
                break;
            case IcmpType.REDIRECT:
                if (quotedHeaderLen() == 0) {
                    sb.append("redirect [|icmp]");
                } else {
                    sb.append("redirect ").append(Ipv4Address.toString(quotedDstAddr()))
                            .append(code == IcmpCode.REDIR_NET || code == IcmpCode.REDIR_NETTOS ? " to net " : " to host ")
                            .append(Ipv4Address.toString(gatewayAddr()));
                }
                break;
            default:
                sb.append(IcmpType.name(type));
                break;
        }
        return sb.append(", length ").append(length).toString();
    }

    private void appendUnreachable(StringBuilder sb, int code) {
        int quotedHeaderLen = quotedHeaderLen();
        if (quotedHeaderLen == 0) {
            sb.append("unreachable [|icmp]");
            return;
        }
        String dst = Ipv4Address.toString(quotedDstAddr());
        int protocol = buf.getUnsignedByte(dataOffset() + Ipv4Header.PROTOCOL_OFFSET);
        if (code == IcmpCode.PROT_UNREACH) {
            sb.append(dst).append(" protocol ").append(protocol).append(" unreachable");
        } else if (code == IcmpCode.PORT_UNREACH) {
            if (dataLen() < quotedHeaderLen + 4) {
                sb.append(dst).append(" port unreachable [|icmp]");
                return;
            }
            int dstPort = buf.getUnsignedShort(dataOffset() + quotedHeaderLen + 2);
            sb.append(dst);
            if (protocol == IpProtocol.TCP) {
                sb.append(" tcp port ");
            } else if (protocol == IpProtocol.UDP) {
                sb.append(" udp port ");
            } else {
                sb.append(" protocol ").append(protocol).append(" port ");
            }
            sb.append(dstPort).append(" unreachable");
        } else if (code == IcmpCode.FRAG_NEEDED) {
            sb.append(dst).append(" unreachable - need to frag");
            int mtu = nextHopMtu();
            if (mtu != 0) {
                sb.append(" (mtu ").append(mtu).append(')');
            }
        } else {
            sb.append(String.format(IcmpCode.unreachableFormat(code), dst));
        }
    }

    /**
     * The length of the quoted IPv4 header when the data holds one with a sane version and IHL,
     * else 0. Only for printing: {@link IcmpRepr#parse} does the real check.
     */
    private int quotedHeaderLen() {
        if (dataLen() < Ipv4Header.HEADER_LEN) {
            return 0;
        }
        int versionIhl = buf.getUnsignedByte(dataOffset());
        int headerLen = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION || headerLen < Ipv4Header.HEADER_LEN || headerLen > dataLen()) {
            return 0;
        }
        return headerLen;
    }

    private int quotedDstAddr() {
        return buf.getInt(dataOffset() + Ipv4Header.DST_ADDR_OFFSET);
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("icmp: " + field + "=" + value + " not in 0.." + max);
        }
    }
}
