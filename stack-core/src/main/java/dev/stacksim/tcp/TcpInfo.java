package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;

/**
 * A TCP socket's {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}), filled as
 * {@code tcp_get_info()} fills it: what {@code ss -i} prints after a socket's line and what
 * {@code getsockopt(TCP_INFO)} returns. A snapshot: it does not change with the socket.
 *
 * <p>Only the fields the simulated socket keeps are here; counters Linux has and this stack does
 * not (segs_in/out, bytes_sent, bytes_acked, delivery rate, pacing rate, min RTT, rcv_space) are
 * left out rather than invented. Times are in the units of the kernel structure: microseconds
 * for {@code rto}, {@code ato}, {@code rtt}, milliseconds for the {@code last*} ages.
 *
 * <h2>Listeners</h2>
 * For a LISTEN socket {@code tcp_get_info()} stops early: only {@code state}, {@code snd_cwnd},
 * {@code reordering}, and two aliased fields are set: {@link #unacked} is the accept queue length
 * and {@link #sacked} the backlog. Every other field is 0, so {@code ss -i} prints only
 * {@code cwnd:10 unacked:2} for a listener with two queued connections (observed on Linux 6.18).
 *
 * @param state            {@code tcpi_state}
 * @param retransmits      {@code tcpi_retransmits}: timeouts of the current head ({@code icsk_retransmits})
 * @param probes           {@code tcpi_probes}: unanswered zero-window or keepalive probes
 * @param backoff          {@code tcpi_backoff}: exponential backoff of the RTO
 * @param options          {@code tcpi_options}: {@link #TCPI_OPT_TIMESTAMPS}, {@link #TCPI_OPT_SACK},
 *                         {@link #TCPI_OPT_WSCALE}
 * @param sndWscale        {@code tcpi_snd_wscale}: the peer's window scale
 * @param rcvWscale        {@code tcpi_rcv_wscale}: this end's window scale
 * @param rtoUs            {@code tcpi_rto}, microseconds
 * @param atoUs            {@code tcpi_ato}: delayed-ACK timeout, capped at 200 ms, microseconds
 * @param sndMss           {@code tcpi_snd_mss} ({@code mss_cache})
 * @param rcvMss           {@code tcpi_rcv_mss}: estimate of the peer's segment size
 * @param unacked          {@code tcpi_unacked}: segments in flight ({@code packets_out}); LISTEN: accept queue length
 * @param sacked           {@code tcpi_sacked}: SACKed segments; LISTEN: the backlog
 * @param lost             {@code tcpi_lost}: segments marked lost
 * @param retrans          {@code tcpi_retrans}: retransmitted segments still in flight ({@code retrans_out})
 * @param lastDataSentMs   {@code tcpi_last_data_sent}: milliseconds since data was last sent
 * @param lastDataRecvMs   {@code tcpi_last_data_recv}: milliseconds since data last arrived
 * @param lastAckRecvMs    {@code tcpi_last_ack_recv}: milliseconds since an ACK last arrived
 * @param pmtu             {@code tcpi_pmtu}: the path MTU the MSS was computed for
 * @param rcvSsthresh      {@code tcpi_rcv_ssthresh}: the receive window's growth limit
 * @param rttUs            {@code tcpi_rtt}: smoothed RTT ({@code srtt_us >> 3}), microseconds
 * @param rttvarUs         {@code tcpi_rttvar}: mean deviation ({@code mdev_us >> 2}), microseconds
 * @param sndSsthresh      {@code tcpi_snd_ssthresh}; {@code 0x7fffffff} while in the initial slow start
 * @param sndCwnd          {@code tcpi_snd_cwnd}, segments
 * @param advmss           {@code tcpi_advmss}: the MSS this end advertised
 * @param reordering       {@code tcpi_reordering}: 3 ({@code net.ipv4.tcp_reordering}); not adapted here
 * @param totalRetrans     {@code tcpi_total_retrans}: segments retransmitted over the connection's life
 * @param bytesReceived    {@code tcpi_bytes_received}: sequence space received in order (a FIN counts one)
 * @param notsentBytes     {@code tcpi_notsent_bytes}: queued, never sent ({@code write_seq - snd_nxt})
 * @param sndWnd           {@code tcpi_snd_wnd}: the peer's window, scaled
 * @param rcvWnd           {@code tcpi_rcv_wnd}: the window last offered
 * @param totalRto         {@code tcpi_total_rto}: retransmission timeouts over the connection's life
 * @param congestion       the congestion control's name, which {@code ss -i} prints first
 *                         ({@code INET_DIAG_CONG}, not part of {@code tcp_info}): {@code reno}
 */
public record TcpInfo(TcpState state, int retransmits, int probes, int backoff, int options, int sndWscale,
        int rcvWscale, long rtoUs, long atoUs, int sndMss, int rcvMss, int unacked, int sacked, int lost, int retrans,
        long lastDataSentMs, long lastDataRecvMs, long lastAckRecvMs, int pmtu, int rcvSsthresh, long rttUs,
        long rttvarUs, int sndSsthresh, int sndCwnd, int advmss, int reordering, int totalRetrans,
        long bytesReceived, int notsentBytes, int sndWnd, int rcvWnd, int totalRto, String congestion) {

    /** {@code TCPI_OPT_TIMESTAMPS}: timestamps negotiated. */
    public static final int TCPI_OPT_TIMESTAMPS = 1;
    /** {@code TCPI_OPT_SACK}: SACK negotiated. */
    public static final int TCPI_OPT_SACK = 2;
    /** {@code TCPI_OPT_WSCALE}: window scaling negotiated. */
    public static final int TCPI_OPT_WSCALE = 4;
    /** {@code TCPI_OPT_ECN}: ECN negotiated (never, here). */
    public static final int TCPI_OPT_ECN = 8;
    /** {@code TCP_INFINITE_SSTHRESH}: the slow start threshold before the first loss. */
    public static final int TCP_INFINITE_SSTHRESH = 0x7fffffff;
    /** {@code net.ipv4.tcp_reordering}'s default, the initial {@code tp->reordering}. */
    public static final int TCP_REORDERING = 3;
    /** The congestion control this stack implements ({@code tcp_reno_cong_avoid}). */
    public static final String CONGESTION = "reno";

    /** True if {@code opt} (a {@code TCPI_OPT_*} bit) is set in {@link #options}. */
    public boolean has(int opt) {
        return (options & opt) != 0;
    }

    /** {@code tcp_get_info(sk)}: a snapshot of {@code tp} now. */
    static TcpInfo of(TcpSock tp) {
        if (tp.tstate == TcpState.LISTEN) {
            return new TcpInfo(TcpState.LISTEN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, tp.acceptQueueLength(),
                    tp.maxAckBacklog(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, tp.sndCwnd, 0, TCP_REORDERING, 0, 0, 0, 0, 0, 0,
                    CONGESTION);
        }
        long now = tp.tcp.now();
        // the options are what the handshake agreed: nothing before the SYN-ACK (rx_opt is filled there)
        boolean synced = tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.CLOSE;
        int options = !synced ? 0 : (tp.tstampOk ? TCPI_OPT_TIMESTAMPS : 0) | (tp.sackOk ? TCPI_OPT_SACK : 0)
                | (tp.wscaleOk ? TCPI_OPT_WSCALE : 0);
        int retransOut = 0;
        int lostOut = 0;
        int sackedOut = 0;
        for (SkBuff skb : tp.rtxQueue) {
            int s = TcpSkbCb.sacked(skb);
            retransOut += (s & TcpSkbCb.RETRANS) != 0 ? 1 : 0;
            lostOut += (s & TcpSkbCb.LOST) != 0 ? 1 : 0;
            sackedOut += (s & TcpSkbCb.SACKED_ACKED) != 0 ? 1 : 0;
        }
        long bytesReceived = synced ? Math.max(0, tp.rcvNxt - tp.irs - 1) : 0;
        int pmtu = tp.daddr() == 0 ? 0 : tp.tcp.output().routeMtu(tp.daddr());
        return new TcpInfo(tp.tstate, tp.retransmits, tp.probesOut, tp.backoff, options,
                (options & TCPI_OPT_WSCALE) != 0 ? tp.sndWscale : 0, (options & TCPI_OPT_WSCALE) != 0 ? tp.rcvWscale : 0, tp.rto / 1000,
                Math.min(tp.ato, TcpConstants.TCP_DELACK_MAX) / 1000, tp.mssCache, tp.rcvMss, tp.packetsOut,
                sackedOut, lostOut, retransOut, ms(now - tp.lsndtime), ms(now - tp.lrcvtime),
                ms(now - tp.rcvTstamp), Math.max(pmtu, 0), tp.rcvSsthresh, tp.srttUs >>> 3, tp.mdevUs >>> 2,
                tp.sndSsthresh, tp.sndCwnd, tp.advmss, TCP_REORDERING, tp.totalRetrans, bytesReceived,
                Math.max(0, tp.writeSeq - tp.sndNxt), tp.sndWnd, tp.rcvWnd, tp.totalRto, CONGESTION);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }
}
