package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Interface;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.ip.Route;
import dev.stacksim.ip.XmitResult;
import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;

import static dev.stacksim.socket.SocketConstants.MSG_MORE;

/**
 * Segments leaving a host ({@code net/ipv4/tcp_output.c}): building headers in the skb's headroom
 * ({@code tcp_transmit_skb}), the send queue and what may go out now ({@code tcp_write_xmit}:
 * congestion window, peer's window, Nagle), the window this end offers
 * ({@code tcp_select_window}), ACKs now or delayed, FIN, RST, SYN and SYN-ACK.
 *
 * <p>Data stays in the skb {@code sendmsg} copied it into; each (re)transmission sends a clone
 * with the TCP header pushed in front, as Linux does, so a retransmission copies nothing.
 */
final class TcpOutput {
    /** Headroom for every header below TCP's data: IPv4 and link layer, plus 60 for TCP ({@code MAX_TCP_HEADER}). */
    static final int MAX_TCP_HEADER = Ipv4.MAX_HEADER + TcpHeader.MAX_HEADER_LEN;

    private final Tcp tcp;

    TcpOutput(Tcp tcp) {
        this.tcp = tcp;
    }

    /** An skb with room for every header and {@code len} bytes of data, its drops reported to the host's trace. */
    SkBuff alloc(int len) {
        SkBuff skb = tcp.host().pool().alloc(MAX_TCP_HEADER, len);
        skb.setDropListener(tcp.host().trace());
        return skb;
    }

    // ---------------------------------------------------------------- routes and sizes

    /** The MTU of the route to {@code daddr}, 0 when there is none. */
    int routeMtu(int daddr) {
        Route rt = tcp.host().ip().routeOutput(daddr);
        if (rt == null) {
            return 0;
        }
        Interface dev = rt.type() == Route.RouteType.LOCAL ? tcp.host().loopback() : tcp.host().iface(rt.ifindex());
        return dev == null ? 0 : dev.mtu();
    }

    /** {@code tcp_header_len}: 20, plus 12 when every segment carries timestamps. */
    static int headerLen(TcpSock tp) {
        return TcpConstants.TCP_HEADER_LEN + (tp.tstampOk ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0);
    }

    /** {@code tcp_sync_mss}: the MSS for a path of {@code pmtu}, bounded by half the peer's largest window. */
    static void syncMss(TcpSock tp, int pmtu) {
        int hlen = headerLen(tp);
        int mss = SynNegotiation.mtuToMss(pmtu, tp.mssClamp, hlen, TcpConstants.TCP_MIN_SND_MSS);
        tp.mssCache = SynNegotiation.boundToHalfWnd(tp.maxWindow, mss, hlen);
    }

    /**
     * {@code tcp_current_mss}: the payload the next segment may carry. {@code mss_cache} assumes
     * only the options every segment carries (timestamps); the SACK blocks the next segment will
     * carry take their room off it, so that headers and payload still fit the path MTU.
     */
    static int currentMss(TcpSock tp) {
        int eff = TcpSack.effectiveBlocks(tp);
        if (eff == 0) {
            return tp.mssCache;
        }
        int opts = tp.tstampOk ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0;
        int blocks = Math.min(eff, (TcpConstants.MAX_TCP_OPTION_SPACE - opts - 4) / 8);
        return tp.mssCache - (4 + 8 * blocks);
    }

    /** The TSval this connection sends now: the millisecond clock plus its offset. */
    int tsVal(TcpSock tp) {
        return tcp.tsClock() + tp.tsOff;
    }

    // ---------------------------------------------------------------- transmit

    /**
     * {@code tcp_transmit_skb}: sends {@code skb} (a queued segment, its cb filled) by a clone
     * carrying the TCP header, or the skb itself when {@code clone} is false (a control segment
     * not kept for retransmission). Returns false when IP dropped it.
     */
    boolean transmitSkb(TcpSock tp, SkBuff skb, boolean clone) {
        if (clone) {
            skb.setTstamp(tcp.now());
        }
        SkBuff out = clone ? skb.clone() : skb;
        int flags = TcpSkbCb.flags(skb);
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        boolean syn = (flags & TcpHeader.SYN) != 0;
        int payload = out.len();
        int window;
        int sackBlocks = 0;
        SynNegotiation.Settings st = null;
        int optLen;
        if (syn) {
            window = Math.min(tp.rcvWnd, 65535);
            // tcp_syn_options, as SynNegotiation.synOptions lists them, written in place below
            st = tcp.settings();
            optLen = SynNegotiation.synOptionsLength(st.tcpTimestamps() != 0, st.tcpSack(), st.tcpWindowScaling());
        } else {
            window = TcpWindow.selectWindow(tp);
            optLen = tp.tstampOk ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0;
            int eff = TcpSack.effectiveBlocks(tp);
            if (eff > 0) {
                // tcp_established_options: as many blocks as fit beside the timestamps
                sackBlocks = Math.min(eff, (TcpConstants.MAX_TCP_OPTION_SPACE - optLen - 4) / 8);
                // A segment cut before the blocks appeared (a retransmission) carries only the
                // blocks that still fit the MTU beside its payload; Linux splits it instead
                // (tcp_fragment in tcp_retransmit_skb).
                sackBlocks = Math.max(0, Math.min(sackBlocks, (tp.mssCache - payload - 4) / 8));
                optLen += sackBlocks > 0 ? 4 + 8 * sackBlocks : 0;
            }
        }
        int hlen = TcpHeader.MIN_HEADER_LEN + optLen;
        int at = out.push(hlen);
        out.resetTransportHeader();
        tcp.host().trace().skbHop("tcp", true, hlen, out);
        // the clone shares its data with the queued original (and with earlier clones still in
        // flight): writing the header through buf() needs the header space to be ours
        out.ensureWritable(at, hlen);
        ByteBuf buf = out.buf();
        writeHeader(buf, at, tp.sport, tp.dport(), seq, tp.rcvNxt, flags, window, hlen);
        int o = at + TcpHeader.MIN_HEADER_LEN;
        if (syn) {
            // TSecr is ts_recent: 0, or the peer's TSval of a simultaneous open
            SynNegotiation.writeSynOptions(buf, o, tp.advmss, st.tcpTimestamps() != 0, tsVal(tp), tp.tsRecent,
                    st.tcpSack(), st.tcpWindowScaling(), tp.rcvWscale);
        } else {
            if (tp.tstampOk) {
                writeTimestamps(buf, o, tsVal(tp), tp.tsRecent);
                o += TcpConstants.TCPOLEN_TSTAMP_ALIGNED;
            }
            if (sackBlocks > 0) {
                writeSackBlocks(tp, buf, o, sackBlocks);
            }
        }
        // tcp_v4_send_check: the pseudo-header's sum in the field, the rest to the device
        // (NETIF_F_HW_CSUM) or to skb_checksum_help before one that does not offload
        buf.setShort(at + TcpHeader.CHECKSUM_OFFSET,
                Checksum.pseudoHeader(tp.saddr(), tp.daddr(), IpProtocol.TCP, hlen + payload));
        out.setChecksumPartial(at, TcpHeader.CHECKSUM_OFFSET);
        if ((flags & TcpHeader.ACK) != 0) {
            eventAckSent(tp);
        }
        if (payload > 0) {
            eventDataSent(tp);
            tp.dataSegsOut++;
            tp.bytesSent += payload;
        }
        tp.segsOut++;
        if (TcpSeq.after(endSeq, tp.sndNxt) || seq == endSeq) {
            tcp.mib().inc(TcpMib.OUT_SEGS);
        }
        tcp.tracePacket(true, tp.saddr(), tp.sport, tp.daddr(), tp.dport(), buf, at, hlen + payload);
        out.setOwner(tp.socket().wmem());
        XmitResult r = tcp.host().ip().queueXmit(out, tp.saddr(), tp.daddr(), IpProtocol.TCP, tp.tos(),
                tp.sendTtlValue(), true);
        if (r == XmitResult.DROP && tp.tstate != TcpState.SYN_SENT) {
            // local congestion: the device queue refused it (tcp_transmit_skb: tcp_enter_cwr)
            TcpRecovery.enterCwr(tp);
        }
        return r == XmitResult.OK;
    }

    /**
     * The fixed 20 bytes of a TCP header, checksum and urgent pointer zero, as three big-endian
     * stores (ports and sequence; acknowledgment, offset, flags and window; checksum and urgent
     * pointer): one bounds check each instead of one per field.
     */
    static void writeHeader(ByteBuf buf, int at, int sport, int dport, int seq, int ack, int flags, int window,
                                    int hlen) {
        buf.setLong(at + TcpHeader.SRC_PORT_OFFSET, (long) (sport & 0xFFFF) << 48 | (long) (dport & 0xFFFF) << 32
                | (seq & 0xFFFF_FFFFL));
        long ackField = (flags & TcpHeader.ACK) != 0 ? ack & 0xFFFF_FFFFL : 0;
        buf.setLong(at + TcpHeader.ACK_OFFSET, ackField << 32 | (long) ((hlen / 4) << 4 & 0xFF) << 24
                | (long) (flags & 0xFF) << 16 | (window & 0xFFFF));
        buf.setInt(at + TcpHeader.CHECKSUM_OFFSET, 0);
    }

    /** NOP, NOP, Timestamps: the aligned form every Linux segment after the SYN carries. */
    /** {@code tcp_options_write}'s SACK part: NOP NOP SACK len, the D-SACK block first. */
    private static void writeSackBlocks(TcpSock tp, ByteBuf buf, int at, int n) {
        buf.setInt(at, 0x01010500 | (2 + 8 * n));
        int p = at + 4;
        int i = 0;
        if (tp.dsack) {
            buf.setInt(p, tp.dsackStart);
            buf.setInt(p + 4, tp.dsackEnd);
            p += 8;
            i++;
            tp.dsack = false;
        }
        for (int b = 0; i < n; i++, b++) {
            buf.setInt(p, tp.sackBlocks[2 * b]);
            buf.setInt(p + 4, tp.sackBlocks[2 * b + 1]);
            p += 8;
        }
    }

    static void writeTimestamps(ByteBuf buf, int at, int tsVal, int tsEcr) {
        buf.setInt(at, 0x0101080A);
        buf.setLong(at + 4, (long) tsVal << 32 | (tsEcr & 0xFFFF_FFFFL));
    }


    /** {@code tcp_event_ack_sent}: the owed ACK went out with this segment. */
    private void eventAckSent(TcpSock tp) {
        if (tp.quick > 0) {
            tp.quick--;
        }
        tp.ackPending = 0;
        if (tp.delackTimer != null) {
            tp.delackTimer.cancel();
        }
    }

    /** {@code tcp_event_data_sent}: a reply soon after data arrived makes the connection interactive. */
    private void eventDataSent(TcpSock tp) {
        long now = tcp.now();
        if (now - tp.lrcvtime < tp.ato) {
            tp.pingpong = Math.min(tp.pingpong + 1, 255);
        }
        tp.lsndtime = now;
    }

    // ---------------------------------------------------------------- connect

    /** {@code tcp_connect_init} + {@code tcp_connect}: window and MSS, the SYN queued, sent, timed. */
    void connect(TcpSock tp, Route rt) {
        int mtu = routeMtu(tp.daddr());
        SynNegotiation.Settings st = tcp.settings();
        tp.tstampOk = st.tcpTimestamps() != 0; // tcp_header_len for the MSS until the SYN-ACK says
        if (tp.userMss != 0) {
            tp.mssClamp = tp.userMss;
        }
        tp.maxWindow = 0;
        syncMss(tp, mtu);
        tp.advmss = SynNegotiation.advertisedMss(mtu, tp.userMss);
        tp.rcvMss = initialRcvMss(tp.advmss, tp.mssCache, 0);
        SynNegotiation.InitialWindow w = SynNegotiation.activeWindow(st, tp.advmss, tp.socket().rcvbuf(),
                tp.socket().rcvbufLocked(), tp.userWindowClamp);
        tp.rcvWnd = w.rcvWnd();
        tp.windowClamp = w.windowClamp();
        tp.rcvWscale = w.rcvWscale();
        tp.rcvSsthresh = tp.rcvWnd;
        tp.sockDone = false;
        tp.sndWnd = 0;
        tp.sndWl1 = 0;
        tp.writeQueuePurge();
        tp.sndUna = tp.writeSeq;
        tp.sndSml = tp.writeSeq;
        tp.sndNxt = tp.writeSeq;
        tp.rcvNxt = 0;
        tp.rcvWup = 0;
        tp.copiedSeq = 0;
        tp.rto = TcpConstants.TCP_TIMEOUT_INIT;
        tp.retransmits = 0;
        tp.totalRto = 0;
        SkBuff skb = alloc(0);
        TcpSkbCb.set(skb, tp.writeSeq, tp.writeSeq + 1, TcpHeader.SYN);
        tp.writeSeq++;
        tp.retransStamp = tcp.now();
        queueCharge(tp, skb);
        tp.rtxQueue.addLast(skb);
        tp.packetsOut++;
        transmitSkb(tp, skb, true);
        tp.sndNxt = tp.writeSeq;
        tcp.mib().inc(TcpMib.ACTIVE_OPENS);
        TcpTimers.resetXmitTimer(tp, TcpTimers.RETRANS, tp.rto);
    }

    /** {@code tcp_initialize_rcv_mss}: a guess of the peer's segment size, 536 at most. */
    static int initialRcvMss(int advmss, int mssCache, int rcvWnd) {
        int hint = Math.min(advmss, mssCache);
        if (rcvWnd > 0) {
            hint = Math.min(hint, rcvWnd / 2);
        }
        hint = Math.min(hint, TcpConstants.TCP_MSS_DEFAULT);
        return Math.max(hint, TcpConstants.TCP_MIN_MSS);
    }

    /**
     * A segment joins the send queues: charged to {@code sk_wmem_queued}, and its headroom given up
     * ({@code skb_header_release}) so that each transmission's clone writes its headers in place.
     */
    private static void queueCharge(TcpSock tp, SkBuff skb) {
        skb.headerRelease();
        int charge = TcpSkbCb.HEAD_TRUESIZE + skb.len();
        TcpSkbCb.setCharge(skb, charge);
        tp.wmemQueued += charge;
    }

    // ---------------------------------------------------------------- data

    /**
     * The copying half of {@code tcp_sendmsg_locked}: appends to the unsent tail segment while it
     * has room, then new segments of at most one MSS, while the send buffer has room; marks PSH on
     * the last one and pushes. Returns the bytes taken (0 when the buffer is full).
     */
    int sendmsg(TcpSock tp, byte[] src, int off, int len, int flags) {
        int mss = currentMss(tp); // tcp_send_mss
        int copied = 0;
        while (copied < len) {
            SkBuff tail = tp.writeQueue.peekLast();
            int room = tail == null ? 0 : Math.min(mss - tail.len(), tail.tailroom());
            if (tail == null || room <= 0 || (TcpSkbCb.flags(tail) & TcpHeader.FIN) != 0) {
                if (!(tp.wmemQueued < tp.socket().sndbuf())) {
                    tp.sndbufFull = true; // SOCK_NOSPACE
                    break;
                }
                tail = alloc(mss);
                TcpSkbCb.set(tail, tp.writeSeq, tp.writeSeq, TcpHeader.ACK);
                queueCharge(tp, tail);
                tp.writeQueue.addLast(tail);
                room = Math.min(mss, tail.tailroom());
            }
            int chunk = Math.min(room, len - copied);
            if (copied == 0) {
                // appending to what an earlier call pushed: the push moves to the new end
                TcpSkbCb.setFlags(tail, TcpSkbCb.flags(tail) & ~TcpHeader.PSH);
            }
            // a plain copy: the checksum is left to the device (CHECKSUM_PARTIAL, tcp_transmit_skb)
            tail.putBytes(src, off + copied, chunk);
            TcpSkbCb.setCharge(tail, TcpSkbCb.charge(tail) + chunk);
            tp.wmemQueued += chunk;
            TcpSkbCb.setEndSeq(tail, TcpSkbCb.endSeq(tail) + chunk);
            tp.writeSeq += chunk;
            copied += chunk;
        }
        if (copied > 0) {
            SkBuff tail = tp.writeQueue.peekLast();
            if (tail != null && (flags & MSG_MORE) == 0) {
                TcpSkbCb.setFlags(tail, TcpSkbCb.flags(tail) | TcpHeader.PSH);
            }
            if ((flags & MSG_MORE) == 0) {
                pushPendingFrames(tp);
            }
        }
        return copied;
    }

    /** {@code tcp_push_pending_frames}. */
    void pushPendingFrames(TcpSock tp) {
        if (!tp.writeQueue.isEmpty()) {
            writeXmit(tp, false);
        }
    }

    /**
     * {@code tcp_write_xmit}: sends queued segments while the congestion window, the peer's window
     * and Nagle allow; arms the retransmission timer (or a tail loss probe), or the persist timer
     * when the peer's window keeps data back with nothing in flight.
     */
    void writeXmit(TcpSock tp, boolean nagleOff) {
        writeXmit(tp, nagleOff, false);
    }

    /** {@code tcp_write_xmit(..., push_one = 2)}: one segment for a loss probe, whatever the window. */
    void writeXmitProbe(TcpSock tp) {
        writeXmit(tp, true, true);
    }

    private void writeXmit(TcpSock tp, boolean nagleOff, boolean probe) {
        int mss = currentMss(tp);
        int sentPkts = 0;
        boolean cwndLimited = false;
        SkBuff skb;
        while ((skb = tp.writeQueue.peekFirst()) != null) {
            if (tp.packetsInFlight() >= tp.sndCwnd && !(probe && sentPkts == 0)) {
                break;
            }
            if (skb.len() > mss) {
                fragment(tp, skb, mss); // queued before SACK blocks took room (tso_fragment)
            }
            int seq = TcpSkbCb.seq(skb);
            int endSeq = TcpSkbCb.endSeq(skb);
            int flags = TcpSkbCb.flags(skb);
            boolean finOnly = skb.len() == 0;
            if (!finOnly && TcpSeq.after(endSeq - ((flags & TcpHeader.FIN) != 0 ? 1 : 0), tp.sndUna + tp.sndWnd)) {
                break; // tcp_snd_wnd_test
            }
            boolean partial = skb.len() < mss;
            boolean last = tp.writeQueue.size() == 1;
            if (partial && last && (flags & TcpHeader.FIN) == 0 && !nagleOff) {
                // tcp_nagle_test: a small segment waits while an earlier small one is unacked
                if (tp.cork || (!tp.nodelay && tp.packetsOut > 0 && minshallCheck(tp))) {
                    break;
                }
            }
            if (tp.packetsOut == 0 && tp.tstate != TcpState.SYN_SENT) {
                cwndRestartCheck(tp);
            }
            if (smallQueueCheck(tp, skb, 0)) {
                break; // TCP Small Queues: enough of this socket waits in the qdisc and rings
            }
            if (!transmitSkb(tp, skb, true)) {
                break; // stays at the head of the write queue, sent again later
            }
            tp.writeQueue.pollFirst();
            tp.rtxQueue.addLast(skb);
            int priorPackets = tp.packetsOut;
            tp.packetsOut++;
            tp.sndNxt = endSeq;
            tcp.ext().inc(TcpExtMib.TCP_ORIG_DATA_SENT);
            if (partial) {
                tp.sndSml = endSeq;
            }
            if (priorPackets == 0 || tp.pendingTimer == TcpTimers.LOSS_PROBE || tp.pendingTimer == 0) {
                TcpTimers.rearmRto(tp);
            }
            sentPkts++;
            if (tp.packetsOut == 1 && seq == tp.sndUna) {
                tp.retransStamp = 0;
            }
            if (probe) {
                break;
            }
        }
        cwndLimited |= tp.packetsInFlight() >= tp.sndCwnd;
        if (sentPkts > 0 || cwndLimited) {
            cwndValidate(tp, cwndLimited);
        }
        if (sentPkts > 0) {
            if (TcpRecovery.inCwndReduction(tp)) {
                tp.prrOut += sentPkts;
            }
            if (!probe) {
                TcpTlp.schedule(tp, false);
            }
            return;
        }
        if (!tp.writeQueue.isEmpty() && tp.packetsOut == 0 && !TcpTimers.retransmitTimer(tp).isPending()) {
            TcpTimers.resetXmitTimer(tp, TcpTimers.PROBE0, TcpTimers.probe0Base(tp));
        }
    }

    /**
     * {@code tcp_small_queue_check} (TCP Small Queues): a socket keeps at most about 1 ms of data
     * at its pacing rate (at least two skbs, at most {@code tcp_limit_output_bytes}, doubled for
     * retransmissions) in the qdisc and the device rings; past that it waits for a transmit
     * completion ({@link #tsqWake}). Without it one bulk flow fills a 1000-packet qdisc and drops
     * its own segments. A socket with at most one segment in flight always sends.
     */
    boolean smallQueueCheck(TcpSock tp, SkBuff skb, int factor) {
        long rate = tp.pacingRate < 0 ? Long.MAX_VALUE : tp.pacingRate;
        long limit = Math.max(2L * TcpSkbCb.charge(skb), rate >> 10);
        limit = Math.min(limit, tcp.congestion().limitOutputBytes.intValue());
        limit <<= factor;
        if (tp.socket().wmemAlloc() > limit) {
            if (tp.rtxQueue.size() <= 1) {
                return false;
            }
            tp.tsqThrottled = true;
            return true;
        }
        return false;
    }

    /**
     * {@code tcp_wfree}: a transmit completion freed memory of a throttled socket: sending resumes
     * from the event loop ({@code tcp_tsq_handler}'s tasklet), not inside the device's completion.
     */
    void tsqWake(TcpSock tp) {
        tp.tsqThrottled = false;
        if (tp.tsqQueued) {
            return;
        }
        tp.tsqQueued = true;
        if (tp.tsqTask == null) {
            tp.tsqTask = new dev.stacksim.sim.Timer(tcp.host().loop(), "tcp-tsq", () -> {
                tp.tsqQueued = false;
                tsqWrite(tp);
            });
        }
        tp.tsqTask.arm(0);
    }

    /** {@code tcp_tsq_write}. */
    private void tsqWrite(TcpSock tp) {
        switch (tp.tstate) {
            case ESTABLISHED, FIN_WAIT1, CLOSING, CLOSE_WAIT, LAST_ACK -> {
                if (tp.lostOut > tp.retransOut && tp.sndCwnd > tp.packetsInFlight()) {
                    TcpRetransmit.xmitRetransmitQueue(tp);
                }
                writeXmit(tp, false);
            }
            default -> {
            }
        }
    }

    /**
     * {@code tcp_cwnd_validate} (RFC 7661): remembers whether the window limited this round, so
     * that an application-limited sender does not grow a window it does not use.
     */
    private void cwndValidate(TcpSock tp, boolean isCwndLimited) {
        if (!TcpSeq.before(tp.sndUna, tp.cwndUsageSeq) || isCwndLimited
                || (!tp.isCwndLimited && tp.packetsOut > tp.maxPacketsOut)) {
            tp.isCwndLimited = isCwndLimited;
            tp.maxPacketsOut = tp.packetsOut;
            tp.cwndUsageSeq = tp.sndNxt;
        }
        if (tp.isCwndLimited()) {
            tp.sndCwndUsed = 0;
            tp.sndCwndStamp = tcp.now();
        } else {
            if (tp.packetsOut > tp.sndCwndUsed) {
                tp.sndCwndUsed = tp.packetsOut;
            }
            if (tcp.congestion().slowStartAfterIdle.intValue() != 0 && tcp.now() - tp.sndCwndStamp >= tp.rto) {
                cwndApplicationLimited(tp);
            }
        }
    }

    /** {@code tcp_cwnd_application_limited}: shrink a window the application never filled. */
    private void cwndApplicationLimited(TcpSock tp) {
        if (tp.caState == TcpCaState.OPEN) {
            int winUsed = Math.max(tp.sndCwndUsed, TcpConstants.TCP_INIT_CWND);
            if (winUsed < tp.sndCwnd) {
                tp.sndSsthresh = TcpRecovery.currentSsthresh(tp);
                tp.sndCwnd = (tp.sndCwnd + winUsed) >> 1;
            }
            tp.sndCwndUsed = 0;
        }
        tp.sndCwndStamp = tcp.now();
    }

    /**
     * Sending after idleness ({@code tcp_event_data_sent}'s half): the congestion control hears
     * TX_START; with {@code tcp_slow_start_after_idle}, a connection idle longer than the RTO
     * restarts from the initial window, halved once per RTO of idleness ({@code tcp_cwnd_restart}).
     */
    private void cwndRestartCheck(TcpSock tp) {
        tp.caOps().cwndEvent(tp, TcpCaEvent.TX_START);
        long now = tcp.now();
        if (tcp.congestion().slowStartAfterIdle.intValue() == 0 || tp.lsndtime == 0) {
            return;
        }
        long delta = now - tp.lsndtime;
        if (delta > tp.rto) {
            tp.caOps().cwndEvent(tp, TcpCaEvent.CWND_RESTART);
            int restart = Math.min(TcpConstants.TCP_INIT_CWND, tp.sndCwnd);
            tp.sndSsthresh = TcpRecovery.currentSsthresh(tp);
            int cwnd = tp.sndCwnd;
            while ((delta -= tp.rto) > 0 && cwnd > restart) {
                cwnd >>= 1;
            }
            tp.sndCwnd = Math.max(cwnd, restart);
            tp.sndCwndStamp = now;
            tp.sndCwndUsed = 0;
        }
    }

    /** {@code tcp_minshall_check}: a small segment is sent and not yet acknowledged. */
    private static boolean minshallCheck(TcpSock tp) {
        return TcpSeq.after(tp.sndSml, tp.sndUna) && !TcpSeq.after(tp.sndSml, tp.sndNxt);
    }

    /** {@code tcp_send_fin}: FIN on the unsent tail, or a FIN segment of its own; pushed at once. */
    void sendFin(TcpSock tp) {
        SkBuff tail = tp.writeQueue.peekLast();
        if (tail != null) {
            TcpSkbCb.setFlags(tail, TcpSkbCb.flags(tail) | TcpHeader.FIN);
            TcpSkbCb.setEndSeq(tail, TcpSkbCb.endSeq(tail) + 1);
            tp.writeSeq++;
        } else {
            SkBuff skb = alloc(0);
            TcpSkbCb.set(skb, tp.writeSeq, tp.writeSeq + 1, TcpHeader.ACK | TcpHeader.FIN);
            tp.writeSeq++;
            queueCharge(tp, skb);
            tp.writeQueue.addLast(skb);
        }
        writeXmit(tp, true);
    }

    // ---------------------------------------------------------------- ACKs

    /** {@code tcp_send_ack}: a bare ACK now. */
    void sendAck(TcpSock tp) {
        if (tp.tstate == TcpState.CLOSE) {
            return;
        }
        SkBuff skb = alloc(0);
        TcpSkbCb.set(skb, tp.sndNxt, tp.sndNxt, TcpHeader.ACK);
        transmitSkb(tp, skb, false);
    }

    /** One jiffy of the model's clock (HZ=1000). */
    private static final long JIFFY = 1_000_000L;

    /** {@code tcp_send_delayed_ack}: arm the delayed-ACK timer (40 ms .. 200 ms, bounded by the RTT). */
    void sendDelayedAck(TcpSock tp) {
        long ato = tp.ato;
        if (ato > TcpConstants.TCP_DELACK_MIN) {
            long maxAto = TcpConstants.HZ / 2;
            if (tp.pingpong > 0 || (tp.ackPending & TcpSock.ACK_PUSHED) != 0) {
                maxAto = TcpConstants.TCP_DELACK_MAX;
            }
            if (tp.srttUs != 0) {
                long rtt = Math.max((tp.srttUs >>> 3) * 1000, TcpConstants.TCP_DELACK_MIN);
                if (rtt < maxAto) {
                    maxAto = rtt;
                }
            }
            ato = Math.min(ato, maxAto);
        }
        ato = Math.min(ato, TcpConstants.TCP_DELACK_MAX);
        long now = tcp.now();
        long timeout = now + ato;
        if (ato == 0) {
            // A socket that never received data has ato 0 (tcp_event_data_recv sets it): Linux's
            // timer then expires in the current jiffy, which the timer wheel has already run, so
            // it fires at the next tick. Until then a reply can carry the ACK: the FIN of a
            // passive close (tcp_fin's pingpong mode) rides with it, six segments per connection
            // as Linux sends them. Jiffies are milliseconds here (HZ=1000), as TcpSock.jiffies().
            timeout = (now / JIFFY + 1) * JIFFY;
        }
        if ((tp.ackPending & TcpSock.ACK_TIMER) != 0 && tp.delackTimer != null && tp.delackTimer.isPending()) {
            long old = tp.delackTimer.expires();
            if (old <= now + (ato >> 2)) {
                sendAck(tp);
                return;
            }
            if (timeout >= old) {
                timeout = old;
            }
        }
        tp.ackPending |= TcpSock.ACK_SCHED | TcpSock.ACK_TIMER;
        TcpTimers.delackTimer(tp).mod(timeout);
    }

    /**
     * {@code tcp_cleanup_rbuf}: after the user read, send the ACK that was held back for the
     * read, or a window update when the window can now grow to at least twice what it was.
     */
    void cleanupRbuf(TcpSock tp, int copied) {
        boolean timeToAck = false;
        if ((tp.ackPending & TcpSock.ACK_SCHED) != 0) {
            if ((tp.ackPending & TcpSock.ACK_PUSHED) != 0 || tp.tstate != TcpState.ESTABLISHED) {
                timeToAck = true;
            }
        }
        if (copied > 0 && !timeToAck && (tp.socket().shutdownBits() & dev.stacksim.socket.Socket.RCV_SHUTDOWN) == 0) {
            int rcvWindowNow = TcpWindow.receiveWindow(tp);
            if (2 * rcvWindowNow <= tp.windowClamp) {
                int newWindow = TcpWindow.selectWindowRaw(tp);
                if (newWindow != 0 && newWindow >= 2 * rcvWindowNow) {
                    timeToAck = true;
                }
            }
        }
        if (timeToAck) {
            sendAck(tp);
        }
    }

    // ---------------------------------------------------------------- aborts and probes

    /**
     * {@code tcp_send_active_reset}: RST+ACK from {@code snd_nxt} (an abort: close with unread
     * data, SO_LINGER {1, 0}, a listener's queued children).
     */
    void sendActiveReset(TcpSock tp) {
        SkBuff skb = alloc(0);
        TcpSkbCb.set(skb, tp.sndNxt, tp.sndNxt, TcpHeader.ACK | TcpHeader.RST);
        tcp.mib().inc(TcpMib.OUT_RSTS);
        transmitSkb(tp, skb, false);
    }

    /**
     * {@code tcp_write_wakeup}: the probe timer's send. Data waiting inside the peer's window (a
     * window too small for a full segment, or data held back by TCP_CORK) goes out, cut to what
     * the window takes, with PSH; only a closed window gets a bare probe. Returns false when
     * nothing could be sent.
     */
    boolean writeWakeup(TcpSock tp) {
        SkBuff skb = tp.writeQueue.peekFirst();
        int wndEnd = tp.sndUna + tp.sndWnd;
        if (skb == null || !TcpSeq.before(TcpSkbCb.seq(skb), wndEnd)) {
            sendProbe(tp);
            return true;
        }
        int seq = TcpSkbCb.seq(skb);
        int segSize = wndEnd - seq;
        if (segSize < TcpSkbCb.endSeq(skb) - seq || skb.len() > tp.mssCache) {
            fragment(tp, skb, Math.min(segSize, tp.mssCache));
        }
        TcpSkbCb.setFlags(skb, TcpSkbCb.flags(skb) | TcpHeader.PSH);
        if (!transmitSkb(tp, skb, true)) {
            return false;
        }
        tp.writeQueue.pollFirst();
        tp.rtxQueue.addLast(skb);
        tp.packetsOut++;
        tp.sndNxt = TcpSkbCb.endSeq(skb);
        tcp.ext().inc(TcpExtMib.TCP_ORIG_DATA_SENT);
        if (tp.packetsOut == 1) {
            TcpTimers.rearmRto(tp);
        }
        return true;
    }

    /**
     * {@code tcp_fragment} in the write queue: {@code skb} keeps its first {@code len} bytes; the
     * rest (with the FIN, if any) becomes a new skb queued right after it.
     */
    private void fragment(TcpSock tp, SkBuff skb, int len) {
        int rest = skb.len() - len;
        if (rest <= 0) {
            return;
        }
        SkBuff tail = alloc(rest);
        tail.putBytes(skb.buf(), skb.data() + len, rest);
        int flags = TcpSkbCb.flags(skb);
        int seq = TcpSkbCb.seq(skb);
        TcpSkbCb.set(tail, seq + len, TcpSkbCb.endSeq(skb), flags);
        TcpSkbCb.set(skb, seq, seq + len, flags & ~(TcpHeader.FIN | TcpHeader.PSH));
        skb.trim(len);
        TcpSkbCb.setCharge(skb, TcpSkbCb.charge(skb) - rest);
        tp.wmemQueued -= rest;
        queueCharge(tp, tail);
        // re-queue: skb stays first, tail second
        tp.writeQueue.pollFirst();
        tp.writeQueue.addFirst(tail);
        tp.writeQueue.addFirst(skb);
    }

    /** A zero-window probe ({@code tcp_xmit_probe_skb}): an ACK from {@code snd_una - 1}, which the peer must answer. */
    void sendProbe(TcpSock tp) {
        SkBuff skb = alloc(0);
        TcpSkbCb.set(skb, tp.sndUna - 1, tp.sndUna - 1, TcpHeader.ACK);
        transmitSkb(tp, skb, false);
    }
}
