package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * TCP's words in an skb's control block ({@code struct tcp_skb_cb}, {@code TCP_SKB_CB(skb)}):
 * while an skb sits in a TCP queue, its first sequence number, the sequence number after it (SYN
 * and FIN count one each), its flags and its retransmission state.
 *
 * <pre>
 *   cb[0] seq      first sequence number
 *   cb[1] end_seq  seq + payload + SYN + FIN
 *   cb[2] flags    TCP header flags (TcpHeader.SYN ...)
 *   cb[3] sacked   TCPCB_SACKED_ACKED / SACKED_RETRANS / LOST / EVER_RETRANS bits
 *   cb[4] ack_seq  the acknowledgment number of a received segment
 *   cb[5] charge   what a queued segment counts in sk_wmem_queued (Linux's truesize)
 * </pre>
 */
final class TcpSkbCb {
    /** A retransmission of it is in flight ({@code TCPCB_SACKED_RETRANS}). */
    static final int SACKED_RETRANS = 0x02;
    /** It was retransmitted at least once ({@code TCPCB_EVER_RETRANS}). */
    static final int EVER_RETRANS = 0x80;
    /** Either retransmission bit ({@code TCPCB_RETRANS}). */
    static final int RETRANS = SACKED_RETRANS | EVER_RETRANS;
    /** The peer SACKed it ({@code TCPCB_SACKED_ACKED}). */
    static final int SACKED_ACKED = 0x01;
    /** Marked lost by recovery ({@code TCPCB_LOST}). */
    static final int LOST = 0x04;

    private TcpSkbCb() {
    }

    static int seq(SkBuff skb) {
        return skb.cb(0);
    }

    static int endSeq(SkBuff skb) {
        return skb.cb(1);
    }

    static int flags(SkBuff skb) {
        return skb.cb(2);
    }

    static int sacked(SkBuff skb) {
        return skb.cb(3);
    }

    static int ackSeq(SkBuff skb) {
        return skb.cb(4);
    }

    static void set(SkBuff skb, int seq, int endSeq, int flags) {
        skb.setCb(0, seq).setCb(1, endSeq).setCb(2, flags);
    }

    static void setSeq(SkBuff skb, int seq) {
        skb.setCb(0, seq);
    }

    static void setEndSeq(SkBuff skb, int endSeq) {
        skb.setCb(1, endSeq);
    }

    static void setFlags(SkBuff skb, int flags) {
        skb.setCb(2, flags);
    }

    static void setSacked(SkBuff skb, int sacked) {
        skb.setCb(3, sacked);
    }

    /**
     * What a segment in the send queues counts against SO_SNDBUF: Linux's {@code truesize} of a
     * TCP send skb, a {@code MAX_TCP_HEADER} head ({@value #HEAD_TRUESIZE} bytes with its
     * {@code sk_buff} and shared info) plus the payload, which sendmsg copies into page fragments.
     */
    static int charge(SkBuff skb) {
        return skb.cb(5);
    }

    static void setCharge(SkBuff skb, int charge) {
        skb.setCb(5, charge);
    }

    /** {@code SKB_TRUESIZE} of {@code alloc_skb_fclone(MAX_TCP_HEADER)} on x86-64: 704 + 256 + 320. */
    static final int HEAD_TRUESIZE = 1280;

    static void setAckSeq(SkBuff skb, int ackSeq) {
        skb.setCb(4, ackSeq);
    }
}
