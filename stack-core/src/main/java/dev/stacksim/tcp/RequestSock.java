package dev.stacksim.tcp;

import dev.stacksim.wire.Ipv4Address;

/**
 * A request sock: the state a listener keeps for a half-open connection, between the SYN it
 * answered with a SYN-ACK and the ACK that completes the handshake. Linux's
 * {@code struct tcp_request_sock} (which extends {@code inet_request_sock} and
 * {@code request_sock}), state {@link TcpState#NEW_SYN_RECV}.
 *
 * <p>It is deliberately small (a few hundred bytes in the kernel, against a couple of kilobytes for
 * a full socket): no buffers, no congestion state, only what the SYN negotiated and what the
 * SYN-ACK timer needs. When the final ACK arrives, a full socket is made from it directly in
 * ESTABLISHED and the request sock is dropped.
 *
 * <pre>
 *   client                                    listener
 *     │ ── SYN seq=rcvIsn, &lt;mss, wscale, …&gt; ──► │  RequestSock created, in the SYN queue
 *     │ ◄── SYN-ACK seq=sntIsn ack=rcvIsn+1 ──── │  timer: resend at 1, 3, 7, 15, 31 s
 *     │ ── ACK ack=sntIsn+1 ───────────────────► │  child socket ESTABLISHED, into the accept queue
 * </pre>
 *
 * <p>Shown by {@code ss} as SYN-RECV and by {@code /proc/net/tcp} as {@code 03} with
 * {@link #inode() inode} 0: no file refers to it. The 4-tuple and both ISNs are fixed; the
 * negotiated options, counters and timer fields change as the handshake goes, set by the state
 * machine. (A listener's scratch request for cookie SYN-ACKs is the exception: {@link #reuse} refills
 * it per SYN.) Not thread-safe: it belongs to its host's event loop.
 */
public final class RequestSock {
    /** This host's address ({@code ir_loc_addr}), host order. */
    private int localAddr;
    /** This host's port ({@code ir_num}). */
    private int localPort;
    /** The client's address ({@code ir_rmt_addr}), host order. */
    private int remoteAddr;
    /** The client's port ({@code ir_rmt_port}). */
    private int remotePort;
    /** The client's ISN: the SYN's sequence number ({@code rcv_isn}); rcv_nxt is one more. */
    private int rcvIsn;
    /** This end's ISN, the SYN-ACK's sequence number ({@code snt_isn}). */
    private int sntIsn;

    /** MSS to send with: the peer's MSS option, or 536 without one ({@code req->mss}). */
    private int mss;
    /** The window scale the peer announced ({@code snd_wscale}); meaningful when {@link #wscaleOk}. */
    private int sndWscale;
    /** The window scale this end announced in the SYN-ACK ({@code rcv_wscale}). */
    private int rcvWscale;
    /** Both ends sent Window Scale ({@code wscale_ok}). */
    private boolean wscaleOk;
    /** Both ends sent SACK-Permitted ({@code sack_ok}). */
    private boolean sackOk;
    /** Both ends use timestamps ({@code tstamp_ok}). */
    private boolean tstampOk;
    /** ECN was negotiated ({@code ecn_ok}). */
    private boolean ecnOk;
    /** The peer's last TSval, echoed in our TSecr ({@code ts_recent}). */
    private int tsRecent;
    /** Offset added to this connection's TSvals ({@code ts_off}). */
    private int tsOff;
    /** The window offered in the SYN-ACK, unscaled ({@code rsk_rcv_wnd}). */
    private int rcvWnd;
    /** The largest window this end will ever offer ({@code rsk_window_clamp}). */
    private int windowClamp;

    /** SYN-ACKs resent so far ({@code num_retrans}). */
    private int numRetrans;
    /** Times the SYN-ACK timer has fired ({@code num_timeout}); 0 means the request is young. */
    private int numTimeout;
    /**
     * The final ACK came but the accept queue was full ({@code acked}, with
     * {@code tcp_abort_on_overflow} 0): the request is kept and its SYN-ACK resent so that the
     * client's next ACK can try again.
     */
    private boolean acked;
    /** Initial SYN-ACK timeout ({@code req->timeout}), nanoseconds: 1 s ({@code TCP_TIMEOUT_INIT}). */
    private long timeout = TcpConstants.TCP_TIMEOUT_INIT;
    /** When the SYN-ACK timer fires next ({@code rsk_timer.expires}), virtual nanoseconds. */
    private long expires;
    /** When the first SYN-ACK was sent ({@code snt_synack}), for the handshake RTT sample. */
    private long sntSynack;
    /** A SYN-ACK was sent and timed (virtual time starts at 0, so 0 is a valid stamp). */
    private boolean synackTimed;

    /** Chains request socks in one bucket of their {@link RequestSockQueue}'s hash table. */
    RequestSock hashNext;
    /** Previous request in the queue's insertion order. */
    RequestSock prev;
    /** Next request in the queue's insertion order. */
    RequestSock next;
    /** The queue holding this request, or null. */
    RequestSockQueue queue;
    /** The SYN-ACK timer ({@code rsk_timer}), made when the request is queued. */
    dev.stacksim.sim.Timer timer;
    /** The listener whose SYN queue holds it ({@code rsk_listener}). */
    TcpListener listener;
    /** When an answer to an out-of-window segment was last sent ({@code last_oow_ack_time}). */
    long lastOowAckTime;

    /**
     * A request sock for a SYN from {@code remoteAddr:remotePort} to {@code localAddr:localPort}
     * ({@code inet_reqsk_alloc} + {@code tcp_openreq_init}).
     *
     * @param rcvIsn the SYN's sequence number
     * @param sntIsn the sequence number of the SYN-ACK ({@link IsnGenerator#secureSeq})
     */
    public RequestSock(int localAddr, int localPort, int remoteAddr, int remotePort, int rcvIsn, int sntIsn) {
        this.localAddr = localAddr;
        this.localPort = checkPort(localPort);
        this.remoteAddr = remoteAddr;
        this.remotePort = checkPort(remotePort);
        this.rcvIsn = rcvIsn;
        this.sntIsn = sntIsn;
    }

    /**
     * Makes this request sock as new for another SYN, as the constructor would: the listener's
     * scratch request from which a cookie SYN-ACK is built, since a cookie keeps nothing (Linux
     * frees its {@code req} right after {@code tcp_v4_send_synack}). Only for a request that is in
     * no queue and has no timer.
     *
     * @return this
     */
    RequestSock reuse(int localAddr, int localPort, int remoteAddr, int remotePort, int rcvIsn, int sntIsn) {
        if (queue != null || timer != null) {
            throw new IllegalStateException("request sock: reuse of a queued request " + this);
        }
        this.localAddr = localAddr;
        this.localPort = checkPort(localPort);
        this.remoteAddr = remoteAddr;
        this.remotePort = checkPort(remotePort);
        this.rcvIsn = rcvIsn;
        this.sntIsn = sntIsn;
        mss = 0;
        sndWscale = 0;
        rcvWscale = 0;
        wscaleOk = false;
        sackOk = false;
        tstampOk = false;
        ecnOk = false;
        tsRecent = 0;
        tsOff = 0;
        rcvWnd = 0;
        windowClamp = 0;
        numRetrans = 0;
        numTimeout = 0;
        acked = false;
        timeout = TcpConstants.TCP_TIMEOUT_INIT;
        expires = 0;
        sntSynack = 0;
        hashNext = null;
        prev = null;
        next = null;
        listener = null;
        lastOowAckTime = 0;
        return this;
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("request sock: port=" + port + " not in 0..65535");
        }
        return port;
    }

    /**
     * Records what the SYN negotiated ({@code tcp_openreq_init} and {@code tcp_openreq_init_rwin}).
     *
     * @return this
     */
    public RequestSock negotiated(SynNegotiation.Negotiated n) {
        this.mss = n.mss();
        this.wscaleOk = n.wscaleOk();
        this.sndWscale = n.sndWscale();
        this.rcvWscale = n.rcvWscale();
        this.sackOk = n.sackOk();
        this.tstampOk = n.tstampOk();
        this.tsRecent = n.tsRecent();
        this.rcvWnd = n.rcvWnd();
        this.windowClamp = n.windowClamp();
        return this;
    }

    /** This host's address, host order. */
    public int localAddr() {
        return localAddr;
    }

    /** This host's port. */
    public int localPort() {
        return localPort;
    }

    /** The client's address, host order. */
    public int remoteAddr() {
        return remoteAddr;
    }

    /** The client's port. */
    public int remotePort() {
        return remotePort;
    }

    /** The client's ISN ({@code rcv_isn}). */
    public int rcvIsn() {
        return rcvIsn;
    }

    /** The next sequence number expected from the client: {@code rcv_isn + 1} ({@code rcv_nxt}). */
    public int rcvNxt() {
        return rcvIsn + 1;
    }

    /** This end's ISN ({@code snt_isn}): the final ACK must acknowledge {@code sntIsn + 1}. */
    public int sntIsn() {
        return sntIsn;
    }

    /** Always {@link TcpState#NEW_SYN_RECV}. */
    public TcpState state() {
        return TcpState.NEW_SYN_RECV;
    }

    /** Always 0: no file refers to a request sock ({@code /proc/net/tcp} prints inode 0). */
    public long inode() {
        return 0;
    }

    /** The MSS to send with ({@code req->mss}). */
    public int mss() {
        return mss;
    }

    /** Sets the MSS (a cookie rounds it down to a table entry). */
    public void setMss(int mss) {
        this.mss = mss;
    }

    /** The peer's window scale ({@code snd_wscale}). */
    public int sndWscale() {
        return sndWscale;
    }

    /** This end's window scale ({@code rcv_wscale}). */
    public int rcvWscale() {
        return rcvWscale;
    }

    /** Window scaling in use ({@code wscale_ok}). */
    public boolean wscaleOk() {
        return wscaleOk;
    }

    /** SACK in use ({@code sack_ok}). */
    public boolean sackOk() {
        return sackOk;
    }

    /** Timestamps in use ({@code tstamp_ok}). */
    public boolean tstampOk() {
        return tstampOk;
    }

    /** ECN negotiated ({@code ecn_ok}). */
    public boolean ecnOk() {
        return ecnOk;
    }

    /** Sets whether ECN was negotiated. */
    public void setEcnOk(boolean ecnOk) {
        this.ecnOk = ecnOk;
    }

    /** The peer's last TSval ({@code ts_recent}). */
    public int tsRecent() {
        return tsRecent;
    }

    /** Records the peer's TSval (a retransmitted SYN updates it). */
    public void setTsRecent(int tsRecent) {
        this.tsRecent = tsRecent;
    }

    /** The timestamp offset of this connection ({@code ts_off}). */
    public int tsOff() {
        return tsOff;
    }

    /** Sets the timestamp offset ({@link IsnGenerator#tsOff}). */
    public void setTsOff(int tsOff) {
        this.tsOff = tsOff;
    }

    /** The window in the SYN-ACK ({@code rsk_rcv_wnd}). */
    public int rcvWnd() {
        return rcvWnd;
    }

    /** The window clamp ({@code rsk_window_clamp}). */
    public int windowClamp() {
        return windowClamp;
    }

    /** SYN-ACKs resent ({@code num_retrans}); {@code ss -o} shows it as the retrans count. */
    public int numRetrans() {
        return numRetrans;
    }

    /** Counts one resent SYN-ACK ({@code inet_rtx_syn_ack}). */
    public void synAckRetransmitted() {
        numRetrans++;
    }

    /** Times the SYN-ACK timer has fired ({@code num_timeout}). */
    public int numTimeout() {
        return numTimeout;
    }

    /** True while the timer has never fired: the request is young ({@code num_timeout == 0}). */
    public boolean isYoung() {
        return numTimeout == 0;
    }

    /** The final ACK found the accept queue full and the request was kept ({@code acked}). */
    public boolean acked() {
        return acked;
    }

    /** Marks the request acked ({@code inet_rsk(req)->acked = 1}). */
    public void setAcked(boolean acked) {
        this.acked = acked;
    }

    /** The initial SYN-ACK timeout, nanoseconds ({@code req->timeout}). */
    public long timeout() {
        return timeout;
    }

    /** Sets the initial SYN-ACK timeout ({@code tcp_timeout_init()}). */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    /** When the SYN-ACK timer fires next, virtual nanoseconds. */
    public long expires() {
        return expires;
    }

    /** Sets when the SYN-ACK timer fires next. */
    public void setExpires(long expires) {
        this.expires = expires;
    }

    /** A SYN-ACK went out and its time was recorded (not for a request rebuilt from a cookie). */
    public boolean synackTimed() {
        return synackTimed;
    }

    /** When the first SYN-ACK went out ({@code snt_synack}). */
    public long sntSynack() {
        return sntSynack;
    }

    /** Records when the first SYN-ACK went out. */
    public void setSntSynack(long sntSynack) {
        this.sntSynack = sntSynack;
        this.synackTimed = true;
    }

    /**
     * Advances the timer count after a timer run that keeps the request
     * ({@code req->num_timeout++} in {@code reqsk_timer_handler}); the queue's young count drops
     * when the request stops being young.
     */
    public void timedOut() {
        if (numTimeout++ == 0 && queue != null) {
            queue.youngAged();
        }
    }

    /** True if this request is for the given 4-tuple. */
    public boolean matches(int localAddr, int localPort, int remoteAddr, int remotePort) {
        return this.localAddr == localAddr && this.localPort == localPort
                && this.remoteAddr == remoteAddr && this.remotePort == remotePort;
    }

    /** {@code RequestSock[10.0.0.2:80 <- 10.0.0.1:40000 SYN-RECV isn=… retrans=0 acked=false]}. */
    @Override
    public String toString() {
        return "RequestSock[" + Ipv4Address.toString(localAddr) + ":" + localPort + " <- "
                + Ipv4Address.toString(remoteAddr) + ":" + remotePort + " rcvIsn=" + TcpSeq.toString(rcvIsn)
                + " sntIsn=" + TcpSeq.toString(sntIsn) + " mss=" + mss + " wscale=" + (wscaleOk ? sndWscale + "," + rcvWscale : "-")
                + " sack=" + sackOk + " ts=" + tstampOk + " retrans=" + numRetrans + " timeouts=" + numTimeout
                + " acked=" + acked + "]";
    }
}
