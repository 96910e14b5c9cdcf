package dev.stacksim.tcp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.inet.InetSock;
import dev.stacksim.sim.Timer;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.wire.Ipv4Address;

import java.util.ArrayDeque;

import static dev.stacksim.socket.SocketConstants.*;

/**
 * A TCP socket: Linux's {@code struct tcp_sock} (with {@code inet_connection_sock} and
 * {@code inet_sock} folded in) and the socket calls of {@code net/ipv4/tcp.c} and
 * {@code af_inet.c}. Read RFC 9293 section 3.3.2 (the state diagram) first.
 *
 * <h2>Who does what</h2>
 * This class holds the transmission control block and answers the socket calls (connect,
 * listen, accept, send, recv, shutdown, close, poll, options). The protocol work lives beside it,
 * split as the kernel splits it: {@link TcpInput} ({@code tcp_input.c}: segments arriving),
 * {@link TcpOutput} ({@code tcp_output.c}: segments leaving), {@link TcpTimers}
 * ({@code tcp_timer.c}) and {@link TcpListener} ({@code inet_connection_sock.c} and the listen side
 * of {@code tcp_ipv4.c}/{@code tcp_minisocks.c}: SYN and accept queues, cookies, reuseport).
 * Every state change goes through {@link #setState}, which keeps the tables and counters right and
 * emits a trace event.
 *
 * <h2>Sequence space</h2>
 * <pre>
 *          snd_una        snd_nxt                     write_seq
 *   ─────────┼──────────────┼─────────────────────────────┼────────
 *    acked   │ sent, unacked│ queued, not sent yet        │
 *            rtxQueue       writeQueue
 *
 *          copied_seq     rcv_nxt          rcv_wup + rcv_wnd
 *   ─────────┼──────────────┼──────────────────┼────────
 *    read    │ in receiveQueue │ window offered  │
 * </pre>
 * {@code ss} Send-Q is {@code write_seq - snd_una}, Recv-Q {@code rcv_nxt - copied_seq}.
 */
public final class TcpSock extends InetSock implements TcpEhashEntry {
    /** {@code sock->state}: no connection asked for. */
    static final int SS_UNCONNECTED = 1;
    /** {@code sock->state}: connect() under way. */
    static final int SS_CONNECTING = 2;
    /** {@code sock->state}: connected (or accepted). */
    static final int SS_CONNECTED = 3;

    /** {@code icsk_ack.pending}: an ACK is owed ({@code ICSK_ACK_SCHED}). */
    static final int ACK_SCHED = 1;
    /** The delayed-ACK timer runs ({@code ICSK_ACK_TIMER}). */
    static final int ACK_TIMER = 2;
    /** Send the ACK at the next read ({@code ICSK_ACK_PUSHED}). */
    static final int ACK_PUSHED = 4;

    final Tcp tcp;
    /** {@code sk_state}. */
    TcpState tstate = TcpState.CLOSE;
    /** {@code sock->state}: SS_UNCONNECTED, SS_CONNECTING or SS_CONNECTED. */
    int sockState = SS_UNCONNECTED;

    // ---- send sequence space (RFC 9293 3.3.1)
    /** Initial send sequence number. */
    int iss;
    /** Oldest unacknowledged sequence number ({@code snd_una}). */
    int sndUna;
    /** Next sequence number to send ({@code snd_nxt}). */
    int sndNxt;
    /** The peer's window, scaled ({@code snd_wnd}). */
    int sndWnd;
    /** Sequence number of the segment that last updated the window ({@code snd_wl1}). */
    int sndWl1;
    /** Largest window the peer ever offered ({@code max_window}). */
    int maxWindow;
    /** Sequence number after the last byte queued by the user ({@code write_seq}). */
    int writeSeq;
    /** End of the last small segment sent, for Nagle's Minshall variant ({@code snd_sml}). */
    int sndSml;

    // ---- receive sequence space
    /** Initial receive sequence number. */
    int irs;
    /** Next sequence number expected ({@code rcv_nxt}). */
    int rcvNxt;
    /** Head of the data not yet read by the user ({@code copied_seq}). */
    int copiedSeq;
    /** The window last offered, in bytes ({@code rcv_wnd}). */
    int rcvWnd;
    /** {@code rcv_nxt} when the window was last offered ({@code rcv_wup}). */
    int rcvWup;
    /** Window growth limit ({@code rcv_ssthresh}). */
    int rcvSsthresh;
    /** The largest window this end will offer ({@code window_clamp}). */
    int windowClamp;

    // ---- segment sizes and options
    /** MSS to send with, options excluded ({@code mss_cache}). */
    int mssCache = TcpConstants.TCP_MSS_DEFAULT;
    /** MSS this end advertises ({@code advmss}). */
    int advmss;
    /** The peer's MSS, as clamped ({@code rx_opt.mss_clamp}). */
    int mssClamp = TcpConstants.TCP_MSS_DEFAULT;
    /** TCP_MAXSEG, 0 for none ({@code rx_opt.user_mss}). */
    int userMss;
    /** Estimated MSS of the peer's segments ({@code icsk_ack.rcv_mss}). */
    int rcvMss = TcpConstants.TCP_MSS_DEFAULT;
    int sndWscale;
    int rcvWscale;
    boolean wscaleOk;
    boolean sackOk;
    boolean tstampOk;
    /** The peer's last valid TSval ({@code ts_recent}). */
    int tsRecent;
    /** When it was recorded, virtual nanoseconds ({@code ts_recent_stamp}). */
    long tsRecentStamp;
    /** Offset added to this connection's TSvals ({@code tsoffset}). */
    int tsOff;

    // ---- congestion and retransmission
    int sndCwnd = TcpConstants.TCP_INIT_CWND;
    int sndSsthresh = Integer.MAX_VALUE;
    /** Counts acked segments in congestion avoidance ({@code snd_cwnd_cnt}). */
    int sndCwndCnt;
    /** Segments sent and not acknowledged ({@code packets_out}). */
    int packetsOut;
    /** Smoothed RTT times 8, microseconds ({@code srtt_us}); 0 before the first sample. */
    long srttUs;
    /** Mean deviation times 4, microseconds ({@code mdev_us}). */
    long mdevUs;
    long mdevMaxUs;
    /** RTT variance (RFC 6298 RTTVAR) times 4, microseconds ({@code rttvar_us}). */
    long rttvarUs;
    /** End sequence of the RTT sample window ({@code rtt_seq}). */
    int rttSeq;
    /** Retransmission timeout, nanoseconds ({@code icsk_rto}). */
    long rto = TcpConstants.TCP_TIMEOUT_INIT;
    /** Retransmissions of the current head ({@code icsk_retransmits}). */
    int retransmits;
    /** Exponential backoff ({@code icsk_backoff}). */
    int backoff;
    /** Timeouts in a row, for TCP_USER_TIMEOUT and the retry budget ({@code total_rto}). */
    int totalRto;
    /** When the first retransmission of the head happened ({@code retrans_stamp}), 0 if none. */
    long retransStamp;
    /** Segments retransmitted over the connection's life ({@code total_retrans}). */
    int totalRetrans;
    /** Zero-window probes sent without answer ({@code icsk_probes_out}). */
    int probesOut;

    // ---- loss recovery (tcp_input.c's state machine) and congestion control
    /** The congestion control algorithm ({@code icsk_ca_ops} with its private state). */
    TcpCongestionOps caOps;
    /** {@code icsk_ca_state}. */
    TcpCaState caState = TcpCaState.OPEN;
    /** The window before the current reduction ({@code prior_cwnd}). */
    int priorCwnd;
    /** ssthresh before the reduction, for undo; 0 when undo is not possible ({@code prior_ssthresh}). */
    int priorSsthresh;
    /** {@code snd_nxt} when recovery or loss started: the recovery point ({@code high_seq}). */
    int highSeq;
    /** {@code snd_una} when the reduction started, 0 for none: undo is possible ({@code undo_marker}). */
    int undoMarker;
    /** Retransmissions not yet shown spurious by D-SACK; -1 none ({@code undo_retrans}). */
    int undoRetrans = -1;
    /** Segments SACKed (or, without SACK, duplicate ACKs counted) ({@code sacked_out}). */
    int sackedOut;
    /** Segments marked lost ({@code lost_out}). */
    int lostOut;
    /** Retransmitted segments still in flight ({@code retrans_out}). */
    int retransOut;
    /** The duplicate-ACK threshold as learnt from reordering ({@code reordering}). */
    int reordering = TcpConstants.TCP_FASTRETRANS_THRESH;
    /** Reordering events seen ({@code reord_seen}). */
    int reordSeen;
    /** PRR (RFC 6937): segments delivered and sent since the reduction began. */
    int prrDelivered;
    int prrOut;
    /** F-RTO (RFC 5682) is running after this timeout ({@code frto}). */
    boolean frto;
    /** The peer reneged on its SACKs: the scoreboard was cleared ({@code is_sack_reneg}). */
    boolean sackReneg;
    /** End of the highest SACKed segment; {@code snd_una} when none ({@code tcp_highest_sack_seq}). */
    int highestSackEnd;
    /** Segments delivered (acked or SACKed) and lost over the connection ({@code delivered}, {@code lost}). */
    int delivered;
    int lost;
    /** Bytes acknowledged and bytes received in order ({@code bytes_acked}, {@code bytes_received}). */
    long bytesAcked;
    long bytesReceived;
    /** Payload bytes sent, retransmissions included, and retransmitted ({@code bytes_sent}, {@code bytes_retrans}). */
    long bytesSent;
    long bytesRetrans;
    /** Segments sent and received, and those carrying data ({@code segs_out} ...). */
    int segsOut;
    int segsIn;
    int dataSegsOut;
    int dataSegsIn;
    /** The window was what limited sending in the last round ({@code is_cwnd_limited}). */
    boolean isCwndLimited;
    /** Most segments in flight in the round, and where the round ends ({@code max_packets_out}, {@code cwnd_usage_seq}). */
    int maxPacketsOut;
    int cwndUsageSeq;
    /** Most segments in flight while not window limited ({@code snd_cwnd_used}). */
    int sndCwndUsed;
    /** When the window was last validated or changed, virtual ns ({@code snd_cwnd_stamp}). */
    long sndCwndStamp;
    /**
     * {@code sk_pacing_rate} in bytes per second: 200 % of cwnd·mss/srtt in slow start, 120 %
     * after ({@code tcp_update_pacing_rate}); -1 ({@code ~0UL}) until the first ACK. Nothing
     * paces by it here (no fq qdisc); HyStart reads it, and {@code ss -i} prints it.
     */
    long pacingRate = -1;
    /** The windowed minimum RTT in microseconds ({@code rtt_min}), 0 for none; and when it was taken. */
    long minRttUs;
    long minRttStamp;
    /** RACK (RFC 8985): the most recently delivered segment's send time (ns) and end, its RTT (us). */
    long rackMstamp;
    int rackEndSeq;
    long rackRttUs;
    /** A newer segment was delivered since RACK last looked ({@code rack.advanced}). */
    boolean rackAdvanced;
    /** The reordering window in min_rtt/4 steps, and how long it persists ({@code rack.reo_wnd_*}). */
    int rackReoWndSteps = 1;
    int rackReoWndPersist;
    boolean rackDsackSeen;
    int rackLastDelivered;
    /** A tail loss probe is out up to this sequence, 0 for none ({@code tlp_high_seq}); it was a retransmission. */
    int tlpHighSeq;
    boolean tlpRetrans;
    /** Segments reported duplicate by D-SACK ({@code dsack_dups}). */
    int dsackDups;

    // ---- auto-tuning (TcpBuffers)
    /** Bytes the application read in the last receiver RTT, and where and when that round began ({@code rcvq_space}). */
    int rcvqSpace;
    int rcvqSpaceSeq;
    long rcvqSpaceTime;
    /** The receiver's RTT estimate times 8, microseconds ({@code rcv_rtt_est}), its round and last echo. */
    long rcvRttUs;
    int rcvRttSeq;
    long rcvRttTime;
    int rcvRttLastTsecr;
    /** sendmsg found the send buffer full ({@code SOCK_NOSPACE}). */
    boolean sndbufFull;
    /** TCP Small Queues held sending back ({@code TSQ_THROTTLED}); a TX completion resumes it once queued ({@code TSQ_QUEUED}). */
    boolean tsqThrottled;
    boolean tsqQueued;
    /** The TSQ tasklet, made on first use; armed for "now" (a timer, so that no wake allocates). */
    Timer tsqTask;

    // ---- SACK blocks this end sends (receiver side, tcp_sack_block)
    /** The D-SACK block to send next, if {@code dsack} ({@code duplicate_sack[0]}). */
    boolean dsack;
    int dsackStart;
    int dsackEnd;
    /** SACK blocks for the out-of-order queue, most recent first ({@code selective_acks}). */
    final int[] sackBlocks = new int[2 * 4];
    int numSacks;

    // ---- queues
    /** Sent, unacknowledged segments, oldest first ({@code tcp_rtx_queue}). */
    final ArrayDeque<SkBuff> rtxQueue = new ArrayDeque<>(1);
    /** Queued, not yet sent ({@code sk_write_queue}). */
    final ArrayDeque<SkBuff> writeQueue = new ArrayDeque<>(1);
    /** In-order data waiting for the user ({@code sk_receive_queue}). */
    final ArrayDeque<SkBuff> receiveQueue = new ArrayDeque<>(1);
    /** Segments beyond a hole, in sequence order ({@code out_of_order_queue}). */
    final ArrayDeque<SkBuff> oooQueue = new ArrayDeque<>(0);
    /** Truesize of the skbs in rtxQueue and writeQueue ({@code sk_wmem_queued}). */
    int wmemQueued;

    // ---- delayed ACKs (icsk_ack)
    int ackPending;
    /** Quick ACKs left ({@code icsk_ack.quick}). */
    int quick;
    /** Interactive mode: delay ACKs to piggyback them ({@code icsk_ack.pingpong}). */
    int pingpong;
    /** ACK timeout ({@code icsk_ack.ato}), nanoseconds. */
    long ato;
    /** When data last arrived ({@code icsk_ack.lrcvtime}). */
    long lrcvtime;
    /** When an ACK last arrived ({@code rcv_tstamp}). */
    long rcvTstamp;
    /** When data was last sent ({@code lsndtime}). */
    long lsndtime;
    /** When an answer to an out-of-window segment was last sent ({@code last_oow_ack_time}). */
    long lastOowAckTime;
    /** When the last challenge ACK went out ({@code rx_opt.ts_recent_stamp} use aside). */
    long lastChallengeAck;

    // ---- timers
    /** Retransmission, SYN, zero-window probe ({@code icsk_retransmit_timer}). */
    Timer retransmitTimer;
    /** What the retransmit timer is armed for: {@link TcpTimers#RETRANS} or {@link TcpTimers#PROBE0}. */
    int pendingTimer;
    /** Delayed ACK ({@code icsk_delack_timer}). */
    Timer delackTimer;
    /** Keepalive and orphaned FIN_WAIT2 ({@code sk_timer}). */
    Timer keepaliveTimer;

    // ---- options and flags
    /** TCP_NODELAY. */
    boolean nodelay;
    /** TCP_CORK. */
    boolean cork;
    /** The peer's FIN (or the end) was seen: recv returns 0 ({@code SOCK_DONE}). */
    boolean sockDone;
    /** The last file reference is gone: nobody will read ({@code SOCK_DEAD}, orphan). */
    boolean orphan;
    /** bind() chose the port: it is kept on close ({@code SOCK_BINDPORT_LOCK}). */
    boolean bindPortLock;
    /** The port came from connect() ({@code tb->fastreuse == -1}). */
    boolean portFromConnect;
    /** TCP_LINGER2 in nanoseconds; 0 for tcp_fin_timeout, negative: RST at once. */
    long linger2;
    /** TCP_SYNCNT; 0 for net.ipv4.tcp_syn_retries. */
    int synRetries;
    /** TCP_KEEPIDLE/INTVL/CNT in seconds; 0 for the sysctls. */
    int keepIdle;
    int keepIntvl;
    int keepCnt;
    /** TCP_USER_TIMEOUT in milliseconds; 0 for none. */
    int userTimeout;
    /** TCP_DEFER_ACCEPT in SYN-ACK retransmissions. */
    int deferAccept;
    /** TCP_WINDOW_CLAMP as set; 0 for none. */
    int userWindowClamp;

    // ---- passive open
    /** While LISTEN: the queues and reuseport group. */
    TcpListener listener;
    /** A reuseport selector attached before listen(): the group this socket starts takes it. */
    ReuseportSelector reuseportSelector;
    /** While waiting in a listener's accept queue: that listener. */
    TcpSock parent;

    private TcpEhashEntry ehashNext;
    /** In the established table. */
    boolean hashed;
    /** Links in the host's list of sockets with a port ({@link TcpBoundList}). */
    TcpSock boundPrev;
    TcpSock boundNext;
    /** On that list. */
    boolean onBoundList;

    /** A new socket on {@code sock} ({@code tcp_init_sock}). */
    TcpSock(Tcp tcp, Socket sock) {
        super(sock, tcp.host());
        this.tcp = tcp;
        sock.setBufferDefaults(tcp.wmemDefault(), tcp.rmemDefault());
        reordering = tcp.congestion().reordering.intValue();
    }

    // ---------------------------------------------------------------- identity

    /** The TCP state ({@code sk_state}). */
    public TcpState tcpState() {
        return tstate;
    }

    @Override
    public int localAddr() {
        return rcvSaddr;
    }

    @Override
    public int localPort() {
        return num;
    }

    @Override
    public int remoteAddr() {
        return daddr;
    }

    @Override
    public int remotePort() {
        return dport;
    }

    @Override
    public TcpEhashEntry ehashNext() {
        return ehashNext;
    }

    @Override
    public void setEhashNext(TcpEhashEntry next) {
        this.ehashNext = next;
    }

    @Override
    public boolean isListening() {
        return tstate == TcpState.LISTEN;
    }

    @Override
    public boolean boundByConnect() {
        return portFromConnect;
    }

    /** Bytes queued and not acknowledged: ss's Send-Q ({@code write_seq - snd_una}). */
    public int sendQueueBytes() {
        return tstate == TcpState.LISTEN ? 0 : writeSeq - sndUna;
    }

    /** Bytes received and not read: ss's Recv-Q ({@code rcv_nxt - copied_seq}), accept queue length for LISTEN. */
    public int receiveQueueBytes() {
        if (tstate == TcpState.LISTEN) {
            return listener.acceptQueue.size();
        }
        return Math.max(0, rcvNxt - copiedSeq);
    }

    /**
     * Memory the send and retransmission queues are charged ({@code sk_wmem_queued}): what
     * SO_SNDBUF limits, and {@code ss -m}'s {@code w}.
     */
    public int wmemQueued() {
        return wmemQueued;
    }

    /** The listener's accept queue length, 0 when not listening ({@code sk_ack_backlog}). */
    public int acceptQueueLength() {
        return listener == null ? 0 : listener.acceptQueue.size();
    }

    /** The listener's SYN queue length, 0 when not listening ({@code inet_csk_reqsk_queue_len}). */
    public int synQueueLength() {
        return listener == null ? 0 : listener.reqQueue.qlen();
    }

    /** The listen backlog ({@code sk_max_ack_backlog}); 0 when not listening. */
    public int maxAckBacklog() {
        return listener == null ? 0 : listener.maxAckBacklog;
    }

    /**
     * {@code getsockopt(fd, SOL_TCP, TCP_INFO)}: a snapshot of the connection's {@code tcp_info}
     * (windows, RTT, retransmissions, the congestion state), as {@code ss -i} prints it.
     */
    public TcpInfo info() {
        return TcpInfo.of(this);
    }

    /** The congestion window in segments. */
    public int sndCwnd() {
        return sndCwnd;
    }

    // ---------------------------------------------------------------- congestion control view

    /** Sets the congestion window, in segments (at least 1: Linux warns on 0). */
    public void setSndCwnd(int cwnd) {
        sndCwnd = Math.max(cwnd, 1);
    }

    /** The slow-start threshold in segments ({@code snd_ssthresh}); {@link Integer#MAX_VALUE} before any loss. */
    public int sndSsthresh() {
        return sndSsthresh;
    }

    /** Sets the slow-start threshold. */
    public void setSndSsthresh(int ssthresh) {
        sndSsthresh = ssthresh;
    }

    /** The window before the current reduction ({@code prior_cwnd}): what undo returns to. */
    public int priorCwnd() {
        return priorCwnd;
    }

    /** The congestion state. */
    public TcpCaState caState() {
        return caState;
    }

    /** The congestion control algorithm's name ({@code TCP_CONGESTION}). */
    public String congestionControl() {
        return caOps().name();
    }

    TcpCongestionOps caOps() {
        if (caOps == null) {
            caOps = tcp.congestion().createDefault();
        }
        return caOps;
    }

    /** Below ssthresh ({@code tcp_in_slow_start}). */
    public boolean inSlowStart() {
        return sndCwnd < sndSsthresh;
    }

    /**
     * The window limits sending, so growing it is useful ({@code tcp_is_cwnd_limited}); in slow
     * start, also while it is less than twice the most that was in flight in the round.
     */
    public boolean isCwndLimited() {
        if (isCwndLimited) {
            return true;
        }
        return inSlowStart() && sndCwnd < 2 * maxPacketsOut;
    }

    /** {@code tcp_slow_start}: grows the window by {@code acked} up to ssthresh; returns what is left over. */
    public int slowStart(int acked) {
        int cwnd = Math.min(sndCwnd + acked, sndSsthresh);
        acked -= cwnd - sndCwnd;
        sndCwnd = cwnd;
        return acked;
    }

    /** {@code tcp_cong_avoid_ai}: one more segment of window for every {@code w} segments acked. */
    public void congAvoidAi(int w, int acked) {
        if (sndCwndCnt >= w) {
            sndCwndCnt = 0;
            sndCwnd++;
        }
        sndCwndCnt += acked;
        if (sndCwndCnt >= w) {
            int delta = sndCwndCnt / w;
            sndCwndCnt -= delta * w;
            sndCwnd += delta;
        }
    }

    /** Segments in flight ({@code tcp_packets_in_flight}: packets_out - sacked - lost + retransmitted). */
    public int packetsInFlight() {
        return packetsOut - (sackedOut + lostOut) + retransOut;
    }

    /** The next sequence number to send ({@code snd_nxt}). */
    public int sndNxt() {
        return sndNxt;
    }

    /** The oldest unacknowledged sequence number ({@code snd_una}). */
    public int sndUna() {
        return sndUna;
    }

    /** The clock in milliseconds, as congestion controls read {@code tcp_jiffies32}. */
    public int jiffies() {
        return (int) (tcp.now() / 1_000_000L);
    }

    /** When data was last sent, in {@link #jiffies()} ({@code lsndtime}). */
    public int lsndtimeJiffies() {
        return (int) (lsndtime / 1_000_000L);
    }

    /** The clock in microseconds ({@code tcp_mstamp}). */
    public long mstampMicros() {
        return tcp.now() / 1000L;
    }

    /** {@code sk_pacing_rate}, bytes per second; 0 when unlimited ({@code ~0UL}, before the first ACK). */
    public long pacingRate() {
        return pacingRate < 0 ? 0 : pacingRate;
    }

    /** {@code tcp_update_pacing_rate}. */
    void updatePacingRate() {
        long rate = (long) mssCache * ((1_000_000L / 100) << 3);
        rate *= sndCwnd < sndSsthresh / 2 ? 200 : 120;
        rate *= Math.max(sndCwnd, packetsOut);
        if (srttUs != 0) {
            rate /= srttUs;
        }
        pacingRate = rate;
    }

    /** The minimum RTT seen in the last {@code tcp_min_rtt_wlen} seconds, microseconds; 0 before any sample. */
    public long minRttMicros() {
        return minRttUs;
    }

    /** The current retransmission timeout, nanoseconds. */
    public long rto() {
        return rto;
    }

    /** The smoothed RTT in microseconds, 0 before the first sample. */
    public long srttMicros() {
        return srttUs >>> 3;
    }

    /** The MSS used to send. */
    public int mss() {
        return mssCache;
    }

    /** {@code local -> peer} as ss prints it. */
    String name() {
        return Ipv4Address.toString(rcvSaddr) + ":" + num + (daddr == 0 && dport == 0 ? ""
                : " -> " + Ipv4Address.toString(daddr) + ":" + dport);
    }

    /** IP_TOS of the socket. */
    int tos() {
        return tos;
    }

    /** The TTL to send with, 0 for the default. */
    int sendTtlValue() {
        return sendTtl();
    }

    /** What a child copies from its listener ({@code sk_clone_lock} copies the whole tcp_sock). */
    void inheritFrom(TcpSock l) {
        nodelay = l.nodelay;
        cork = l.cork;
        userMss = l.userMss;
        linger2 = l.linger2;
        synRetries = l.synRetries;
        keepIdle = l.keepIdle;
        keepIntvl = l.keepIntvl;
        keepCnt = l.keepCnt;
        userTimeout = l.userTimeout;
        userWindowClamp = l.userWindowClamp;
        tos = l.tos;
        ttl = l.ttl;
        recverr = l.recverr;
        if (l.caOps != null) {
            caOps = tcp.congestion().create(l.caOps.name());
        }
    }

    void setNum(int port) {
        num = port;
        if (port != 0) {
            sport = port;
        }
    }

    /**
     * The source port segments carry ({@code inet_sport}): set with the port, kept when CLOSE
     * gives the port back ({@code inet_put_port} clears only {@code inet_num}), so that the RST of
     * an abort still leaves from it.
     */
    int sport;

    void setSource(int a) {
        saddr = a;
    }

    void setBoundAddress(int a) {
        rcvSaddr = a;
        saddr = a;
    }

    void setPeer(int a, int port) {
        daddr = a;
        dport = port;
    }

    void setStateField(TcpState s) {
        tstate = s;
        state = s.number();
    }

    /** The owner's uid (the listener's, for a child). */
    boolean recverr() {
        return recverr;
    }

    // ---------------------------------------------------------------- state

    /**
     * Every state change ({@code tcp_set_state}): CurrEstab and EstabResets as Linux counts them;
     * entering CLOSE unhashes the socket and gives back its port unless bind() chose it; a trace
     * event; a DEBUG log line {@code state=A=>B}.
     */
    void setState(TcpState next) {
        TcpState old = tstate;
        // named before CLOSE gives the port back
        String label = quietClose || !tcp.traceStates() ? null : name();
        switch (next) {
            case ESTABLISHED -> {
                if (old != TcpState.ESTABLISHED) {
                    tcp.mib().add(TcpMib.CURR_ESTAB, 1);
                }
            }
            case CLOSE_WAIT -> {
                if (old == TcpState.SYN_RECV) {
                    tcp.mib().add(TcpMib.CURR_ESTAB, 1);
                }
            }
            default -> {
                if (next == TcpState.CLOSE) {
                    if (old == TcpState.CLOSE_WAIT || old == TcpState.ESTABLISHED) {
                        tcp.mib().inc(TcpMib.ESTAB_RESETS);
                    }
                    tcp.unhash(this);
                    if (!bindPortLock) {
                        tcp.putPort(this);
                    }
                }
                if (old == TcpState.ESTABLISHED || old == TcpState.CLOSE_WAIT) {
                    tcp.mib().add(TcpMib.CURR_ESTAB, -1);
                }
            }
        }
        tstate = next;
        state = next.number();
        if (label != null) {
            tcp.traceState(label, old.name(), next.name());
        }
    }

    /** Set while a TIME_WAIT minisock takes over: its own event tells the story. */
    boolean quietClose;

    /**
     * The end of a connection ({@code tcp_done}): CLOSE, timers stopped, both directions shut,
     * waiters woken; an orphan is destroyed.
     */
    void done() {
        if (tstate == TcpState.SYN_SENT || tstate == TcpState.SYN_RECV) {
            tcp.mib().inc(TcpMib.ATTEMPT_FAILS);
        }
        setState(TcpState.CLOSE);
        TcpTimers.clearXmitTimers(this);
        sock.addShutdown(Socket.SHUTDOWN_MASK);
        if (!orphan) {
            sock.stateChange();
        } else {
            destroy();
        }
    }

    /** Frees everything an orphan still holds ({@code inet_csk_destroy_sock}). */
    void destroy() {
        TcpTimers.clearXmitTimers(this);
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel();
        }
        if (tsqTask != null) {
            tsqTask.cancel();
        }
        writeQueuePurge();
        purgeQueue(receiveQueue);
        purgeQueue(oooQueue);
        if (tstate != TcpState.CLOSE) {
            setState(TcpState.CLOSE);
        }
        if (num != 0) {
            tcp.putPort(this);
        }
    }

    /** {@code tcp_write_queue_purge}: drops what was queued for sending. */
    void writeQueuePurge() {
        for (SkBuff skb; (skb = rtxQueue.pollFirst()) != null; ) {
            skb.free(DropReason.SOCKET_CLOSE);
        }
        for (SkBuff skb; (skb = writeQueue.pollFirst()) != null; ) {
            skb.free(DropReason.SOCKET_CLOSE);
        }
        wmemQueued = 0;
        packetsOut = 0;
    }

    static void purgeQueue(ArrayDeque<SkBuff> q) {
        for (SkBuff skb; (skb = q.pollFirst()) != null; ) {
            skb.free(DropReason.SOCKET_CLOSE);
        }
    }

    /**
     * A RST arrived ({@code tcp_reset}): the error the user sees depends on the state (SYN_SENT:
     * ECONNREFUSED, CLOSE_WAIT: EPIPE, else ECONNRESET); the send queue is dropped, the receive
     * queue stays readable.
     */
    void reset() {
        Errno err;
        switch (tstate) {
            case SYN_SENT -> err = Errno.ECONNREFUSED;
            case CLOSE_WAIT -> err = Errno.EPIPE;
            case CLOSE -> {
                return;
            }
            default -> err = Errno.ECONNRESET;
        }
        writeQueuePurge();
        done();
        if (!orphan) {
            sock.setError(err);
        }
    }

    // ---------------------------------------------------------------- bind, connect, listen, accept

    @Override
    protected int getPort(int snum) {
        int err = tcp.getPort(this, snum);
        if (err == 0 && snum != 0) {
            bindPortLock = true;
        }
        return err;
    }

    @Override
    public int connect(SockAddr addr, int fileFlags) {
        return TcpCalls.connect(this, addr, fileFlags);
    }

    @Override
    public int connectResult() {
        return TcpCalls.connectResult(this);
    }

    /**
     * {@code tcp_disconnect} (connect with AF_UNSPEC, SO_LINGER {1, 0}): RST when a connection
     * needs one, queues dropped, back to an unconnected CLOSE socket.
     */
    int disconnect() {
        return TcpCalls.disconnect(this);
    }

    /** {@code tcp_need_reset}: the states whose abort tells the peer. */
    static boolean needReset(TcpState s) {
        return s == TcpState.ESTABLISHED || s == TcpState.CLOSE_WAIT || s == TcpState.FIN_WAIT1
                || s == TcpState.FIN_WAIT2 || s == TcpState.SYN_RECV;
    }

    @Override
    public int listen(int backlog) {
        return TcpCalls.listen(this, backlog);
    }

    @Override
    public int accept(Socket[] newSock) {
        return TcpCalls.accept(this, newSock);
    }

    // ---------------------------------------------------------------- data

    @Override
    public int sendmsg(MsgHdr msg, int flags) {
        return TcpCalls.sendmsg(this, msg, flags);
    }

    @Override
    public int recvmsg(MsgHdr msg, int flags) {
        return TcpCalls.recvmsg(this, msg, flags);
    }

    @Override
    public int shutdown(int how) {
        return TcpCalls.shutdown(this, how);
    }

    /**
     * {@code tcp_close_state} then {@code tcp_send_fin} where the table says so: ESTABLISHED and
     * SYN_RECV go to FIN_WAIT1, CLOSE_WAIT to LAST_ACK, each sending a FIN.
     */
    boolean closeStateAndFin() {
        TcpState next;
        switch (tstate) {
            case ESTABLISHED, SYN_RECV -> next = TcpState.FIN_WAIT1;
            case CLOSE_WAIT -> next = TcpState.LAST_ACK;
            case SYN_SENT, TIME_WAIT, LISTEN, CLOSE -> {
                if (tstate != TcpState.CLOSE) {
                    setState(TcpState.CLOSE);
                }
                return false;
            }
            default -> {
                return false;
            }
        }
        setState(next);
        tcp.output().sendFin(this);
        return true;
    }

    /** {@code tcp_close}; see LINUX-FACTS "close() and shutdown()". */
    @Override
    public void release() {
        tcp.close(this);
    }

    @Override
    public int poll() {
        return TcpCalls.poll(this);
    }

    /** {@code __sk_stream_is_writeable}: free space of at least a third of what is queued. */
    boolean streamWriteable() {
        int wspace = sock.sndbuf() - wmemQueued;
        return wspace >= (wmemQueued >> 1);
    }

    @Override
    public void writeSpace() {
        if (tsqThrottled) {
            tcp.output().tsqWake(this);
        }
        if (streamWriteable()) {
            sock.writeSpace();
        }
    }

    @Override
    public int inq() {
        if (tstate == TcpState.LISTEN) {
            return -Errno.EINVAL.number();
        }
        int answ = rcvNxt - copiedSeq;
        // tcp_inq: the FIN takes a sequence number but is not a byte to read
        return answ > 0 && sockDone ? answ - 1 : answ;
    }

    /** {@code tcp_ioctl(SIOCOUTQ)}: {@code write_seq - snd_una}; EINVAL on a listener. */
    @Override
    public int outq() {
        if (tstate == TcpState.LISTEN) {
            return -Errno.EINVAL.number();
        }
        return tstate == TcpState.SYN_SENT ? 0 : writeSeq - sndUna;
    }

    @Override
    public SockAddr getname(boolean peer) {
        return TcpCalls.getname(this, peer);
    }

    @Override
    public String describeState() {
        return TcpCalls.describeState(this);
    }

    @Override
    public int setsockopt(int level, int optname, int value) {
        if (level != SOL_TCP) {
            return super.setsockopt(level, optname, value);
        }
        return TcpOptionsCalls.set(this, optname, value);
    }

    @Override
    public int getsockopt(int level, int optname, int[] value) {
        if (level != SOL_TCP) {
            return super.getsockopt(level, optname, value);
        }
        return TcpOptionsCalls.get(this, optname, value);
    }

    /**
     * TCP_CONGESTION ({@code tcp_set_congestion_control}): ENOENT for a name not registered; on a
     * live connection the new algorithm starts from the current window ({@code tcp_reinit_congestion_control}).
     */
    @Override
    public int setsockoptString(int level, int optname, String value) {
        if (level != SOL_TCP || optname != TCP_CONGESTION) {
            return super.setsockoptString(level, optname, value);
        }
        TcpCongestionOps ops = tcp.congestion().create(value);
        if (ops == null) {
            return -Errno.ENOENT.number();
        }
        caOps = ops;
        if (tstate != TcpState.CLOSE && tstate != TcpState.LISTEN && tstate != TcpState.SYN_SENT) {
            ops.init(this);
        }
        return 0;
    }

    @Override
    public int getsockoptString(int level, int optname, String[] value) {
        if (level != SOL_TCP || optname != TCP_CONGESTION) {
            return super.getsockoptString(level, optname, value);
        }
        value[0] = caOps().name();
        return 0;
    }

    @Override
    public void socketOptionChanged(int optname) {
        if (optname == SO_KEEPALIVE) {
            TcpTimers.keepaliveOptionChanged(this);
        }
    }

    @Override
    public String toString() {
        return "TcpSock[" + name() + " " + tstate + "]";
    }
}
