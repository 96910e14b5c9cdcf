package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * Selective acknowledgments (RFC 2018, RFC 2883 D-SACK, RFC 6675) on both ends of a connection.
 *
 * <h2>Receiver: the blocks this end sends</h2>
 * Out-of-order data is reported in up to four SACK blocks, the most recently changed first
 * ({@code tcp_sack_new_ofo_skb}); blocks are dropped as the hole below them fills
 * ({@code tcp_sack_remove}). A duplicate segment is reported once in a D-SACK block placed first
 * ({@code tcp_dsack_set}). With timestamps, three blocks fit in the 40 bytes of options.
 *
 * <h2>Sender: the scoreboard</h2>
 * Each segment in the retransmission queue carries {@link TcpSkbCb#SACKED_ACKED},
 * {@link TcpSkbCb#LOST} and {@link TcpSkbCb#SACKED_RETRANS} bits; {@code sacked_out},
 * {@code lost_out} and {@code retrans_out} count them ({@code tcp_sacktag_write_queue}). A block
 * marks the segments it covers whole; Linux also splits a segment that a block covers in part
 * ({@code tcp_fragment}), which a peer acknowledging whole segments never makes necessary, and
 * which is not done here.
 */
final class TcpSack {
    /** {@code TCP_NUM_SACKS}: blocks a receiver keeps. */
    static final int NUM_SACKS = 4;

    private TcpSack() {
    }

    // ---------------------------------------------------------------- receiver

    /** {@code tcp_sack_extend}: grows block {@code i} by an overlapping or adjacent range; true if it did. */
    private static boolean extend(int[] b, int i, int seq, int endSeq) {
        if (!TcpSeq.after(seq, b[2 * i + 1]) && !TcpSeq.after(b[2 * i], endSeq)) {
            if (TcpSeq.before(seq, b[2 * i])) {
                b[2 * i] = seq;
            }
            if (TcpSeq.after(endSeq, b[2 * i + 1])) {
                b[2 * i + 1] = endSeq;
            }
            return true;
        }
        return false;
    }

    /** {@code tcp_sack_new_ofo_skb}: an out-of-order range was queued. */
    static void newOfo(TcpSock tp, int seq, int endSeq) {
        int[] b = tp.sackBlocks;
        int n = tp.numSacks;
        for (int i = 0; i < n; i++) {
            if (extend(b, i, seq, endSeq)) {
                // move the block to the front, then merge any the grown one now touches
                int s = b[2 * i];
                int e = b[2 * i + 1];
                System.arraycopy(b, 0, b, 2, 2 * i);
                b[0] = s;
                b[1] = e;
                maybeCoalesce(tp);
                return;
            }
        }
        if (n >= NUM_SACKS) {
            n--; // the oldest block goes
        }
        System.arraycopy(b, 0, b, 2, 2 * n);
        b[0] = seq;
        b[1] = endSeq;
        tp.numSacks = n + 1;
    }

    /** {@code tcp_sack_maybe_coalesce}: block 0 grew; those it now overlaps fold into it. */
    private static void maybeCoalesce(TcpSock tp) {
        int[] b = tp.sackBlocks;
        int i = 1;
        while (i < tp.numSacks) {
            if (extend(b, 0, b[2 * i], b[2 * i + 1])) {
                System.arraycopy(b, 2 * i + 2, b, 2 * i, 2 * (tp.numSacks - i - 1));
                tp.numSacks--;
            } else {
                i++;
            }
        }
    }

    /** {@code tcp_sack_remove}: in-order data arrived; blocks now below {@code rcv_nxt} go. */
    static void remove(TcpSock tp) {
        if (tp.oooQueue.isEmpty()) {
            tp.numSacks = 0;
            return;
        }
        int[] b = tp.sackBlocks;
        int i = 0;
        while (i < tp.numSacks) {
            if (!TcpSeq.before(tp.rcvNxt, b[2 * i])) {
                System.arraycopy(b, 2 * i + 2, b, 2 * i, 2 * (tp.numSacks - i - 1));
                tp.numSacks--;
            } else {
                i++;
            }
        }
    }

    /** {@code tcp_dsack_set}: report {@code seq..endSeq} as received twice, in the next ACK. */
    static void dsackSet(TcpSock tp, int seq, int endSeq) {
        if (!tp.sackOk) {
            return;
        }
        tp.tcp.ext().inc(TcpSeq.before(seq, tp.rcvNxt) ? TcpExtMib.TCPDSACK_OLD_SENT : TcpExtMib.TCPDSACK_OFO_SENT);
        tp.dsack = true;
        tp.dsackStart = seq;
        tp.dsackEnd = endSeq;
    }

    /** {@code tcp_dsack_extend}: a D-SACK block is pending: grow it; else start one. */
    static void dsackExtend(TcpSock tp, int seq, int endSeq) {
        if (!tp.dsack) {
            dsackSet(tp, seq, endSeq);
            return;
        }
        if (!TcpSeq.after(seq, tp.dsackEnd) && !TcpSeq.after(tp.dsackStart, endSeq)) {
            if (TcpSeq.before(seq, tp.dsackStart)) {
                tp.dsackStart = seq;
            }
            if (TcpSeq.after(endSeq, tp.dsackEnd)) {
                tp.dsackEnd = endSeq;
            }
        }
    }

    /** SACK blocks the next segment carries (D-SACK included): {@code num_sacks + dsack}. */
    static int effectiveBlocks(TcpSock tp) {
        return tp.sackOk ? tp.numSacks + (tp.dsack ? 1 : 0) : 0;
    }

    // ---------------------------------------------------------------- sender

    /** What one SACK option taught ({@code tcp_sacktag_state}), reused per ACK. */
    static final class State {
        /** Send time (ns) of the first and last segment newly SACKed, never retransmitted; 0 none. */
        long firstSackt;
        long lastSackt;
        /** Segments newly SACKed. */
        int sackDelivered;
        /** The lowest never-retransmitted sequence newly SACKed below the highest SACK (reordering). */
        int reord;

        void clear(TcpSock tp) {
            firstSackt = 0;
            lastSackt = 0;
            sackDelivered = 0;
            reord = tp.sndNxt;
        }
    }

    /**
     * {@code tcp_sacktag_write_queue}: tags the segments the ACK's SACK blocks cover; returns
     * {@code FLAG_*} bits (DATA_SACKED, DSACKING_ACK, ORIG_SACK_ACKED, LOST_RETRANS never).
     */
    static int sacktag(TcpSock tp, TcpRxOptions rx, int priorSndUna, State st) {
        int flag = 0;
        int n = rx.numSacks;
        int[] sp = rx.sacks;
        flag |= checkDsack(tp, sp, n, priorSndUna, st);
        boolean dsack = (flag & TcpRecovery.FLAG_DSACKING_ACK) != 0;
        if (tp.sackedOut == 0) {
            tp.highestSackEnd = tp.sndUna; // tcp_highest_sack_reset
        }
        for (int i = dsack ? 1 : 0; i < n; i++) {
            int start = sp[2 * i];
            int end = sp[2 * i + 1];
            if (!blockValid(tp, start, end)) {
                tp.tcp.ext().inc(TcpExtMib.TCPSACK_DISCARD);
                continue;
            }
            if (!TcpSeq.after(end, tp.sndUna)) {
                continue; // an old block, already cumulatively acked
            }
            for (SkBuff skb : tp.rtxQueue) {
                int s = TcpSkbCb.seq(skb);
                int e = TcpSkbCb.endSeq(skb);
                if (!TcpSeq.after(e, start)) {
                    continue;
                }
                if (!TcpSeq.before(s, end)) {
                    break;
                }
                if (TcpSeq.before(s, start) || TcpSeq.after(e, end)) {
                    continue; // covered in part only
                }
                flag |= tagOne(tp, skb, st);
            }
        }
        if (tp.caState != TcpCaState.LOSS || tp.undoMarker != 0) {
            TcpRecovery.checkSackReordering(tp, st.reord, false);
        }
        return flag;
    }

    /** {@code tcp_sacktag_one}: one segment newly SACKed. */
    private static int tagOne(TcpSock tp, SkBuff skb, State st) {
        int sacked = TcpSkbCb.sacked(skb);
        if ((sacked & TcpSkbCb.SACKED_ACKED) != 0) {
            return 0;
        }
        int flag = TcpRecovery.FLAG_DATA_SACKED;
        int endSeq = TcpSkbCb.endSeq(skb);
        if ((sacked & TcpSkbCb.SACKED_RETRANS) != 0) {
            if ((sacked & TcpSkbCb.LOST) != 0) {
                sacked &= ~(TcpSkbCb.LOST | TcpSkbCb.SACKED_RETRANS);
                tp.lostOut--;
                tp.retransOut--;
            }
        } else {
            if ((sacked & TcpSkbCb.EVER_RETRANS) == 0) {
                // a never-retransmitted segment below what was SACKed before: reordering
                int fack = tp.sackedOut == 0 ? tp.sndUna : tp.highestSackEnd;
                if (TcpSeq.before(TcpSkbCb.seq(skb), fack) && TcpSeq.before(TcpSkbCb.seq(skb), st.reord)) {
                    st.reord = TcpSkbCb.seq(skb);
                }
                if (!TcpSeq.after(endSeq, tp.highSeq)) {
                    flag |= TcpRecovery.FLAG_ORIG_SACK_ACKED;
                }
                if (st.firstSackt == 0) {
                    st.firstSackt = skb.tstamp();
                }
                st.lastSackt = skb.tstamp();
            }
            if ((sacked & TcpSkbCb.LOST) != 0) {
                sacked &= ~TcpSkbCb.LOST;
                tp.lostOut--;
            }
        }
        sacked |= TcpSkbCb.SACKED_ACKED;
        TcpSkbCb.setSacked(skb, sacked);
        tp.sackedOut++;
        st.sackDelivered++;
        TcpRack.advance(tp, sacked, endSeq, skb.tstamp());
        if (tp.sackedOut == 1 || TcpSeq.after(endSeq, tp.highestSackEnd)) {
            tp.highestSackEnd = endSeq;
        }
        return flag;
    }

    /** {@code tcp_is_sackblock_valid}: inside what was sent, not older than the largest window. */
    private static boolean blockValid(TcpSock tp, int start, int end) {
        if (TcpSeq.after(end, tp.sndNxt) || !TcpSeq.before(start, end)) {
            return false;
        }
        if (!TcpSeq.before(start, tp.sndUna)) {
            return true;
        }
        return !TcpSeq.before(start, tp.sndUna - tp.maxWindow) || TcpSeq.after(end, tp.sndUna);
    }

    /**
     * {@code tcp_check_dsack}: the first block reports a duplicate when it lies below the
     * cumulative ACK or inside the second block (RFC 2883). A D-SACK for data that was
     * retransmitted in this recovery shows that retransmission spurious ({@code undo_retrans}).
     */
    private static int checkDsack(TcpSock tp, int[] sp, int n, int priorSndUna, State st) {
        if (n == 0) {
            return 0;
        }
        int s0 = sp[0];
        int e0 = sp[1];
        boolean dup = false;
        if (TcpSeq.before(s0, tp.sndUna)) {
            dup = true;
            tp.tcp.ext().inc(TcpExtMib.TCPDSACK_RECV);
        } else if (n > 1 && !TcpSeq.after(e0, sp[3]) && !TcpSeq.before(s0, sp[2])) {
            dup = true;
            tp.tcp.ext().inc(TcpExtMib.TCPDSACK_OFO_RECV);
        }
        if (!dup || !TcpSeq.before(s0, e0) || e0 - s0 > tp.maxWindow) {
            return 0; // tcp_dsack_seen: a dubious D-SACK is ignored
        }
        int flag = 0;
        int segs = 1;
        if (e0 - s0 > tp.mssCache) {
            segs = (e0 - s0 + tp.mssCache - 1) / tp.mssCache;
        } else if (tp.tlpHighSeq != 0 && tp.tlpHighSeq == e0) {
            flag |= TcpRecovery.FLAG_DSACK_TLP;
        }
        tp.dsackDups += segs;
        if (tp.dsackDups > tp.totalRetrans) {
            return flag; // duplicates the sender never retransmitted
        }
        tp.tcp.ext().add(TcpExtMib.TCPDSACK_RECV_SEGS, segs);
        if (tp.reordSeen != 0 && (flag & TcpRecovery.FLAG_DSACK_TLP) == 0) {
            tp.rackDsackSeen = true;
        }
        st.sackDelivered += segs;
        if (tp.undoMarker != 0 && tp.undoRetrans > 0 && !TcpSeq.after(e0, priorSndUna)
                && TcpSeq.after(e0, tp.undoMarker)) {
            tp.undoRetrans = Math.max(0, tp.undoRetrans - segs);
        }
        return flag | TcpRecovery.FLAG_DSACKING_ACK;
    }
}
