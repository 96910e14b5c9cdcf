package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A TCP header, parsed and validated (RFC 9293 3.1): the representation face of {@link TcpHeader}.
 * The payload is not part of it, only its length: payload bytes stay in the skb, where
 * {@code tcp_sendmsg} put them, and the header is written in front of them.
 *
 * <pre>{@code
 * TcpRepr syn = new TcpRepr(44580, 9501, iss, 0, TcpHeader.SYN, 65495, 0,
 *         TcpOptions.NONE.withMss(65495).withSackPermitted(true).withTimestamps(tsVal, 0)
 *                 .withWindowScale(10), 0);
 * syn.emit(view.wrap(buf, at, syn.bufferLen()), src, dst);   // mss 65495,sackOK,TS …,nop,wscale 10
 * }</pre>
 *
 * @param srcPort       source port, 0..65535
 * @param dstPort       destination port, 0..65535
 * @param seq           sequence number, modulo 2^32 (compare with serial arithmetic)
 * @param ack           acknowledgment number, modulo 2^32; meaningful when {@link TcpHeader#ACK} is set
 * @param flags         flag bits, {@link TcpHeader#FIN} … {@link TcpHeader#CWR}, 0..255
 * @param window        raw window field, 0..65535, unscaled
 * @param urgentPointer urgent pointer, 0..65535
 * @param options       the options; {@link TcpOptions#NONE} for none
 * @param payloadLen    bytes of payload after the header, 0 or more
 */
public record TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgentPointer,
                      TcpOptions options, int payloadLen) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a field is out of its range or options is null
     */
    public TcpRepr {
        checkU16("srcPort", srcPort);
        checkU16("dstPort", dstPort);
        checkU16("window", window);
        checkU16("urgentPointer", urgentPointer);
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("tcp: flags=" + flags + " not in 0..255");
        }
        if (options == null) {
            throw new IllegalArgumentException("tcp: options=null (use TcpOptions.NONE)");
        }
        if (payloadLen < 0) {
            throw new IllegalArgumentException("tcp: payloadLen=" + payloadLen + " < 0");
        }
    }

    private static void checkU16(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("tcp: " + name + "=" + value + " not in 0..65535");
        }
    }

    /**
     * Parses a segment: runs {@link TcpHeader#checkLen()}, verifies the checksum when asked
     * ({@code tcp_v4_rcv} checks it unless the device vouched for it), and reads every field.
     * The reserved bits are ignored (RFC 9293: must be ignored by the receiver).
     *
     * @param view           a view over the header and payload of one segment
     * @param srcAddr        IPv4 source address bits, for the pseudo-header
     * @param dstAddr        IPv4 destination address bits
     * @param verifyChecksum whether to verify the checksum
     * @throws MalformedPacketException the reasons of {@link TcpHeader#checkLen()}, or
     *         {@link MalformedReason#BAD_CHECKSUM}
     */
    public static TcpRepr parse(TcpHeader view, int srcAddr, int dstAddr, boolean verifyChecksum)
            throws MalformedPacketException {
        view.checkLen();
        if (verifyChecksum && !view.verifyChecksum(srcAddr, dstAddr)) {
            throw new MalformedPacketException(MalformedReason.BAD_CHECKSUM,
                    String.format("tcp: cksum=0x%04x want=0x%04x len=%d", view.checksum(),
                            view.expectedChecksum(srcAddr, dstAddr), view.length()));
        }
        return new TcpRepr(view.srcPort(), view.dstPort(), view.seq(), view.ack(), view.flags(), view.window(),
                view.urgentPointer(), TcpOptions.parse(view), view.payloadLen());
    }

    /** Header length this repr emits: 20 plus {@link TcpOptions#length()}, a multiple of 4, at most 60. */
    public int headerLen() {
        return TcpHeader.MIN_HEADER_LEN + options.length();
    }

    /**
     * Bytes {@link #emit} writes: the header with its options, padded to 4. The payload is not
     * included; a view to emit into covers {@code bufferLen() + payloadLen()} bytes, the payload
     * already in place after the header.
     */
    public int bufferLen() {
        return headerLen();
    }

    /**
     * Sequence space the segment occupies, SEG.LEN of RFC 9293 3.4: the payload, plus one for SYN,
     * plus one for FIN.
     */
    public int segmentLen() {
        return payloadLen + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
    }

    /** True when every flag in {@code mask} is set. */
    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /**
     * Writes the header and options into {@code view} and fills the checksum over the pseudo-header
     * and the view's {@link TcpHeader#length()} bytes, as {@code tcp_transmit_skb} builds the
     * header and {@code tcp_v4_send_check} sums it. Never fails when the view covers at least
     * {@link #bufferLen()} bytes; payload bytes after the header must already be in place, since
     * the checksum covers them.
     */
    public void emit(TcpHeader view, int srcAddr, int dstAddr) {
        writeHeader(view);
        view.fillChecksum(srcAddr, dstAddr);
    }

    private void writeHeader(TcpHeader view) {
        view.setSrcPort(srcPort);
        view.setDstPort(dstPort);
        view.setSeq(seq);
        view.setAck(ack);
        view.setHeaderLen(headerLen());
        view.setFlags(flags);
        view.setWindow(window);
        view.setChecksum(0);
        view.setUrgentPointer(urgentPointer);
        options.emit(view.buffer(), view.offset() + TcpHeader.OPTIONS_OFFSET);
    }

    /**
     * The ports and then what the emitted header prints as with {@code tcpdump -nn -S}:
     * {@code 44580 > 9501: Flags [S], seq 3577966761, win 65495, options [mss 65495,…], length 0}.
     */
    @Override
    public String toString() {
        int hlen = headerLen();
        ByteBuf tmp = Unpooled.wrappedBuffer(new byte[hlen]);
        writeHeader(new TcpHeader().wrap(tmp, 0, hlen));
        // The printer reads nothing past the header, so the payload need not be there.
        return srcPort + " > " + dstPort + ": " + TcpDump.format(tmp, 0, hlen + payloadLen);
    }
}
