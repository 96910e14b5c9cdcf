package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * RACK (RFC 8985; {@code net/ipv4/tcp_recovery.c}): a segment is lost when a segment sent after it
 * has been delivered and more than an RTT plus a reordering window has passed since it was sent.
 * Time, not counts of duplicate ACKs, decides. With no reordering seen the window is zero once
 * three segments are SACKed (or in recovery), which makes RACK as quick as the duplicate-ACK rule;
 * otherwise it is a quarter of the minimum RTT, growing with D-SACKs, and a timer
 * ({@code ICSK_TIME_REO_TIMEOUT}) catches what the window holds back.
 *
 * <p>Linux walks a list of segments sorted by send time; this walks the retransmission queue in
 * sequence order and checks every segment's own send time, which marks the same segments.
 */
final class TcpRack {
    /** {@code TCP_RACK_RECOVERY_THRESH}: recoveries the widened window persists. */
    static final int RECOVERY_THRESH = 16;

    private TcpRack() {
    }

    /** {@code tcp_skb_sent_after}: sent later, or at the same time with a higher end. */
    private static boolean sentAfter(long t1, long t2, int seq1, int seq2) {
        return t1 > t2 || (t1 == t2 && TcpSeq.after(seq1, seq2));
    }

    /** {@code tcp_rack_advance}: a segment sent at {@code xmitTime} was (S)ACKed. */
    static void advance(TcpSock tp, int sacked, int endSeq, long xmitTime) {
        long rttUs = (tp.tcp.now() - xmitTime) / 1000;
        if (rttUs < tp.minRttUs && (sacked & TcpSkbCb.RETRANS) != 0) {
            return; // ambiguous: the original may have been the one delivered
        }
        tp.rackAdvanced = true;
        tp.rackRttUs = rttUs;
        if (sentAfter(xmitTime, tp.rackMstamp, endSeq, tp.rackEndSeq)) {
            tp.rackMstamp = xmitTime;
            tp.rackEndSeq = endSeq;
        }
    }

    /** {@code tcp_rack_reo_wnd}, microseconds. */
    private static long reoWnd(TcpSock tp) {
        if (tp.reordSeen == 0) {
            if (tp.caState.ordinal() >= TcpCaState.RECOVERY.ordinal()) {
                return 0;
            }
            if (tp.sackedOut >= tp.reordering && tp.tcp.congestion().rackDupthresh()) {
                return 0;
            }
        }
        return Math.min((tp.minRttUs >> 2) * tp.rackReoWndSteps, tp.srttUs >> 3);
    }

    /** {@code tcp_rack_skb_timeout}: microseconds until {@code skb} counts as lost (≤ 0: now). */
    static long skbTimeout(TcpSock tp, SkBuff skb, long reoWndUs) {
        return tp.rackRttUs + reoWndUs - (tp.tcp.now() - skb.tstamp()) / 1000;
    }

    /** {@code tcp_rack_detect_loss}: marks what is overdue; returns the longest wait of the rest (us), 0 for none. */
    private static long detectLoss(TcpSock tp) {
        long reoTimeout = 0;
        long reoWnd = reoWnd(tp);
        for (SkBuff skb : tp.rtxQueue) {
            int sacked = TcpSkbCb.sacked(skb);
            if ((sacked & TcpSkbCb.SACKED_ACKED) != 0) {
                continue;
            }
            if ((sacked & TcpSkbCb.LOST) != 0 && (sacked & TcpSkbCb.SACKED_RETRANS) == 0) {
                continue; // marked lost, not yet retransmitted
            }
            if (!sentAfter(tp.rackMstamp, skb.tstamp(), tp.rackEndSeq, TcpSkbCb.endSeq(skb))) {
                continue; // sent after the most recently delivered one
            }
            long remaining = skbTimeout(tp, skb, reoWnd);
            if (remaining <= 0) {
                TcpRecovery.markSkbLost(tp, skb);
            } else {
                reoTimeout = Math.max(reoTimeout, remaining);
            }
        }
        return reoTimeout;
    }

    /** {@code tcp_rack_mark_lost}: true when the reordering timer was armed. */
    static boolean markLost(TcpSock tp) {
        if (!tp.rackAdvanced) {
            return false;
        }
        tp.rackAdvanced = false;
        long timeoutUs = detectLoss(tp);
        if (timeoutUs != 0) {
            long delay = (timeoutUs + TcpConstants.TCP_TIMEOUT_MIN / 1000) * 1000;
            TcpTimers.resetXmitTimer(tp, TcpTimers.REO_TIMEOUT, Math.min(delay, tp.rto));
            return true;
        }
        return false;
    }

    /** {@code tcp_rack_reo_timeout}: the reordering window ran out: mark, recover, retransmit. */
    static void reoTimeout(TcpSock tp) {
        int priorInflight = tp.packetsInFlight();
        int lost = tp.lost;
        detectLoss(tp);
        if (priorInflight != tp.packetsInFlight()) {
            if (tp.caState != TcpCaState.RECOVERY) {
                tp.tcp.input().recovery().enterRecovery(tp);
                TcpRecovery.cwndReduction(tp, 1, tp.lost - lost, 0);
            }
            TcpRetransmit.xmitRetransmitQueue(tp);
        }
        if (tp.pendingTimer != TcpTimers.RETRANS) {
            TcpTimers.rearmRto(tp);
        }
    }

    /** {@code tcp_rack_update_reo_wnd}: D-SACKs widen the window, for a while. */
    static void updateReoWnd(TcpSock tp, int priorDelivered) {
        if (!tp.tcp.congestion().rackDynamicReoWnd() || priorDelivered == 0) {
            return;
        }
        if (TcpSeq.before(priorDelivered, tp.rackLastDelivered)) {
            tp.rackDsackSeen = false;
        }
        if (tp.rackDsackSeen) {
            tp.rackReoWndSteps = Math.min(0xFF, tp.rackReoWndSteps + 1);
            tp.rackDsackSeen = false;
            tp.rackLastDelivered = tp.delivered;
            tp.rackReoWndPersist = RECOVERY_THRESH;
        } else if (tp.rackReoWndPersist == 0) {
            tp.rackReoWndSteps = 1;
        }
    }

    /** {@code tcp_update_rtt_min}: the minimum RTT over {@code tcp_min_rtt_wlen}. */
    static void updateRttMin(TcpSock tp, long rttUs) {
        long wlen = tp.tcp.congestion().minRttWlen.intValue() * 1_000_000_000L;
        long now = tp.tcp.now();
        long sample = Math.max(rttUs, 1);
        if (tp.minRttUs == 0 || sample <= tp.minRttUs || now - tp.minRttStamp > wlen) {
            tp.minRttUs = sample;
            tp.minRttStamp = now;
        }
    }
}
