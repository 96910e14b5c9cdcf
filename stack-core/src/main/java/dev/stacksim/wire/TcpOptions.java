package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of a TCP segment, parsed: the ones the stack speaks as fields, every other kind kept
 * as {@link UnknownOption} (kind and bytes) so that it is emitted again. The kernel's counterparts
 * are {@code struct tcp_options_received} (input) and {@code struct tcp_out_options} (output).
 *
 * <h2>Layout on output</h2>
 * {@link #length()} bytes are written, always a multiple of 4, in the order and with the NOP
 * padding of Linux's {@code tcp_options_write}, which keeps every 32-bit value 4-byte aligned:
 * <pre>
 *   MSS            02 04 mm mm
 *   SACK-Perm + TS 04 02 08 0a  tsval  tsecr      (both: SACK-Permitted rides in the TS word)
 *   TS             01 01 08 0a  tsval  tsecr
 *   SACK-Perm      01 01 04 02                    (without TS)
 *   Window Scale   01 03 03 ss
 *   SACK           01 01 05 len  start end ...    (len = 2 + 8 * blocks)
 *   unknown kinds  kind len data ..., then NOPs up to a multiple of 4
 * </pre>
 * A SYN thus reads {@code mss 1460,sackOK,TS val … ecr 0,nop,wscale 7} and a data segment
 * {@code nop,nop,TS val … ecr …} or {@code nop,nop,TS …,nop,nop,sack 1 {…}}.
 *
 * <p>Linux never sends a combination that does not fit 40 bytes this way, but a received segment
 * can (Window Scale beside three SACK blocks and timestamps). Such options are written packed
 * instead (the same order, no NOP before each option, NOPs at the end), so that every segment
 * {@link TcpRepr#parse parsed} can be emitted again. Options that do not fit 40 bytes even packed
 * are rejected when constructed, with the numbers.
 *
 * <p>A parsed segment keeps, of each known kind, the last one (as {@code tcp_parse_options}
 * does), and drops NOP, EOL and the bytes after EOL: emitting it gives the same options, not
 * always the same bytes.
 *
 * @param mss           Maximum Segment Size (RFC 9293 3.7.1), 0..65535, or -1 when absent
 * @param windowScale   Window Scale shift count (RFC 7323 2), 0..255 as sent (only 0..14 are
 *                      used), or -1 when absent
 * @param sackPermitted whether SACK-Permitted (RFC 2018) is present
 * @param timestamps    whether Timestamps (RFC 7323 3) are present
 * @param tsVal         TSval, an unsigned 32-bit clock in an {@code int}; 0 when {@code timestamps} is false
 * @param tsEcr         TSecr, likewise; 0 when {@code timestamps} is false
 * @param sackBlocks    SACK blocks (RFC 2018 3), 0..4, in option order (the most recent first)
 * @param unknown       options of other kinds, in the order received
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int tsVal,
                         int tsEcr, List<SackBlock> sackBlocks, List<UnknownOption> unknown) {

    /** No options at all: a 20-byte header. */
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0, List.of(), List.of());

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a value is out of range, a known kind is passed as
     *         unknown, or the options need more than 40 bytes
     */
    public TcpOptions {
        if (mss < -1 || mss > 0xFFFF) {
            throw new IllegalArgumentException("tcp options: mss=" + mss + " not in -1..65535");
        }
        if (windowScale < -1 || windowScale > 0xFF) {
            throw new IllegalArgumentException("tcp options: wscale=" + windowScale + " not in -1..255");
        }
        if (!timestamps && (tsVal != 0 || tsEcr != 0)) {
            throw new IllegalArgumentException("tcp options: timestamps=false tsVal=" + Integer.toUnsignedString(tsVal)
                    + " tsEcr=" + Integer.toUnsignedString(tsEcr) + " (both must be 0)");
        }
        sackBlocks = List.copyOf(sackBlocks);
        unknown = List.copyOf(unknown);
        if (sackBlocks.size() > TcpHeader.MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("tcp options: sack blocks=" + sackBlocks.size()
                    + " max=" + TcpHeader.MAX_SACK_BLOCKS);
        }
        int packed = packedLength(mss, windowScale, sackPermitted, timestamps, sackBlocks.size(), unknown);
        if (packed > TcpHeader.MAX_OPTIONS_LEN) {
            throw new IllegalArgumentException("tcp options: len=" + packed + " max=" + TcpHeader.MAX_OPTIONS_LEN
                    + " (mss=" + (mss >= 0 ? 4 : 0) + " wscale=" + (windowScale >= 0 ? 3 : 0)
                    + " sackOK=" + (sackPermitted ? 2 : 0) + " ts=" + (timestamps ? 10 : 0)
                    + " sack=" + (sackBlocks.isEmpty() ? 0 : 2 + 8 * sackBlocks.size())
                    + " unknown=" + unknownLength(unknown) + ", padded to 4)");
        }
    }

    /** These options with MSS {@code mss} (-1 removes it). */
    public TcpOptions withMss(int mss) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, sackBlocks, unknown);
    }

    /** These options with Window Scale {@code shift} (-1 removes it). */
    public TcpOptions withWindowScale(int shift) {
        return new TcpOptions(mss, shift, sackPermitted, timestamps, tsVal, tsEcr, sackBlocks, unknown);
    }

    /** These options with SACK-Permitted present or not. */
    public TcpOptions withSackPermitted(boolean permitted) {
        return new TcpOptions(mss, windowScale, permitted, timestamps, tsVal, tsEcr, sackBlocks, unknown);
    }

    /** These options with Timestamps {@code tsVal}, {@code tsEcr}. */
    public TcpOptions withTimestamps(int tsVal, int tsEcr) {
        return new TcpOptions(mss, windowScale, sackPermitted, true, tsVal, tsEcr, sackBlocks, unknown);
    }

    /** These options without Timestamps. */
    public TcpOptions withoutTimestamps() {
        return new TcpOptions(mss, windowScale, sackPermitted, false, 0, 0, sackBlocks, unknown);
    }

    /** These options with {@code blocks} as SACK blocks (empty removes the SACK option). */
    public TcpOptions withSackBlocks(List<SackBlock> blocks) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, blocks, unknown);
    }

    /** These options with {@code options} as the options of other kinds. */
    public TcpOptions withUnknown(List<UnknownOption> options) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, sackBlocks, options);
    }

    /** Bytes {@link #emit} writes: a multiple of 4, at most 40. */
    public int length() {
        int linux = linuxLength();
        return linux <= TcpHeader.MAX_OPTIONS_LEN
                ? linux
                : packedLength(mss, windowScale, sackPermitted, timestamps, sackBlocks.size(), unknown);
    }

    private int linuxLength() {
        int len = 0;
        if (mss >= 0) {
            len += 4;
        }
        if (timestamps) {
            len += 12;
        } else if (sackPermitted) {
            len += 4;
        }
        if (windowScale >= 0) {
            len += 4;
        }
        if (!sackBlocks.isEmpty()) {
            len += 4 + TcpHeader.OPTLEN_SACK_PERBLOCK * sackBlocks.size();
        }
        return len + roundUp4(unknownLength(unknown));
    }

    private static int packedLength(int mss, int windowScale, boolean sackPermitted, boolean timestamps,
                                    int sackBlockCount, List<UnknownOption> unknown) {
        int len = (mss >= 0 ? TcpHeader.OPTLEN_MSS : 0)
                + (timestamps ? TcpHeader.OPTLEN_TIMESTAMP : 0)
                + (sackPermitted ? TcpHeader.OPTLEN_SACK_PERM : 0)
                + (windowScale >= 0 ? TcpHeader.OPTLEN_WINDOW : 0)
                + (sackBlockCount > 0 ? TcpHeader.OPTLEN_SACK_BASE + TcpHeader.OPTLEN_SACK_PERBLOCK * sackBlockCount : 0)
                + unknownLength(unknown);
        return roundUp4(len);
    }

    private static int unknownLength(List<UnknownOption> unknown) {
        int len = 0;
        for (UnknownOption o : unknown) {
            len += o.length();
        }
        return len;
    }

    private static int roundUp4(int n) {
        return (n + 3) & ~3;
    }

    /**
     * Writes {@link #length()} bytes at index {@code pos} of {@code buf} (see the class comment
     * for the layout).
     *
     * @return the number of bytes written
     */
    int emit(ByteBuf buf, int pos) {
        int start = pos;
        if (linuxLength() <= TcpHeader.MAX_OPTIONS_LEN) {
            if (mss >= 0) {
                pos = put4(buf, pos, TcpHeader.OPT_MSS, TcpHeader.OPTLEN_MSS, mss >>> 8, mss);
            }
            if (timestamps) {
                pos = sackPermitted
                        ? put4(buf, pos, TcpHeader.OPT_SACK_PERM, TcpHeader.OPTLEN_SACK_PERM,
                                TcpHeader.OPT_TIMESTAMP, TcpHeader.OPTLEN_TIMESTAMP)
                        : put4(buf, pos, TcpHeader.OPT_NOP, TcpHeader.OPT_NOP,
                                TcpHeader.OPT_TIMESTAMP, TcpHeader.OPTLEN_TIMESTAMP);
                buf.setInt(pos, tsVal);
                buf.setInt(pos + 4, tsEcr);
                pos += 8;
            } else if (sackPermitted) {
                pos = put4(buf, pos, TcpHeader.OPT_NOP, TcpHeader.OPT_NOP,
                        TcpHeader.OPT_SACK_PERM, TcpHeader.OPTLEN_SACK_PERM);
            }
            if (windowScale >= 0) {
                pos = put4(buf, pos, TcpHeader.OPT_NOP, TcpHeader.OPT_WINDOW, TcpHeader.OPTLEN_WINDOW, windowScale);
            }
            if (!sackBlocks.isEmpty()) {
                buf.setByte(pos++, TcpHeader.OPT_NOP);
                buf.setByte(pos++, TcpHeader.OPT_NOP);
                pos = putSack(buf, pos);
            }
        } else {
            if (mss >= 0) {
                pos = put4(buf, pos, TcpHeader.OPT_MSS, TcpHeader.OPTLEN_MSS, mss >>> 8, mss);
            }
            if (timestamps) {
                buf.setByte(pos++, TcpHeader.OPT_TIMESTAMP);
                buf.setByte(pos++, TcpHeader.OPTLEN_TIMESTAMP);
                buf.setInt(pos, tsVal);
                buf.setInt(pos + 4, tsEcr);
                pos += 8;
            }
            if (sackPermitted) {
                buf.setByte(pos++, TcpHeader.OPT_SACK_PERM);
                buf.setByte(pos++, TcpHeader.OPTLEN_SACK_PERM);
            }
            if (windowScale >= 0) {
                buf.setByte(pos++, TcpHeader.OPT_WINDOW);
                buf.setByte(pos++, TcpHeader.OPTLEN_WINDOW);
                buf.setByte(pos++, windowScale);
            }
            if (!sackBlocks.isEmpty()) {
                pos = putSack(buf, pos);
            }
        }
        for (UnknownOption o : unknown) {
            buf.setByte(pos++, o.kind());
            buf.setByte(pos++, o.length());
            buf.setBytes(pos, o.data);
            pos += o.data.length;
        }
        while (((pos - start) & 3) != 0) {
            buf.setByte(pos++, TcpHeader.OPT_NOP);
        }
        return pos - start;
    }

    private int putSack(ByteBuf buf, int pos) {
        buf.setByte(pos++, TcpHeader.OPT_SACK);
        buf.setByte(pos++, TcpHeader.OPTLEN_SACK_BASE + TcpHeader.OPTLEN_SACK_PERBLOCK * sackBlocks.size());
        for (SackBlock b : sackBlocks) {
            buf.setInt(pos, b.start());
            buf.setInt(pos + 4, b.end());
            pos += 8;
        }
        return pos;
    }

    private static int put4(ByteBuf buf, int pos, int b0, int b1, int b2, int b3) {
        buf.setInt(pos, (b0 & 0xFF) << 24 | (b1 & 0xFF) << 16 | (b2 & 0xFF) << 8 | (b3 & 0xFF));
        return pos + 4;
    }

    /**
     * The options of a view that has passed {@link TcpHeader#checkLen()}; never fails on such a
     * view, since every option there fits 40 bytes packed.
     */
    static TcpOptions parse(TcpHeader view) {
        if (view.firstOption() < 0) {
            return NONE;
        }
        ByteBuf buf = view.buffer();
        int mss = -1;
        int windowScale = -1;
        boolean sackPermitted = false;
        boolean timestamps = false;
        int tsVal = 0;
        int tsEcr = 0;
        List<SackBlock> sack = List.of();
        List<UnknownOption> unknown = null;
        for (int p = view.firstOption(); p >= 0; p = view.nextOption(p)) {
            int kind = view.optionKindAt(p);
            int data = view.optionDataAt(p);
            switch (kind) {
                case TcpHeader.OPT_EOL:
                case TcpHeader.OPT_NOP:
                    break;
                case TcpHeader.OPT_MSS:
                    mss = buf.getUnsignedShort(data);
                    break;
                case TcpHeader.OPT_WINDOW:
                    windowScale = buf.getUnsignedByte(data);
                    break;
                case TcpHeader.OPT_SACK_PERM:
                    sackPermitted = true;
                    break;
                case TcpHeader.OPT_TIMESTAMP:
                    timestamps = true;
                    tsVal = buf.getInt(data);
                    tsEcr = buf.getInt(data + 4);
                    break;
                case TcpHeader.OPT_SACK: {
                    int n = (view.optionLengthAt(p) - TcpHeader.OPTLEN_SACK_BASE) / TcpHeader.OPTLEN_SACK_PERBLOCK;
                    SackBlock[] blocks = new SackBlock[n];
                    for (int i = 0; i < n; i++) {
                        int at = data + i * TcpHeader.OPTLEN_SACK_PERBLOCK;
                        blocks[i] = new SackBlock(buf.getInt(at), buf.getInt(at + 4));
                    }
                    sack = List.of(blocks);
                    break;
                }
                default: {
                    byte[] bytes = new byte[view.optionLengthAt(p) - 2];
                    buf.getBytes(data, bytes);
                    if (unknown == null) {
                        unknown = new ArrayList<>(2);
                    }
                    unknown.add(new UnknownOption(kind, bytes));
                    break;
                }
            }
        }
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, sack,
                unknown == null ? List.of() : unknown);
    }

    /** The options as tcpdump prints what {@link #emit} writes: {@code mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7}. */
    @Override
    public String toString() {
        int len = length();
        if (len == 0) {
            return "";
        }
        ByteBuf tmp = Unpooled.wrappedBuffer(new byte[len]);
        emit(tmp, 0);
        StringBuilder sb = new StringBuilder(64);
        TcpDump.appendOptions(sb, tmp, 0, len);
        return sb.toString();
    }

    /**
     * One SACK block (RFC 2018 3): the sequence space {@code [start, end)} received out of order.
     *
     * @param start left edge, the first sequence number of the block
     * @param end   right edge, the sequence number after the last one of the block
     */
    public record SackBlock(int start, int end) {
        @Override
        public String toString() {
            return "{" + Integer.toUnsignedString(start) + ":" + Integer.toUnsignedString(end) + "}";
        }
    }

    /**
     * An option of a kind this stack does not interpret, kept to be emitted again unchanged.
     *
     * @param kind the kind byte; not EOL, NOP, or a kind {@link TcpOptions} has a field for
     * @param data the bytes after the kind and length bytes, 0..38 of them (copied in and out)
     */
    public record UnknownOption(int kind, byte[] data) {
        /**
         * Validates and copies {@code data}.
         *
         * @throws IllegalArgumentException when the kind is known or out of 2..255, or the option
         *         would exceed 40 bytes
         */
        public UnknownOption {
            switch (kind) {
                case TcpHeader.OPT_EOL:
                case TcpHeader.OPT_NOP:
                case TcpHeader.OPT_MSS:
                case TcpHeader.OPT_WINDOW:
                case TcpHeader.OPT_SACK_PERM:
                case TcpHeader.OPT_SACK:
                case TcpHeader.OPT_TIMESTAMP:
                    throw new IllegalArgumentException("tcp options: kind=" + kind + " ("
                            + TcpDump.optionName(kind) + ") is not unknown; use its TcpOptions field");
                default:
                    if (kind < 0 || kind > 0xFF) {
                        throw new IllegalArgumentException("tcp options: kind=" + kind + " not in 0..255");
                    }
            }
            if (data.length > TcpHeader.MAX_OPTIONS_LEN - 2) {
                throw new IllegalArgumentException("tcp options: kind=" + kind + " data=" + data.length
                        + " max=" + (TcpHeader.MAX_OPTIONS_LEN - 2));
            }
            data = data.clone();
        }

        /** A copy of the option's data bytes. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The option's total length on the wire: kind, length and data bytes. */
        public int length() {
            return 2 + data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnknownOption && ((UnknownOption) o).kind == kind
                    && Arrays.equals(((UnknownOption) o).data, data);
        }

        @Override
        public int hashCode() {
            return 31 * kind + Arrays.hashCode(data);
        }

        /** As tcpdump prints it: {@code unknown-99 0x0102}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(TcpDump.optionName(kind));
            if (data.length > 0) {
                sb.append(" 0x");
                for (byte b : data) {
                    sb.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
            }
            return sb.toString();
        }
    }
}
