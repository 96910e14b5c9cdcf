package dev.stacksim.tcp;

import dev.stacksim.sim.Timer;
import dev.stacksim.wire.Ipv4Address;

/**
 * One entry of a host's TCP tables as the kernel reports it: a full socket, a request sock or a
 * TIME_WAIT minisock, with what {@code /proc/net/tcp} ({@code get_tcp4_sock},
 * {@code get_openreq4}, {@code get_timewait4_sock}) and {@code ss} ({@code inet_sk_diag_fill},
 * {@code inet_req_diag_fill}, {@code inet_twsk_diag_fill}, {@code tcp_diag_get_info}) print. A
 * snapshot taken by {@link TcpProc#sockets}: it does not change with the socket.
 *
 * <h2>Queues</h2>
 * {@link #txQueue} and {@link #rxQueue} are the {@code /proc/net/tcp} columns:
 * {@code write_seq - snd_una} and {@code rcv_nxt - copied_seq}, or for a LISTEN socket 0 and the
 * accept queue length. {@code ss} differs for LISTEN only: its Send-Q is the backlog
 * ({@link #ssSendQ()}), which {@code /proc/net/tcp} has no column for, and that is why
 * {@code netstat} (which reads {@code /proc/net/tcp}) prints 0 there.
 *
 * <h2>Timers</h2>
 * {@link #timer} is the {@code tr} column: 0 none, 1 retransmission (SYN, SYN-ACK, data, FIN),
 * 2 keepalive (also an orphan's FIN_WAIT2 wait), 3 TIME_WAIT, 4 zero-window probe;
 * {@link #timerRemaining} how long until it fires.
 *
 * <h2>refcount</h2>
 * {@code sk_refcnt} is kernel bookkeeping; it is modelled as Linux 6.18 was observed to report it:
 * 1 for a full socket, plus one per pending timer (retransmit, delayed ACK, keepalive), plus, for
 * a listener, one per request sock and queued child (each holds its listener); 3 for a TIME_WAIT
 * minisock (ehash, bind hash, timer); request socks print 0.
 *
 * @param kind           which of the three kinds of entry
 * @param state          {@code sk_state}: {@link TcpState#NEW_SYN_RECV} for a request sock
 *                       (printed as SYN_RECV), the substate (TIME_WAIT or FIN_WAIT2) for a minisock
 * @param localAddr      this host's address, host order ({@code inet_rcv_saddr}: 0 for a wildcard listener)
 * @param localPort      this host's port
 * @param remoteAddr     the peer's address, host order; 0 for a listener
 * @param remotePort     the peer's port; 0 for a listener
 * @param txQueue        {@code tx_queue}: {@code write_seq - snd_una}
 * @param rxQueue        {@code rx_queue}: {@code rcv_nxt - copied_seq}; LISTEN: the accept queue length
 * @param maxAckBacklog  LISTEN: the listen backlog ({@code sk_max_ack_backlog}); else 0
 * @param synQueue       LISTEN: request socks in the SYN queue; else 0
 * @param timer          {@code tr}: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe
 * @param timerRemaining nanoseconds until the timer fires; 0 without one
 * @param retransmits    {@code retrnsmt}: {@code icsk_retransmits}; a request sock's {@code num_timeout}
 * @param diagRetrans    what {@code ss -o} prints third in {@code timer:(…)}: retransmits (timer 1),
 *                       probes (2, 4), a request sock's {@code num_retrans}
 * @param uid            the owner ({@code sk_uid}); a request sock its listener's; 0 for a minisock
 * @param probesOut      the {@code timeout} column: {@code icsk_probes_out}
 * @param inode          the socket's inode; 0 when no file refers to it (a child waiting in an
 *                       accept queue, an orphan, a request sock, a minisock)
 * @param refcount       {@code sk_refcnt} as modelled above
 * @param rto            {@code icsk_rto}, nanoseconds
 * @param ato            {@code icsk_ack.ato}, nanoseconds
 * @param qack           {@code (icsk_ack.quick << 1) | pingpong}
 * @param sndCwnd        {@code snd_cwnd}, segments
 * @param sndSsthresh    {@code snd_ssthresh}; {@link TcpInfo#TCP_INFINITE_SSTHRESH} in the initial slow start
 * @param info           {@code tcp_info} ({@code ss -i}) for a full socket; null for the others
 */
public record TcpSockInfo(Kind kind, TcpState state, int localAddr, int localPort, int remoteAddr, int remotePort,
        int txQueue, int rxQueue, int maxAckBacklog, int synQueue, int timer, long timerRemaining, int retransmits,
        int diagRetrans, int uid, int probesOut, long inode, int refcount, long rto, long ato, int qack, int sndCwnd,
        int sndSsthresh, TcpInfo info) {

    /** No timer pending. */
    public static final int TIMER_NONE = 0;
    /** The retransmission timer ({@code ICSK_TIME_RETRANS}, SYN-ACK timer of a request sock). */
    public static final int TIMER_RETRANSMIT = 1;
    /** The keepalive timer ({@code sk_timer}), also an orphan's FIN_WAIT2 wait. */
    public static final int TIMER_KEEPALIVE = 2;
    /** A TIME_WAIT minisock's end. */
    public static final int TIMER_TIME_WAIT = 3;
    /** The zero-window probe timer ({@code ICSK_TIME_PROBE0}). */
    public static final int TIMER_PROBE0 = 4;

    /** What the kernel keeps for the connection. */
    public enum Kind {
        /** A full socket ({@code struct tcp_sock}): listening, connecting, connected, closing. */
        SOCK,
        /** A request sock ({@code struct request_sock}, NEW_SYN_RECV): a SYN answered, no socket yet. */
        REQUEST,
        /** A TIME_WAIT minisock ({@code struct inet_timewait_sock}), substate TIME_WAIT or FIN_WAIT2. */
        TIME_WAIT
    }

    /** {@code ss}'s Recv-Q ({@code idiag_rqueue}): the accept queue length for LISTEN, else {@link #rxQueue}. */
    public int ssRecvQ() {
        return rxQueue;
    }

    /** {@code ss}'s Send-Q ({@code idiag_wqueue}): the backlog for LISTEN, else {@link #txQueue}. */
    public int ssSendQ() {
        return state == TcpState.LISTEN ? maxAckBacklog : txQueue;
    }

    /** {@code 10.0.0.2:80}. */
    public String local() {
        return Ipv4Address.toString(localAddr) + ":" + localPort;
    }

    /** {@code 10.0.0.1:41600}, {@code 0.0.0.0:0} for a listener. */
    public String remote() {
        return Ipv4Address.toString(remoteAddr) + ":" + remotePort;
    }

    // ---------------------------------------------------------------- from the kernel objects

    /** {@code get_tcp4_sock} / {@code inet_sk_diag_fill}: a full socket. */
    static TcpSockInfo of(TcpSock tp) {
        long now = tp.tcp.now();
        int timer;
        Timer t;
        if (tp.pendingTimer != 0 && pending(tp.retransmitTimer)) {
            timer = tp.pendingTimer == TcpTimers.PROBE0 ? TIMER_PROBE0 : TIMER_RETRANSMIT;
            t = tp.retransmitTimer;
        } else if (pending(tp.keepaliveTimer)) {
            timer = TIMER_KEEPALIVE;
            t = tp.keepaliveTimer;
        } else {
            timer = TIMER_NONE;
            t = null;
        }
        long remaining = t == null ? 0 : Math.max(0, t.expires() - now);
        int diagRetrans = timer == TIMER_RETRANSMIT ? tp.retransmits : timer == TIMER_NONE ? 0 : tp.probesOut;
        boolean listen = tp.tstate == TcpState.LISTEN;
        int refcount = 1 + (pending(tp.retransmitTimer) ? 1 : 0) + (pending(tp.delackTimer) ? 1 : 0)
                + (pending(tp.keepaliveTimer) ? 1 : 0) + tp.synQueueLength() + tp.acceptQueueLength();
        long inode = tp.orphan || tp.parent != null ? 0 : Integer.toUnsignedLong(tp.socket().inode());
        int qack = (tp.quick << 1) | (tp.pingpong >= 1 ? 1 : 0);
        return new TcpSockInfo(Kind.SOCK, tp.tstate, tp.rcvSaddr(), tp.port(), tp.daddr(), tp.dport(),
                listen ? 0 : tp.writeSeq - tp.sndUna, tp.receiveQueueBytes(), tp.maxAckBacklog(), tp.synQueueLength(),
                timer, remaining, tp.retransmits, diagRetrans, tp.uid(), tp.probesOut, inode, refcount, tp.rto,
                tp.ato, qack, tp.sndCwnd, tp.sndSsthresh, TcpInfo.of(tp));
    }

    /** {@code get_openreq4} / {@code inet_req_diag_fill}: a request sock in {@code listener}'s SYN queue. */
    static TcpSockInfo of(RequestSock req, TcpSock listener) {
        long now = listener.tcp.now();
        long remaining = req.timer == null || !req.timer.isPending() ? 0 : Math.max(0, req.timer.expires() - now);
        return new TcpSockInfo(Kind.REQUEST, TcpState.NEW_SYN_RECV, req.localAddr(), req.localPort(),
                req.remoteAddr(), req.remotePort(), 0, 0, 0, 0, TIMER_RETRANSMIT, remaining, req.numTimeout(),
                req.numRetrans(), listener.uid(), 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /** {@code get_timewait4_sock} / {@code inet_twsk_diag_fill}: a minisock. */
    static TcpSockInfo of(TcpTimewaitSock tw, long now) {
        return new TcpSockInfo(Kind.TIME_WAIT, tw.substate, tw.localAddr(), tw.localPort(), tw.remoteAddr(),
                tw.remotePort(), 0, 0, 0, 0, TIMER_TIME_WAIT, Math.max(0, tw.expires() - now), 0, 0, 0, 0, 0, 3, 0, 0,
                0, 0, 0, null);
    }

    private static boolean pending(Timer t) {
        return t != null && t.isPending();
    }
}
