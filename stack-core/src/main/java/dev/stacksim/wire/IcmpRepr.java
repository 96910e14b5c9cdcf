package dev.stacksim.wire;

/**
 * A parsed, validated ICMP message (RFC 792) of one of the kinds this stack answers or acts on,
 * as {@code icmp_rcv} dispatches them: {@link EchoRequest}, {@link EchoReply},
 * {@link DestUnreachable} and {@link TimeExceeded}. Any other type is UNSUPPORTED_ICMP.
 *
 * <h2>Data stays in the buffer</h2>
 * A representation holds the 8-byte header's meaning and the <em>length</em> of the data after
 * it, never the data: the echo payload or the quoted original datagram stays where it is, at
 * {@link IcmpHeader#dataOffset()}. The echo reply reuses the request's data in place (as
 * {@code icmp_echo} does); an error handler wraps an {@link Ipv4Header} over the quote.
 *
 * <h2>Emitting</h2>
 * {@link #emit} writes the 8 header bytes and then computes the checksum over the header
 * <em>and</em> the {@link #dataLen()} bytes after it, so those bytes must already be in place: the
 * caller copies the echo data, or the quote of the original datagram, to
 * {@link IcmpHeader#dataOffset()} first. {@link #bufferLen()} is therefore the whole message.
 *
 * <h2>How much of the original an error quotes</h2>
 * RFC 792 asks for the original IP header and the first 8 bytes of its data; RFC 1812 4.3.2.3
 * allows as much as fits in a 576-byte error, and Linux's {@code icmp_send} quotes that much. The
 * caller chooses: {@link DestUnreachable#quotedLen()} is how many bytes of the original follow the
 * header, and {@link #quoteLen(int, int)} computes Linux's choice.
 */
public sealed interface IcmpRepr permits IcmpRepr.EchoRequest, IcmpRepr.EchoReply, IcmpRepr.DestUnreachable,
        IcmpRepr.TimeExceeded {

    /** The largest error datagram Linux sends, IP header included (RFC 1812 4.3.2.3, {@code icmp_send}). */
    int MAX_ERROR_DATAGRAM_LEN = 576;

    /** The number of bytes of the original's data an error must quote after its IP header (RFC 792). */
    int MIN_QUOTED_DATA_LEN = 8;

    /** The message type ({@link IcmpType}). */
    int type();

    /** The message code ({@link IcmpCode}); 0 for echo. */
    int code();

    /** The bytes after the 8-byte header: echo data, or the quoted original datagram. */
    int dataLen();

    /** The length of the header {@link #emit} writes: 8. */
    default int headerLen() {
        return IcmpHeader.HEADER_LEN;
    }

    /** The whole message, header and data: the bytes the view given to {@link #emit} must cover. */
    default int bufferLen() {
        return IcmpHeader.HEADER_LEN + dataLen();
    }

    /**
     * Writes the 8 header bytes and the checksum over header plus the {@link #dataLen()} bytes
     * already after it.
     *
     * @throws IllegalArgumentException when the view covers fewer than {@link #bufferLen()} bytes
     */
    void emit(IcmpHeader view);

    /** Parses and validates the message, verifying its checksum: {@code parse(view, true)}. */
    static IcmpRepr parse(IcmpHeader view) throws MalformedPacketException {
        return parse(view, true);
    }

    /**
     * Parses the message the view was wrapped over: {@link IcmpHeader#checkLen()}, the checksum
     * when {@code verifyChecksum}, then by type. An error message must quote a sane IPv4 header
     * (version 4, IHL at least 5, within the quote) and 8 bytes after it, as
     * {@code icmp_unreach} and {@code icmp_socket_deliver} require before they look up the socket
     * the error is for. An echo's code is ignored, as {@code icmp_echo} ignores it.
     *
     * @throws MalformedPacketException TRUNCATED (header, or a quote shorter than header + 8),
     *                                  BAD_CHECKSUM, BAD_VERSION / BAD_IHL / BAD_LENGTH (the quoted
     *                                  header), UNSUPPORTED_ICMP (any other type, or a code beyond
     *                                  those defined)
     */
    static IcmpRepr parse(IcmpHeader view, boolean verifyChecksum) throws MalformedPacketException {
        view.checkLen();
        int type = view.type();
        int code = view.code();
        if (verifyChecksum) {
            int sum = Checksum.sum(view.buffer(), view.offset(), view.length());
            if (!Checksum.verify(sum)) {
                int field = view.checksum();
                throw new MalformedPacketException(MalformedReason.BAD_CHECKSUM,
                        "icmp: type=" + type + " checksum=0x" + Integer.toHexString(field) + " computed=0x"
                                + Integer.toHexString(Checksum.finish(Checksum.combine(sum, ~field & 0xFFFF))));
            }
        }
        switch (type) {
            case IcmpType.ECHO:
                return new EchoRequest(view.identifier(), view.sequence(), view.dataLen());
            case IcmpType.ECHOREPLY:
                return new EchoReply(view.identifier(), view.sequence(), view.dataLen());
            case IcmpType.DEST_UNREACH:
                if (code > IcmpCode.MAX_UNREACH) {
                    throw unsupported(type, code);
                }
                checkQuote(view);
                return new DestUnreachable(code, code == IcmpCode.FRAG_NEEDED ? view.nextHopMtu() : 0, view.dataLen());
            case IcmpType.TIME_EXCEEDED:
                if (code > IcmpCode.EXC_FRAGTIME) {
                    throw unsupported(type, code);
                }
                checkQuote(view);
                return new TimeExceeded(code, view.dataLen());
            default:
                throw unsupported(type, code);
        }
    }

    /**
     * How many bytes of an original datagram of {@code originalLen} bytes an error should quote,
     * as Linux's {@code icmp_send} decides: as many as fit in an error datagram of
     * {@code min(mtu, 576)} bytes after a 20-byte IP header (an error carries no IP options here)
     * and the 8-byte ICMP header.
     *
     * @param originalLen the original datagram's length, IP header included
     * @param mtu         the MTU of the route back to the original's sender
     */
    static int quoteLen(int originalLen, int mtu) {
        int room = Math.min(mtu, MAX_ERROR_DATAGRAM_LEN) - Ipv4Header.HEADER_LEN - IcmpHeader.HEADER_LEN;
        return Math.max(0, Math.min(originalLen, room));
    }

    private static void checkQuote(IcmpHeader view) throws MalformedPacketException {
        int quoted = view.dataLen();
        if (quoted < Ipv4Header.HEADER_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED,
                    "icmp: type=" + view.type() + " quoted=" + quoted + " need=" + Ipv4Header.HEADER_LEN);
        }
        int versionIhl = view.buffer().getUnsignedByte(view.dataOffset());
        int version = versionIhl >>> 4;
        int ihl = versionIhl & 0x0F;
        if (version != Ipv4Header.VERSION) {
            throw new MalformedPacketException(MalformedReason.BAD_VERSION,
                    "icmp: type=" + view.type() + " quoted version=" + version);
        }
        if (ihl < 5) {
            throw new MalformedPacketException(MalformedReason.BAD_IHL,
                    "icmp: type=" + view.type() + " quoted ihl=" + ihl);
        }
        if (ihl * 4 > quoted) {
            throw new MalformedPacketException(MalformedReason.BAD_LENGTH,
                    "icmp: type=" + view.type() + " quoted ihl=" + ihl + " hdrlen=" + ihl * 4 + " quoted=" + quoted);
        }
        if (quoted < ihl * 4 + MIN_QUOTED_DATA_LEN) {
            throw new MalformedPacketException(MalformedReason.TRUNCATED,
                    "icmp: type=" + view.type() + " quoted=" + quoted + " need=" + (ihl * 4 + MIN_QUOTED_DATA_LEN));
        }
    }

    private static MalformedPacketException unsupported(int type, int code) {
        return new MalformedPacketException(MalformedReason.UNSUPPORTED_ICMP, "icmp: type=" + type + " code=" + code);
    }

    /** Writes type, code and rest of header, then the checksum over header and {@code dataLen} bytes. */
    private static void emitHeader(IcmpHeader view, int type, int code, int restOfHeader, int dataLen) {
        int len = IcmpHeader.HEADER_LEN + dataLen;
        if (view.length() < len) {
            throw new IllegalArgumentException("icmp emit: len=" + view.length() + " bufferLen=" + len);
        }
        view.setType(type).setCode(code).setChecksum(0).setRestOfHeader(restOfHeader);
        view.setChecksum(Checksum.compute(view.buffer(), view.offset(), len));
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("icmp: " + field + "=" + value + " not in 0.." + max);
        }
    }

    /** The most data an ICMP message can carry in one IPv4 datagram without options. */
    private static int maxDataLen() {
        return Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.HEADER_LEN - IcmpHeader.HEADER_LEN;
    }

    /**
     * An echo request ({@code ping}): identifier and sequence number, and the length of the data
     * that follows, which the reply must return unchanged (RFC 792).
     *
     * @param identifier 0..65535; Linux ping sockets put their port here
     * @param sequence   0..65535
     * @param payloadLen bytes of echo data after the header
     */
    record EchoRequest(int identifier, int sequence, int payloadLen) implements IcmpRepr {
        /** @throws IllegalArgumentException naming a field out of range */
        public EchoRequest {
            check("identifier", identifier, 0xFFFF);
            check("sequence", sequence, 0xFFFF);
            check("payload_len", payloadLen, maxDataLen());
        }

        /** The reply {@code icmp_echo} sends: same identifier, sequence and data. */
        public EchoReply reply() {
            return new EchoReply(identifier, sequence, payloadLen);
        }

        /** {@link IcmpType#ECHO}. */
        @Override
        public int type() {
            return IcmpType.ECHO;
        }

        /** Always 0. */
        @Override
        public int code() {
            return 0;
        }

        /** The echo data length. */
        @Override
        public int dataLen() {
            return payloadLen;
        }

        /** Writes the header; the echo data must already follow it. */
        @Override
        public void emit(IcmpHeader view) {
            emitHeader(view, IcmpType.ECHO, 0, identifier << 16 | sequence, payloadLen);
        }
    }

    /**
     * An echo reply: the identifier, sequence number and data of the request it answers.
     *
     * @param identifier 0..65535
     * @param sequence   0..65535
     * @param payloadLen bytes of echo data after the header
     */
    record EchoReply(int identifier, int sequence, int payloadLen) implements IcmpRepr {
        /** @throws IllegalArgumentException naming a field out of range */
        public EchoReply {
            check("identifier", identifier, 0xFFFF);
            check("sequence", sequence, 0xFFFF);
            check("payload_len", payloadLen, maxDataLen());
        }

        /** {@link IcmpType#ECHOREPLY}. */
        @Override
        public int type() {
            return IcmpType.ECHOREPLY;
        }

        /** Always 0. */
        @Override
        public int code() {
            return 0;
        }

        /** The echo data length. */
        @Override
        public int dataLen() {
            return payloadLen;
        }

        /** Writes the header; the echo data must already follow it. */
        @Override
        public void emit(IcmpHeader view) {
            emitHeader(view, IcmpType.ECHOREPLY, 0, identifier << 16 | sequence, payloadLen);
        }
    }

    /**
     * Destination unreachable (RFC 792; codes of RFC 1122 and RFC 1812; next-hop MTU of RFC 1191).
     * The quoted original datagram follows the header.
     *
     * @param code       0..15 ({@link IcmpCode#NET_UNREACH} ... {@link IcmpCode#PREC_CUTOFF})
     * @param nextHopMtu the MTU for {@link IcmpCode#FRAG_NEEDED} (0 when the router did not say);
     *                   must be 0 for every other code
     * @param quotedLen  bytes of the original datagram after the header; a receiver needs its IP
     *                   header plus 8 (see {@link #quoteLen(int, int)})
     */
    record DestUnreachable(int code, int nextHopMtu, int quotedLen) implements IcmpRepr {
        /** @throws IllegalArgumentException naming a field out of range */
        public DestUnreachable {
            check("code", code, IcmpCode.MAX_UNREACH);
            check("mtu", nextHopMtu, 0xFFFF);
            if (nextHopMtu != 0 && code != IcmpCode.FRAG_NEEDED) {
                throw new IllegalArgumentException("icmp: mtu=" + nextHopMtu + " with code=" + code
                        + ", only code=" + IcmpCode.FRAG_NEEDED + " carries one");
            }
            check("quoted_len", quotedLen, maxDataLen());
        }

        /** {@link IcmpType#DEST_UNREACH}. */
        @Override
        public int type() {
            return IcmpType.DEST_UNREACH;
        }

        /** The quoted datagram's length. */
        @Override
        public int dataLen() {
            return quotedLen;
        }

        /** Writes the header (the unused bytes zero); the quote must already follow it. */
        @Override
        public void emit(IcmpHeader view) {
            emitHeader(view, IcmpType.DEST_UNREACH, code, nextHopMtu, quotedLen);
        }
    }

    /**
     * Time exceeded (RFC 792): TTL ran out in transit, or a datagram's fragments did not all
     * arrive in time. The quoted original datagram follows the header.
     *
     * @param code      {@link IcmpCode#EXC_TTL} or {@link IcmpCode#EXC_FRAGTIME}
     * @param quotedLen bytes of the original datagram after the header
     */
    record TimeExceeded(int code, int quotedLen) implements IcmpRepr {
        /** @throws IllegalArgumentException naming a field out of range */
        public TimeExceeded {
            check("code", code, IcmpCode.EXC_FRAGTIME);
            check("quoted_len", quotedLen, maxDataLen());
        }

        /** {@link IcmpType#TIME_EXCEEDED}. */
        @Override
        public int type() {
            return IcmpType.TIME_EXCEEDED;
        }

        /** The quoted datagram's length. */
        @Override
        public int dataLen() {
            return quotedLen;
        }

        /** Writes the header (the unused bytes zero); the quote must already follow it. */
        @Override
        public void emit(IcmpHeader view) {
            emitHeader(view, IcmpType.TIME_EXCEEDED, code, 0, quotedLen);
        }
    }
}
