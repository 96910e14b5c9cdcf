package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.sim.SimTime;
import dev.stacksim.sim.Timer;
import dev.stacksim.socket.Errno;
import dev.stacksim.trace.TraceEvent;

/**
 * A TCP socket's timers ({@code net/ipv4/tcp_timer.c}): retransmission (SYN, data, FIN; RFC 6298
 * with Linux's constants and exponential backoff; {@code tcp_syn_linear_timeouts} for SYNs), the
 * zero-window probe (persist), the delayed ACK, and keepalive, which also ends an orphaned
 * FIN_WAIT2. Each socket makes its timers on first use.
 */
final class TcpTimers {
    /** The retransmit timer runs for a retransmission ({@code ICSK_TIME_RETRANS}). */
    static final int RETRANS = 1;
    /** The retransmit timer runs for a zero-window probe ({@code ICSK_TIME_PROBE0}). */
    static final int PROBE0 = 3;
    /** The retransmit timer runs for a tail loss probe ({@code ICSK_TIME_LOSS_PROBE}). */
    static final int LOSS_PROBE = 5;
    /** The retransmit timer runs for RACK's reordering window ({@code ICSK_TIME_REO_TIMEOUT}). */
    static final int REO_TIMEOUT = 6;

    private TcpTimers() {
    }

    static Timer retransmitTimer(TcpSock tp) {
        if (tp.retransmitTimer == null) {
            tp.retransmitTimer = new Timer(tp.tcp.host().loop(), "tcp-retransmit", () -> writeTimer(tp));
        }
        return tp.retransmitTimer;
    }

    static Timer delackTimer(TcpSock tp) {
        if (tp.delackTimer == null) {
            tp.delackTimer = new Timer(tp.tcp.host().loop(), "tcp-delack", () -> delackTimerFired(tp));
        }
        return tp.delackTimer;
    }

    static Timer keepaliveTimer(TcpSock tp) {
        if (tp.keepaliveTimer == null) {
            tp.keepaliveTimer = new Timer(tp.tcp.host().loop(), "tcp-keepalive", () -> keepaliveTimerFired(tp));
        }
        return tp.keepaliveTimer;
    }

    /** {@code inet_csk_reset_xmit_timer}: the retransmit timer armed for {@code what} in {@code delay}, at most 120 s. */
    static void resetXmitTimer(TcpSock tp, int what, long delay) {
        long d = Math.min(delay, TcpConstants.TCP_RTO_MAX);
        tp.pendingTimer = what;
        retransmitTimer(tp).arm(d);
        trace(tp, timerName(what), TraceEvent.TimerOp.ARM, tp.tcp.now() + d);
    }

    private static String timerName(int what) {
        return switch (what) {
            case PROBE0 -> "probe0";
            case LOSS_PROBE -> "loss_probe";
            case REO_TIMEOUT -> "reo_timeout";
            default -> "retransmit";
        };
    }

    /**
     * {@code tcp_rearm_rto}: the retransmission timer for the head of the queue, or stopped when
     * nothing is in flight; after a probe or reordering timer, what is left of the RTO since the
     * head was sent ({@code tcp_rto_delta_us}).
     */
    static void rearmRto(TcpSock tp) {
        if (tp.packetsOut == 0) {
            clearRetransmitTimer(tp);
            return;
        }
        long rto = tp.rto;
        if (tp.pendingTimer == REO_TIMEOUT || tp.pendingTimer == LOSS_PROBE) {
            rto = Math.max(rtoDelta(tp), 1000);
        }
        resetXmitTimer(tp, RETRANS, rto);
    }

    /** {@code tcp_rto_delta_us} in nanoseconds: how far in the future the head's RTO is. */
    static long rtoDelta(TcpSock tp) {
        SkBuff head = tp.rtxQueue.peekFirst();
        long sent = head == null ? tp.tcp.now() : head.tstamp();
        return tp.rto - (tp.tcp.now() - sent);
    }

    /** {@code tcp_set_xmit_timer}: a tail loss probe if one may be scheduled, else the RTO. */
    static void setXmitTimer(TcpSock tp) {
        if (!TcpTlp.schedule(tp, true)) {
            rearmRto(tp);
        }
    }

    static void clearRetransmitTimer(TcpSock tp) {
        tp.pendingTimer = 0;
        if (tp.retransmitTimer != null && tp.retransmitTimer.cancel()) {
            trace(tp, "retransmit", TraceEvent.TimerOp.CANCEL, 0);
        }
    }

    /** {@code tcp_clear_xmit_timers}: retransmit and delayed ACK stopped. */
    static void clearXmitTimers(TcpSock tp) {
        clearRetransmitTimer(tp);
        if (tp.delackTimer != null) {
            tp.delackTimer.cancel();
        }
        tp.ackPending = 0;
    }

    private static void trace(TcpSock tp, String timer, TraceEvent.TimerOp op, long expires) {
        if (tp.tcp.tracer().enabled()) {
            tp.tcp.tracer().emit(new TraceEvent.Timer(tp.tcp.now(), tp.tcp.host().name(), tp.name(), timer, op, expires));
        }
    }

    /** {@code tcp_set_rto}: {@code srtt + max(4 * mdev, 200 ms)} in Linux's form, at most 120 s. */
    static void setRto(TcpSock tp) {
        long rtoUs = (tp.srttUs >>> 3) + tp.rttvarUs;
        tp.rto = Math.min(rtoUs * 1000, TcpConstants.TCP_RTO_MAX);
    }

    /** {@code tcp_fin_time}: how long an orphan waits in FIN_WAIT2: TCP_LINGER2 or tcp_fin_timeout, at least 3.5 RTO. */
    static long finTime(TcpSock tp) {
        long fin = tp.linger2 > 0 ? tp.linger2 : SimTime.seconds(tp.tcp.sysctl(Tcp.FIN_TIMEOUT));
        long rto = tp.rto;
        long min = (rto << 2) - (rto >> 1);
        return Math.max(fin, min);
    }

    static long probe0Base(TcpSock tp) {
        return Math.max(tp.rto, TcpConstants.TCP_RTO_MIN);
    }

    private static long probe0When(TcpSock tp) {
        long base = probe0Base(tp);
        long when = tp.backoff >= 63 ? TcpConstants.TCP_RTO_MAX : base << Math.min(tp.backoff, 30);
        return Math.min(when, TcpConstants.TCP_RTO_MAX);
    }

    /** {@code tcp_ack_probe}: an ACK while probing: stop if the window opened, else probe again later. */
    static void ackProbe(TcpSock tp) {
        SkBuff head = tp.writeQueue.peekFirst();
        if (head == null) {
            return;
        }
        if (!TcpSeq.after(TcpSkbCb.endSeq(head), tp.sndUna + tp.sndWnd)) {
            tp.backoff = 0;
            if (tp.pendingTimer == PROBE0) {
                clearRetransmitTimer(tp);
            }
        } else {
            resetXmitTimer(tp, PROBE0, probe0When(tp));
        }
    }

    // ---------------------------------------------------------------- retransmission

    /** {@code tcp_write_timer_handler}. */
    private static void writeTimer(TcpSock tp) {
        if (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.LISTEN) {
            return;
        }
        int what = tp.pendingTimer;
        tp.pendingTimer = 0;
        trace(tp, timerName(what), TraceEvent.TimerOp.FIRE, 0);
        switch (what) {
            case PROBE0 -> probeTimer(tp);
            case REO_TIMEOUT -> TcpRack.reoTimeout(tp);
            case LOSS_PROBE -> TcpTlp.sendLossProbe(tp);
            default -> retransmitTimerFired(tp);
        }
    }

    /** {@code tcp_retransmit_timer}. */
    private static void retransmitTimerFired(TcpSock tp) {
        Tcp tcp = tp.tcp;
        if (tp.packetsOut == 0) {
            return;
        }
        SkBuff head = tp.rtxQueue.peekFirst();
        if (head == null) {
            return;
        }
        if (tp.sndWnd == 0 && !tp.orphan && tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV) {
            // the receiver shrank its window to zero: retransmissions act as probes, no timeout
            TcpRecovery.enterLoss(tp);
            TcpRetransmit.retransmitSkb(tp, head);
            tp.rto = Math.min(tp.rto << 1, TcpConstants.TCP_RTO_MAX);
            resetXmitTimer(tp, RETRANS, tp.rto);
            return;
        }
        tcp.ext().inc(TcpExtMib.TCP_TIMEOUTS);
        if (writeTimeout(tp)) {
            return;
        }
        if (tp.retransmits == 0) {
            TcpExtMib mib = null;
            boolean sack = tp.sackOk;
            if (tp.caState == TcpCaState.RECOVERY) {
                mib = sack ? TcpExtMib.TCP_SACK_RECOVERY_FAIL : TcpExtMib.TCP_RENO_RECOVERY_FAIL;
            } else if (tp.caState == TcpCaState.LOSS) {
                mib = TcpExtMib.TCP_LOSS_FAILURES;
            } else if (tp.caState == TcpCaState.DISORDER || tp.sackedOut != 0) {
                mib = sack ? TcpExtMib.TCP_SACK_FAILURES : TcpExtMib.TCP_RENO_FAILURES;
            }
            if (mib != null) {
                tcp.ext().inc(mib);
            }
        }
        if (tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.SYN_RECV) {
            TcpRecovery.enterLoss(tp);
        }
        tp.retransmits++;
        tp.totalRto++;
        TcpRetransmit.retransmitSkb(tp, head);
        tp.backoff++;
        if (tp.tstate != TcpState.SYN_SENT || tp.totalRto > tcp.sysctl(Tcp.SYN_LINEAR_TIMEOUTS)) {
            tp.rto = Math.min(tp.rto << 1, TcpConstants.TCP_RTO_MAX);
        }
        resetXmitTimer(tp, RETRANS, clampToUserTimeout(tp, tp.rto));
    }

    /** {@code tcp_clamp_rto_to_user_timeout}: never sleep past TCP_USER_TIMEOUT. */
    private static long clampToUserTimeout(TcpSock tp, long rto) {
        if (tp.userTimeout == 0 || tp.retransStamp == 0) {
            return rto;
        }
        long remaining = SimTime.millis(tp.userTimeout) - (tp.tcp.now() - tp.retransStamp);
        if (remaining <= 0) {
            return 1_000_000L; // one jiffy
        }
        return Math.min(rto, remaining);
    }

    /** {@code tcp_write_timeout}: true when the connection has retransmitted long enough and dies (ETIMEDOUT). */
    private static boolean writeTimeout(TcpSock tp) {
        Tcp tcp = tp.tcp;
        boolean expired;
        long elapsed = tp.retransStamp == 0 ? 0 : tcp.now() - tp.retransStamp;
        if (tp.tstate == TcpState.SYN_SENT || tp.tstate == TcpState.SYN_RECV) {
            int retryUntil = tp.synRetries != 0 ? tp.synRetries : tcp.sysctl(Tcp.SYN_RETRIES);
            int linear = tp.tstate == TcpState.SYN_SENT ? tcp.sysctl(Tcp.SYN_LINEAR_TIMEOUTS) : 0;
            expired = tp.tstate == TcpState.SYN_SENT
                    ? TcpTimeouts.synSentTimedOut(tp.retransmits, elapsed, retryUntil, linear)
                    : tp.retransmits >= retryUntil
                      || TcpTimeouts.retransmitsTimedOut(tp.retransmits, elapsed, retryUntil, TcpConstants.TCP_TIMEOUT_INIT);
        } else {
            int retryUntil = tcp.sysctl(Tcp.RETRIES2);
            if (tp.orphan) {
                boolean alive = tp.rto < TcpConstants.TCP_RTO_MAX;
                retryUntil = orphanRetries(tp, alive);
            }
            expired = TcpTimeouts.retransmitsTimedOut(tp.retransmits, elapsed, retryUntil, TcpConstants.TCP_RTO_MIN);
        }
        if (!expired && tp.userTimeout != 0 && tp.retransmits > 0) {
            expired = elapsed >= SimTime.millis(tp.userTimeout);
        }
        if (expired) {
            writeErr(tp);
            return true;
        }
        return false;
    }

    /** {@code tcp_orphan_retries}: {@code tcp_orphan_retries}, 0 meaning 8 while the RTO is below its cap. */
    private static int orphanRetries(TcpSock tp, boolean alive) {
        int retries = tp.tcp.sysctl(Tcp.ORPHAN_RETRIES);
        if (retries == 0 && alive) {
            retries = 8;
        }
        return retries;
    }

    /** {@code tcp_write_err}: the connection times out (ETIMEDOUT, or the soft error an ICMP left). */
    static void writeErr(TcpSock tp) {
        tp.tcp.ext().inc(TcpExtMib.TCP_ABORT_ON_TIMEOUT);
        if (!tp.orphan) {
            tp.socket().setError(Errno.ETIMEDOUT);
        }
        tp.writeQueuePurge();
        tp.done();
    }

    /** {@code tcp_probe_timer}: probe a zero window, forever while the peer answers (RFC 1122 4.2.2.17). */
    private static void probeTimer(TcpSock tp) {
        Tcp tcp = tp.tcp;
        if (tp.packetsOut > 0 || tp.writeQueue.isEmpty()) {
            tp.probesOut = 0;
            return;
        }
        int maxProbes = tcp.sysctl(Tcp.RETRIES2);
        if (tp.orphan) {
            boolean alive = probe0When(tp) < TcpConstants.TCP_RTO_MAX;
            maxProbes = orphanRetries(tp, alive);
            if (!alive && tp.backoff >= maxProbes) {
                writeErr(tp);
                return;
            }
        }
        if (tp.probesOut >= maxProbes) {
            writeErr(tp);
            return;
        }
        tcp.ext().inc(TcpExtMib.TCP_WIN_PROBE);
        boolean sent = tcp.output().writeWakeup(tp);
        if (tp.packetsOut > 0 || tp.writeQueue.isEmpty()) {
            // data went out: the retransmission timer takes over (tcp_send_probe0)
            tp.probesOut = 0;
            tp.backoff = 0;
            return;
        }
        tp.probesOut++;
        if (sent) {
            if (tp.backoff < tcp.sysctl(Tcp.RETRIES2)) {
                tp.backoff++;
            }
            resetXmitTimer(tp, PROBE0, probe0When(tp));
        } else {
            resetXmitTimer(tp, PROBE0, TcpConstants.TCP_RESOURCE_PROBE_INTERVAL);
        }
    }

    // ---------------------------------------------------------------- delayed ACK

    /** {@code tcp_delack_timer_handler}: the held ACK goes out; a missed one inflates (or resets) the ATO. */
    private static void delackTimerFired(TcpSock tp) {
        if (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.LISTEN || (tp.ackPending & TcpSock.ACK_TIMER) == 0) {
            return;
        }
        tp.ackPending &= ~TcpSock.ACK_TIMER;
        if ((tp.ackPending & TcpSock.ACK_SCHED) != 0) {
            if (tp.pingpong == 0) {
                tp.ato = Math.min(tp.ato << 1, tp.rto);
            } else {
                tp.pingpong = 0;
                tp.ato = TcpConstants.TCP_ATO_MIN;
            }
            tp.tcp.output().sendAck(tp);
            tp.tcp.ext().inc(TcpExtMib.DELAYED_AC_KS);
        }
    }

    // ---------------------------------------------------------------- keepalive and FIN_WAIT2

    static long keepaliveTime(TcpSock tp) {
        return SimTime.seconds(tp.keepIdle != 0 ? tp.keepIdle : tp.tcp.sysctl(Tcp.KEEPALIVE_TIME));
    }

    static long keepaliveIntvl(TcpSock tp) {
        return SimTime.seconds(tp.keepIntvl != 0 ? tp.keepIntvl : tp.tcp.sysctl(Tcp.KEEPALIVE_INTVL));
    }

    static int keepaliveProbes(TcpSock tp) {
        return tp.keepCnt != 0 ? tp.keepCnt : tp.tcp.sysctl(Tcp.KEEPALIVE_PROBES);
    }

    /** {@code inet_csk_reset_keepalive_timer}. */
    static void resetKeepalive(TcpSock tp, long delay) {
        keepaliveTimer(tp).arm(delay);
    }

    /** SO_KEEPALIVE or TCP_KEEPIDLE changed ({@code tcp_set_keepalive}, {@code keepalive_time} update). */
    static void keepaliveOptionChanged(TcpSock tp) {
        if (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.LISTEN) {
            return;
        }
        if (tp.socket().keepAlive()) {
            resetKeepalive(tp, keepaliveTime(tp));
        } else if (tp.keepaliveTimer != null) {
            tp.keepaliveTimer.cancel();
        }
    }

    /** {@code tcp_keepalive_timer}: orphaned FIN_WAIT2 ends; idle connections are probed. */
    private static void keepaliveTimerFired(TcpSock tp) {
        Tcp tcp = tp.tcp;
        if (tp.tstate == TcpState.LISTEN) {
            return;
        }
        if (tp.tstate == TcpState.FIN_WAIT2 && tp.orphan) {
            if (tp.linger2 >= 0) {
                long tmo = finTime(tp) - TcpConstants.TCP_TIMEWAIT_LEN;
                if (tmo > 0) {
                    tcp.timeWait(tp, TcpState.FIN_WAIT2, tmo);
                    return;
                }
            }
            tcp.output().sendActiveReset(tp);
            tp.done();
            return;
        }
        if (!tp.socket().keepAlive() || tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.SYN_SENT) {
            return;
        }
        long when = keepaliveTime(tp);
        if (tp.packetsOut > 0 || !tp.writeQueue.isEmpty()) {
            resetKeepalive(tp, when);
            return;
        }
        long elapsed = tcp.now() - Math.max(tp.lrcvtime, tp.rcvTstamp);
        if (elapsed >= when) {
            boolean dead = tp.userTimeout != 0
                    ? elapsed >= SimTime.millis(tp.userTimeout) && tp.probesOut > 0
                    : tp.probesOut >= keepaliveProbes(tp);
            if (dead) {
                tcp.output().sendActiveReset(tp);
                writeErr(tp);
                return;
            }
            tcp.ext().inc(TcpExtMib.TCP_KEEP_ALIVE);
            tcp.output().sendProbe(tp);
            tp.probesOut++;
            resetKeepalive(tp, keepaliveIntvl(tp));
        } else {
            resetKeepalive(tp, when - elapsed);
        }
    }
}
