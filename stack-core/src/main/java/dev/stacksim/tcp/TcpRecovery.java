package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * Loss recovery: the "Linux NewReno/SACK/ECN state machine" of {@code tcp_input.c}
 * ({@code tcp_fastretrans_alert} and its helpers), entered on every ACK that is not plain.
 *
 * <p>In flight is {@code packets_out - (sacked_out + lost_out) + retrans_out}. Loss is detected
 * by SACK ({@code sacked_out} above the reordering degree, RFC 6675 as {@code tcp_mark_head_lost}
 * does it), by RACK's clock ({@link TcpRack}, on by default as in Linux), or without SACK by
 * counting duplicate ACKs and marking the head lost (NewReno, RFC 6582: each partial ACK marks
 * the next head). Entering Recovery cuts ssthresh through the congestion control; PRR (RFC 6937)
 * paces what is sent until {@code snd_una} passes {@code high_seq}. A retransmission timeout enters
 * Loss ({@link #enterLoss}); F-RTO (RFC 5682) then tells a spurious timeout by new data being
 * acknowledged. Undo (timestamps, D-SACK) restores the window when a reduction proves needless.
 */
final class TcpRecovery {
    static final int FLAG_DATA = 0x01;
    static final int FLAG_WIN_UPDATE = 0x02;
    static final int FLAG_DATA_ACKED = 0x04;
    static final int FLAG_RETRANS_DATA_ACKED = 0x08;
    static final int FLAG_SYN_ACKED = 0x10;
    static final int FLAG_DATA_SACKED = 0x20;
    static final int FLAG_ECE = 0x40;
    static final int FLAG_LOST_RETRANS = 0x80;
    static final int FLAG_ORIG_SACK_ACKED = 0x200;
    static final int FLAG_SND_UNA_ADVANCED = 0x400;
    static final int FLAG_DSACKING_ACK = 0x800;
    static final int FLAG_SET_XMIT_TIMER = 0x1000;
    static final int FLAG_SACK_RENEGING = 0x2000;
    static final int FLAG_DSACK_TLP = 0x20000;
    static final int FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
    static final int FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
    static final int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
    static final int FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

    static final int REXMIT_NONE = 0;
    static final int REXMIT_LOST = 1;
    static final int REXMIT_NEW = 2;

    /** The ACK's flags as the state machine leaves them (Linux passes {@code *ack_flag}). */
    int flag;
    /** What to send after the ACK ({@code *rexmit}). */
    int rexmit;
    /** Whether this ACK may mark more segments lost ({@code do_lost}); a field, not a per-ACK allocation. */
    private boolean doLost;

    private final Tcp tcp;
    /** The options of the ACK being processed (shared with {@link TcpInput}). */
    private final TcpRxOptions rx;

    TcpRecovery(Tcp tcp, TcpRxOptions rx) {
        this.tcp = tcp;
        this.rx = rx;
    }

    static boolean isReno(TcpSock tp) {
        return !tp.sackOk;
    }

    /** {@code tcp_set_ca_state}: the algorithm is told first. */
    static void setCaState(TcpSock tp, TcpCaState s) {
        tp.caOps().setState(tp, s);
        tp.caState = s;
    }

    static boolean inCwndReduction(TcpSock tp) {
        return tp.caState == TcpCaState.CWR || tp.caState == TcpCaState.RECOVERY;
    }

    /** {@code tcp_current_ssthresh}: in a reduction, ssthresh; else at least 3/4 of the window. */
    static int currentSsthresh(TcpSock tp) {
        if (inCwndReduction(tp)) {
            return tp.sndSsthresh;
        }
        return Math.max(tp.sndSsthresh, (tp.sndCwnd >> 1) + (tp.sndCwnd >> 2));
    }

    // ---------------------------------------------------------------- scoreboard marks

    /** {@code tcp_mark_skb_lost}. */
    static void markSkbLost(TcpSock tp, SkBuff skb) {
        int sacked = TcpSkbCb.sacked(skb);
        if ((sacked & TcpSkbCb.SACKED_ACKED) != 0) {
            return;
        }
        if ((sacked & TcpSkbCb.LOST) != 0) {
            if ((sacked & TcpSkbCb.SACKED_RETRANS) != 0) {
                // a retransmission lost again
                TcpSkbCb.setSacked(skb, sacked & ~TcpSkbCb.SACKED_RETRANS);
                tp.retransOut--;
                tp.tcp.ext().inc(TcpExtMib.TCP_LOST_RETRANSMIT);
                tp.lost++;
            }
        } else {
            tp.lostOut++;
            TcpSkbCb.setSacked(skb, sacked | TcpSkbCb.LOST);
            tp.lost++;
        }
    }

    /** {@code tcp_mark_head_lost}: from the head, mark until {@code packets} SACKed segments are passed. */
    private static void markHeadLost(TcpSock tp, int packets, boolean markHead) {
        int cnt = 0;
        for (SkBuff skb : tp.rtxQueue) {
            if (TcpSeq.after(TcpSkbCb.endSeq(skb), tp.sndNxt)) {
                break;
            }
            if ((TcpSkbCb.sacked(skb) & TcpSkbCb.SACKED_ACKED) != 0) {
                cnt++;
            }
            if (cnt > packets) {
                break;
            }
            if ((TcpSkbCb.sacked(skb) & TcpSkbCb.LOST) == 0) {
                markSkbLost(tp, skb);
            }
            if (markHead) {
                break;
            }
        }
    }

    /** {@code tcp_update_scoreboard}: RFC 6675's rule, used when RACK is off. */
    private static void updateScoreboard(TcpSock tp, boolean fastRexmit) {
        if (!isReno(tp)) {
            int sackedUpto = tp.sackedOut - tp.reordering;
            if (sackedUpto >= 0) {
                markHeadLost(tp, sackedUpto, false);
            } else if (fastRexmit) {
                markHeadLost(tp, 1, true);
            }
        }
    }

    /** {@code tcp_newreno_mark_lost}: the head is lost after enough duplicate ACKs, or on a partial ACK. */
    private static void newrenoMarkLost(TcpSock tp, boolean sndUnaAdvanced) {
        if ((tp.caState.ordinal() < TcpCaState.RECOVERY.ordinal() && tp.sackedOut >= tp.reordering)
                || (tp.caState == TcpCaState.RECOVERY && sndUnaAdvanced)) {
            SkBuff skb = tp.rtxQueue.peekFirst();
            if ((TcpSkbCb.sacked(skb) & TcpSkbCb.LOST) == 0) {
                markSkbLost(tp, skb);
            }
        }
    }

    /** {@code tcp_identify_packet_loss}. */
    private void identifyPacketLoss(TcpSock tp) {
        if (tp.rtxQueue.isEmpty()) {
            return;
        }
        if (isReno(tp)) {
            newrenoMarkLost(tp, (flag & FLAG_SND_UNA_ADVANCED) != 0);
        } else if (tcp.congestion().rack()) {
            int priorRetrans = tp.retransOut;
            if (TcpRack.markLost(tp)) {
                flag &= ~FLAG_SET_XMIT_TIMER;
            }
            if (priorRetrans > tp.retransOut) {
                flag |= FLAG_LOST_RETRANS;
            }
        }
    }

    // ---------------------------------------------------------------- Reno's emulated SACKs

    /** {@code tcp_limit_reno_sacked}: duplicate ACKs cannot stand for more segments than are out. */
    private static boolean limitRenoSacked(TcpSock tp) {
        int holes = Math.min(Math.max(tp.lostOut, 1), tp.packetsOut);
        if (tp.sackedOut + holes > tp.packetsOut) {
            tp.sackedOut = tp.packetsOut - holes;
            return true;
        }
        return false;
    }

    /** {@code tcp_check_reno_reordering}: more duplicate ACKs than segments is reordering. */
    private void checkRenoReordering(TcpSock tp, int addend) {
        if (!limitRenoSacked(tp)) {
            return;
        }
        tp.reordering = Math.min(tp.packetsOut + addend, tcp.congestion().maxReordering.intValue());
        tp.reordSeen++;
        tcp.ext().inc(TcpExtMib.TCP_RENO_REORDER);
    }

    /** {@code tcp_add_reno_sack}: a duplicate ACK counts as one segment delivered beyond the hole. */
    void addRenoSack(TcpSock tp, int numDupack) {
        if (numDupack != 0) {
            int prior = tp.sackedOut;
            tp.sackedOut += numDupack;
            checkRenoReordering(tp, 0);
            int d = tp.sackedOut - prior;
            if (d > 0) {
                tp.delivered += d;
            }
        }
    }

    /** {@code tcp_remove_reno_sacks}: a cumulative ACK in Reno recovery eats the counted duplicates. */
    void removeRenoSacks(TcpSock tp, int acked) {
        if (acked > 0) {
            tp.delivered += Math.max(acked - tp.sackedOut, 1);
            if (acked - 1 >= tp.sackedOut) {
                tp.sackedOut = 0;
            } else {
                tp.sackedOut -= acked - 1;
            }
        }
        checkRenoReordering(tp, acked);
    }

    /** {@code tcp_check_sack_reordering}: a hole filled by an original transmission: the path reorders. */
    static void checkSackReordering(TcpSock tp, int lowSeq, boolean ts) {
        int fack = tp.sackedOut == 0 ? tp.sndUna : tp.highestSackEnd;
        if (!TcpSeq.before(lowSeq, fack)) {
            return;
        }
        int mss = tp.mssCache;
        int metric = fack - lowSeq;
        if (mss > 0 && metric > tp.reordering * mss) {
            tp.reordering = Math.min((metric + mss - 1) / mss, tp.tcp.congestion().maxReordering.intValue());
        }
        tp.reordSeen++;
        tp.tcp.ext().inc(ts ? TcpExtMib.TCPTS_REORDER : TcpExtMib.TCPSACK_REORDER);
    }

    // ---------------------------------------------------------------- entering and leaving states

    /** {@code tcp_init_undo}: undo is possible until the retransmissions are shown needed. */
    private static void initUndo(TcpSock tp) {
        tp.undoMarker = tp.sndUna;
        tp.undoRetrans = tp.retransOut;
        if (tp.tlpHighSeq != 0 && tp.tlpRetrans) {
            tp.undoRetrans++;
        }
        if (tp.undoRetrans == 0) {
            tp.undoRetrans = -1;
        }
    }

    /** {@code tcp_init_cwnd_reduction}: PRR starts; ssthresh from the congestion control. */
    private static void initCwndReduction(TcpSock tp) {
        tp.highSeq = tp.sndNxt;
        tp.tlpHighSeq = 0;
        tp.sndCwndCnt = 0;
        tp.priorCwnd = tp.sndCwnd;
        tp.prrDelivered = 0;
        tp.prrOut = 0;
        tp.sndSsthresh = tp.caOps().ssthresh(tp);
    }

    /** {@code tcp_enter_recovery}: fast retransmit begins. */
    void enterRecovery(TcpSock tp) {
        retransStampCleanup(tp);
        tcp.ext().inc(isReno(tp) ? TcpExtMib.TCP_RENO_RECOVERY : TcpExtMib.TCP_SACK_RECOVERY);
        tp.priorSsthresh = 0;
        initUndo(tp);
        if (!inCwndReduction(tp)) {
            tp.priorSsthresh = currentSsthresh(tp);
            initCwndReduction(tp);
        }
        setCaState(tp, TcpCaState.RECOVERY);
    }

    /**
     * {@code tcp_enter_loss}: a retransmission timeout. Everything not SACKed is taken as lost
     * ({@code tcp_timeout_mark_lost}; all of it when the peer reneged), ssthresh cut once per
     * episode, the window set to what is in flight plus one, F-RTO armed.
     */
    static void enterLoss(TcpSock tp) {
        Tcp tcp = tp.tcp;
        boolean newRecovery = tp.caState.ordinal() < TcpCaState.RECOVERY.ordinal();
        timeoutMarkLost(tp);
        if (tp.caState.ordinal() <= TcpCaState.DISORDER.ordinal() || !TcpSeq.after(tp.highSeq, tp.sndUna)
                || (tp.caState == TcpCaState.LOSS && tp.retransmits == 0)) {
            tp.priorSsthresh = currentSsthresh(tp);
            tp.priorCwnd = tp.sndCwnd;
            tp.sndSsthresh = tp.caOps().ssthresh(tp);
            tp.caOps().cwndEvent(tp, TcpCaEvent.LOSS);
            initUndo(tp);
        }
        tp.sndCwnd = tp.packetsInFlight() + 1;
        tp.sndCwndCnt = 0;
        tp.sndCwndStamp = tcp.now();
        int reordering = tcp.congestion().reordering.intValue();
        if (tp.caState.ordinal() <= TcpCaState.DISORDER.ordinal() && tp.sackedOut >= reordering) {
            tp.reordering = Math.min(tp.reordering, reordering);
        }
        setCaState(tp, TcpCaState.LOSS);
        tp.highSeq = tp.sndNxt;
        tp.tlpHighSeq = 0;
        tp.frto = tcp.congestion().frto.intValue() != 0 && (newRecovery || tp.retransmits != 0);
    }

    /** {@code tcp_timeout_mark_lost}. */
    private static void timeoutMarkLost(TcpSock tp) {
        SkBuff head = tp.rtxQueue.peekFirst();
        boolean reneg = head != null && (TcpSkbCb.sacked(head) & TcpSkbCb.SACKED_ACKED) != 0;
        if (reneg) {
            tp.tcp.ext().inc(TcpExtMib.TCPSACK_RENEGING);
            tp.sackedOut = 0;
            tp.sackReneg = true;
        } else if (isReno(tp)) {
            tp.sackedOut = 0;
        }
        boolean rack = tp.tcp.congestion().rack();
        for (SkBuff skb : tp.rtxQueue) {
            if (reneg) {
                TcpSkbCb.setSacked(skb, TcpSkbCb.sacked(skb) & ~TcpSkbCb.SACKED_ACKED);
            } else if (rack && skb != head && TcpRack.skbTimeout(tp, skb, 0) > 0) {
                continue; // sent recently: not lost yet
            }
            markSkbLost(tp, skb);
        }
    }

    /** {@code tcp_any_retrans_done}. */
    private static boolean anyRetransDone(TcpSock tp) {
        if (tp.retransOut != 0) {
            return true;
        }
        SkBuff head = tp.rtxQueue.peekFirst();
        return head != null && (TcpSkbCb.sacked(head) & TcpSkbCb.EVER_RETRANS) != 0;
    }

    private static void retransStampCleanup(TcpSock tp) {
        if (!anyRetransDone(tp)) {
            tp.retransStamp = 0;
        }
    }

    /** {@code tcp_tsopt_ecr_before}: the echoed timestamp is older than {@code whenMs}. */
    private static boolean tsoptEcrBefore(TcpRxOptions rx, long whenNs) {
        return rx.sawTstamp && rx.tsEcr != 0 && TcpSeq.before(rx.tsEcr, (int) (whenNs / 1_000_000L));
    }

    /** {@code tcp_packet_delayed}: the ACK echoes a timestamp from before the first retransmission. */
    private boolean packetDelayed(TcpSock tp) {
        if (tp.retransStamp != 0) {
            return tsoptEcrBefore(rx, tp.retransStamp);
        }
        if (isReno(tp) && !TcpSeq.before(tp.sndUna, tp.highSeq)) {
            return false;
        }
        return tp.tstate != TcpState.SYN_SENT;
    }

    private boolean mayUndo(TcpSock tp) {
        return tp.undoMarker != 0 && (tp.undoRetrans == 0 || packetDelayed(tp));
    }

    /** {@code tcp_undo_cwnd_reduction}. */
    private static void undoCwndReduction(TcpSock tp, boolean unmarkLoss) {
        if (unmarkLoss) {
            for (SkBuff skb : tp.rtxQueue) {
                TcpSkbCb.setSacked(skb, TcpSkbCb.sacked(skb) & ~TcpSkbCb.LOST);
            }
            tp.lostOut = 0;
        }
        if (tp.priorSsthresh != 0) {
            tp.sndCwnd = tp.caOps().undoCwnd(tp);
            if (tp.priorSsthresh > tp.sndSsthresh) {
                tp.sndSsthresh = tp.priorSsthresh;
            }
        }
        tp.sndCwndStamp = tp.tcp.now();
        tp.undoMarker = 0;
        tp.rackAdvanced = true;
    }

    /** {@code tcp_is_non_sack_preventing_reopen}: Reno holds Recovery until data above high_seq is acked. */
    private static boolean nonSackPreventingReopen(TcpSock tp) {
        if (tp.sndUna == tp.highSeq && isReno(tp)) {
            if (!anyRetransDone(tp)) {
                tp.retransStamp = 0;
            }
            return true;
        }
        return false;
    }

    /** {@code tcp_try_undo_recovery}. */
    private boolean tryUndoRecovery(TcpSock tp) {
        if (mayUndo(tp)) {
            undoCwndReduction(tp, false);
            tcp.ext().inc(tp.caState == TcpCaState.LOSS ? TcpExtMib.TCP_LOSS_UNDO : TcpExtMib.TCP_FULL_UNDO);
        } else if (tp.rackReoWndPersist > 0) {
            tp.rackReoWndPersist--;
        }
        if (nonSackPreventingReopen(tp)) {
            return true;
        }
        setCaState(tp, TcpCaState.OPEN);
        tp.sackReneg = false;
        return false;
    }

    /** {@code tcp_try_undo_dsack}: D-SACKs covered every retransmission. */
    private boolean tryUndoDsack(TcpSock tp) {
        if (tp.undoMarker != 0 && tp.undoRetrans == 0) {
            tp.rackReoWndPersist = Math.min(TcpRack.RECOVERY_THRESH, tp.rackReoWndPersist + 1);
            undoCwndReduction(tp, false);
            tcp.ext().inc(TcpExtMib.TCPDSACK_UNDO);
            return true;
        }
        return false;
    }

    /** {@code tcp_try_undo_loss}. */
    private boolean tryUndoLoss(TcpSock tp, boolean frtoUndo) {
        if (frtoUndo || mayUndo(tp)) {
            undoCwndReduction(tp, true);
            tcp.ext().inc(TcpExtMib.TCP_LOSS_UNDO);
            if (frtoUndo) {
                tcp.ext().inc(TcpExtMib.TCP_SPURIOUS_RT_OS);
            }
            tp.retransmits = 0;
            if (nonSackPreventingReopen(tp)) {
                return true;
            }
            if (frtoUndo || !isReno(tp)) {
                setCaState(tp, TcpCaState.OPEN);
                tp.sackReneg = false;
            }
            return true;
        }
        return false;
    }

    /** {@code tcp_try_undo_partial}: a partial ACK in Recovery. */
    private boolean tryUndoPartial(TcpSock tp, int priorSndUna) {
        if (tp.undoMarker != 0 && packetDelayed(tp)) {
            checkSackReordering(tp, priorSndUna, true);
            if (tp.retransOut != 0) {
                return true;
            }
            if (!anyRetransDone(tp)) {
                tp.retransStamp = 0;
            }
            undoCwndReduction(tp, true);
            tcp.ext().inc(TcpExtMib.TCP_PARTIAL_UNDO);
            tryKeepOpen(tp);
        } else {
            doLost = forceFastRetransmit(tp);
        }
        return false;
    }

    /** {@code tcp_force_fast_retransmit}: SACKs reach beyond the reordering degree. */
    private static boolean forceFastRetransmit(TcpSock tp) {
        int highest = tp.sackedOut == 0 ? tp.sndUna : tp.highestSackEnd;
        return TcpSeq.after(highest, tp.sndUna + tp.reordering * tp.mssCache);
    }

    /** {@code tcp_end_cwnd_reduction}: the window lands on ssthresh. */
    private static void endCwndReduction(TcpSock tp) {
        if (tp.sndSsthresh < Integer.MAX_VALUE && (tp.caState == TcpCaState.CWR || tp.undoMarker != 0)) {
            tp.sndCwnd = tp.sndSsthresh;
            tp.sndCwndStamp = tp.tcp.now();
        }
        tp.caOps().cwndEvent(tp, TcpCaEvent.COMPLETE_CWR);
    }

    /** {@code tcp_enter_cwr}: a local congestion signal: reduce once, no undo. */
    static void enterCwr(TcpSock tp) {
        tp.priorSsthresh = 0;
        if (tp.caState.ordinal() < TcpCaState.CWR.ordinal()) {
            tp.undoMarker = 0;
            initCwndReduction(tp);
            setCaState(tp, TcpCaState.CWR);
        }
    }

    /** A loss probe repaired a loss ({@code tcp_process_tlp_ack}): one window reduction, as CWR. */
    static void tlpRecovered(TcpSock tp) {
        initCwndReduction(tp);
        setCaState(tp, TcpCaState.CWR);
        endCwndReduction(tp);
        tryKeepOpen(tp);
    }

    private static void tryKeepOpen(TcpSock tp) {
        TcpCaState state = TcpCaState.OPEN;
        if (tp.sackedOut + tp.lostOut != 0 || anyRetransDone(tp)) {
            state = TcpCaState.DISORDER;
        }
        if (tp.caState != state) {
            setCaState(tp, state);
            tp.highSeq = tp.sndNxt;
        }
    }

    private static void tryToOpen(TcpSock tp) {
        if (!anyRetransDone(tp)) {
            tp.retransStamp = 0;
        }
        if (tp.caState != TcpCaState.CWR) {
            tryKeepOpen(tp);
        }
    }

    /** {@code tcp_time_to_recover}. */
    private boolean timeToRecover(TcpSock tp) {
        if (tp.lostOut != 0) {
            return true;
        }
        return !tcp.congestion().rack() && tp.sackedOut + 1 > tp.reordering;
    }

    /** {@code tcp_check_sack_reneging}: snd_una reached a SACKed segment: give the peer a moment. */
    private boolean checkSackReneging(TcpSock tp) {
        if ((flag & FLAG_SACK_RENEGING) != 0 && (flag & FLAG_SND_UNA_ADVANCED) != 0) {
            long delay = Math.max((tp.srttUs >>> 4) * 1000, 10_000_000L);
            TcpTimers.resetXmitTimer(tp, TcpTimers.RETRANS, delay);
            flag &= ~FLAG_SET_XMIT_TIMER;
            return true;
        }
        return false;
    }

    /** {@code tcp_process_loss}: an ACK in Loss: F-RTO, undo, or more retransmissions. */
    private void processLoss(TcpSock tp, int numDupack) {
        boolean recovered = !TcpSeq.before(tp.sndUna, tp.highSeq);
        if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && tryUndoLoss(tp, false)) {
            return;
        }
        if (tp.frto) {
            if ((flag & FLAG_ORIG_SACK_ACKED) != 0 && tryUndoLoss(tp, true)) {
                return; // RFC 5682 3.b: never-retransmitted data was acked: the timeout was spurious
            }
            if (TcpSeq.after(tp.sndNxt, tp.highSeq)) {
                if ((flag & FLAG_DATA_SACKED) != 0 || numDupack != 0) {
                    tp.frto = false; // 3.a: the loss was real
                }
            } else if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && !recovered) {
                tp.highSeq = tp.sndNxt;
                // 2.b: send new data, if there is any and the window allows
                if (!tp.writeQueue.isEmpty() && TcpSeq.after(tp.sndUna + tp.sndWnd, tp.sndNxt)) {
                    rexmit = REXMIT_NEW;
                    return;
                }
                tp.frto = false;
            }
        }
        if (recovered) {
            tryUndoRecovery(tp);
            return;
        }
        if (isReno(tp)) {
            if (TcpSeq.after(tp.sndNxt, tp.highSeq) && numDupack != 0) {
                addRenoSack(tp, numDupack);
            } else if ((flag & FLAG_SND_UNA_ADVANCED) != 0) {
                tp.sackedOut = 0;
            }
        }
        rexmit = REXMIT_LOST;
    }

    /**
     * {@code tcp_fastretrans_alert}: an ACK that is a duplicate, carries SACKs, or arrives while
     * not Open. Updates the state; {@link #rexmit} says what to send after.
     */
    void fastretransAlert(TcpSock tp, int priorSndUna, int numDupack) {
        doLost = numDupack != 0 || ((flag & FLAG_DATA_SACKED) != 0 && forceFastRetransmit(tp));
        boolean fastRexmit = false;
        if (tp.packetsOut == 0 && tp.sackedOut != 0) {
            tp.sackedOut = 0;
        }
        if (checkSackReneging(tp)) {
            return;
        }
        // D: state exit once high_seq is acknowledged
        if (tp.caState == TcpCaState.OPEN) {
            tp.retransStamp = 0;
        } else if (!TcpSeq.before(tp.sndUna, tp.highSeq)) {
            switch (tp.caState) {
                case CWR -> {
                    if (tp.sndUna != tp.highSeq) {
                        endCwndReduction(tp);
                        setCaState(tp, TcpCaState.OPEN);
                    }
                }
                case RECOVERY -> {
                    if (isReno(tp)) {
                        tp.sackedOut = 0;
                    }
                    if (tryUndoRecovery(tp)) {
                        return;
                    }
                    endCwndReduction(tp);
                }
                default -> {
                }
            }
        }
        // E: the state's work
        switch (tp.caState) {
            case RECOVERY -> {
                if ((flag & FLAG_SND_UNA_ADVANCED) == 0) {
                    if (isReno(tp)) {
                        addRenoSack(tp, numDupack);
                    }
                } else if (tryUndoPartial(tp, priorSndUna)) {
                    return;
                }
                if (tryUndoDsack(tp)) {
                    tryToOpen(tp);
                }
                identifyPacketLoss(tp);
                if (tp.caState != TcpCaState.RECOVERY) {
                    if (!timeToRecover(tp)) {
                        return;
                    }
                    enterRecovery(tp);
                }
            }
            case LOSS -> {
                processLoss(tp, numDupack);
                identifyPacketLoss(tp);
                if (!(tp.caState == TcpCaState.OPEN || (flag & FLAG_LOST_RETRANS) != 0)) {
                    return;
                }
                fastRexmit = openOrDisorder(tp, numDupack);
                if (tp.caState != TcpCaState.RECOVERY) {
                    return;
                }
            }
            default -> {
                fastRexmit = openOrDisorder(tp, numDupack);
                if (tp.caState != TcpCaState.RECOVERY) {
                    return;
                }
            }
        }
        if (!tcp.congestion().rack() && doLost) {
            updateScoreboard(tp, fastRexmit);
        }
        rexmit = REXMIT_LOST;
    }

    /** The Open/Disorder branch: count, detect, and maybe enter Recovery (then true: fast retransmit). */
    private boolean openOrDisorder(TcpSock tp, int numDupack) {
        if (isReno(tp)) {
            if ((flag & FLAG_SND_UNA_ADVANCED) != 0) {
                tp.sackedOut = 0;
            }
            addRenoSack(tp, numDupack);
        }
        if (tp.caState.ordinal() <= TcpCaState.DISORDER.ordinal()) {
            tryUndoDsack(tp);
        }
        identifyPacketLoss(tp);
        if (!timeToRecover(tp)) {
            tryToOpen(tp);
            return false;
        }
        enterRecovery(tp);
        return true;
    }

    /**
     * {@code tcp_cwnd_reduction}: PRR (RFC 6937). Above ssthresh, send in proportion to what was
     * delivered; at or below, as much as was delivered (plus one when snd_una moved and nothing new
     * was lost), never below one on entry so that the fast retransmission goes out.
     */
    static void cwndReduction(TcpSock tp, int newlyAckedSacked, int newlyLost, int flag) {
        if (newlyAckedSacked <= 0 || tp.priorCwnd == 0) {
            return;
        }
        int sndcnt;
        int delta = tp.sndSsthresh - tp.packetsInFlight();
        tp.prrDelivered += newlyAckedSacked;
        if (delta < 0) {
            long dividend = (long) tp.sndSsthresh * tp.prrDelivered + tp.priorCwnd - 1;
            sndcnt = (int) (dividend / tp.priorCwnd) - tp.prrOut;
        } else {
            sndcnt = Math.max(tp.prrDelivered - tp.prrOut, newlyAckedSacked);
            if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && newlyLost == 0) {
                sndcnt++;
            }
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, tp.prrOut != 0 ? 0 : 1);
        tp.sndCwnd = Math.max(tp.packetsInFlight() + sndcnt, 1);
    }
}
