package dev.stacksim.tcp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Socket;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments arriving at a host ({@code tcp_v4_rcv} in {@code tcp_ipv4.c}, {@code tcp_input.c},
 * {@code tcp_minisocks.c}): header and checksum checks, demultiplexing, then the state machine of
 * RFC 9293 section 3.10.7 as Linux runs it ({@code tcp_rcv_state_process}): sequence check, RST
 * (RFC 5961 3.2), SYN (RFC 5961 4.2), ACK, data, FIN.
 *
 * <p>Every segment ends consumed (queued as data, or processed) or freed with a
 * {@link DropReason}; a malformed one is counted in {@code Tcp: InErrs}.
 */
final class TcpInput {
    private static final Logger LOG = LoggerFactory.getLogger(TcpInput.class);

    private final Tcp tcp;
    private final TcpRxOptions rx = new TcpRxOptions();
    private final TcpHeader th = new TcpHeader();
    private final boolean[] resetOut = new boolean[1];
    private final TcpAck acks;
    private final TcpData data;
    private final TcpMinisocks minisocks;
    private final TcpValidate validate;

    TcpInput(Tcp tcp) {
        this.tcp = tcp;
        this.acks = new TcpAck(tcp, rx);
        this.data = new TcpData(tcp);
        this.minisocks = new TcpMinisocks(tcp, rx);
        this.validate = new TcpValidate(tcp, rx, minisocks);
    }

    // ---------------------------------------------------------------- tcp_v4_rcv

    /** {@code tcp_v4_rcv}: the skb's data is at the TCP header. */
    /** {@code tcp_synack_rtt_meas}: the handshake's RTT sample for a new child. */
    void synackRttMeas(TcpSock child, RequestSock req) {
        long rttUs = req.numRetrans() == 0 && req.synackTimed() ? (tcp.now() - req.sntSynack()) / 1000 : -1;
        acks.synackRttMeas(child, rttUs);
    }

    /** The loss-recovery state machine (for the timers that drive it). */
    TcpRecovery recovery() {
        return acks.recovery;
    }

    void rcv(SkBuff skb) {
        if (skb.pktType() != SkBuff.PACKET_HOST) {
            drop(skb, DropReason.OTHERHOST);
            return;
        }
        tcp.mib().inc(TcpMib.IN_SEGS);
        int len = skb.len();
        if (len < TcpHeader.MIN_HEADER_LEN) {
            drop(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        ByteBuf buf = skb.buf();
        int t = skb.data();
        int doff = (buf.getUnsignedByte(t + TcpHeader.DOFF_OFFSET) >>> 4) * 4;
        if (doff < TcpHeader.MIN_HEADER_LEN) {
            tcp.mib().inc(TcpMib.IN_ERRS);
            drop(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        if (doff > len) {
            drop(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        int nh = skb.networkHeader();
        int saddr = buf.getInt(nh + Ipv4Header.SRC_ADDR_OFFSET);
        int daddr = buf.getInt(nh + Ipv4Header.DST_ADDR_OFFSET);
        if (!skb.csumUnnecessary() && !th.wrap(buf, t, len).verifyChecksum(saddr, daddr)) {
            tcp.mib().inc(TcpMib.IN_CSUM_ERRORS);
            tcp.mib().inc(TcpMib.IN_ERRS);
            drop(skb, DropReason.TCP_CSUM);
            return;
        }
        int flags = buf.getUnsignedByte(t + TcpHeader.FLAGS_OFFSET);
        int seq = buf.getInt(t + TcpHeader.SEQ_OFFSET);
        int dataLen = len - doff;
        int endSeq = seq + dataLen + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        TcpSkbCb.set(skb, seq, endSeq, flags);
        TcpSkbCb.setAckSeq(skb, buf.getInt(t + TcpHeader.ACK_OFFSET));
        int sport = buf.getUnsignedShort(t + TcpHeader.SRC_PORT_OFFSET);
        int dport = buf.getUnsignedShort(t + TcpHeader.DST_PORT_OFFSET);
        rx.parse(buf, t, (flags & TcpHeader.SYN) != 0);
        tcp.tracePacket(false, saddr, sport, daddr, dport, buf, t, len);
        int isn = 0;
        TcpEhashEntry e = tcp.ehash.lookup(daddr, dport, saddr, sport);
        if (e instanceof TcpTimewaitSock tw) {
            TcpMinisocks.TwVerdict v = minisocks.timewaitProcess(tw, skb, flags);
            switch (v) {
                case SYN -> {
                    TcpSock l = tcp.lookupListener(saddr, sport, daddr, dport);
                    if (l != null) {
                        tw.kill();
                        isn = minisocks.isn;
                        e = null;
                    } else {
                        tcp.replies().sendTimewaitAck(tw);
                        skb.consume();
                        return;
                    }
                }
                case ACK -> {
                    tcp.replies().sendTimewaitAck(tw);
                    skb.consume();
                    return;
                }
                case RST -> {
                    tcp.replies().sendReset(skb);
                    tw.kill();
                    skb.consume();
                    return;
                }
                default -> {
                    skb.consume();
                    return;
                }
            }
        }
        if (e instanceof TcpSock tp) {
            doRcv(tp, skb);
            return;
        }
        // a request sock sits in the established table in Linux (NEW_SYN_RECV), found by its
        // 4-tuple before any listener lookup: whichever reuseport member a new lookup would choose
        RequestSock req = isn == 0 ? tcp.lookupRequest(daddr, dport, saddr, sport) : null;
        if (req != null) {
            TcpListener l = req.listener;
            resetOut[0] = false;
            TcpSock child = l.checkReq(req, skb, rx, resetOut);
            if (child == null) {
                if (resetOut[0]) {
                    tcp.replies().sendReset(skb);
                }
                skb.consume();
                return;
            }
            childProcess(child, skb);
            return;
        }
        TcpSock listener = tcp.lookupListener(saddr, sport, daddr, dport);
        if (listener == null) {
            // no_tcp_socket: RFC 9293 3.10.7.1, a segment to a CLOSED port gets a RST
            tcp.replies().sendReset(skb);
            drop(skb, DropReason.NO_SOCKET);
            return;
        }
        listenRcv(listener, skb, saddr, daddr, flags, isn);
    }

    /** {@code tcp_v4_do_rcv} for a LISTEN socket: cookie ACKs, SYNs, and the rest answered or dropped. */
    private void listenRcv(TcpSock listener, SkBuff skb, int saddr, int daddr, int flags, int isn) {
        TcpListener l = listener.listener;
        if ((flags & TcpHeader.SYN) == 0) {
            TcpSock nsk = l.cookieCheck(skb, saddr, daddr, rx);
            if (nsk == null) {
                drop(skb, DropReason.TCP_LISTEN_OVERFLOW);
                return;
            }
            if (nsk != listener) {
                childProcess(nsk, skb);
                return;
            }
        }
        // tcp_rcv_state_process, case TCP_LISTEN
        if ((flags & TcpHeader.ACK) != 0) {
            tcp.replies().sendReset(skb);
            drop(skb, DropReason.TCP_FLAGS);
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            drop(skb, DropReason.TCP_RESET);
            return;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            if ((flags & TcpHeader.FIN) != 0) {
                drop(skb, DropReason.TCP_FLAGS);
                return;
            }
            if (tcp.host().routes().isBroadcast(daddr) || (daddr >>> 28) == 0xE) {
                drop(skb, DropReason.TCP_FLAGS);
                return;
            }
            l.connRequest(skb, saddr, daddr, rx, isn);
            skb.consume();
            return;
        }
        drop(skb, DropReason.TCP_FLAGS);
    }

    /** {@code tcp_child_process}: the new child handles the ACK that made it. */
    private void childProcess(TcpSock child, SkBuff skb) {
        doRcv(child, skb);
    }

    /** {@code tcp_v4_do_rcv}: the state machine, a RST when it asks for one. */
    private void doRcv(TcpSock tp, SkBuff skb) {
        // tcp_segs_in
        tp.segsIn++;
        if (TcpSkbCb.endSeq(skb) - TcpSkbCb.seq(skb) > ((TcpSkbCb.flags(skb) & (TcpHeader.SYN | TcpHeader.FIN)) != 0 ? 1 : 0)) {
            tp.dataSegsIn++;
        }
        if (rcvStateProcess(tp, skb)) {
            tcp.replies().sendReset(skb);
            drop(skb, DropReason.TCP_RESET);
        }
    }

    static void drop(SkBuff skb, DropReason reason) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("tcp_v4_rcv drop {}", reason);
        }
        skb.free(reason);
    }


    // ---------------------------------------------------------------- the state machine

    /**
     * {@code tcp_rcv_state_process}: every state but LISTEN. Returns true when the caller must
     * answer with a RST (and then frees the skb); otherwise the skb is consumed or freed here.
     */
    boolean rcvStateProcess(TcpSock tp, SkBuff skb) {
        int flags = TcpSkbCb.flags(skb);
        switch (tp.tstate) {
            case CLOSE, LISTEN, NEW_SYN_RECV -> {
                drop(skb, DropReason.TCP_CLOSE);
                return false;
            }
            case SYN_SENT -> {
                int r = synSentProcess(tp, skb, flags);
                if (r > 0) {
                    return true;
                }
                if (r < 0) {
                    skb.consume();
                    tcp.output().pushPendingFrames(tp);
                }
                return false;
            }
            default -> {
            }
        }
        if (rx.sawTstamp && rx.tsEcr != 0) {
            rx.tsEcr -= tp.tsOff;
        }
        if ((flags & (TcpHeader.ACK | TcpHeader.RST | TcpHeader.SYN)) == 0) {
            drop(skb, DropReason.TCP_FLAGS);
            return false;
        }
        if (!validate.validateIncoming(tp, skb, flags)) {
            return false;
        }
        // step 5: check the ACK field
        int ackResult = acks.ack(tp, skb, flags, true);
        if (ackResult <= 0) {
            if (tp.tstate == TcpState.SYN_RECV) {
                return true;
            }
            if (ackResult < 0) {
                validate.challengeAck(tp, skb);
                drop(skb, DropReason.TCP_ACK_UNSENT_DATA);
                return false;
            }
        }
        switch (tp.tstate) {
            case SYN_RECV -> {
                tp.delivered++; // the SYN-ACK's delivery is not counted by tcp_ack
                tp.updatePacingRate();
                tp.retransStamp = 0;
                tp.copiedSeq = tp.rcvNxt;
                tp.setState(TcpState.ESTABLISHED);
                tp.socket().stateChange();
                tp.sndUna = TcpSkbCb.ackSeq(skb);
                tp.sndWnd = skb.buf().getUnsignedShort(skb.transportHeader() + TcpHeader.WINDOW_OFFSET) << tp.sndWscale;
                tp.sndWl1 = TcpSkbCb.seq(skb);
                if (tp.tstampOk) {
                    tp.advmss -= TcpConstants.TCPOLEN_TSTAMP_ALIGNED;
                }
                tp.lsndtime = tcp.now();
                initRcvMss(tp);
                initTransfer(tp);
                if ((tp.socket().shutdownBits() & Socket.SEND_SHUTDOWN) != 0 && tp.writeQueue.isEmpty()) {
                    tp.closeStateAndFin();
                }
            }
            case FIN_WAIT1 -> {
                if (tp.sndUna == tp.writeSeq) {
                    tp.setState(TcpState.FIN_WAIT2);
                    tp.socket().addShutdown(Socket.SEND_SHUTDOWN);
                    if (!tp.orphan) {
                        tp.socket().stateChange();
                    } else {
                        if (tp.linger2 < 0) {
                            tp.done();
                            tcp.ext().inc(TcpExtMib.TCP_ABORT_ON_DATA);
                            skb.consume();
                            return false;
                        }
                        int endSeq = TcpSkbCb.endSeq(skb);
                        boolean fin = (flags & TcpHeader.FIN) != 0;
                        if (endSeq != TcpSkbCb.seq(skb) && TcpSeq.after(endSeq - (fin ? 1 : 0), tp.rcvNxt)) {
                            // out of order FIN (or data) after close()
                            tp.done();
                            tcp.ext().inc(TcpExtMib.TCP_ABORT_ON_DATA);
                            return true;
                        }
                        long tmo = TcpTimers.finTime(tp);
                        if (tmo > TcpConstants.TCP_TIMEWAIT_LEN) {
                            TcpTimers.resetKeepalive(tp, tmo - TcpConstants.TCP_TIMEWAIT_LEN);
                        } else if (fin) {
                            TcpTimers.resetKeepalive(tp, tmo);
                        } else {
                            tcp.timeWait(tp, TcpState.FIN_WAIT2, tmo);
                            skb.consume();
                            return false;
                        }
                    }
                }
            }
            case CLOSING -> {
                if (tp.sndUna == tp.writeSeq) {
                    tcp.timeWait(tp, TcpState.TIME_WAIT, 0);
                    skb.consume();
                    return false;
                }
            }
            case LAST_ACK -> {
                if (tp.sndUna == tp.writeSeq) {
                    tp.done();
                    skb.consume();
                    return false;
                }
            }
            default -> {
            }
        }
        // step 7: process the segment text
        boolean queued = false;
        switch (tp.tstate) {
            case CLOSE_WAIT, CLOSING, LAST_ACK -> {
                if (!TcpSeq.before(TcpSkbCb.seq(skb), tp.rcvNxt)) {
                    break;
                }
                queued = data.dataQueueAfterShutdownCheck(tp, skb, flags);
                if (!queued && tp.tstate == TcpState.CLOSE) {
                    return true;
                }
            }
            case FIN_WAIT1, FIN_WAIT2 -> {
                queued = data.dataQueueAfterShutdownCheck(tp, skb, flags);
                if (!queued && tp.tstate == TcpState.CLOSE) {
                    return true;
                }
            }
            case ESTABLISHED -> {
                if (rx.sawTstamp) {
                    TcpBuffers.rcvRttMeasureTs(tp, rx.tsEcr, TcpSkbCb.endSeq(skb) - TcpSkbCb.seq(skb));
                }
                data.dataQueue(tp, skb);
                queued = true;
            }
            default -> {
            }
        }
        if (tp.tstate != TcpState.CLOSE) {
            tcp.output().pushPendingFrames(tp);
            data.ackSndCheck(tp);
        }
        if (!queued) {
            skb.consume();
        }
        return false;
    }


    /** {@code tcp_init_transfer}: the congestion window and RTO a new connection starts with. */
    static void initTransfer(TcpSock tp) {
        tp.sndCwnd = TcpConstants.TCP_INIT_CWND;
        tp.sndCwndCnt = 0;
        tp.sndCwndStamp = tp.tcp.now();
        // tcp_init_congestion_control
        tp.caState = TcpCaState.OPEN;
        tp.caOps().init(tp);
        TcpBuffers.initBufferSpace(tp);
        if (tp.srttUs == 0 && tp.retransmits != 0) {
            // the handshake needed retransmissions and gave no RTT: RFC 6298 5.7, 3 s
            tp.rto = TcpConstants.TCP_TIMEOUT_FALLBACK;
        } else if (tp.srttUs != 0) {
            TcpTimers.setRto(tp);
        }
        tp.retransmits = 0;
        tp.backoff = 0;
        tp.totalRto = 0;
        if (tp.socket().keepAlive()) {
            TcpTimers.resetKeepalive(tp, TcpTimers.keepaliveTime(tp));
        }
    }

    /** {@code tcp_initialize_rcv_mss}. */
    static void initRcvMss(TcpSock tp) {
        tp.rcvMss = TcpOutput.initialRcvMss(tp.advmss, tp.mssCache, tp.rcvWnd);
    }

    /**
     * {@code tcp_rcv_synsent_state_process}: the answer to our SYN. Returns > 0 to answer RST,
     * 0 when the skb was handled (consumed or dropped), -1 when established (the caller frees the
     * skb and pushes).
     */
    private int synSentProcess(TcpSock tp, SkBuff skb, int flags) {
        int ackSeq = TcpSkbCb.ackSeq(skb);
        int seq = TcpSkbCb.seq(skb);
        if (rx.sawTstamp && rx.tsEcr != 0) {
            rx.tsEcr -= tp.tsOff;
        }
        int window = skb.buf().getUnsignedShort(skb.transportHeader() + TcpHeader.WINDOW_OFFSET);
        if ((flags & TcpHeader.ACK) != 0) {
            // RFC 9293 3.10.7.3: an ACK of something we did not send gets a RST
            if (!TcpSeq.after(ackSeq, tp.sndUna) || TcpSeq.after(ackSeq, tp.sndNxt)) {
                if (tp.retransmits == 0) {
                    TcpTimers.resetXmitTimer(tp, TcpTimers.RETRANS, TcpConstants.TCP_TIMEOUT_MIN);
                }
                return 1;
            }
            if (rx.sawTstamp && rx.tsEcr != 0 && tp.tstampOk) {
                int sent = (int) (tp.retransStamp / 1_000_000L);
                if (TcpSeq.before(rx.tsEcr, sent) || TcpSeq.after(rx.tsEcr, tcp.tsClock())) {
                    tcp.ext().inc(TcpExtMib.PAWS_ACTIVE);
                    return 1;
                }
            }
            if ((flags & TcpHeader.RST) != 0) {
                tp.reset();
                skb.consume();
                return 0;
            }
            if ((flags & TcpHeader.SYN) == 0) {
                drop(skb, DropReason.TCP_FLAGS);
                return 0;
            }
            // our SYN is acknowledged: ESTABLISHED
            SynNegotiation.Negotiated n = SynNegotiation.active(rx, tcp.settings(),
                    new SynNegotiation.InitialWindow(tp.rcvWnd, tp.windowClamp, tp.rcvWscale), tp.userMss);
            tp.sndWl1 = seq;
            acks.ack(tp, skb, flags, true);
            tp.rcvNxt = seq + 1;
            tp.rcvWup = seq + 1;
            tp.irs = seq;
            tp.sndWnd = window;
            tp.wscaleOk = n.wscaleOk();
            tp.sndWscale = n.sndWscale();
            tp.rcvWscale = n.rcvWscale();
            tp.windowClamp = n.windowClamp();
            tp.sackOk = n.sackOk();
            tp.mssClamp = n.mss();
            tp.tstampOk = n.tstampOk();
            tp.maxWindow = Math.max(tp.maxWindow, window);
            if (tp.tstampOk) {
                tp.advmss -= TcpConstants.TCPOLEN_TSTAMP_ALIGNED;
                tp.tsRecent = rx.tsVal;
                tp.tsRecentStamp = tcp.now();
            }
            TcpOutput.syncMss(tp, tcp.output().routeMtu(tp.daddr()));
            initRcvMss(tp);
            tp.copiedSeq = tp.rcvNxt;
            tp.setState(TcpState.ESTABLISHED);
            initTransfer(tp);
            tp.lsndtime = tcp.now();
            if (!tp.orphan) {
                tp.socket().stateChange();
                tp.socket().writeSpace();
            }
            if (tp.deferAccept != 0 || tp.pingpong > 0) {
                tp.ackPending |= TcpSock.ACK_SCHED;
                TcpData.enterQuickack(tp, TcpConstants.TCP_MAX_QUICKACKS);
                tp.ackPending |= TcpSock.ACK_TIMER;
                TcpTimers.delackTimer(tp).arm(TcpConstants.TCP_DELACK_MAX);
                skb.consume();
                return 0;
            }
            tcp.output().sendAck(tp);
            return -1;
        }
        if ((flags & TcpHeader.RST) != 0) {
            drop(skb, DropReason.TCP_RESET);
            return 0;
        }
        if (tp.tsRecentStamp != 0 && rx.sawTstamp && minisocks.pawsReject(tp.tsRecent, tp.tsRecentStamp, rx.tsVal, false)) {
            drop(skb, DropReason.TCP_INVALID_SEQUENCE);
            return 0;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            // simultaneous open: crossed SYNs (RFC 9293 3.5, figure 7)
            tp.setState(TcpState.SYN_RECV);
            SynNegotiation.Negotiated n = SynNegotiation.active(rx, tcp.settings(),
                    new SynNegotiation.InitialWindow(tp.rcvWnd, tp.windowClamp, tp.rcvWscale), tp.userMss);
            tp.tstampOk = n.tstampOk();
            if (tp.tstampOk) {
                tp.tsRecent = rx.tsVal;
                tp.tsRecentStamp = tcp.now();
            }
            tp.wscaleOk = n.wscaleOk();
            tp.sndWscale = n.sndWscale();
            tp.rcvWscale = n.rcvWscale();
            tp.sackOk = n.sackOk();
            tp.mssClamp = n.mss();
            tp.irs = seq;
            tp.rcvNxt = seq + 1;
            tp.copiedSeq = tp.rcvNxt;
            tp.rcvWup = seq + 1;
            tp.sndWnd = window;
            tp.sndWl1 = seq;
            tp.maxWindow = window;
            TcpOutput.syncMss(tp, tcp.output().routeMtu(tp.daddr()));
            initRcvMss(tp);
            SkBuff synSkb = tp.rtxQueue.peekFirst();
            if (synSkb != null) {
                TcpSkbCb.setFlags(synSkb, TcpSkbCb.flags(synSkb) | TcpHeader.ACK);
                tcp.output().transmitSkb(tp, synSkb, true);
            }
            skb.consume();
            return 0;
        }
        drop(skb, DropReason.TCP_FLAGS);
        return 0;
    }

}
