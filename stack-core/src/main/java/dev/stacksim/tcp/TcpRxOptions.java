package dev.stacksim.tcp;

import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * The options of a received segment as Linux reads them ({@code tcp_parse_options} into
 * {@code struct tcp_options_received}): leniently, unlike the wire layer's strict parser. An
 * option whose length byte is wrong for its kind is skipped, not an error; a length that runs
 * past the header ends the parse; MSS, Window Scale and SACK-Permitted count only on a SYN
 * ({@code estab} false). One instance is reused for every segment: no allocation.
 */
final class TcpRxOptions {
    /** A Timestamps option was present ({@code saw_tstamp}). */
    boolean sawTstamp;
    /** Its TSval ({@code rcv_tsval}). */
    int tsVal;
    /** Its TSecr ({@code rcv_tsecr}). */
    int tsEcr;
    /** The MSS option's value, 0 when absent ({@code user_mss} of the options). */
    int mss;
    /** The Window Scale shift as sent, -1 when absent. */
    int wscale;
    /** SACK-Permitted was present. */
    boolean sackOk;
    /** SACK blocks in the segment, at most 4. */
    int numSacks;
    /** Their edges: start, end, start, end ... */
    final int[] sacks = new int[2 * TcpHeader.MAX_SACK_BLOCKS];

    /**
     * Parses the options of the header at {@code th} (data offset already checked).
     *
     * @param syn whether the segment is a SYN (MSS, Window Scale and SACK-Permitted count only then)
     */
    void parse(ByteBuf buf, int th, boolean syn) {
        sawTstamp = false;
        tsVal = 0;
        tsEcr = 0;
        mss = 0;
        wscale = -1;
        sackOk = false;
        numSacks = 0;
        int hlen = (buf.getUnsignedByte(th + TcpHeader.DOFF_OFFSET) >>> 4) * 4;
        int p = th + TcpHeader.MIN_HEADER_LEN;
        int end = th + hlen;
        // the common case: NOP NOP TS (tcp_parse_aligned_timestamp)
        if (hlen == TcpHeader.MIN_HEADER_LEN + TcpConstants.TCPOLEN_TSTAMP_ALIGNED
                && buf.getInt(p) == 0x0101080A) {
            sawTstamp = true;
            tsVal = buf.getInt(p + 4);
            tsEcr = buf.getInt(p + 8);
            return;
        }
        while (p < end) {
            int kind = buf.getUnsignedByte(p);
            if (kind == TcpHeader.OPT_EOL) {
                return;
            }
            if (kind == TcpHeader.OPT_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return;
            }
            int size = buf.getUnsignedByte(p + 1);
            if (size < 2 || p + size > end) {
                return; // "silly options" / "don't parse partial options"
            }
            switch (kind) {
                case TcpHeader.OPT_MSS -> {
                    if (size == TcpHeader.OPTLEN_MSS && syn) {
                        mss = buf.getUnsignedShort(p + 2);
                    }
                }
                case TcpHeader.OPT_WINDOW -> {
                    if (size == TcpHeader.OPTLEN_WINDOW && syn) {
                        wscale = buf.getUnsignedByte(p + 2);
                    }
                }
                case TcpHeader.OPT_TIMESTAMP -> {
                    if (size == TcpHeader.OPTLEN_TIMESTAMP) {
                        sawTstamp = true;
                        tsVal = buf.getInt(p + 2);
                        tsEcr = buf.getInt(p + 6);
                    }
                }
                case TcpHeader.OPT_SACK_PERM -> {
                    if (size == TcpHeader.OPTLEN_SACK_PERM && syn) {
                        sackOk = true;
                    }
                }
                case TcpHeader.OPT_SACK -> {
                    int blocks = (size - TcpHeader.OPTLEN_SACK_BASE) / TcpHeader.OPTLEN_SACK_PERBLOCK;
                    if (size >= TcpHeader.OPTLEN_SACK_BASE + TcpHeader.OPTLEN_SACK_PERBLOCK
                            && (size - TcpHeader.OPTLEN_SACK_BASE) % TcpHeader.OPTLEN_SACK_PERBLOCK == 0) {
                        numSacks = Math.min(blocks, TcpHeader.MAX_SACK_BLOCKS);
                        for (int i = 0; i < numSacks; i++) {
                            sacks[2 * i] = buf.getInt(p + 2 + 8 * i);
                            sacks[2 * i + 1] = buf.getInt(p + 6 + 8 * i);
                        }
                    }
                }
                default -> {
                }
            }
            p += size;
        }
    }

    /** The options as the handshake code takes them, SACK blocks left out (allocates: SYNs and cookie ACKs only). */
    TcpOptions toTcpOptions() {
        TcpOptions o = TcpOptions.NONE;
        if (mss > 0) {
            o = o.withMss(mss);
        }
        if (wscale >= 0) {
            o = o.withWindowScale(wscale);
        }
        if (sackOk) {
            o = o.withSackPermitted(true);
        }
        if (sawTstamp) {
            o = o.withTimestamps(tsVal, tsEcr);
        }
        return o;
    }
}
