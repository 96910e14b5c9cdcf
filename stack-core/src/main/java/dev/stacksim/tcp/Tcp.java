package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.MibGroup;
import dev.stacksim.host.Sysctl;
import dev.stacksim.inet.IcmpErrConvert;
import dev.stacksim.inet.InetBindTable;
import dev.stacksim.inet.InetHash;
import dev.stacksim.ip.IpProtocolHandler;
import dev.stacksim.ip.Route;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.Socket;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.Tracer;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * TCP on one host: its tables (bound ports, established connections and TIME_WAIT minisocks,
 * listeners), its counters, secrets and sysctls, and the calls that need all of them
 * ({@code tcp_v4_connect}, {@code inet_csk_listen_start}, {@code tcp_close}). The host creates
 * one, registers it with IP for protocol 6 and with AF_INET for SOCK_STREAM. Segments arrive in
 * {@link TcpInput}; sockets are {@link TcpSock}s.
 *
 * <h2>Demultiplexing ({@code __inet_lookup})</h2>
 * An arriving segment is matched, in this order, against the established table by its exact
 * 4-tuple (a connected socket or a TIME_WAIT minisock), then against the listeners on its
 * destination port: one bound to the destination address before one bound to 0.0.0.0, and a
 * listener in a SO_REUSEPORT group stands for the group, whose member is chosen by a keyed hash
 * of the 4-tuple ({@link TcpListener.ReuseportGroup}). A half-open connection (a request sock)
 * is found through its listener's SYN queue.
 */
public final class Tcp implements IpProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Tcp.class);

    /** Chains of the bind table ({@code bhash}): Linux sizes it by memory; 65536 on a 16 GB machine. */
    public static final int BHASH_SIZE = 65536;

    // sysctl indexes
    static final int SYNCOOKIES = 0;
    static final int SYN_RETRIES = 1;
    static final int SYNACK_RETRIES = 2;
    static final int ABORT_ON_OVERFLOW = 3;
    static final int MAX_SYN_BACKLOG = 4;
    static final int FIN_TIMEOUT = 5;
    static final int TIMESTAMPS = 6;
    static final int SACK = 7;
    static final int WINDOW_SCALING = 8;
    static final int SYN_LINEAR_TIMEOUTS = 9;
    static final int RETRIES2 = 10;
    static final int ORPHAN_RETRIES = 11;
    static final int KEEPALIVE_TIME = 12;
    static final int KEEPALIVE_INTVL = 13;
    static final int KEEPALIVE_PROBES = 14;
    static final int RFC1337 = 15;
    static final int INVALID_RATELIMIT = 16;
    static final int TW_REUSE = 17;
    static final int SHRINK_WINDOW = 18;
    static final int CHALLENGE_ACK_LIMIT = 19;
    private static final String[] SYSCTLS = {"tcp_syncookies", "tcp_syn_retries", "tcp_synack_retries",
        "tcp_abort_on_overflow", "tcp_max_syn_backlog", "tcp_fin_timeout", "tcp_timestamps", "tcp_sack",
        "tcp_window_scaling", "tcp_syn_linear_timeouts", "tcp_retries2", "tcp_orphan_retries",
        "tcp_keepalive_time", "tcp_keepalive_intvl", "tcp_keepalive_probes", "tcp_rfc1337",
        "tcp_invalid_ratelimit", "tcp_tw_reuse", "tcp_shrink_window", "tcp_challenge_ack_limit"};

    private final Host host;
    private final MibGroup<TcpMib> mib;
    private final MibGroup<TcpExtMib> ext;
    private final Sysctl.Entry[] sysctls = new Sysctl.Entry[SYSCTLS.length];
    private final Sysctl.Entry tcpRmem;
    private final Sysctl.Entry tcpWmem;
    private final Sysctl.Entry rmemMax;
    private final Sysctl.Entry portRange;
    final InetBindTable bindTable;
    final TcpEhash ehash;
    /** Listeners by port, newest first ({@code lhash2}). */
    private final TcpListenHash listeners = new TcpListenHash();
    final IsnGenerator isn;
    final SynCookies cookies;
    /** Key of the SO_REUSEPORT hash ({@code inet_ehash_secret}). */
    final int ehashSecret;
    final SimRandom random;
    private final TcpInput input;
    private final TcpOutput output;
    private final TcpReplies replies;
    private final Tracer tracer;
    private final TcpCongestion congestion;
    /** The view trace summaries are printed through. */
    private final TcpHeader traceView = new TcpHeader();
    /** Sockets with an fd or an orphan's life left, for ss and /proc: every TcpSock not yet destroyed; in the order they took their port, removed in O(1). */
    final TcpBoundList bound = new TcpBoundList();

    /** TCP for {@code host}. */
    public Tcp(Host host) {
        this.host = host;
        this.mib = host.snmp().tcp;
        this.ext = host.snmp().tcpExt;
        Sysctl sc = host.sysctl();
        for (int i = 0; i < SYSCTLS.length; i++) {
            sysctls[i] = sc.entry("net.ipv4." + SYSCTLS[i]);
        }
        this.tcpRmem = sc.entry("net.ipv4.tcp_rmem");
        this.tcpWmem = sc.entry("net.ipv4.tcp_wmem");
        this.rmemMax = sc.entry("net.core.rmem_max");
        this.portRange = sc.entry("net.ipv4.ip_local_port_range");
        this.random = host.random().fork("tcp");
        this.bindTable = new InetBindTable(InetBindTable.Rule.TCP, BHASH_SIZE, random.nextInt());
        this.ehashSecret = random.nextInt();
        this.ehash = new TcpEhash(ehashSecret);
        this.isn = new IsnGenerator(random.fork("isn"));
        this.cookies = new SynCookies(random.fork("syncookies"));
        this.tracer = host.tracer();
        this.congestion = new TcpCongestion(sc);
        this.output = new TcpOutput(this);
        this.replies = new TcpReplies(this);
        this.input = new TcpInput(this);
        mib.set(TcpMib.RTO_ALGORITHM, 1);
        mib.set(TcpMib.RTO_MIN, TcpConstants.TCP_RTO_MIN / 1_000_000);
        mib.set(TcpMib.RTO_MAX, TcpConstants.TCP_RTO_MAX / 1_000_000);
        mib.set(TcpMib.MAX_CONN, -1);
    }

    /** The host. */
    public Host host() {
        return host;
    }

    /** A new TCP socket on {@code sock}: what AF_INET's SOCK_STREAM entry creates. */
    public TcpSock create(Socket sock) {
        TcpSock tp = new TcpSock(this, sock);
        return tp;
    }

    /** The {@code Tcp:} counters. */
    public MibGroup<TcpMib> mib() {
        return mib;
    }

    /** The {@code TcpExt:} counters. */
    public MibGroup<TcpExtMib> ext() {
        return ext;
    }

    /** The congestion controls and loss-recovery settings of this host. */
    public TcpCongestion congestion() {
        return congestion;
    }

    TcpOutput output() {
        return output;
    }

    TcpReplies replies() {
        return replies;
    }

    TcpInput input() {
        return input;
    }

    int sysctl(int index) {
        return sysctls[index].intValue();
    }

    int rmemDefault() {
        return tcpRmem.intValue(1);
    }

    /** {@code tcp_rmem[2]}: the most receive buffer auto-tuning gives. */
    int rmemMax() {
        return tcpRmem.intValue(2);
    }

    /** {@code tcp_wmem[2]}: the most send buffer auto-tuning gives. */
    int wmemMax() {
        return tcpWmem.intValue(2);
    }

    int wmemDefault() {
        return tcpWmem.intValue(1);
    }

    /** The handshake-relevant sysctls, as {@link SynNegotiation} takes them. */
    SynNegotiation.Settings settings() {
        int ts = sysctl(TIMESTAMPS);
        boolean sack = sysctl(SACK) != 0;
        boolean ws = sysctl(WINDOW_SCALING) != 0;
        int rmem = tcpRmem.intValue(2);
        int rmax = rmemMax.intValue();
        SynNegotiation.Settings s = settings;
        // the record is rebuilt only when a sysctl changed, not for every SYN
        if (s == null || s.tcpTimestamps() != ts || s.tcpSack() != sack || s.tcpWindowScaling() != ws
                || s.tcpRmemMax() != rmem || s.rmemMax() != rmax) {
            settings = s = new SynNegotiation.Settings(ts, sack, ws, rmem, rmax, false);
        }
        return s;
    }

    /** The last {@link #settings()} built. */
    private SynNegotiation.Settings settings;

    long now() {
        return host.loop().now();
    }

    /** The TCP timestamp clock in milliseconds ({@code tcp_clock_ms}). */
    int tsClock() {
        return (int) (host.loop().now() / 1_000_000L);
    }

    // ---------------------------------------------------------------- receive

    /** {@code tcp_v4_rcv}; see {@link TcpInput}. */
    @Override
    public void receive(SkBuff skb) {
        input.rcv(skb);
    }

    /**
     * {@code tcp_v4_err}: an ICMP error about a segment this host sent. A hard error (port or
     * protocol unreachable, ...) kills a connection still in SYN_SENT or SYN_RECV (connect() fails
     * with it); on an established connection it is only remembered as a soft error, as Linux does
     * without IP_RECVERR.
     */
    @Override
    public void error(SkBuff skb, int type, int code, int info) {
        ByteBuf buf = skb.buf();
        int q = skb.data();
        int ihl = (buf.getUnsignedByte(q) & 0x0F) * 4;
        int ourAddr = buf.getInt(q + Ipv4Header.SRC_ADDR_OFFSET);
        int peerAddr = buf.getInt(q + Ipv4Header.DST_ADDR_OFFSET);
        int ourPort = buf.getUnsignedShort(q + ihl + TcpHeader.SRC_PORT_OFFSET);
        int peerPort = buf.getUnsignedShort(q + ihl + TcpHeader.DST_PORT_OFFSET);
        TcpEhashEntry e = ehash.lookup(ourAddr, ourPort, peerAddr, peerPort);
        if (!(e instanceof TcpSock tp)) {
            host.snmp().icmp.inc(dev.stacksim.host.IcmpMib.IN_ERRORS);
            return;
        }
        if (type != IcmpType.DEST_UNREACH || code == IcmpCode.FRAG_NEEDED) {
            return;
        }
        Errno err = IcmpErrConvert.errno(code);
        boolean hard = IcmpErrConvert.fatal(code);
        if (hard && (tp.tstate == TcpState.SYN_SENT || tp.tstate == TcpState.SYN_RECV)) {
            tp.socket().setError(err);
            tp.done();
        } else if (tp.recverr()) {
            tp.socket().setError(err);
        }
    }

    // ---------------------------------------------------------------- ports and tables

    /** {@code inet_csk_get_port}: 0, or -EADDRINUSE. */
    int getPort(TcpSock tp, int snum) {
        if (snum == 0) {
            int port = bindTable.findOpenPort(tp, tp.rcvSaddr(), portRange.intValue(0), portRange.intValue(1), random);
            if (port == 0) {
                return -Errno.EADDRINUSE.number();
            }
            snum = port;
        } else if (bindTable.inUse(tp, tp.rcvSaddr(), snum)) {
            return -Errno.EADDRINUSE.number();
        }
        setPort(tp, snum);
        return 0;
    }

    private void setPort(TcpSock tp, int port) {
        tp.setNum(port);
        bindTable.add(tp);
        bound.add(tp);
    }

    /** {@code inet_inherit_port}: a child shares its listener's port. */
    void inheritPort(TcpSock child, int port) {
        setPort(child, port);
    }

    /** {@code inet_put_port}: the socket no longer holds its port. */
    void putPort(TcpSock tp) {
        if (tp.port() != 0) {
            bindTable.remove(tp);
            bound.remove(tp);
            tp.setNum(0);
            tp.portFromConnect = false;
        }
    }

    /** Into the established table ({@code inet_ehash_nolisten}). */
    void hash(TcpSock tp) {
        if (!tp.hashed) {
            ehash.add(tp);
            tp.hashed = true;
        }
    }

    /** Out of the established table, or out of the listeners ({@code inet_unhash}). */
    void unhash(TcpSock tp) {
        if (tp.hashed) {
            ehash.remove(tp);
            tp.hashed = false;
        }
        if (tp.tstate == TcpState.LISTEN) {
            listeners.remove(tp.port(), tp);
        }
    }

    /** Listeners on {@code port}, newest first; empty when none. */
    List<TcpSock> listenersOn(int port) {
        List<TcpSock> l = listeners.get(port);
        return l == null ? List.of() : l;
    }

    /**
     * The listener for a segment to {@code daddr:dport} from {@code saddr:sport}
     * ({@code __inet_lookup_listener}): bound to {@code daddr} first, then to 0.0.0.0; a reuseport
     * group picks its member by hash (or by its selector).
     */
    TcpSock lookupListener(int saddr, int sport, int daddr, int dport) {
        List<TcpSock> l = listeners.get(dport);
        if (l == null) {
            return null;
        }
        TcpSock wildcard = null;
        for (int i = 0, n = l.size(); i < n; i++) {
            TcpSock tp = l.get(i);
            if (tp.rcvSaddr() == daddr) {
                return TcpListener.selectInGroup(this, tp, saddr, sport, daddr, dport);
            }
            if (tp.rcvSaddr() == 0 && wildcard == null) {
                wildcard = tp;
            }
        }
        return wildcard == null ? null : TcpListener.selectInGroup(this, wildcard, saddr, sport, daddr, dport);
    }

    /**
     * The request sock (half-open connection) for a segment to {@code laddr:lport} from
     * {@code raddr:rport}, in whichever listener's SYN queue on {@code lport} it waits; Linux
     * finds it in the established table ({@code __inet_lookup_established}, NEW_SYN_RECV).
     */
    RequestSock lookupRequest(int laddr, int lport, int raddr, int rport) {
        List<TcpSock> l = listeners.get(lport);
        if (l == null) {
            return null;
        }
        for (int i = 0, n = l.size(); i < n; i++) {
            TcpListener tl = l.get(i).listener;
            if (tl != null && !tl.reqQueue.isEmpty()) {
                RequestSock req = tl.reqQueue.lookup(laddr, lport, raddr, rport);
                if (req != null) {
                    return req;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- connect, listen, close

    /** {@code tcp_v4_connect}: 0 with the SYN sent, or -errno. */
    int connect(TcpSock tp, int daddr, int dport) {
        if (daddr == 0) {
            daddr = Inet.INADDR_LOOPBACK; // connect(0.0.0.0) reaches this host
        }
        Route rt = host.ip().routeOutput(daddr);
        if (rt == null) {
            return -Errno.ENETUNREACH.number();
        }
        if (rt.type() == Route.RouteType.BROADCAST 
                || (daddr >>> 28) == 0xE) {
            return -Errno.ENETUNREACH.number();
        }
        if (tp.saddr() == 0) {
            int src = host.ip().selectSource(rt, daddr);
            tp.setSource(src);
        }
        tp.setPeer(daddr, dport);
        int err = hashConnect(tp);
        if (err != 0) {
            tp.setPeer(0, 0);
            return err;
        }
        tp.setState(TcpState.SYN_SENT);
        tp.iss = isn.secureSeq(tp.saddr(), daddr, tp.port(), dport, now());
        tp.tsOff = isn.tsOff(tp.saddr(), daddr, tp.port(), dport, sysctl(TIMESTAMPS));
        tp.writeSeq = tp.iss;
        output.connect(tp, rt);
        return 0;
    }

    /** {@code inet_hash_connect}: a port (ephemeral when unbound) whose 4-tuple is unique; ehash. */
    private int hashConnect(TcpSock tp) {
        int daddr = tp.daddr();
        int dport = tp.dport();
        int saddr = tp.saddr();
        if (tp.port() != 0) {
            TcpEhashEntry e = ehash.lookup(saddr, tp.port(), daddr, dport);
            if (e != null && !reuseTimeWait(e, tp)) {
                return -Errno.EADDRNOTAVAIL.number();
            }
            if (tp.rcvSaddr() == 0) {
                tp.setBoundAddress(saddr);
            }
            hash(tp);
            return 0;
        }
        long offset = SipHash.hash3u32(isn.secret(), SipHash.be32(saddr), SipHash.be32(daddr), dport);
        ConnectCheck check = connectCheck;
        check.set(tp, saddr, daddr, dport);
        int port;
        try {
            port = bindTable.hashConnect(portRange.intValue(0), portRange.intValue(1), offset, check, random);
        } finally {
            check.set(null, 0, 0, 0);
        }
        if (port == 0) {
            return -Errno.EADDRNOTAVAIL.number();
        }
        TcpEhashEntry e = ehash.lookup(saddr, port, daddr, dport);
        if (e instanceof TcpTimewaitSock tw) {
            tw.kill();
        }
        tp.setBoundAddress(saddr);
        tp.portFromConnect = true;
        setPort(tp, port);
        hash(tp);
        return 0;
    }

    /** connect()'s question to the bind table, one object per host reused (no lambda per connect). */
    private final ConnectCheck connectCheck = new ConnectCheck();

    /** {@code __inet_check_established} for {@link #hashConnect}: the 4-tuple is unused, or a reusable TIME_WAIT holds it. */
    private final class ConnectCheck implements InetBindTable.EstablishedCheck {
        private TcpSock tp;
        private int saddr;
        private int daddr;
        private int dport;

        void set(TcpSock tp, int saddr, int daddr, int dport) {
            this.tp = tp;
            this.saddr = saddr;
            this.daddr = daddr;
            this.dport = dport;
        }

        @Override
        public boolean unique(int port) {
            TcpEhashEntry e = ehash.lookup(saddr, port, daddr, dport);
            return e == null || reuseTimeWait(e, tp);
        }
    }

    /**
     * {@code tcp_twsk_unique}: a TIME_WAIT connection with the same 4-tuple may be reused by
     * connect() with timestamps and {@code tcp_tw_reuse} (2: loopback only) after one second; the
     * new connection starts its sequence space beyond the old one.
     */
    private boolean reuseTimeWait(TcpEhashEntry e, TcpSock tp) {
        if (!(e instanceof TcpTimewaitSock tw)) {
            return false;
        }
        int reuse = sysctl(TW_REUSE);
        boolean loopback = (tw.localAddr() >>> 24) == 127 && (tw.remoteAddr() >>> 24) == 127;
        if (tw.tsRecentStamp == 0 || (reuse != 1 && !(reuse == 2 && loopback))) {
            return false;
        }
        return now() - tw.tsRecentStamp > TcpConstants.HZ;
    }

    /** {@code inet_csk_listen_start}: the port re-checked, LISTEN, into the listeners. */
    int listenStart(TcpSock tp, int backlog) {
        tp.listener = new TcpListener(tp, backlog);
        tp.setState(TcpState.LISTEN);
        int err = tp.port() == 0 ? getPort(tp, 0) : (bindTable.inUse(tp, tp.rcvSaddr(), tp.port())
                ? -Errno.EADDRINUSE.number() : 0);
        if (err != 0) {
            tp.listener = null;
            tp.tstate = TcpState.CLOSE;
            tp.setStateField(TcpState.CLOSE);
            return -Errno.EADDRINUSE.number();
        }
        listeners.addFirst(tp.port(), tp);
        tp.listener.joinGroup(this);
        return 0;
    }

    /** {@code tcp_close}: see LINUX-FACTS "close() and shutdown()". */
    void close(TcpSock tp) {
        tp.socket().addShutdown(Socket.SHUTDOWN_MASK);
        if (tp.tstate == TcpState.LISTEN) {
            tp.setState(TcpState.CLOSE);
            tp.listener.stop();
            tp.listener = null;
            orphan(tp);
            return;
        }
        int unread = 0;
        for (SkBuff skb; (skb = tp.receiveQueue.pollFirst()) != null; ) {
            int len = TcpSkbCb.endSeq(skb) - TcpSkbCb.seq(skb);
            if ((TcpSkbCb.flags(skb) & TcpHeader.FIN) != 0) {
                len--;
            }
            unread += len;
            skb.free(dev.stacksim.buf.DropReason.SOCKET_CLOSE);
        }
        if (tp.tstate == TcpState.CLOSE) {
            orphan(tp);
            return;
        }
        if (unread > 0) {
            // RFC 2525 2.17: close with unread data sends RST
            ext.inc(TcpExtMib.TCP_ABORT_ON_CLOSE);
            tp.setState(TcpState.CLOSE);
            output.sendActiveReset(tp);
        } else if (tp.socket().linger().onoff() != 0 && tp.socket().linger().linger() == 0) {
            tp.disconnect();
            ext.inc(TcpExtMib.TCP_ABORT_ON_DATA);
        } else {
            tp.closeStateAndFin();
        }
        TcpState state = tp.tstate;
        orphan(tp);
        if (state != TcpState.CLOSE && tp.tstate == TcpState.CLOSE) {
            return;
        }
        if (tp.tstate == TcpState.FIN_WAIT2) {
            if (tp.linger2 < 0) {
                tp.setState(TcpState.CLOSE);
                output.sendActiveReset(tp);
                ext.inc(TcpExtMib.TCP_ABORT_ON_LINGER);
            } else {
                long tmo = TcpTimers.finTime(tp);
                if (tmo > TcpConstants.TCP_TIMEWAIT_LEN) {
                    TcpTimers.resetKeepalive(tp, tmo - TcpConstants.TCP_TIMEWAIT_LEN);
                } else {
                    timeWait(tp, TcpState.FIN_WAIT2, tmo);
                    return;
                }
            }
        }
        if (tp.tstate == TcpState.CLOSE) {
            tp.destroy();
        }
    }

    /** {@code sock_orphan}: no file refers to the socket any more. */
    private void orphan(TcpSock tp) {
        tp.orphan = true;
        if (tp.tstate == TcpState.CLOSE) {
            tp.destroy();
        }
    }

    /**
     * {@code tcp_time_wait}: the connection's last moments go to a {@link TcpTimewaitSock} (in
     * state TIME_WAIT, or FIN_WAIT2 for an orphan still waiting for the peer's FIN), and the socket
     * itself is done.
     */
    void timeWait(TcpSock tp, TcpState substate, long timeo) {
        TcpTimewaitSock tw = new TcpTimewaitSock(this, tp, substate);
        // at least 3.5 RTO; TIME_WAIT itself always 60 s
        long rto35 = (tp.rto << 2) - (tp.rto >> 1);
        long tmo = substate == TcpState.TIME_WAIT ? TcpConstants.TCP_TIMEWAIT_LEN : Math.max(timeo, rto35);
        // the minisock takes the socket's place in both tables
        boolean hadPort = tp.port() != 0;
        unhash(tp);
        ehash.add(tw);
        if (hadPort) {
            bindTable.add(tw);
        }
        tw.schedule(tmo);
        if (substate == TcpState.TIME_WAIT && traceStates()) {
            traceState(tw.name(), tp.tstate.name(), "TIME_WAIT");
        }
        tp.quietClose = true;
        tp.done();
        tp.quietClose = false;
    }

    /** A TIME_WAIT minisock's time is up, or it was killed. */
    void twUnhash(TcpTimewaitSock tw) {
        ehash.remove(tw);
        bindTable.remove(tw);
    }

    /** The host is going away: every socket dies without a word on the wire. */
    public void close() {
        List<TcpEhashEntry> all = new ArrayList<>();
        ehash.forEach(all::add);
        for (TcpEhashEntry e : all) {
            if (e instanceof TcpTimewaitSock tw) {
                tw.kill();
            }
        }
        for (TcpSock tp : new ArrayList<>(bound)) {
            if (tp.listener != null) {
                tp.listener.stop();
            }
            tp.orphan = true;
            tp.destroy();
        }
    }

    /** Every full socket with a port (listening, connected, or closed and still bound). */
    public void forEachSocket(Consumer<TcpSock> action) {
        new ArrayList<>(bound).forEach(action);
    }

    // ---------------------------------------------------------------- trace

    /**
     * Whether a state change is logged or traced at all: the callers build the socket's name
     * ({@code "127.0.0.1:80 -> ..."}) only then, as it costs more than the rest of a state change.
     */
    boolean traceStates() {
        return tracer.enabled() || LOG.isDebugEnabled();
    }

    void traceState(String name, String from, String to) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] tcp {} state={}=>{}", host.name(), name, from, to);
        }
        if (tracer.enabled()) {
            tracer.emit(new TraceEvent.StateChange(now(), host.name(), "TCP", name, from, to));
        }
    }

    /** What {@link #oowRateLimit} answers when the reply is held back. */
    static final long OOW_LIMITED = -1;

    /**
     * {@code __tcp_oow_rate_limited}: whether an answer to an out-of-window segment (a dupack, a
     * challenge ACK) may go now, at most one per {@code tcp_invalid_ratelimit} ms. Takes the time
     * of the last answer (0: never) and returns the time to store, or {@link #OOW_LIMITED}, counted
     * under {@code mib}, when the answer is held back. Full sockets, request socks and minisocks
     * each keep their own stamp.
     */
    long oowRateLimit(long lastOowAckTime, TcpExtMib mib) {
        long now = now();
        if (lastOowAckTime != 0) {
            long elapsed = now + 1 - lastOowAckTime;
            if (elapsed >= 0 && elapsed < sysctl(INVALID_RATELIMIT) * 1_000_000L) {
                ext.inc(mib);
                return OOW_LIMITED;
            }
        }
        return now + 1; // + 1: 0 means never
    }

    /** {@code tcp_oow_rate_limited}'s exemption: a segment with data (and no SYN) is always answered. */
    static boolean oowExempt(SkBuff skb) {
        return TcpSkbCb.seq(skb) != TcpSkbCb.endSeq(skb) && (TcpSkbCb.flags(skb) & TcpHeader.SYN) == 0;
    }

    /**
     * A Packet trace event for a segment this host sent or received, summarised as tcpdump prints
     * it after the addresses, so that diagrams can pair the two ends.
     */
    void tracePacket(boolean sent, int saddr, int sport, int daddr, int dport, io.netty.buffer.ByteBuf buf, int at,
                     int len) {
        if (tracer.enabled()) {
            String summary = traceView.wrap(buf, at, len).toString();
            int colon = summary.indexOf(": ");
            tracer.emit(new TraceEvent.Packet(now(), host.name(), sent, "TCP",
                    dev.stacksim.trace.HostTrace.addr(saddr, sport), dev.stacksim.trace.HostTrace.addr(daddr, dport),
                    colon >= 0 ? summary.substring(colon + 2) : summary));
        }
    }

    Tracer tracer() {
        return tracer;
    }

    /**
     * Attaches {@code selector} to the SO_REUSEPORT group of the socket at {@code fd} of
     * {@code process}, standing in for {@code setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF
     * or _EBPF, ...)} ({@code reuseport_attach_prog}); {@code null} detaches it
     * ({@code SO_DETACH_REUSEPORT_BPF}, {@code reuseport_detach_prog}). The selector belongs to the
     * group, not to the socket: a listener attaches it for all members, and it stays when that
     * listener leaves. A socket with SO_REUSEPORT that does not listen yet keeps it for the group it
     * will start at listen(); if it joins an existing group instead, its selector is dropped and
     * the group's stays, as Linux frees the socket's own {@code sock_reuseport} then.
     *
     * @throws ErrnoException EBADF or ENOTSOCK for the descriptor; EINVAL for a socket that is not
     *         TCP, has no SO_REUSEPORT, or is connected; ENOENT when detaching and none is attached
     */
    public void attachReuseportSelector(Process process, int fd, ReuseportSelector selector) {
        Socket s = process.sockfdLookup(fd);
        String call = "setsockopt(" + fd + ", SOL_SOCKET, "
                + (selector == null ? "SO_DETACH_REUSEPORT_BPF" : "SO_ATTACH_REUSEPORT_CBPF") + ")";
        if (!(s.ops() instanceof TcpSock tp) || tp.tcp != this) {
            throw new ErrnoException(Errno.EINVAL, call);
        }
        TcpListener.ReuseportGroup g = tp.listener != null ? tp.listener.group : null;
        if (g == null && (tp.tstate != TcpState.CLOSE || !tp.reusePort())) {
            // hashed without a group (listening without SO_REUSEPORT, connected), or no SO_REUSEPORT
            throw new ErrnoException(Errno.EINVAL, call);
        }
        if (selector == null) {
            boolean had = g != null ? g.selector != null : tp.reuseportSelector != null;
            if (!had) {
                throw new ErrnoException(Errno.ENOENT, call);
            }
        }
        if (g != null) {
            g.selector = selector;
        } else {
            tp.reuseportSelector = selector;
        }
    }

    /** The reuseport hash of a segment ({@code inet_ehashfn} with the host's secret). */
    int reuseportHash(int saddr, int sport, int daddr, int dport) {
        return InetHash.ehashfn(daddr, dport, saddr, sport, ehashSecret);
    }

    @Override
    public String toString() {
        return "Tcp[" + host.name() + " established=" + ehash.size() + " listeners=" + listeners.size() + "]";
    }
}
