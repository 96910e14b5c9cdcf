package dev.stacksim.tcp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Socket;
import dev.stacksim.wire.TcpHeader;

/**
 * Data arriving on a connection ({@code tcp_data_queue} and its helpers in {@code tcp_input.c}):
 * in-order segments to the receive queue, out-of-order ones kept until the hole fills, the FIN
 * ({@code tcp_fin}), and the delayed-ACK engine's decisions ({@code __tcp_ack_snd_check},
 * quick-ACK mode, the ATO estimate).
 */
final class TcpData {
    private final Tcp tcp;

    TcpData(Tcp tcp) {
        this.tcp = tcp;
    }


    /** {@code tcp_data_queue}: in-order data to the receive queue, out-of-order beyond a hole, FIN. */
    void dataQueue(TcpSock tp, SkBuff skb) {
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        if (seq == endSeq) {
            skb.consume();
            return;
        }
        int doff = (skb.buf().getUnsignedByte(skb.transportHeader() + TcpHeader.DOFF_OFFSET) >>> 4) * 4;
        skb.pull(doff);
        tcp.host().trace().skbHop("tcp", false, doff, skb);
        boolean fin = (TcpSkbCb.flags(skb) & TcpHeader.FIN) != 0;
        if (TcpSeq.after(seq, tp.rcvNxt)) {
            if (!TcpSeq.before(seq, tp.rcvNxt + TcpWindow.receiveWindow(tp))) {
                outOfWindow(tp, skb, DropReason.TCP_OVERWINDOW);
                return;
            }
            oooQueue(tp, skb);
            return;
        }
        if (!TcpSeq.after(endSeq, tp.rcvNxt)) {
            // a retransmission of what we have: ACK at once, with a D-SACK
            tcp.ext().inc(TcpExtMib.DELAYED_ACK_LOST);
            TcpSack.dsackSet(tp, seq, endSeq);
            outOfWindow(tp, skb, DropReason.TCP_OLD_DATA);
            return;
        }
        if (TcpSeq.before(seq, tp.rcvNxt)) {
            TcpSack.dsackSet(tp, seq, tp.rcvNxt); // partly old: the old part is reported
        }
        if (TcpWindow.receiveWindow(tp) == 0 && !(skb.len() == 0 && fin)) {
            tcp.ext().inc(TcpExtMib.TCP_ZERO_WINDOW_DROP);
            outOfWindow(tp, skb, DropReason.TCP_ZEROWINDOW);
            return;
        }
        if (tp.socket().rmemAlloc() + skb.truesize() > tp.socket().rcvbuf() + (tp.socket().rcvbuf() >> 1) && skb.len() > 0) {
            tcp.ext().inc(TcpExtMib.TCP_RCV_Q_DROP);
            TcpInput.drop(skb, DropReason.SOCKET_RCVBUFF);
            return;
        }
        queueRcv(tp, skb);
        if (!tp.oooQueue.isEmpty()) {
            ofoQueue(tp);
            if (tp.oooQueue.isEmpty()) {
                tp.ackPending |= TcpSock.ACK_SCHED;
                tp.quick = Math.max(tp.quick, 1);
            }
        }
        if (tp.numSacks > 0) {
            TcpSack.remove(tp);
        }
    }

    /** {@code tcp_queue_rcv}: into the receive queue, charged to the socket; {@code rcv_nxt} advances. */
    private void queueRcv(TcpSock tp, SkBuff skb) {
        boolean fin = (TcpSkbCb.flags(skb) & TcpHeader.FIN) != 0;
        int endSeq = TcpSkbCb.endSeq(skb);
        tp.bytesReceived += endSeq - tp.rcvNxt;
        tp.rcvNxt = endSeq;
        if (skb.len() > 0) {
            eventDataRecv(tp, skb);
            skb.setOwner(tp.socket().rmem());
            tp.receiveQueue.addLast(skb);
        }
        if (fin) {
            fin(tp);
        }
        if (skb.len() == 0) {
            skb.consume();
        }
        if (!tp.orphan && tp.tstate != TcpState.CLOSE) {
            tp.socket().dataReady();
        }
    }

    /** Out-of-order data: kept, in sequence order, until the hole fills ({@code tcp_data_queue_ofo}). */
    private void oooQueue(TcpSock tp, SkBuff skb) {
        tcp.ext().inc(TcpExtMib.TCPOFO_QUEUE);
        tp.ackPending |= TcpSock.ACK_SCHED;
        tp.quick = Math.max(tp.quick, 1);
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        // insert in order; an exact or covered duplicate is dropped
        java.util.ArrayDeque<SkBuff> q = tp.oooQueue;
        if (q.isEmpty() || TcpSeq.after(seq, TcpSkbCb.seq(q.peekLast()))) {
            SkBuff last = q.peekLast();
            if (last != null && !TcpSeq.after(endSeq, TcpSkbCb.endSeq(last))) {
                ofoDuplicate(tp, skb, seq, endSeq);
                return;
            }
            skb.setOwner(tp.socket().rmem());
            q.addLast(skb);
            if (tp.sackOk) {
                TcpSack.newOfo(tp, seq, endSeq);
            }
            return;
        }
        java.util.ArrayDeque<SkBuff> rebuilt = new java.util.ArrayDeque<>(q.size() + 1);
        boolean placed = false;
        for (SkBuff s : q) {
            if (!placed && TcpSeq.before(seq, TcpSkbCb.seq(s))) {
                skb.setOwner(tp.socket().rmem());
                rebuilt.addLast(skb);
                placed = true;
            } else if (!placed && !TcpSeq.before(seq, TcpSkbCb.seq(s)) && !TcpSeq.after(endSeq, TcpSkbCb.endSeq(s))) {
                ofoDuplicate(tp, skb, seq, endSeq);
                return;
            }
            rebuilt.addLast(s);
        }
        if (!placed) {
            skb.setOwner(tp.socket().rmem());
            rebuilt.addLast(skb);
        }
        q.clear();
        q.addAll(rebuilt);
        if (tp.sackOk) {
            TcpSack.newOfo(tp, seq, endSeq);
        }
    }

    /** An out-of-order segment already held: dropped, reported by D-SACK ({@code TCPOFOMerge}). */
    private void ofoDuplicate(TcpSock tp, SkBuff skb, int seq, int endSeq) {
        tcp.ext().inc(TcpExtMib.TCPOFO_MERGE);
        TcpSack.dsackSet(tp, seq, endSeq);
        TcpInput.drop(skb, DropReason.TCP_OFOMERGE);
    }

    /** {@code tcp_ofo_queue}: what the hole's filling made in order moves to the receive queue. */
    private void ofoQueue(TcpSock tp) {
        SkBuff skb;
        while ((skb = tp.oooQueue.peekFirst()) != null) {
            if (TcpSeq.after(TcpSkbCb.seq(skb), tp.rcvNxt)) {
                break;
            }
            tp.oooQueue.pollFirst();
            if (!TcpSeq.after(TcpSkbCb.endSeq(skb), tp.rcvNxt)) {
                skb.free(DropReason.TCP_OLD_DATA);
                continue;
            }
            skb.setOwner(null);
            queueRcv(tp, skb);
            if (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.TIME_WAIT) {
                break;
            }
        }
    }

    private void outOfWindow(TcpSock tp, SkBuff skb, DropReason reason) {
        enterQuickack(tp, TcpConstants.TCP_MAX_QUICKACKS);
        tp.ackPending |= TcpSock.ACK_SCHED;
        TcpInput.drop(skb, reason);
    }

    /** {@code tcp_event_data_recv}: the delayed-ACK engine learns the inter-arrival time. */
    private void eventDataRecv(TcpSock tp, SkBuff skb) {
        tp.ackPending |= TcpSock.ACK_SCHED;
        if (skb.len() >= tp.rcvMss) {
            tp.rcvMss = Math.min(skb.len(), tp.advmss);
        }
        TcpBuffers.rcvRttMeasure(tp);
        long now = tcp.now();
        if (tp.ato == 0) {
            incrQuickack(tp, TcpConstants.TCP_MAX_QUICKACKS);
            tp.ato = TcpConstants.TCP_ATO_MIN;
        } else {
            long m = now - tp.lrcvtime;
            if (m <= TcpConstants.TCP_ATO_MIN / 2) {
                tp.ato = (tp.ato >> 1) + TcpConstants.TCP_ATO_MIN / 2;
            } else if (m < tp.ato) {
                tp.ato = Math.min((tp.ato >> 1) + m, tp.rto);
            } else if (m > tp.rto) {
                incrQuickack(tp, TcpConstants.TCP_MAX_QUICKACKS);
            }
        }
        tp.lrcvtime = now;
        if (skb.len() >= 128) {
            TcpBuffers.growWindow(tp, skb);
        }
    }

    private static void incrQuickack(TcpSock tp, int max) {
        int quickacks = tp.rcvWnd / (2 * Math.max(tp.rcvMss, 1));
        if (quickacks == 0) {
            quickacks = 2;
        }
        quickacks = Math.min(quickacks, max);
        if (quickacks > tp.quick) {
            tp.quick = quickacks;
        }
    }

    /** {@code tcp_enter_quickack_mode}. */
    static void enterQuickack(TcpSock tp, int max) {
        incrQuickack(tp, max);
        tp.pingpong = 0;
        tp.ato = TcpConstants.TCP_ATO_MIN;
    }

    /** {@code tcp_fin}: the peer is done sending. */
    private void fin(TcpSock tp) {
        tp.ackPending |= TcpSock.ACK_SCHED;
        tp.socket().addShutdown(Socket.RCV_SHUTDOWN);
        tp.sockDone = true;
        switch (tp.tstate) {
            case SYN_RECV, ESTABLISHED -> {
                tp.setState(TcpState.CLOSE_WAIT);
                tp.pingpong = 1;
            }
            case FIN_WAIT1 -> {
                tcp.output().sendAck(tp);
                tp.setState(TcpState.CLOSING);
            }
            case FIN_WAIT2 -> {
                tcp.output().sendAck(tp);
                tcp.timeWait(tp, TcpState.TIME_WAIT, 0);
            }
            default -> {
            }
        }
        for (SkBuff s; (s = tp.oooQueue.pollFirst()) != null; ) {
            s.free(DropReason.TCP_OFO_QUEUE_PRUNE);
        }
        tp.numSacks = 0; // tcp_sack_reset
        tp.dsack = false;
        if (!tp.orphan) {
            tp.socket().stateChange();
        }
    }

    /** {@code __tcp_ack_snd_check}: ACK now (a second full segment, quick-ACK mode, a hole) or later. */
    void ackSndCheck(TcpSock tp) {
        if ((tp.ackPending & TcpSock.ACK_SCHED) == 0) {
            return;
        }
        boolean quickMode = tp.quick > 0 && tp.pingpong == 0;
        if ((tp.rcvNxt - tp.rcvWup > tp.rcvMss && TcpWindow.selectWindowRaw(tp) >= tp.rcvWnd)
                || quickMode || !tp.oooQueue.isEmpty()) {
            tcp.output().sendAck(tp);
            return;
        }
        tcp.output().sendDelayedAck(tp);
    }
    /**
     * RFC 1122 4.2.2.13 in FIN_WAIT1/2, CLOSING, LAST_ACK: new data after the user closed (or shut
     * down reading) resets the connection (TCPAbortOnData); otherwise it is queued. Returns true
     * when the skb was queued; false with the socket CLOSE when it must be answered with RST.
     */
    boolean dataQueueAfterShutdownCheck(TcpSock tp, SkBuff skb, int flags) {
        if ((tp.socket().shutdownBits() & Socket.RCV_SHUTDOWN) != 0) {
            int seq = TcpSkbCb.seq(skb);
            int endSeq = TcpSkbCb.endSeq(skb);
            boolean fin = (flags & TcpHeader.FIN) != 0;
            if (endSeq != seq && TcpSeq.after(endSeq - (fin ? 1 : 0), tp.rcvNxt)) {
                tcp.ext().inc(TcpExtMib.TCP_ABORT_ON_DATA);
                tp.reset();
                return false;
            }
        }
        dataQueue(tp, skb);
        return true;
    }
}
