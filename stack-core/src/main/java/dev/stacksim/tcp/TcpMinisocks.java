package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.TcpHeader;

/**
 * Segments for the minisocks of a closed connection ({@code tcp_minisocks.c}): a TIME_WAIT
 * connection, or an orphan's FIN_WAIT2 kept the same way ({@link TcpTimewaitSock}); and the
 * PAWS and window tests shared with request socks and full sockets ({@code tcp_paws_reject},
 * {@code tcp_in_window}). The final ACK of a request sock ({@code tcp_check_req}) lives with the
 * listener, {@link TcpListener#checkReq}.
 */
final class TcpMinisocks {
    private final Tcp tcp;
    /** The options of the segment being processed (shared with {@link TcpInput}). */
    private final TcpRxOptions rx;
    /** The ISN for the new connection of the last {@link TwVerdict#SYN} ({@code tcp_tw_isn}). */
    int isn;

    TcpMinisocks(Tcp tcp, TcpRxOptions rx) {
        this.tcp = tcp;
        this.rx = rx;
    }

    /** What the caller does after {@link #timewaitProcess} ({@code enum tcp_tw_status}). */
    enum TwVerdict {
        /** Nothing more: the segment is consumed ({@code TCP_TW_SUCCESS}). */
        SUCCESS,
        /** Answer with an ACK ({@code TCP_TW_ACK}). */
        ACK,
        /** Answer with a RST ({@code TCP_TW_RST}). */
        RST,
        /** A new connection may start: a listener takes the SYN with {@link #isn} ({@code TCP_TW_SYN}). */
        SYN
    }

    /**
     * {@code tcp_timewait_state_process}: a segment for a TIME_WAIT (or orphaned FIN_WAIT2)
     * minisock. A retransmitted FIN re-arms the 60 s and is ACKed; a RST kills it (unless
     * {@code tcp_rfc1337}); a SYN beyond the old sequence space (or with a newer timestamp) may
     * open a new connection, whose ISN starts past the old one's ({@link #isn}).
     */
    TwVerdict timewaitProcess(TcpTimewaitSock tw, SkBuff skb, int flags) {
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        boolean rst = (flags & TcpHeader.RST) != 0;
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean ack = (flags & TcpHeader.ACK) != 0;
        boolean fin = (flags & TcpHeader.FIN) != 0;
        boolean pawsReject = false;
        if (tw.tsRecentStamp != 0 && rx.sawTstamp) {
            pawsReject = pawsReject(tw.tsRecent, tw.tsRecentStamp, rx.tsVal, rst);
        }
        if (tw.substate == TcpState.FIN_WAIT2) {
            if (pawsReject || !inWindow(seq, endSeq, tw.rcvNxt, tw.rcvNxt + tw.rcvWnd)) {
                return oowRateLimited(tw, skb, TcpExtMib.TCPACK_SKIPPED_FIN_WAIT2) ? TwVerdict.SUCCESS : TwVerdict.ACK;
            }
            if (rst) {
                tw.kill();
                return TwVerdict.SUCCESS;
            }
            if (syn && !TcpSeq.before(seq, tw.rcvNxt)) {
                return TwVerdict.RST;
            }
            if (!ack || !TcpSeq.after(endSeq, tw.rcvNxt) || endSeq == seq) {
                return TwVerdict.SUCCESS;
            }
            if (!fin || endSeq != tw.rcvNxt + 1) {
                return TwVerdict.RST;
            }
            tw.substate = TcpState.TIME_WAIT;
            tw.rcvNxt = endSeq;
            if (rx.sawTstamp) {
                tw.tsRecentStamp = tcp.now();
                tw.tsRecent = rx.tsVal;
            }
            if (tcp.traceStates()) {
                tcp.traceState(tw.name(), "FIN_WAIT2", "TIME_WAIT");
            }
            tw.schedule(TcpConstants.TCP_TIMEWAIT_LEN);
            return TwVerdict.ACK;
        }
        if (!pawsReject && seq == tw.rcvNxt && (seq == endSeq || rst)) {
            if (rst) {
                if (tcp.sysctl(Tcp.RFC1337) == 0) {
                    tw.kill();
                    return TwVerdict.SUCCESS;
                }
            } else {
                tw.schedule(TcpConstants.TCP_TIMEWAIT_LEN);
            }
            if (rx.sawTstamp) {
                tw.tsRecent = rx.tsVal;
                tw.tsRecentStamp = tcp.now();
            }
            return TwVerdict.SUCCESS;
        }
        if (syn && !rst && !ack && !pawsReject
                && (TcpSeq.after(seq, tw.rcvNxt) || (rx.sawTstamp && tw.tsRecent - rx.tsVal < 0))) {
            int next = tw.sndNxt + 65535 + 2;
            isn = next == 0 ? 1 : next;
            return TwVerdict.SYN;
        }
        if (pawsReject) {
            tcp.ext().inc(TcpExtMib.PAWS_TIMEWAIT);
        }
        if (!rst) {
            if (pawsReject || ack) {
                tw.schedule(TcpConstants.TCP_TIMEWAIT_LEN);
            }
            return oowRateLimited(tw, skb, TcpExtMib.TCPACK_SKIPPED_TIME_WAIT) ? TwVerdict.SUCCESS : TwVerdict.ACK;
        }
        return TwVerdict.SUCCESS;
    }

    /**
     * {@code tcp_timewait_check_oow_rate_limit}: a minisock answers pure ACKs and SYNs it does
     * not take at most once per {@code tcp_invalid_ratelimit} (500 ms), so that a flood of stray
     * ACKs (or two minisocks answering each other) gets one ACK per half second; a segment with
     * data or a FIN (a retransmitted FIN) is always answered.
     */
    private boolean oowRateLimited(TcpTimewaitSock tw, SkBuff skb, TcpExtMib mib) {
        if (Tcp.oowExempt(skb)) {
            return false;
        }
        long t = tcp.oowRateLimit(tw.lastOowAckTime, mib);
        if (t == Tcp.OOW_LIMITED) {
            return true;
        }
        tw.lastOowAckTime = t;
        return false;
    }

    /** {@code tcp_paws_reject}: a TSval older than the last one seen, unless that was 24 days ago. */
    boolean pawsReject(int tsRecent, long tsRecentStamp, int tsVal, boolean rst) {
        if (tsRecent - tsVal <= 0 || tsRecent == 0) {
            return false;
        }
        if (tcp.now() - tsRecentStamp >= 24L * 24 * 3600 * TcpConstants.HZ) {
            return false;
        }
        return !(rst && tcp.now() >= tsRecentStamp + 60 * TcpConstants.HZ);
    }

    /** {@code tcp_in_window}: a segment starting at the left edge, or overlapping the window. */
    static boolean inWindow(int seq, int endSeq, int sWin, int eWin) {
        if (seq == sWin) {
            return true;
        }
        if (TcpSeq.after(endSeq, sWin) && TcpSeq.before(seq, eWin)) {
            return true;
        }
        return seq == eWin && seq == endSeq;
    }
}
