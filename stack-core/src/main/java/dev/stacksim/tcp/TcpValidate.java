package dev.stacksim.tcp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.TcpHeader;

import static dev.stacksim.tcp.TcpInput.drop;

/**
 * The checks every segment of a synchronized connection passes before its ACK and data count
 * ({@code tcp_validate_incoming} in {@code tcp_input.c}): PAWS (RFC 7323 5), the sequence number
 * (RFC 9293 3.10.7.4, first check), and RFC 5961's defences against blind attacks: a RST resets
 * only at exactly RCV.NXT and in-window ones get a challenge ACK (3.2); any SYN gets a challenge
 * ACK (4.2). Answers to out-of-window segments and challenge ACKs are rate limited per socket to
 * one per {@code tcp_invalid_ratelimit} (500 ms; {@code tcp_oow_rate_limited}).
 */
final class TcpValidate {
    private final Tcp tcp;
    /** The options of the segment being processed (shared with {@link TcpInput}). */
    private final TcpRxOptions rx;
    private final TcpMinisocks minisocks;

    TcpValidate(Tcp tcp, TcpRxOptions rx, TcpMinisocks minisocks) {
        this.tcp = tcp;
        this.rx = rx;
        this.minisocks = minisocks;
    }

    /**
     * {@code tcp_validate_incoming}: PAWS, the sequence check (RFC 9293 3.10.7.4 first), RST
     * (RFC 5961 3.2: exact match resets, in-window sends a challenge ACK), SYN (RFC 5961 4.2:
     * challenge ACK). Returns false when the segment was dropped (or reset the connection).
     */
    boolean validateIncoming(TcpSock tp, SkBuff skb, int flags) {
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        boolean rst = (flags & TcpHeader.RST) != 0;
        boolean syn = (flags & TcpHeader.SYN) != 0;
        if (tp.tstampOk && rx.sawTstamp && tp.tsRecentStamp != 0
                && minisocks.pawsReject(tp.tsRecent, tp.tsRecentStamp, rx.tsVal, false) && !rst) {
            if (syn) {
                return synChallenge(tp, skb);
            }
            tcp.ext().inc(TcpExtMib.PAWS_ESTAB);
            if (!oowRateLimited(tp, skb, TcpExtMib.TCPACK_SKIPPED_PAWS)) {
                sendDupack(tp, skb);
            }
            drop(skb, DropReason.TCP_INVALID_SEQUENCE);
            return false;
        }
        // step 1: check sequence number
        boolean bad = TcpSeq.before(endSeq, tp.rcvWup)
                || TcpSeq.after(seq, tp.rcvNxt + TcpWindow.receiveWindow(tp));
        if (bad) {
            if (!rst) {
                if (syn) {
                    return synChallenge(tp, skb);
                }
                if (!TcpSeq.before(endSeq, tp.rcvWup)) {
                    tcp.ext().inc(TcpExtMib.BEYOND_WINDOW);
                }
                if (!oowRateLimited(tp, skb, TcpExtMib.TCPACK_SKIPPED_SEQ)) {
                    sendDupack(tp, skb);
                }
            } else if (resetCheck(tp, seq)) {
                tp.reset();
                skb.consume();
                return false;
            }
            drop(skb, DropReason.TCP_INVALID_SEQUENCE);
            return false;
        }
        // step 2: check the RST bit
        if (rst) {
            if (seq == tp.rcvNxt || resetCheck(tp, seq)) {
                tp.reset();
                skb.consume();
                return false;
            }
            challengeAck(tp, skb);
            drop(skb, DropReason.TCP_RESET);
            return false;
        }
        // step 4: check the SYN bit
        if (syn) {
            if (tp.tstate == TcpState.SYN_RECV && (flags & TcpHeader.ACK) != 0 && seq + 1 == endSeq
                    && seq + 1 == tp.rcvNxt && TcpSkbCb.ackSeq(skb) == tp.sndNxt) {
                return true; // the SYN-ACK of a simultaneous open
            }
            return synChallenge(tp, skb);
        }
        return true;
    }

    private boolean synChallenge(TcpSock tp, SkBuff skb) {
        tcp.ext().inc(TcpExtMib.TCPSYN_CHALLENGE);
        challengeAck(tp, skb);
        drop(skb, DropReason.TCP_INVALID_SYN);
        return false;
    }

    /** {@code tcp_reset_check}: after a FIN, a RST at {@code rcv_nxt - 1} is taken too. */
    private static boolean resetCheck(TcpSock tp, int seq) {
        return seq == tp.rcvNxt - 1 && (tp.tstate == TcpState.CLOSE_WAIT || tp.tstate == TcpState.LAST_ACK
                || tp.tstate == TcpState.CLOSING);
    }

    /** {@code tcp_send_challenge_ack}: an ACK, at most one per {@code tcp_invalid_ratelimit} ms. */
    void challengeAck(TcpSock tp, SkBuff skb) {
        if (rateLimited(tp, TcpExtMib.TCPACK_SKIPPED_CHALLENGE)) {
            return;
        }
        tcp.ext().inc(TcpExtMib.TCP_CHALLENGE_ACK);
        tcp.output().sendAck(tp);
    }

    /** {@code tcp_oow_rate_limited}: only pure ACKs and SYNs are limited. */
    private boolean oowRateLimited(TcpSock tp, SkBuff skb, TcpExtMib mib) {
        return !Tcp.oowExempt(skb) && rateLimited(tp, mib);
    }

    private boolean rateLimited(TcpSock tp, TcpExtMib mib) {
        long t = tcp.oowRateLimit(tp.lastOowAckTime, mib);
        if (t == Tcp.OOW_LIMITED) {
            return true;
        }
        tp.lastOowAckTime = t;
        return false;
    }

    /** {@code tcp_send_dupack}: a retransmitted segment means our ACK was lost: quick ACKs from now. */
    private void sendDupack(TcpSock tp, SkBuff skb) {
        if (TcpSkbCb.endSeq(skb) != TcpSkbCb.seq(skb) && TcpSeq.before(TcpSkbCb.seq(skb), tp.rcvNxt)) {
            tcp.ext().inc(TcpExtMib.DELAYED_ACK_LOST);
            TcpData.enterQuickack(tp, TcpConstants.TCP_MAX_QUICKACKS);
            int endSeq = TcpSkbCb.endSeq(skb);
            TcpSack.dsackSet(tp, TcpSkbCb.seq(skb), TcpSeq.after(endSeq, tp.rcvNxt) ? tp.rcvNxt : endSeq);
        }
        tcp.output().sendAck(tp);
    }
}
