package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.sim.Timer;
import dev.stacksim.socket.Socket;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.IPPROTO_TCP;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * The listening side of a TCP socket ({@code struct request_sock_queue} and
 * {@code inet_connection_sock.c}): its SYN queue of half-open connections, its accept queue of
 * finished ones, its backlog, its SO_REUSEPORT group, and what happens when a SYN or a final ACK
 * arrives. Made by {@code listen()}, dropped when the socket stops listening.
 *
 * <pre>
 *   SYN ──► tcp_conn_request: admit? (ListenAdmission) ──► RequestSock in the SYN queue, SYN-ACK
 *                                                     └──► or a cookie SYN-ACK, nothing kept
 *   ACK ──► tcp_check_req: in window, acks our SYN-ACK ──► child socket ESTABLISHED ──► accept queue
 *                                          accept queue full: keep the request (or RST)
 *   accept() takes the oldest child.
 * </pre>
 */
final class TcpListener {
    private static final ListenCounter[] COUNTERS = ListenCounter.values();
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    final TcpSock sk;
    final Tcp tcp;
    /** {@code sk_max_ack_backlog}: the listen backlog, clamped by somaxconn. */
    int maxAckBacklog;
    final RequestSockQueue reqQueue = new RequestSockQueue();
    final AcceptQueue<TcpSock> acceptQueue = new AcceptQueue<>();
    /** The SO_REUSEPORT group this listener belongs to, or null. */
    ReuseportGroup group;
    /** Refilled for each SYN answered with a cookie, which keeps no request ({@link RequestSock#reuse}). */
    private final RequestSock cookieReq = new RequestSock(0, 0, 0, 0, 0, 0);

    TcpListener(TcpSock sk, int backlog) {
        this.sk = sk;
        this.tcp = sk.tcp;
        this.maxAckBacklog = backlog;
    }

    // ---------------------------------------------------------------- SYN

    /**
     * {@code tcp_conn_request}: a SYN for this listener. Queues a request sock and sends its
     * SYN-ACK, or sends a cookie SYN-ACK, or drops the SYN (counted); see {@link ListenAdmission}.
     */
    void connRequest(SkBuff skb, int saddr, int daddr, TcpRxOptions rx, int isnFromTimeWait) {
        ByteBuf buf = skb.buf();
        int th = skb.transportHeader();
        int sport = buf.getUnsignedShort(th + TcpHeader.SRC_PORT_OFFSET);
        int dport = buf.getUnsignedShort(th + TcpHeader.DST_PORT_OFFSET);
        int seq = buf.getInt(th + TcpHeader.SEQ_OFFSET);
        int syncookies = tcp.sysctl(Tcp.SYNCOOKIES);
        ListenAdmission.SynDecision d = ListenAdmission.onSyn(syncookies, reqQueue.qlen(), acceptQueue.size(),
                maxAckBacklog, tcp.sysctl(Tcp.MAX_SYN_BACKLOG), false, isnFromTimeWait != 0);
        if ((syncookies == 2 || reqQueue.isFull(maxAckBacklog)) && isnFromTimeWait == 0
                && reqQueue.warnSynFloodOnce(syncookies) && LOG.isInfoEnabled()) {
            LOG.info("[{}] TCP: Possible SYN flooding on port {}:{}. {}", tcp.host().name(),
                    Ipv4Address.toString(daddr), dport, syncookies != 0 ? "Sending cookies." : "Dropping request.");
        }
        count(d.counters());
        if (d.dropped()) {
            return;
        }
        boolean wantCookie = d.verdict() == ListenAdmission.SynVerdict.COOKIE;
        int mtu = tcp.output().routeMtu(saddr);
        if (mtu <= 0) {
            tcp.ext().inc(TcpExtMib.LISTEN_DROPS);
            return;
        }
        SynNegotiation.Settings settings = tcp.settings();
        int advmss = SynNegotiation.advertisedMss(mtu, sk.userMss);
        SynNegotiation.Negotiated n = SynNegotiation.passive(rx, settings, advmss, sk.socket().rcvbuf(),
                sk.socket().rcvbufLocked(), sk.userWindowClamp, sk.userMss, wantCookie);
        int isn;
        if (wantCookie) {
            isn = tcp.cookies.initSequence(saddr, daddr, sport, dport, seq, n.mss(), tcp.now());
            reqQueue.synqOverflow(tcp.now());
        } else if (isnFromTimeWait != 0) {
            isn = isnFromTimeWait;
        } else {
            isn = tcp.isn.secureSeq(daddr, saddr, dport, sport, tcp.now());
        }
        // a cookie keeps nothing: its SYN-ACK is built from one scratch request
        RequestSock req = (wantCookie ? cookieReq.reuse(daddr, dport, saddr, sport, seq, isn)
                : new RequestSock(daddr, dport, saddr, sport, seq, isn)).negotiated(n);
        if (wantCookie) {
            req.setMss(SynCookies.cookieMss(n.mss()));
        }
        if (n.tstampOk()) {
            req.setTsOff(tcp.isn.tsOff(daddr, saddr, dport, sport, settings.tcpTimestamps()));
        }
        if (!wantCookie) {
            req.listener = this;
            req.timer = new Timer(tcp.host().loop(), "tcp-synack", () -> synAckTimer(req));
            reqQueue.add(req);
            req.timer.arm(req.timeout());
            traceQueue(TraceEvent.QueueOp.SYN_QUEUE_ADD, req.remoteAddr(), req.remotePort(), reqQueue.qlen());
        }
        tcp.replies().sendSynAck(sk, req, advmss, wantCookie);
    }

    private void count(int counters) {
        if (counters == 0) {
            return;
        }
        for (ListenCounter c : COUNTERS) {
            if ((counters & c.bit()) != 0) {
                tcp.ext().inc(c.mib());
            }
        }
    }

    /** {@code reqsk_timer_handler}: resend the SYN-ACK (1, 3, 7, 15, 31 s) or give up. */
    private void synAckTimer(RequestSock req) {
        if (req.queue != reqQueue) {
            return;
        }
        int max = sk.synRetries != 0 ? sk.synRetries : tcp.sysctl(Tcp.SYNACK_RETRIES);
        max = TcpTimeouts.maxSynAckRetries(max, reqQueue.qlen(), reqQueue.young(), maxAckBacklog);
        TcpTimeouts.SynAckAction a = TcpTimeouts.synAckRecalc(req.numTimeout(), max, sk.deferAccept, req.acked());
        tcp.ext().inc(TcpExtMib.TCP_TIMEOUTS);
        if (a == TcpTimeouts.SynAckAction.EXPIRE) {
            dropRequest(req);
            return;
        }
        if (a == TcpTimeouts.SynAckAction.RESEND) {
            int advmss = SynNegotiation.advertisedMss(Math.max(tcp.output().routeMtu(req.remoteAddr()), 68), sk.userMss);
            tcp.replies().sendSynAck(sk, req, advmss, false);
            req.synAckRetransmitted();
            tcp.mib().inc(TcpMib.RETRANS_SEGS);
            tcp.ext().inc(TcpExtMib.TCP_SYN_RETRANS);
        }
        req.timedOut();
        req.timer.arm(TcpTimeouts.reqskTimeout(req.timeout(), req.numTimeout()));
    }

    /** {@code inet_csk_reqsk_queue_drop}: out of the SYN queue, timer stopped. */
    boolean dropRequest(RequestSock req) {
        boolean removed = reqQueue.remove(req);
        if (req.timer != null) {
            req.timer.cancel();
        }
        if (removed) {
            traceQueue(TraceEvent.QueueOp.SYN_QUEUE_REMOVE, req.remoteAddr(), req.remotePort(), reqQueue.qlen());
        }
        return removed;
    }

    // ---------------------------------------------------------------- the final ACK

    /**
     * {@code tcp_check_req}: a segment for request {@code req}. Returns the child made (ESTABLISHED
     * after it processes the segment, in the accept queue), or null when the segment was handled
     * here; {@code resetOut[0]} is set when the caller must answer RST.
     */
    TcpSock checkReq(RequestSock req, SkBuff skb, TcpRxOptions rx, boolean[] resetOut) {
        ByteBuf buf = skb.buf();
        int th = skb.transportHeader();
        int flg = buf.getUnsignedByte(th + TcpHeader.FLAGS_OFFSET) & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST
                | TcpHeader.FIN | TcpHeader.PSH | TcpHeader.URG);
        int seq = TcpSkbCb.seq(skb);
        int endSeq = TcpSkbCb.endSeq(skb);
        int ack = TcpSkbCb.ackSeq(skb);
        boolean pawsReject = false;
        if (rx.sawTstamp && req.tstampOk()) {
            int tsecr = rx.tsEcr != 0 ? rx.tsEcr - req.tsOff() : 0;
            // tcp_paws_reject with ts_recent_stamp estimated as "now - reqsk timeout": a TSval
            // older than the one the SYN carried is rejected (RFC 7323 5.3), RSTs excepted
            pawsReject = (flg & TcpHeader.RST) == 0 && req.tsRecent() - rx.tsVal > 0 && tsecr != -1
                    && TcpTimeouts.reqskTimeout(req.timeout(), req.numTimeout()) < SynCookies.TCP_SYNCOOKIE_PERIOD;
        }
        // a pure retransmitted SYN: resend the SYN-ACK
        if (seq == req.rcvIsn() && flg == TcpHeader.SYN && !pawsReject) {
            if (!oowRateLimited(req, skb, TcpExtMib.TCPACK_SKIPPED_SYN_RECV)) {
                int advmss = SynNegotiation.advertisedMss(tcp.output().routeMtu(req.remoteAddr()), sk.userMss);
                tcp.replies().sendSynAck(sk, req, advmss, false);
                req.synAckRetransmitted();
                tcp.mib().inc(TcpMib.RETRANS_SEGS);
                tcp.ext().inc(TcpExtMib.TCP_SYN_RETRANS);
                req.timer.arm(TcpTimeouts.reqskTimeout(req.timeout(), req.numTimeout()));
            }
            return null;
        }
        // RFC 9293 3.10.7.3: an ACK of something not sent gets a RST
        if ((flg & TcpHeader.ACK) != 0 && ack != req.sntIsn() + 1) {
            resetOut[0] = true;
            return null;
        }
        // first check sequence number
        if (pawsReject || !TcpMinisocks.inWindow(seq, endSeq, req.rcvNxt(), req.rcvNxt() + req.rcvWnd())) {
            if ((flg & TcpHeader.RST) == 0 && !oowRateLimited(req, skb, TcpExtMib.TCPACK_SKIPPED_SYN_RECV)) {
                tcp.replies().sendReqAck(req, skb);
            }
            if (pawsReject) {
                tcp.ext().inc(TcpExtMib.PAWS_ESTAB);
            }
            return null;
        }
        if (rx.sawTstamp && !TcpSeq.after(seq, req.rcvNxt())) {
            req.setTsRecent(rx.tsVal);
        }
        if (seq == req.rcvIsn()) {
            flg &= ~TcpHeader.SYN;
        }
        // RFC 5961 3.2 as RFC 9293 3.10.7.4 puts it: a RST in the window but not at RCV.NXT gets a
        // challenge ACK in SYN-RECEIVED too (tcp_reqsk_send_challenge_ack; Linux 6.18, and 6.12
        // from its 2025 stable updates; older kernels reset the request)
        if ((flg & TcpHeader.RST) != 0 && seq != req.rcvNxt()) {
            if (!oowRateLimited(req, null, TcpExtMib.TCPACK_SKIPPED_CHALLENGE)) {
                tcp.ext().inc(TcpExtMib.TCP_CHALLENGE_ACK);
                tcp.replies().sendReqAck(req, skb);
            }
            return null;
        }
        // second check the RST bit, fourth check the SYN bit
        if ((flg & (TcpHeader.RST | TcpHeader.SYN)) != 0) {
            tcp.mib().inc(TcpMib.ATTEMPT_FAILS);
            embryonicReset(req, skb, flg, resetOut);
            return null;
        }
        if ((flg & TcpHeader.ACK) == 0) {
            return null;
        }
        ListenAdmission.AckDecision d = ListenAdmission.onFinalAck(acceptQueue.isFull(maxAckBacklog),
                tcp.sysctl(Tcp.ABORT_ON_OVERFLOW), sk.deferAccept, req.numTimeout(), endSeq == req.rcvIsn() + 1);
        switch (d.verdict()) {
            case DEFER -> {
                req.setAcked(true);
                count(d.counters());
                return null;
            }
            case KEEP_ACKED -> {
                count(d.counters());
                req.setAcked(true);
                return null;
            }
            case RESET -> {
                count(d.counters() & ~ListenCounter.EMBRYONIC_RSTS.bit());
                embryonicReset(req, skb, flg, resetOut);
                return null;
            }
            default -> {
            }
        }
        TcpSock child = createChild(req, skb);
        dropRequest(req);
        queueChild(child);
        return child;
    }

    /**
     * {@code tcp_oow_rate_limited} for a request: an answer at most once per
     * {@code tcp_invalid_ratelimit}; segments carrying data (not SYNs) are always answered when
     * {@code skb} is given, as {@code tcp_oow_rate_limited} exempts them, and never limited by this
     * check otherwise ({@code __tcp_oow_rate_limited} is called with no skb for challenge ACKs).
     */
    private boolean oowRateLimited(RequestSock req, SkBuff skb, TcpExtMib mib) {
        if (skb != null && Tcp.oowExempt(skb)) {
            return false;
        }
        long t = tcp.oowRateLimit(req.lastOowAckTime, mib);
        if (t == Tcp.OOW_LIMITED) {
            return true;
        }
        req.lastOowAckTime = t;
        return false;
    }

    /** The {@code embryonic_reset} label: RST unless the segment was one, the request dropped. */
    private void embryonicReset(RequestSock req, SkBuff skb, int flg, boolean[] resetOut) {
        if ((flg & TcpHeader.RST) == 0) {
            resetOut[0] = true;
        }
        if (dropRequest(req)) {
            tcp.ext().inc(TcpExtMib.EMBRYONIC_RSTS);
        }
    }

    /**
     * {@code cookie_v4_check}: an ACK that matched no request, checked as a cookie. Returns the
     * child when the cookie is valid and the accept queue has room; null when the ACK is to be
     * dropped; this listener itself when it goes on to the listener (which answers RST).
     */
    TcpSock cookieCheck(SkBuff skb, int saddr, int daddr, TcpRxOptions rx) {
        ByteBuf buf = skb.buf();
        int th = skb.transportHeader();
        int sport = buf.getUnsignedShort(th + TcpHeader.SRC_PORT_OFFSET);
        int dport = buf.getUnsignedShort(th + TcpHeader.DST_PORT_OFFSET);
        int flags = buf.getUnsignedByte(th + TcpHeader.FLAGS_OFFSET);
        int syncookies = tcp.sysctl(Tcp.SYNCOOKIES);
        if (syncookies == 0 || (flags & (TcpHeader.ACK | TcpHeader.RST | TcpHeader.SYN)) != TcpHeader.ACK
                || reqQueue.synqNoRecentOverflow(tcp.now())) {
            return sk;
        }
        SynNegotiation.Settings settings = tcp.settings();
        int tsOff = tcp.isn.tsOff(daddr, saddr, dport, sport, settings.tcpTimestamps());
        SynCookies.CookieAck c = tcp.cookies.checkAck(saddr, daddr, sport, dport, TcpSkbCb.seq(skb),
                TcpSkbCb.ackSeq(skb), flags, rx.toTcpOptions(), tsOff, syncookies, false, settings, tcp.now());
        count(c.counters());
        if (c.verdict() != SynCookies.CookieVerdict.VALID) {
            return sk;
        }
        SynCookies.CookieOptions o = c.options();
        int mtu = tcp.output().routeMtu(saddr);
        int advmss = SynNegotiation.advertisedMss(mtu, sk.userMss);
        // the window as tcp_openreq_init_rwin would have chosen it for the SYN-ACK
        int fullSpace = SynNegotiation.fullSpace(sk.socket().rcvbuf());
        int mss = SynNegotiation.mssClamp(sk.userMss, advmss) - (o.tstampOk() ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0);
        SynNegotiation.InitialWindow w = SynNegotiation.selectInitialWindow(fullSpace, mss, sk.userWindowClamp,
                o.wscaleOk(), settings, 0);
        SynNegotiation.Negotiated n = new SynNegotiation.Negotiated(c.mss(), o.wscaleOk(), o.sndWscale(),
                o.wscaleOk() ? w.rcvWscale() : 0, o.sackOk(), o.tstampOk(), c.tsRecent(), w.rcvWnd(), w.windowClamp());
        RequestSock req = new RequestSock(daddr, dport, saddr, sport, c.rcvIsn(), c.sntIsn()).negotiated(n);
        req.setTsOff(c.tsOff());
        if (acceptQueue.isFull(maxAckBacklog)) {
            tcp.ext().inc(TcpExtMib.LISTEN_OVERFLOWS);
            tcp.ext().inc(TcpExtMib.LISTEN_DROPS);
            return null;
        }
        TcpSock child = createChild(req, skb);
        queueChild(child);
        return child;
    }

    // ---------------------------------------------------------------- the child

    /**
     * {@code tcp_v4_syn_recv_sock} + {@code tcp_create_openreq_child}: a full socket from the
     * request, in SYN_RECV, holding the listener's port, in the established table. It inherits
     * the listener's options. The caller feeds it the ACK, which makes it ESTABLISHED.
     */
    private TcpSock createChild(RequestSock req, SkBuff skb) {
        Socket parentSock = sk.socket();
        Socket s = new Socket(parentSock.layer(), AF_INET, SOCK_STREAM, IPPROTO_TCP, parentSock.ownerUid());
        s.setProtocol(IPPROTO_TCP);
        TcpSock c = tcp.create(s);
        s.setOps(c);
        s.inheritFrom(parentSock);
        c.inheritFrom(sk);
        c.setBoundAddress(req.localAddr());
        c.setPeer(req.remoteAddr(), req.remotePort());
        c.iss = req.sntIsn();
        c.sndUna = c.sndNxt = c.sndSml = c.writeSeq = req.sntIsn() + 1;
        c.irs = req.rcvIsn();
        c.rcvNxt = c.copiedSeq = c.rcvWup = req.rcvIsn() + 1;
        c.sndWl1 = req.rcvIsn();
        c.wscaleOk = req.wscaleOk();
        c.sndWscale = req.sndWscale();
        c.rcvWscale = req.rcvWscale();
        c.sackOk = req.sackOk();
        c.tstampOk = req.tstampOk();
        c.tsRecent = req.tsRecent();
        c.tsRecentStamp = c.tstampOk ? tcp.now() : 0;
        c.tsOff = req.tsOff();
        c.rcvWnd = req.rcvWnd();
        c.rcvSsthresh = req.rcvWnd();
        c.windowClamp = req.windowClamp();
        int window = skb.buf().getUnsignedShort(skb.transportHeader() + TcpHeader.WINDOW_OFFSET);
        c.sndWnd = window << c.sndWscale;
        c.maxWindow = c.sndWnd;
        c.mssClamp = req.mss();
        int mtu = tcp.output().routeMtu(req.remoteAddr());
        c.advmss = SynNegotiation.advertisedMss(mtu, c.userMss);
        TcpOutput.syncMss(c, mtu);
        TcpInput.initRcvMss(c);
        tcp.input().synackRttMeas(c, req);
        c.segsIn = 1; // the SYN (tcp_create_openreq_child)
        c.portFromConnect = false;
        c.bindPortLock = sk.bindPortLock;
        c.sockState = TcpSock.SS_CONNECTED;
        c.setNum(0);
        tcp.inheritPort(c, sk.port());
        c.setStateField(TcpState.NEW_SYN_RECV);
        c.setState(TcpState.SYN_RECV);
        tcp.hash(c);
        tcp.mib().inc(TcpMib.PASSIVE_OPENS);
        if (s.keepAlive()) {
            TcpTimers.resetKeepalive(c, TcpTimers.keepaliveTime(c));
        }
        return c;
    }

    /** {@code inet_csk_reqsk_queue_add}: the child waits for accept(); readers of the listener wake. */
    private void queueChild(TcpSock child) {
        child.parent = sk;
        acceptQueue.add(child);
        traceQueue(TraceEvent.QueueOp.ACCEPT_QUEUE_ADD, child.daddr(), child.dport(), acceptQueue.size());
        sk.socket().dataReady();
    }

    /** {@code inet_csk_accept}'s {@code reqsk_queue_remove}: the oldest child, or null. */
    TcpSock accept() {
        TcpSock child = acceptQueue.poll();
        if (child != null) {
            child.parent = null;
            traceQueue(TraceEvent.QueueOp.ACCEPT, child.daddr(), child.dport(), acceptQueue.size());
        }
        return child;
    }

    /**
     * {@code inet_csk_listen_stop}: children waiting for accept are reset and freed
     * ({@code inet_child_forget}: {@code tcp_disconnect} sends RST); half-open requests are
     * dropped silently (a later ACK finds no listener and gets a RST); the group is left.
     */
    void stop() {
        for (TcpSock child; (child = acceptQueue.poll()) != null; ) {
            child.parent = null;
            traceQueue(TraceEvent.QueueOp.ACCEPT_QUEUE_RESET, child.daddr(), child.dport(), acceptQueue.size());
            child.disconnect();
            child.orphan = true;
            child.destroy();
        }
        reqQueue.forEach(this::dropRequest);
        leaveGroup();
    }

    private void traceQueue(TraceEvent.QueueOp op, int peerAddr, int peerPort, int length) {
        if (tcp.tracer().enabled()) {
            tcp.tracer().emit(new TraceEvent.QueueMove(tcp.now(), tcp.host().name(), sk.name(),
                    Ipv4Address.toString(peerAddr) + ":" + peerPort, op, length, maxAckBacklog));
        }
    }

    // ---------------------------------------------------------------- SO_REUSEPORT

    /**
     * {@code inet_reuseport_add_sock}: join the group of another listener with SO_REUSEPORT on the
     * same address and port and the same owner, or start one.
     */
    void joinGroup(Tcp t) {
        if (!sk.reusePort()) {
            return;
        }
        for (TcpSock other : t.listenersOn(sk.port())) {
            if (other != sk && other.reusePort() && other.rcvSaddr() == sk.rcvSaddr() && other.uid() == sk.uid()
                    && other.listener != null) {
                if (other.listener.group == null) {
                    other.listener.group = new ReuseportGroup();
                    other.listener.group.add(other);
                }
                group = other.listener.group;
                group.add(sk);
                sk.reuseportSelector = null; // its own group is freed (reuseport_add_sock)
                return;
            }
        }
        group = new ReuseportGroup();
        group.add(sk);
        group.selector = sk.reuseportSelector;
        sk.reuseportSelector = null;
    }

    private void leaveGroup() {
        if (group != null) {
            group.remove(sk);
            group = null;
        }
    }

    /**
     * {@code inet_lookup_reuseport}: the member of {@code tp}'s group a connection goes to; its
     * selector when one is attached and it answers a member, else the keyed hash of the 4-tuple
     * scaled onto the group ({@code reuseport_select_sock_by_hash}).
     */
    static TcpSock selectInGroup(Tcp tcp, TcpSock tp, int saddr, int sport, int daddr, int dport) {
        TcpListener l = tp.listener;
        if (l == null || l.group == null || l.group.num == 0) {
            return tp;
        }
        ReuseportGroup g = l.group;
        if (g.selector != null) {
            int i = g.selector.select(saddr, sport, daddr, dport, g.num);
            if (i >= 0 && i < g.num) {
                return g.socks[i];
            }
        }
        int hash = tcp.reuseportHash(saddr, sport, daddr, dport);
        return g.socks[dev.stacksim.inet.InetHash.reciprocalScale(hash, g.num)];
    }

    /** A SO_REUSEPORT group ({@code struct sock_reuseport}): its listeners in join order. */
    static final class ReuseportGroup {
        TcpSock[] socks = new TcpSock[4];
        int num;
        /** Stands for an attached reuseport BPF program; null for the hash. */
        ReuseportSelector selector;

        void add(TcpSock s) {
            if (num == socks.length) {
                socks = Arrays.copyOf(socks, num * 2);
            }
            socks[num++] = s;
        }

        /** The last member takes the leaver's place ({@code __reuseport_detach_sock}). */
        void remove(TcpSock s) {
            for (int i = 0; i < num; i++) {
                if (socks[i] == s) {
                    socks[i] = socks[--num];
                    socks[num] = null;
                    return;
                }
            }
        }
    }
}
