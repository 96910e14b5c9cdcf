package dev.stacksim.tcp;

/**
 * A TCP socket's {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}), filled as
 * {@code tcp_get_info()} fills it: what {@code ss -i} prints after a socket's line and what
 * {@code getsockopt(TCP_INFO)} returns. A snapshot: it does not change with the socket.
 *
 * <p>Only the fields the simulated socket keeps are here; what Linux has and this stack does not
 * model (the delivery rate, the app-limited flag, busy/rwnd/sndbuf-limited times) is left
 * out rather than invented. Times are in the units of the kernel structure: microseconds for
 * {@code rto}, {@code ato}, {@code rtt}, {@code min_rtt}, {@code rcv_rtt}, milliseconds for the
 * {@code last*} ages.
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
 * @param reordering       {@code tcpi_reordering}: the duplicate-ACK threshold as learnt (3 to start)
 * @param totalRetrans     {@code tcpi_total_retrans}: segments retransmitted over the connection's life
 * @param bytesReceived    {@code tcpi_bytes_received}: sequence space received in order (a FIN counts one)
 * @param notsentBytes     {@code tcpi_notsent_bytes}: queued, never sent ({@code write_seq - snd_nxt})
 * @param sndWnd           {@code tcpi_snd_wnd}: the peer's window, scaled
 * @param rcvWnd           {@code tcpi_rcv_wnd}: the window last offered
 * @param totalRto         {@code tcpi_total_rto}: retransmission timeouts over the connection's life
 * @param congestion       the congestion control's name, which {@code ss -i} prints first
 *                         ({@code INET_DIAG_CONG}, not part of {@code tcp_info}): {@code cubic}
 * @param caState          {@code tcpi_ca_state}: Open, Disorder, CWR, Recovery, Loss
 * @param bytesSent        {@code tcpi_bytes_sent}: payload bytes sent, retransmissions included
 * @param bytesRetrans     {@code tcpi_bytes_retrans}: payload bytes retransmitted
 * @param bytesAcked       {@code tcpi_bytes_acked}: sequence space acknowledged (the SYN counts one)
 * @param segsOut          {@code tcpi_segs_out}: segments sent
 * @param segsIn           {@code tcpi_segs_in}: segments received
 * @param dataSegsOut      {@code tcpi_data_segs_out}: segments sent with payload
 * @param dataSegsIn       {@code tcpi_data_segs_in}: segments received with payload
 * @param delivered        {@code tcpi_delivered}: segments delivered (acknowledged or SACKed)
 * @param minRttUs         {@code tcpi_min_rtt}: the windowed minimum RTT, microseconds
 * @param rcvRttUs         {@code tcpi_rcv_rtt}: the receiver's RTT estimate, microseconds
 * @param rcvSpace         {@code tcpi_rcv_space}: what the application read in the last receiver RTT
 * @param reordSeen        {@code tcpi_reord_seen}: reordering events
 * @param dsackDups        {@code tcpi_dsack_dups}: segments D-SACKed as duplicates
 * @param pacingRate       {@code tcpi_pacing_rate}: bytes per second, 0 while unlimited
 */
public record TcpInfo(TcpState state, int retransmits, int probes, int backoff, int options, int sndWscale,
        int rcvWscale, long rtoUs, long atoUs, int sndMss, int rcvMss, int unacked, int sacked, int lost, int retrans,
        long lastDataSentMs, long lastDataRecvMs, long lastAckRecvMs, int pmtu, int rcvSsthresh, long rttUs,
        long rttvarUs, int sndSsthresh, int sndCwnd, int advmss, int reordering, int totalRetrans,
        long bytesReceived, int notsentBytes, int sndWnd, int rcvWnd, int totalRto, String congestion,
        TcpCaState caState, long bytesSent, long bytesRetrans, long bytesAcked, int segsOut, int segsIn,
        int dataSegsOut, int dataSegsIn, int delivered, long minRttUs, long rcvRttUs, int rcvSpace, int reordSeen,
        int dsackDups, long pacingRate) {

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

    /** True if {@code opt} (a {@code TCPI_OPT_*} bit) is set in {@link #options}. */
    public boolean has(int opt) {
        return (options & opt) != 0;
    }

    /** {@code tcp_get_info(sk)}: a snapshot of {@code tp} now. */
    static TcpInfo of(TcpSock tp) {
        if (tp.tstate == TcpState.LISTEN) {
            return new TcpInfo(TcpState.LISTEN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, tp.acceptQueueLength(),
                    tp.maxAckBacklog(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, tp.sndCwnd, 0, tp.reordering, 0, 0, 0, 0, 0, 0,
                    tp.congestionControl(), TcpCaState.OPEN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long now = tp.tcp.now();
        // the options are what the handshake agreed: nothing before the SYN-ACK (rx_opt is filled there)
        boolean synced = tp.tstate != TcpState.SYN_SENT && tp.tstate != TcpState.CLOSE;
        int options = !synced ? 0 : (tp.tstampOk ? TCPI_OPT_TIMESTAMPS : 0) | (tp.sackOk ? TCPI_OPT_SACK : 0)
                | (tp.wscaleOk ? TCPI_OPT_WSCALE : 0);
        long bytesReceived = synced ? tp.bytesReceived : 0;
        int pmtu = tp.daddr() == 0 ? 0 : tp.tcp.output().routeMtu(tp.daddr());
        return new TcpInfo(tp.tstate, tp.retransmits, tp.probesOut, tp.backoff, options,
                (options & TCPI_OPT_WSCALE) != 0 ? tp.sndWscale : 0, (options & TCPI_OPT_WSCALE) != 0 ? tp.rcvWscale : 0, tp.rto / 1000,
                Math.min(tp.ato, TcpConstants.TCP_DELACK_MAX) / 1000, tp.mssCache, tp.rcvMss, tp.packetsOut,
                tp.sackedOut, tp.lostOut, tp.retransOut, ms(now - tp.lsndtime), ms(now - tp.lrcvtime),
                ms(now - tp.rcvTstamp), Math.max(pmtu, 0), tp.rcvSsthresh, tp.srttUs >>> 3, tp.mdevUs >>> 2,
                tp.sndSsthresh, tp.sndCwnd, tp.advmss, tp.reordering, tp.totalRetrans, bytesReceived,
                Math.max(0, tp.writeSeq - tp.sndNxt), tp.sndWnd, tp.rcvWnd, tp.totalRto, tp.congestionControl(),
                tp.caState, tp.bytesSent, tp.bytesRetrans, tp.bytesAcked, tp.segsOut, tp.segsIn, tp.dataSegsOut,
                tp.dataSegsIn, tp.delivered, tp.minRttUs, tp.rcvRttUs >> 3, tp.rcvqSpace, tp.reordSeen, tp.dsackDups,
                tp.pacingRate());
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }
}
