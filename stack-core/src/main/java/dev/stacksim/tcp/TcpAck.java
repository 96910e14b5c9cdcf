package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.TcpHeader;

/**
 * What an arriving ACK does ({@code tcp_ack} in {@code tcp_input.c}): the send window
 * ({@code tcp_ack_update_window}), the retransmission queue ({@code tcp_clean_rtx_queue}), RTT
 * samples (RFC 6298 with Karn's rule; RFC 7323 timestamps), and the congestion window (Reno:
 * slow start, then one segment per window).
 */
final class TcpAck {
    private final Tcp tcp;
    /** The options of the segment being processed (shared with {@link TcpInput}). */
    private final TcpRxOptions rx;

    TcpAck(Tcp tcp, TcpRxOptions rx) {
        this.tcp = tcp;
        this.rx = rx;
    }


    /**
     * {@code tcp_ack}: 1 when the ACK was processed, 0 for an old (duplicate) ACK, -1 for an ACK of
     * data never sent (RFC 9293: the segment is dropped).
     */
    int ack(TcpSock tp, SkBuff skb, int flags, boolean updateTsRecent) {
        if ((flags & TcpHeader.ACK) == 0) {
            return 0;
        }
        int ack = TcpSkbCb.ackSeq(skb);
        int ackSeq = TcpSkbCb.seq(skb);
        int priorSndUna = tp.sndUna;
        if (TcpSeq.before(ack, priorSndUna)) {
            int maxWindow = tp.maxWindow;
            if (TcpSeq.before(ack, priorSndUna - maxWindow)) {
                return -1;
            }
            return 0;
        }
        if (TcpSeq.after(ack, tp.sndNxt)) {
            return -1;
        }
        if (updateTsRecent && rx.sawTstamp && !TcpSeq.after(ackSeq, tp.rcvWup)) {
            tp.tsRecent = rx.tsVal;
            tp.tsRecentStamp = tcp.now();
        }
        if (TcpSeq.after(ack, priorSndUna)) {
            tp.retransmits = 0;
        }
        if (ackSeq == TcpSkbCb.endSeq(skb) && ack == priorSndUna) {
            tcp.ext().inc(TcpExtMib.TCP_PURE_ACKS);
        }
        updateWindow(tp, skb, ack, ackSeq, flags);
        tp.probesOut = 0;
        tp.rcvTstamp = tcp.now();
        int priorPackets = tp.packetsOut;
        if (priorPackets == 0) {
            TcpTimers.ackProbe(tp);
            return 1;
        }
        cleanRtxQueue(tp, priorSndUna, priorPackets);
        return 1;
    }

    /** {@code tcp_ack_update_window}. */
    private void updateWindow(TcpSock tp, SkBuff skb, int ack, int ackSeq, int flags) {
        int nwin = skb.buf().getUnsignedShort(skb.transportHeader() + TcpHeader.WINDOW_OFFSET);
        if ((flags & TcpHeader.SYN) == 0) {
            nwin <<= tp.sndWscale;
        }
        boolean mayUpdate = TcpSeq.after(ack, tp.sndUna) || TcpSeq.after(ackSeq, tp.sndWl1)
                || (ackSeq == tp.sndWl1 && (nwin > tp.sndWnd || nwin == 0));
        if (mayUpdate) {
            tp.sndWl1 = ackSeq;
            if (tp.sndWnd != nwin) {
                tp.sndWnd = nwin;
                if (nwin > tp.maxWindow) {
                    tp.maxWindow = nwin;
                    TcpOutput.syncMss(tp, tcp.output().routeMtu(tp.daddr()));
                }
            }
        }
        tp.sndUna = ack;
    }

    /**
     * {@code tcp_clean_rtx_queue}: frees what the ACK covers, takes an RTT sample (from the
     * timestamp echo, or from a segment never retransmitted: Karn's rule), grows the congestion
     * window (Reno), re-arms or stops the retransmission timer.
     */
    private void cleanRtxQueue(TcpSock tp, int priorSndUna, int priorPackets) {
        long now = tcp.now();
        long seqRttUs = -1;
        int ackedPackets = 0;
        boolean synAcked = false;
        SkBuff skb;
        while ((skb = tp.rtxQueue.peekFirst()) != null) {
            if (TcpSeq.after(TcpSkbCb.endSeq(skb), tp.sndUna)) {
                break;
            }
            tp.rtxQueue.pollFirst();
            tp.packetsOut--;
            ackedPackets++;
            if ((TcpSkbCb.flags(skb) & TcpHeader.SYN) != 0) {
                synAcked = true;
            }
            if ((TcpSkbCb.sacked(skb) & TcpSkbCb.RETRANS) == 0 && skb.tstamp() != 0) {
                seqRttUs = (now - skb.tstamp()) / 1000;
            } else {
                seqRttUs = -1;
            }
            tp.wmemQueued -= skb.truesize();
            skb.consume();
        }
        if (ackedPackets == 0 && TcpSeq.after(tp.sndUna, priorSndUna)) {
            ackedPackets = 0; // a partial ACK of the head segment
        }
        long rttUs = seqRttUs;
        if (rx.sawTstamp && rx.tsEcr != 0 && tp.tstampOk && TcpSeq.after(tp.sndUna, priorSndUna)) {
            long tsRtt = (long) (tcp.tsClock() - rx.tsEcr) * 1000;
            if (rttUs < 0 && tsRtt >= 0) {
                rttUs = Math.max(tsRtt, 1);
            }
        }
        if (rttUs >= 0 && TcpSeq.after(tp.sndUna, priorSndUna)) {
            rttEstimator(tp, rttUs);
            TcpTimers.setRto(tp);
            tp.backoff = 0;
        }
        if (ackedPackets > 0 && !synAcked) {
            congAvoid(tp, ackedPackets, priorPackets);
        }
        if (tp.packetsOut == 0) {
            TcpTimers.clearRetransmitTimer(tp);
            tp.retransStamp = 0;
        } else if (TcpSeq.after(tp.sndUna, priorSndUna)) {
            TcpTimers.resetXmitTimer(tp, TcpTimers.RETRANS, tp.rto);
        }
        if (TcpSeq.after(tp.sndUna, priorSndUna) && !tp.orphan) {
            tp.writeSpace();
        }
    }

    /** Reno ({@code tcp_reno_cong_avoid}): slow start below ssthresh, one segment per window above. */
    private static void congAvoid(TcpSock tp, int acked, int priorInFlight) {
        if (priorInFlight * 2 < tp.sndCwnd) {
            return; // not cwnd limited (tcp_is_cwnd_limited)
        }
        if (tp.sndCwnd < tp.sndSsthresh) {
            int cwnd = Math.min(tp.sndCwnd + acked, tp.sndSsthresh);
            acked -= cwnd - tp.sndCwnd;
            tp.sndCwnd = cwnd;
            if (acked <= 0) {
                return;
            }
        }
        tp.sndCwndCnt += acked;
        if (tp.sndCwndCnt >= tp.sndCwnd) {
            int delta = tp.sndCwndCnt / tp.sndCwnd;
            tp.sndCwndCnt -= delta * tp.sndCwnd;
            tp.sndCwnd += delta;
        }
    }

    /** {@code tcp_rtt_estimator} (RFC 6298 with Linux's mdev_max refinements), microseconds. */
    static void rttEstimator(TcpSock tp, long mrttUs) {
        long m = mrttUs;
        long srtt = tp.srttUs;
        long rtoMinUs = TcpConstants.TCP_RTO_MIN / 1000;
        if (srtt != 0) {
            m -= srtt >> 3;
            srtt += m;
            if (m < 0) {
                m = -m;
                m -= tp.mdevUs >> 2;
                if (m > 0) {
                    m >>= 3;
                }
            } else {
                m -= tp.mdevUs >> 2;
            }
            tp.mdevUs += m;
            if (tp.mdevUs > tp.mdevMaxUs) {
                tp.mdevMaxUs = tp.mdevUs;
                if (tp.mdevMaxUs > tp.rttvarUs) {
                    tp.rttvarUs = tp.mdevMaxUs;
                }
            }
            if (TcpSeq.after(tp.sndUna, tp.rttSeq)) {
                if (tp.mdevMaxUs < tp.rttvarUs) {
                    tp.rttvarUs -= (tp.rttvarUs - tp.mdevMaxUs) >> 2;
                }
                tp.rttSeq = tp.sndNxt;
                tp.mdevMaxUs = rtoMinUs;
            }
        } else {
            srtt = m << 3;
            tp.mdevUs = m << 1;
            tp.rttvarUs = Math.max(tp.mdevUs, rtoMinUs);
            tp.mdevMaxUs = tp.rttvarUs;
            tp.rttSeq = tp.sndNxt;
        }
        tp.srttUs = Math.max(1, srtt);
    }

}
