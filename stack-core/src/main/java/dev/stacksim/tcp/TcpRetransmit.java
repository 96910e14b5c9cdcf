package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.TcpHeader;

/**
 * Retransmission ({@code tcp_output.c}): one queued segment again ({@code __tcp_retransmit_skb},
 * trimmed to what is still unacknowledged), with the accounting of an episode
 * ({@code tcp_retransmit_skb}: {@code retrans_out}, {@code undo_retrans}, {@code retrans_stamp}),
 * and the lost segments of recovery, oldest first, while the window allows
 * ({@code tcp_xmit_retransmit_queue}). The timers, RACK, TLP and the ACK path call it; each
 * transmission goes through {@link TcpOutput#transmitSkb} as a clone of the queued segment.
 */
final class TcpRetransmit {
    private TcpRetransmit() {
    }

    /**
     * {@code __tcp_retransmit_skb}: a queued segment again, from {@code snd_una} when its head is
     * already acknowledged; refused (false) when the peer's window no longer reaches it.
     */
    static boolean retransmitRaw(TcpSock tp, SkBuff skb) {
        int seq = TcpSkbCb.seq(skb);
        if (TcpSeq.before(seq, tp.sndUna) && (TcpSkbCb.flags(skb) & TcpHeader.SYN) == 0) {
            int acked = tp.sndUna - seq;
            skb.pull(Math.min(acked, skb.len()));
            TcpSkbCb.setSeq(skb, tp.sndUna);
            seq = tp.sndUna;
        }
        if (!TcpSeq.before(seq, tp.sndUna + tp.sndWnd) && seq != tp.sndUna
                && tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV) {
            return false;
        }
        boolean syn = (TcpSkbCb.flags(skb) & TcpHeader.SYN) != 0;
        if (syn && tp.retransStamp == 0) {
            tp.retransStamp = skb.tstamp(); // the SYN's first transmission (tcp_connect's stamp)
        }
        boolean ok = tp.tcp.output().transmitSkb(tp, skb, true);
        tp.tcp.mib().inc(TcpMib.RETRANS_SEGS);
        tp.totalRetrans++;
        tp.bytesRetrans += skb.len();
        if (syn) {
            tp.tcp.ext().inc(TcpExtMib.TCP_SYN_RETRANS);
        }
        return ok;
    }

    /**
     * {@code tcp_retransmit_skb}: retransmits and accounts: {@code retrans_out}, the undo count,
     * and the time of the first retransmission of the episode ({@code retrans_stamp}).
     */
    static boolean retransmitSkb(TcpSock tp, SkBuff skb) {
        boolean ok = retransmitRaw(tp, skb);
        if (ok) {
            TcpSkbCb.setSacked(skb, TcpSkbCb.sacked(skb) | TcpSkbCb.RETRANS);
            tp.retransOut++;
        }
        if (tp.retransStamp == 0) {
            tp.retransStamp = skb.tstamp();
        }
        if (tp.undoRetrans < 0) {
            tp.undoRetrans = 0;
        }
        tp.undoRetrans++;
        return ok;
    }

    /**
     * {@code tcp_xmit_retransmit_queue}: retransmits the segments marked lost, oldest first, while
     * the window allows; counted as fast retransmits, or slow-start ones in Loss.
     */
    static void xmitRetransmitQueue(TcpSock tp) {
        if (tp.packetsOut == 0) {
            return;
        }
        SkBuff head = tp.rtxQueue.peekFirst();
        boolean rearm = false;
        for (SkBuff skb : tp.rtxQueue) {
            if (tp.sndCwnd - tp.packetsInFlight() <= 0) {
                break;
            }
            if (tp.retransOut >= tp.lostOut) {
                break;
            }
            int sacked = TcpSkbCb.sacked(skb);
            if ((sacked & TcpSkbCb.LOST) == 0) {
                continue;
            }
            if ((sacked & (TcpSkbCb.SACKED_ACKED | TcpSkbCb.SACKED_RETRANS)) != 0) {
                continue;
            }
            if (tp.tcp.output().smallQueueCheck(tp, skb, 1)) {
                break;
            }
            if (!retransmitSkb(tp, skb)) {
                break;
            }
            tp.tcp.ext().inc(tp.caState != TcpCaState.LOSS ? TcpExtMib.TCP_FAST_RETRANS : TcpExtMib.TCP_SLOW_START_RETRANS);
            if (TcpRecovery.inCwndReduction(tp)) {
                tp.prrOut++;
            }
            if (skb == head && tp.pendingTimer != TcpTimers.REO_TIMEOUT) {
                rearm = true;
            }
        }
        if (rearm) {
            TcpTimers.resetXmitTimer(tp, TcpTimers.RETRANS, tp.rto);
        }
    }
}
