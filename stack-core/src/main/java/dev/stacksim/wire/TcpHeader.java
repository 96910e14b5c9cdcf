package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * A flyweight view of a TCP segment (RFC 9293 section 3.1): header, options and payload, over a
 * netty {@link ByteBuf} at an offset. It copies nothing and allocates nothing; wrap it again for
 * the next segment.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |   0  SRC_PORT_OFFSET, DST_PORT_OFFSET
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |   4  SEQ_OFFSET
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |   8  ACK_OFFSET
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |  12  DOFF_OFFSET, FLAGS_OFFSET
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |  14  WINDOW_OFFSET
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |  16  CHECKSUM_OFFSET, URGENT_POINTER_OFFSET
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    [Options, 0..40 bytes]                     |  20  OPTIONS_OFFSET
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data                              |  dataOffset * 4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Offsets are relative to the start of the TCP header. {@link #length()} covers header and
 * payload (for a received segment: the IPv4 total length minus the IPv4 header length).
 *
 * <h2>Sequence numbers</h2>
 * {@link #seq()} and {@link #ack()} return the 32 bits as an {@code int}. They count modulo 2^32
 * (RFC 9293 3.4): never compare them with {@code <}; compare with serial arithmetic,
 * {@code (a - b) < 0} meaning "a before b", as the kernel's {@code before()}/{@code after()} do.
 * Print them with {@link Integer#toUnsignedString(int)}.
 *
 * <h2>Options</h2>
 * Options are walked without allocating, by position. A position is an index into
 * {@link #buffer()}, like {@link #payloadOffset()}:
 * <pre>{@code
 * for (int p = tcp.firstOption(); p >= 0; p = tcp.nextOption(p)) {
 *     if (tcp.optionKindAt(p) == TcpHeader.OPT_MSS) {
 *         mss = tcp.buffer().getUnsignedShort(tcp.optionDataAt(p));
 *     }
 * }
 * }</pre>
 * The walk yields every option including NOP and a final EOL; the bytes after an EOL are padding
 * and are not looked at. The convenience getters ({@link #mss()}, {@link #tsVal()} …) scan the
 * options each time they are called; as in {@code tcp_parse_options}, a later option of a kind
 * overrides an earlier one.
 *
 * <h2>Checks</h2>
 * {@link #checkLen()} is stricter than Linux: where {@code tcp_parse_options} silently stops at an
 * option whose length is impossible and ignores a known option of the wrong size, this view rejects
 * the segment ({@link MalformedReason#BAD_OPTION_LENGTH}, {@link MalformedReason#BAD_OPTION}).
 *
 * @see TcpRepr the parsed, validated form
 */
public final class TcpHeader extends WireView {
    /** Offset of the 16-bit source port. */
    public static final int SRC_PORT_OFFSET = 0;
    /** Offset of the 16-bit destination port. */
    public static final int DST_PORT_OFFSET = 2;
    /** Offset of the 32-bit sequence number. */
    public static final int SEQ_OFFSET = 4;
    /** Offset of the 32-bit acknowledgment number. */
    public static final int ACK_OFFSET = 8;
    /** Offset of the byte holding the data offset (high nibble) and the reserved bits (low nibble). */
    public static final int DOFF_OFFSET = 12;
    /** Offset of the flags byte (CWR ECE URG ACK PSH RST SYN FIN, most significant first). */
    public static final int FLAGS_OFFSET = 13;
    /** Offset of the 16-bit window, unscaled as it is on the wire. */
    public static final int WINDOW_OFFSET = 14;
    /** Offset of the 16-bit checksum. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Offset of the 16-bit urgent pointer. */
    public static final int URGENT_POINTER_OFFSET = 18;
    /** Offset of the first option, which is also the length of a header without options. */
    public static final int OPTIONS_OFFSET = 20;
    /** Length of the fixed header (data offset 5). */
    public static final int MIN_HEADER_LEN = 20;
    /** Largest header (data offset 15). */
    public static final int MAX_HEADER_LEN = 60;
    /** Most option bytes a header can carry ({@code MAX_TCP_OPTION_SPACE}). */
    public static final int MAX_OPTIONS_LEN = MAX_HEADER_LEN - MIN_HEADER_LEN;

    /** FIN: no more data from the sender. */
    public static final int FIN = 0x01;
    /** SYN: synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** RST: reset the connection. */
    public static final int RST = 0x04;
    /** PSH: push function. */
    public static final int PSH = 0x08;
    /** ACK: the acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** URG: the urgent pointer is significant. */
    public static final int URG = 0x20;
    /** ECE: ECN-Echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** CWR: congestion window reduced (RFC 3168). */
    public static final int CWR = 0x80;

    /** Option kind 0, End of Option List ({@code TCPOPT_EOL}); one byte. */
    public static final int OPT_EOL = 0;
    /** Option kind 1, No-Operation ({@code TCPOPT_NOP}); one byte, used to align options. */
    public static final int OPT_NOP = 1;
    /** Option kind 2, Maximum Segment Size ({@code TCPOPT_MSS}, RFC 9293 3.2). */
    public static final int OPT_MSS = 2;
    /** Option kind 3, Window Scale ({@code TCPOPT_WINDOW}, RFC 7323 2). */
    public static final int OPT_WINDOW = 3;
    /** Option kind 4, SACK-Permitted ({@code TCPOPT_SACK_PERM}, RFC 2018). */
    public static final int OPT_SACK_PERM = 4;
    /** Option kind 5, SACK ({@code TCPOPT_SACK}, RFC 2018). */
    public static final int OPT_SACK = 5;
    /** Option kind 8, Timestamps ({@code TCPOPT_TIMESTAMP}, RFC 7323 3). */
    public static final int OPT_TIMESTAMP = 8;

    /** Length of the MSS option ({@code TCPOLEN_MSS}). */
    public static final int OPTLEN_MSS = 4;
    /** Length of the Window Scale option ({@code TCPOLEN_WINDOW}). */
    public static final int OPTLEN_WINDOW = 3;
    /** Length of the SACK-Permitted option ({@code TCPOLEN_SACK_PERM}). */
    public static final int OPTLEN_SACK_PERM = 2;
    /** Length of the Timestamps option ({@code TCPOLEN_TIMESTAMP}). */
    public static final int OPTLEN_TIMESTAMP = 10;
    /** Length of a SACK option without blocks ({@code TCPOLEN_SACK_BASE}). */
    public static final int OPTLEN_SACK_BASE = 2;
    /** Length of one SACK block ({@code TCPOLEN_SACK_PERBLOCK}): left and right edge. */
    public static final int OPTLEN_SACK_PERBLOCK = 8;
    /** Most SACK blocks one option can hold: 4 * 8 + 2 = 34 of the 40 option bytes. */
    public static final int MAX_SACK_BLOCKS = 4;

    /** An unwrapped view; call {@link #wrap} before use. */
    public TcpHeader() {
    }

    /**
     * Points this view at {@code length} bytes (header and payload) at {@code offset} of
     * {@code buf}. Checks nothing; call {@link #checkLen()} before reading untrusted bytes.
     *
     * @return this view
     */
    public TcpHeader wrap(ByteBuf buf, int offset, int length) {
        set(buf, offset, length);
        return this;
    }

    /**
     * Verifies that every accessor can read what it reads (the smoltcp {@code check_len}
     * contract): the fixed header is there, the data offset is at least 5 and within
     * {@link #length()}, every option before an EOL has a length byte of at least 2 that stays
     * inside the options, and MSS, Window Scale, SACK-Permitted, Timestamps and SACK have the
     * lengths their RFCs give them.
     *
     * @throws MalformedPacketException with {@link MalformedReason#TRUNCATED},
     *         {@link MalformedReason#BAD_DATA_OFFSET}, {@link MalformedReason#BAD_LENGTH},
     *         {@link MalformedReason#BAD_OPTION_LENGTH} or {@link MalformedReason#BAD_OPTION}
     */
    public void checkLen() throws MalformedPacketException {
        if (length < MIN_HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED,
                    "tcp: len=" + length + " min=" + MIN_HEADER_LEN);
        }
        int doff = dataOffset();
        if (doff < 5) {
            throw new MalformedPacketException(MalformedReason.BAD_DATA_OFFSET,
                    "tcp: doff=" + doff + " len=" + length);
        }
        int hlen = doff * 4;
        if (hlen > length) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "tcp: doff=" + doff + " hlen=" + hlen + " len=" + length);
        }
        int at = OPTIONS_OFFSET;
        while (at < hlen) {
            int kind = buf.getUnsignedByte(offset + at);
            if (kind == OPT_EOL) {
                return;
            }
            if (kind == OPT_NOP) {
                at++;
                continue;
            }
            int room = hlen - at;
            if (room < 2) {
                throw new MalformedPacketException(MalformedReason.BAD_OPTION_LENGTH,
                        "tcp: option kind=" + kind + " at=" + at + " olen=missing room=" + room);
            }
            int olen = buf.getUnsignedByte(offset + at + 1);
            if (olen < 2 || olen > room) {
                throw new MalformedPacketException(MalformedReason.BAD_OPTION_LENGTH,
                        "tcp: option kind=" + kind + " at=" + at + " olen=" + olen + " room=" + room);
            }
            checkKnownLength(kind, olen, at);
            at += olen;
        }
    }

    private static void checkKnownLength(int kind, int olen, int at) throws MalformedPacketException {
        String want;
        switch (kind) {
            case OPT_MSS:
                want = olen == OPTLEN_MSS ? null : "4";
                break;
            case OPT_WINDOW:
                want = olen == OPTLEN_WINDOW ? null : "3";
                break;
            case OPT_SACK_PERM:
                want = olen == OPTLEN_SACK_PERM ? null : "2";
                break;
            case OPT_TIMESTAMP:
                want = olen == OPTLEN_TIMESTAMP ? null : "10";
                break;
            case OPT_SACK: {
                int blocks = (olen - OPTLEN_SACK_BASE) / OPTLEN_SACK_PERBLOCK;
                boolean ok = (olen - OPTLEN_SACK_BASE) % OPTLEN_SACK_PERBLOCK == 0
                        && blocks >= 1 && blocks <= MAX_SACK_BLOCKS;
                want = ok ? null : "10|18|26|34";
                break;
            }
            default:
                want = null;
        }
        if (want != null) {
            throw new MalformedPacketException(MalformedReason.BAD_OPTION,
                    "tcp: option kind=" + kind + " at=" + at + " olen=" + olen + " want=" + want);
        }
    }

    /** Source port, 0..65535. */
    public int srcPort() {
        return buf.getUnsignedShort(offset + SRC_PORT_OFFSET);
    }

    /** Sets the source port (the low 16 bits of {@code port}). */
    public void setSrcPort(int port) {
        buf.setShort(offset + SRC_PORT_OFFSET, port);
    }

    /** Destination port, 0..65535. */
    public int dstPort() {
        return buf.getUnsignedShort(offset + DST_PORT_OFFSET);
    }

    /** Sets the destination port (the low 16 bits of {@code port}). */
    public void setDstPort(int port) {
        buf.setShort(offset + DST_PORT_OFFSET, port);
    }

    /**
     * Sequence number of the first octet of this segment (of the SYN, when SYN is set): a number
     * modulo 2^32 in an {@code int}; compare with serial arithmetic ({@code seq - x < 0}).
     */
    public int seq() {
        return buf.getInt(offset + SEQ_OFFSET);
    }

    /** Sets the sequence number. */
    public void setSeq(int seq) {
        buf.setInt(offset + SEQ_OFFSET, seq);
    }

    /**
     * Acknowledgment number: the next sequence number the sender expects, significant when ACK is
     * set; modulo 2^32 like {@link #seq()}.
     */
    public int ack() {
        return buf.getInt(offset + ACK_OFFSET);
    }

    /** Sets the acknowledgment number. */
    public void setAck(int ack) {
        buf.setInt(offset + ACK_OFFSET, ack);
    }

    /** Data offset: the header length in 32-bit words, 0..15 as read (valid ones 5..15). */
    public int dataOffset() {
        return buf.getUnsignedByte(offset + DOFF_OFFSET) >>> 4;
    }

    /** Sets the data offset in 32-bit words (0..15); clears the reserved bits beside it. */
    public void setDataOffset(int words) {
        buf.setByte(offset + DOFF_OFFSET, (words & 0xF) << 4);
    }

    /** Header length in bytes, options included: {@code dataOffset() * 4}. */
    public int headerLen() {
        return dataOffset() * 4;
    }

    /** Sets the header length in bytes (a multiple of 4, 20..60); clears the reserved bits. */
    public void setHeaderLen(int bytes) {
        setDataOffset(bytes / 4);
    }

    /** The flags byte: a combination of {@link #FIN}, {@link #SYN} … {@link #CWR}. */
    public int flags() {
        return buf.getUnsignedByte(offset + FLAGS_OFFSET);
    }

    /** Sets the flags byte (the low 8 bits of {@code flags}). */
    public void setFlags(int flags) {
        buf.setByte(offset + FLAGS_OFFSET, flags);
    }

    /** True when FIN is set. */
    public boolean fin() {
        return (flags() & FIN) != 0;
    }

    /** True when SYN is set. */
    public boolean syn() {
        return (flags() & SYN) != 0;
    }

    /** True when RST is set. */
    public boolean rst() {
        return (flags() & RST) != 0;
    }

    /** True when PSH is set. */
    public boolean psh() {
        return (flags() & PSH) != 0;
    }

    /** True when ACK is set. */
    public boolean ackFlag() {
        return (flags() & ACK) != 0;
    }

    /** True when URG is set. */
    public boolean urg() {
        return (flags() & URG) != 0;
    }

    /** True when ECE is set. */
    public boolean ece() {
        return (flags() & ECE) != 0;
    }

    /** True when CWR is set. */
    public boolean cwr() {
        return (flags() & CWR) != 0;
    }

    /**
     * The window field as on the wire, 0..65535, not scaled: the receiver shifts it left by the
     * scale agreed in the handshake, except in a SYN (RFC 7323 2.2).
     */
    public int window() {
        return buf.getUnsignedShort(offset + WINDOW_OFFSET);
    }

    /** Sets the raw window field (the low 16 bits of {@code window}). */
    public void setWindow(int window) {
        buf.setShort(offset + WINDOW_OFFSET, window);
    }

    /** The checksum field as on the wire. */
    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM_OFFSET);
    }

    /** Sets the checksum field. */
    public void setChecksum(int checksum) {
        buf.setShort(offset + CHECKSUM_OFFSET, checksum);
    }

    /** Urgent pointer: offset from {@link #seq()} of the end of urgent data, significant when URG is set. */
    public int urgentPointer() {
        return buf.getUnsignedShort(offset + URGENT_POINTER_OFFSET);
    }

    /** Sets the urgent pointer (the low 16 bits). */
    public void setUrgentPointer(int pointer) {
        buf.setShort(offset + URGENT_POINTER_OFFSET, pointer);
    }

    /** Index in {@link #buffer()} of the first payload byte: {@code offset() + headerLen()}. */
    public int payloadOffset() {
        return offset + headerLen();
    }

    /** Payload bytes after the header: {@code length() - headerLen()}. */
    public int payloadLen() {
        return length - headerLen();
    }

    /**
     * True when the checksum verifies over the IPv4 pseudo-header (RFC 9293 3.1) and the
     * {@link #length()} bytes of header and payload.
     *
     * @param srcAddr IPv4 source address bits
     * @param dstAddr IPv4 destination address bits
     */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        return Checksum.verify(checksumSum(srcAddr, dstAddr));
    }

    /**
     * Computes the checksum over the pseudo-header, header and payload ({@link #length()} bytes)
     * and stores it: the software version of what {@code tcp_v4_send_check} leaves to offload.
     */
    public void fillChecksum(int srcAddr, int dstAddr) {
        setChecksum(0);
        setChecksum(Checksum.finish(checksumSum(srcAddr, dstAddr)));
    }

    /** The checksum a correct segment would carry, whatever the field holds now. */
    int expectedChecksum(int srcAddr, int dstAddr) {
        int old = checksum();
        int sumWithoutField = Checksum.combine(checksumSum(srcAddr, dstAddr), ~old & 0xFFFF);
        return Checksum.finish(sumWithoutField);
    }

    private int checksumSum(int srcAddr, int dstAddr) {
        return Checksum.combine(Checksum.pseudoHeader(srcAddr, dstAddr, IpProtocol.TCP, length),
                Checksum.sum(buf, offset, length));
    }

    // ---- options, by position (an index into buffer()) ----

    /** Position of the first option, or -1 when the header has none. */
    public int firstOption() {
        return headerLen() > MIN_HEADER_LEN ? offset + OPTIONS_OFFSET : -1;
    }

    /**
     * Position of the option after the one at {@code pos}, or -1 when {@code pos} holds an EOL or
     * the last option.
     */
    public int nextOption(int pos) {
        int kind = optionKindAt(pos);
        if (kind == OPT_EOL) {
            return -1;
        }
        int olen = optionLengthAt(pos);
        if (olen < 1) {
            // Only an unchecked view gets here; stopping beats looping forever on a zero length.
            return -1;
        }
        int next = pos + olen;
        return next < offset + headerLen() ? next : -1;
    }

    /** Kind byte of the option at {@code pos}. */
    public int optionKindAt(int pos) {
        return buf.getUnsignedByte(pos);
    }

    /** Total length of the option at {@code pos}, kind and length bytes included; 1 for EOL and NOP. */
    public int optionLengthAt(int pos) {
        int kind = optionKindAt(pos);
        return kind == OPT_EOL || kind == OPT_NOP ? 1 : buf.getUnsignedByte(pos + 1);
    }

    /** Position of the data of the option at {@code pos} (after its kind and length bytes). */
    public int optionDataAt(int pos) {
        return pos + 2;
    }

    /** Position of the last option of {@code kind}, or -1 when there is none. */
    public int findOption(int kind) {
        int found = -1;
        for (int p = firstOption(); p >= 0; p = nextOption(p)) {
            if (optionKindAt(p) == kind) {
                found = p;
            }
        }
        return found;
    }

    /** The MSS option's value, or -1 when absent. */
    public int mss() {
        int p = findOption(OPT_MSS);
        return p < 0 ? -1 : buf.getUnsignedShort(p + 2);
    }

    /** The Window Scale option's shift count as sent (0..255; RFC 7323 caps its use at 14), or -1 when absent. */
    public int windowScale() {
        int p = findOption(OPT_WINDOW);
        return p < 0 ? -1 : buf.getUnsignedByte(p + 2);
    }

    /** True when a SACK-Permitted option is present. */
    public boolean sackPermitted() {
        return findOption(OPT_SACK_PERM) >= 0;
    }

    /** True when a Timestamps option is present. */
    public boolean hasTimestamps() {
        return findOption(OPT_TIMESTAMP) >= 0;
    }

    /** TSval of the Timestamps option (an unsigned 32-bit clock in an {@code int}), or 0 when absent. */
    public int tsVal() {
        int p = findOption(OPT_TIMESTAMP);
        return p < 0 ? 0 : buf.getInt(p + 2);
    }

    /** TSecr of the Timestamps option (an unsigned 32-bit clock in an {@code int}), or 0 when absent. */
    public int tsEcr() {
        int p = findOption(OPT_TIMESTAMP);
        return p < 0 ? 0 : buf.getInt(p + 6);
    }

    /** Number of blocks in the SACK option, 0 when absent. */
    public int sackBlockCount() {
        int p = findOption(OPT_SACK);
        return p < 0 ? 0 : (optionLengthAt(p) - OPTLEN_SACK_BASE) / OPTLEN_SACK_PERBLOCK;
    }

    /** Left edge (first sequence number) of SACK block {@code i}, counted from 0 in option order. */
    public int sackBlockStart(int i) {
        return buf.getInt(sackBlockAt(i));
    }

    /** Right edge (sequence number after the last) of SACK block {@code i}. */
    public int sackBlockEnd(int i) {
        return buf.getInt(sackBlockAt(i) + 4);
    }

    private int sackBlockAt(int i) {
        int p = findOption(OPT_SACK);
        int count = p < 0 ? 0 : (optionLengthAt(p) - OPTLEN_SACK_BASE) / OPTLEN_SACK_PERBLOCK;
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("tcp: sack index=" + i + " count=" + count);
        }
        return p + OPTLEN_SACK_BASE + i * OPTLEN_SACK_PERBLOCK;
    }

    /**
     * The segment as {@code tcpdump -nn -S} prints it after the addresses:
     * {@code Flags [S.], seq 1000, ack 2001, win 65535, options [mss 1460,sackOK,TS val 100 ecr
     * 200,nop,wscale 7], length 0}, with absolute sequence numbers and tcpdump's flag letters
     * ({@code S F R P . U E W}, {@code none} when no flag is set). Never fails, whatever the bytes:
     * a bad header or option prints as tcpdump prints it ({@code [bad hdr length …]},
     * {@code [bad opt]}). Options beyond MSS, Window Scale, SACK-Permitted, SACK and Timestamps
     * print as tcpdump's name for the kind (or {@code unknown-K}) and their data in hex, where
     * tcpdump decodes some of them (md5, mptcp, tfo …) further.
     */
    @Override
    public String toString() {
        if (buf == null) {
            return "TcpHeader[unwrapped]";
        }
        return TcpDump.format(buf, offset, length);
    }
}
