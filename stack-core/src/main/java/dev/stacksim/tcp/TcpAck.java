package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.TcpHeader;

/**
 * What an arriving ACK does ({@code tcp_ack} in {@code tcp_input.c}): the send window
 * ({@code tcp_ack_update_window}), the retransmission queue ({@code tcp_clean_rtx_queue}), RTT
 * samples (RFC 6298 with Karn's rule; RFC 7323 timestamps), SACK ({@link TcpSack}), loss recovery
 * ({@link TcpRecovery}) and the congestion window ({@link TcpCongestionOps}, PRR in recovery).
 */
final class TcpAck {
    private final Tcp tcp;
    /** The options of the segment being processed (shared with {@link TcpInput}). */
    private final TcpRxOptions rx;
    /** The loss-recovery state machine. */
    final TcpRecovery recovery;
    private final TcpSack.State sack = new TcpSack.State();

    TcpAck(Tcp tcp, TcpRxOptions rx) {
        this.tcp = tcp;
        this.rx = rx;
        this.recovery = new TcpRecovery(tcp, rx);
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
        int priorDelivered = tp.delivered;
        int priorLost = tp.lost;
        int priorPackets = tp.packetsOut;
        int flag = 0;
        recovery.rexmit = TcpRecovery.REXMIT_NONE;
        sack.clear(tp);
        if (TcpSeq.before(ack, priorSndUna)) {
            int maxWindow = tp.maxWindow;
            if (TcpSeq.before(ack, priorSndUna - maxWindow)) {
                return -1;
            }
            // old_ack: it may still carry SACK information (a D-SACK)
            if (rx.numSacks > 0 && tp.sackOk) {
                recovery.flag = TcpSack.sacktag(tp, rx, priorSndUna, sack);
                tp.delivered += sack.sackDelivered;
                recovery.fastretransAlert(tp, priorSndUna, 0);
                newlyDelivered(tp, priorDelivered);
                xmitRecovery(tp, recovery.rexmit);
            }
            return 0;
        }
        if (TcpSeq.after(ack, tp.sndNxt)) {
            return -1;
        }
        if (TcpSeq.after(ack, priorSndUna)) {
            flag |= TcpRecovery.FLAG_SND_UNA_ADVANCED;
            tp.retransmits = 0;
        }
        // the highest SACK before this ACK's blocks: what "a hole filled below it" is measured against
        int priorFack = tp.sackOk && tp.sackedOut != 0 ? tp.highestSackEnd : priorSndUna;
        if (updateTsRecent && rx.sawTstamp && !TcpSeq.after(ackSeq, tp.rcvWup)) {
            tp.tsRecent = rx.tsVal;
            tp.tsRecentStamp = tcp.now();
        }
        if (ackSeq != TcpSkbCb.endSeq(skb)) {
            flag |= TcpRecovery.FLAG_DATA;
        } else if (ack == priorSndUna) {
            tcp.ext().inc(TcpExtMib.TCP_PURE_ACKS);
        }
        flag |= updateWindow(tp, skb, ack, ackSeq, flags);
        if (rx.numSacks > 0 && tp.sackOk) {
            flag |= TcpSack.sacktag(tp, rx, priorSndUna, sack);
            tp.delivered += sack.sackDelivered;
        }
        tp.probesOut = 0;
        tp.rcvTstamp = tcp.now();
        if (priorPackets == 0) {
            // no_queue
            if ((flag & TcpRecovery.FLAG_DSACKING_ACK) != 0) {
                recovery.flag = flag;
                recovery.fastretransAlert(tp, priorSndUna, 0);
                newlyDelivered(tp, priorDelivered);
            }
            TcpTimers.ackProbe(tp);
            if (tp.tlpHighSeq != 0) {
                TcpTlp.processAck(tp, ack, flag);
            }
            return 1;
        }
        flag |= cleanRtxQueue(tp, priorSndUna, priorFack);
        TcpRack.updateReoWnd(tp, priorDelivered);
        if (tp.tlpHighSeq != 0) {
            TcpTlp.processAck(tp, ack, flag);
        }
        recovery.flag = flag;
        if (ackIsDubious(tp, flag)) {
            int numDupack = (flag & (TcpRecovery.FLAG_SND_UNA_ADVANCED | TcpRecovery.FLAG_NOT_DUP
                    | TcpRecovery.FLAG_DSACKING_ACK)) == 0 ? 1 : 0;
            recovery.fastretransAlert(tp, priorSndUna, numDupack);
            flag = recovery.flag;
        }
        if ((flag & TcpRecovery.FLAG_SET_XMIT_TIMER) != 0) {
            TcpTimers.setXmitTimer(tp);
        }
        int delivered = newlyDelivered(tp, priorDelivered);
        congControl(tp, ack, delivered, flag, tp.lost - priorLost);
        xmitRecovery(tp, recovery.rexmit);
        if (TcpSeq.after(tp.sndUna, priorSndUna) && !tp.orphan) {
            TcpBuffers.newSpace(tp);
            tp.writeSpace();
        }
        return 1;
    }

    private int newlyDelivered(TcpSock tp, int priorDelivered) {
        int d = tp.delivered - priorDelivered;
        if (d > 0) {
            tcp.ext().add(TcpExtMib.TCP_DELIVERED, d);
        }
        return d;
    }

    /** {@code tcp_ack_is_dubious}: a duplicate, a SACK or ECE, or any ACK while not Open. */
    private static boolean ackIsDubious(TcpSock tp, int flag) {
        return (flag & TcpRecovery.FLAG_NOT_DUP) == 0 || (flag & TcpRecovery.FLAG_CA_ALERT) != 0
                || tp.caState != TcpCaState.OPEN;
    }

    /**
     * {@code tcp_cong_control}: during a reduction PRR sets the window; otherwise the congestion
     * control grows it, on in-order delivery only unless the path is known to reorder.
     */
    private void congControl(TcpSock tp, int ack, int ackedSacked, int flag, int newlyLost) {
        if (TcpRecovery.inCwndReduction(tp)) {
            TcpRecovery.cwndReduction(tp, ackedSacked, newlyLost, flag);
        } else if (mayRaiseCwnd(tp, flag)) {
            tp.caOps().congAvoid(tp, ack, ackedSacked);
            tp.sndCwndStamp = tcp.now();
        }
        tp.updatePacingRate();
    }

    private boolean mayRaiseCwnd(TcpSock tp, int flag) {
        if (tp.reordering > tcp.congestion().reordering.intValue()) {
            return (flag & TcpRecovery.FLAG_FORWARD_PROGRESS) != 0;
        }
        return (flag & TcpRecovery.FLAG_DATA_ACKED) != 0;
    }

    /** {@code tcp_xmit_recovery}: new data first for F-RTO, then what is marked lost. */
    private void xmitRecovery(TcpSock tp, int rexmit) {
        if (rexmit == TcpRecovery.REXMIT_NONE || tp.tstate == TcpState.SYN_SENT) {
            return;
        }
        if (rexmit == TcpRecovery.REXMIT_NEW) {
            tcp.output().writeXmit(tp, true);
            if (TcpSeq.after(tp.sndNxt, tp.highSeq)) {
                return;
            }
            tp.frto = false;
        }
        TcpRetransmit.xmitRetransmitQueue(tp);
    }

    /** {@code tcp_ack_update_window}: FLAG_WIN_UPDATE when the window was taken from this segment. */
    private int updateWindow(TcpSock tp, SkBuff skb, int ack, int ackSeq, int flags) {
        int flag = 0;
        int nwin = skb.buf().getUnsignedShort(skb.transportHeader() + TcpHeader.WINDOW_OFFSET);
        if ((flags & TcpHeader.SYN) == 0) {
            nwin <<= tp.sndWscale;
        }
        boolean mayUpdate = TcpSeq.after(ack, tp.sndUna) || TcpSeq.after(ackSeq, tp.sndWl1)
                || (ackSeq == tp.sndWl1 && (nwin > tp.sndWnd || nwin == 0));
        if (mayUpdate) {
            flag = TcpRecovery.FLAG_WIN_UPDATE;
            tp.sndWl1 = ackSeq;
            if (tp.sndWnd != nwin) {
                tp.sndWnd = nwin;
                if (nwin > tp.maxWindow) {
                    tp.maxWindow = nwin;
                    TcpOutput.syncMss(tp, tcp.output().routeMtu(tp.daddr()));
                }
            }
        }
        tp.bytesAcked += ack - tp.sndUna;
        tp.sndUna = ack;
        return flag;
    }

    /**
     * {@code tcp_clean_rtx_queue}: frees what the ACK covers and keeps the scoreboard counts; an
     * RTT sample from the oldest segment never retransmitted (Karn's rule), else from a SACKed
     * one, else from the timestamp echo; returns {@code FLAG_*} bits.
     */
    private int cleanRtxQueue(TcpSock tp, int priorSndUna, int priorFack) {
        long now = tcp.now();
        int reord = tp.sndNxt;
        long firstAckt = 0;
        long lastAckt = 0;
        int pktsAcked = 0;
        int flag = 0;
        SkBuff skb;
        while ((skb = tp.rtxQueue.peekFirst()) != null) {
            if (TcpSeq.after(TcpSkbCb.endSeq(skb), tp.sndUna)) {
                if ((TcpSkbCb.sacked(skb) & TcpSkbCb.SACKED_ACKED) != 0) {
                    flag |= TcpRecovery.FLAG_SACK_RENEGING;
                }
                break;
            }
            int sacked = TcpSkbCb.sacked(skb);
            if ((sacked & TcpSkbCb.RETRANS) != 0) {
                if ((sacked & TcpSkbCb.SACKED_RETRANS) != 0) {
                    tp.retransOut--;
                }
                flag |= TcpRecovery.FLAG_RETRANS_DATA_ACKED;
            } else if ((sacked & TcpSkbCb.SACKED_ACKED) == 0) {
                lastAckt = skb.tstamp();
                if (firstAckt == 0) {
                    firstAckt = lastAckt;
                }
                if (TcpSeq.before(TcpSkbCb.seq(skb), reord)) {
                    reord = TcpSkbCb.seq(skb);
                }
                if (!TcpSeq.after(TcpSkbCb.endSeq(skb), tp.highSeq)) {
                    flag |= TcpRecovery.FLAG_ORIG_SACK_ACKED;
                }
            }
            if ((sacked & TcpSkbCb.SACKED_ACKED) != 0) {
                tp.sackedOut--;
            } else if (tp.sackOk) {
                tp.delivered++;
                TcpRack.advance(tp, sacked, TcpSkbCb.endSeq(skb), skb.tstamp());
            }
            if ((sacked & TcpSkbCb.LOST) != 0) {
                tp.lostOut--;
            }
            tp.packetsOut--;
            pktsAcked++;
            if ((TcpSkbCb.flags(skb) & TcpHeader.SYN) == 0) {
                flag |= TcpRecovery.FLAG_DATA_ACKED;
            } else {
                flag |= TcpRecovery.FLAG_SYN_ACKED;
                tp.retransStamp = 0;
            }
            tp.rtxQueue.pollFirst();
            tp.wmemQueued -= TcpSkbCb.charge(skb);
            skb.consume();
        }
        long seqRttUs = -1;
        long caRttUs = -1;
        if (firstAckt != 0 && (flag & TcpRecovery.FLAG_RETRANS_DATA_ACKED) == 0) {
            seqRttUs = (now - firstAckt) / 1000;
            caRttUs = (now - lastAckt) / 1000;
        }
        long sackRttUs = -1;
        if (sack.firstSackt != 0) {
            sackRttUs = (now - sack.firstSackt) / 1000;
            caRttUs = (now - sack.lastSackt) / 1000;
        }
        boolean rttUpdate = ackUpdateRtt(tp, flag, seqRttUs, sackRttUs, caRttUs);
        if ((flag & TcpRecovery.FLAG_ACKED) != 0) {
            flag |= TcpRecovery.FLAG_SET_XMIT_TIMER;
            if (TcpRecovery.isReno(tp)) {
                recovery.removeRenoSacks(tp, pktsAcked);
                if ((flag & TcpRecovery.FLAG_RETRANS_DATA_ACKED) != 0) {
                    flag &= ~TcpRecovery.FLAG_ORIG_SACK_ACKED;
                }
            } else if (TcpSeq.before(reord, priorFack)) {
                TcpRecovery.checkSackReordering(tp, reord, false);
            }
        } else if (skb != null && rttUpdate && sackRttUs >= 0 && sackRttUs > (now - skb.tstamp()) / 1000) {
            flag |= TcpRecovery.FLAG_SET_XMIT_TIMER;
        }
        tp.caOps().pktsAcked(tp, pktsAcked, lastRttUs);
        if (tp.packetsOut == 0) {
            tp.sackedOut = 0;
            tp.lostOut = 0;
            tp.retransOut = 0;
        }
        return flag;
    }

    /**
     * {@code tcp_synack_rtt_meas}: the child's first RTT sample, from the SYN-ACK's send time when
     * it was not retransmitted (Karn), else from the handshake ACK's timestamp echo.
     */
    void synackRttMeas(TcpSock child, long rttUs) {
        int ecr = rx.tsEcr;
        rx.tsEcr -= child.tsOff;
        ackUpdateRtt(child, TcpRecovery.FLAG_SYN_ACKED, rttUs, -1, rttUs);
        rx.tsEcr = ecr;
    }

    /** The RTT sample of the ACK being processed (us), -1 for none: what {@code pkts_acked} is told. */
    private long lastRttUs;

    /** {@code tcp_ack_update_rtt}: RFC 6298 with Karn's rule; the timestamp echo when no segment gives a sample. */
    private boolean ackUpdateRtt(TcpSock tp, int flag, long seqRttUs, long sackRttUs, long caRttUs) {
        if (seqRttUs < 0) {
            seqRttUs = sackRttUs;
        }
        if (seqRttUs < 0 && rx.sawTstamp && rx.tsEcr != 0 && tp.tstampOk && (flag & TcpRecovery.FLAG_ACKED) != 0) {
            int delta = tcp.tsClock() - rx.tsEcr;
            if (delta >= 0) {
                seqRttUs = caRttUs = Math.max(delta, 1) * 1000L;
            }
        }
        lastRttUs = caRttUs;
        if (seqRttUs < 0) {
            return false;
        }
        TcpRack.updateRttMin(tp, caRttUs);
        rttEstimator(tp, seqRttUs);
        TcpTimers.setRto(tp);
        tp.backoff = 0;
        return true;
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
