package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * Tail loss probe (RFC 8985 section 7; {@code tcp_schedule_loss_probe},
 * {@code tcp_send_loss_probe}, {@code tcp_process_tlp_ack}): when the last segments of a flight
 * are lost, no ACK comes back to trigger fast recovery and only the RTO would. Two smoothed RTTs
 * after the last transmission (plus 200 ms with a single segment out, for a delayed ACK) a probe
 * goes out: new data if the window allows, else the last segment again. Its ACK, or SACK, lets
 * RACK find the losses; a probe that repaired a loss reduces the window once (CWR).
 * {@code net.ipv4.tcp_early_retrans} 3 (the default) enables it; SACK is required.
 */
final class TcpTlp {
    private TcpTlp() {
    }

    /** {@code tcp_schedule_loss_probe}: arms the probe timer instead of the RTO; false when not allowed. */
    static boolean schedule(TcpSock tp, boolean advancingRto) {
        int early = tp.tcp.congestion().earlyRetrans.intValue();
        if ((early != 3 && early != 4) || tp.packetsOut == 0 || !tp.sackOk
                || (tp.caState != TcpCaState.OPEN && tp.caState != TcpCaState.CWR)) {
            return false;
        }
        long timeout;
        if (tp.srttUs != 0) {
            long us = tp.srttUs >> 2;
            us += tp.packetsOut == 1 ? TcpConstants.TCP_RTO_MIN / 1000 : TcpConstants.TCP_TIMEOUT_MIN / 1000;
            timeout = jiffiesCeil(us * 1000);
        } else {
            timeout = TcpConstants.TCP_TIMEOUT_INIT;
        }
        long rtoDelta = advancingRto ? tp.rto : TcpTimers.rtoDelta(tp);
        if (rtoDelta > 0) {
            timeout = Math.min(timeout, jiffiesCeil(rtoDelta));
        }
        TcpTimers.resetXmitTimer(tp, TcpTimers.LOSS_PROBE, timeout);
        return true;
    }

    /** {@code usecs_to_jiffies} rounding up to the millisecond jiffy (HZ=1000). */
    private static long jiffiesCeil(long ns) {
        return (ns + 999_999L) / 1_000_000L * 1_000_000L;
    }

    /** {@code tcp_send_loss_probe}: one probe per tail-loss episode, then the RTO again. */
    static void sendLossProbe(TcpSock tp) {
        Tcp tcp = tp.tcp;
        if (tp.tlpHighSeq == 0) {
            tp.tlpRetrans = false;
            SkBuff head = tp.writeQueue.peekFirst();
            boolean sent = false;
            if (head != null && !TcpSeq.after(TcpSkbCb.endSeq(head), tp.sndUna + tp.sndWnd)) {
                int before = tp.packetsOut;
                tcp.output().writeXmitProbe(tp);
                sent = tp.packetsOut > before;
            } else {
                SkBuff last = tp.rtxQueue.peekLast();
                if (last == null) {
                    tp.pendingTimer = 0;
                    return;
                }
                sent = TcpRetransmit.retransmitRaw(tp, last);
                tp.tlpRetrans = sent;
            }
            if (sent) {
                tp.tlpHighSeq = tp.sndNxt;
                tcp.ext().inc(TcpExtMib.TCP_LOSS_PROBES);
                tp.pendingTimer = 0;
            }
        }
        TcpTimers.rearmRto(tp);
    }

    /** {@code tcp_process_tlp_ack}: did the probe repair a loss? */
    static void processAck(TcpSock tp, int ack, int flag) {
        if (TcpSeq.before(ack, tp.tlpHighSeq)) {
            return;
        }
        if (!tp.tlpRetrans) {
            tp.tlpHighSeq = 0;
        } else if ((flag & TcpRecovery.FLAG_DSACK_TLP) != 0) {
            tp.tlpHighSeq = 0; // the original and the probe both arrived
        } else if (TcpSeq.after(ack, tp.tlpHighSeq)) {
            TcpRecovery.tlpRecovered(tp);
            tp.tcp.ext().inc(TcpExtMib.TCP_LOSS_PROBE_RECOVERY);
        } else if ((flag & (TcpRecovery.FLAG_SND_UNA_ADVANCED | TcpRecovery.FLAG_NOT_DUP
                | TcpRecovery.FLAG_DATA_SACKED)) == 0) {
            tp.tlpHighSeq = 0;
        }
    }
}
