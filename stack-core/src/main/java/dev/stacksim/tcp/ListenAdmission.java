package dev.stacksim.tcp;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a listener does with an arriving SYN, and with the ACK that completes a handshake, given
 * the state of its two queues: the checks of {@code tcp_conn_request()} /
 * {@code tcp_syn_flood_action()} and of {@code tcp_check_req()} / {@code tcp_v4_syn_recv_sock()}
 * in Linux 6.x, in their order, as pure functions. Each decision names the {@code TcpExt} counters
 * Linux bumps on that path ({@link ListenCounter}).
 *
 * <h2>A SYN arrives ({@link #onSyn})</h2>
 * <pre>
 *   1. syncookies == 2, or SYN queue full (qlen &gt; backlog)?        (skipped for a SYN that
 *        syncookies 1 or 2 → want a cookie      TCPReqQFullDoCookies      reopens a TIME_WAIT)
 *        syncookies 0      → drop               TCPReqQFullDrop, ListenDrops
 *   2. accept queue full (size &gt; backlog)?  → drop  ListenOverflows, ListenDrops
 *   3. no cookie, syncookies 0, fewer than a quarter of tcp_max_syn_backlog left
 *        (max_syn_backlog - qlen &lt; max_syn_backlog &gt;&gt; 2) and the peer not proven alive
 *                                           → drop  ListenDrops
 *   4. cookie → SYN-ACK with a cookie, nothing kept     SyncookiesSent
 *      else   → request sock queued, SYN-ACK sent
 * </pre>
 * A dropped SYN gets no answer (no RST): the client resends it on its own schedule
 * ({@link TcpTimeouts#synRetransmitTimes}). Note that with syncookies 2 every SYN counts
 * TCPReqQFullDoCookies, full queue or not, and that step 2 applies to cookies as well.
 *
 * <h2>The final ACK arrives ({@link #onFinalAck})</h2>
 * With TCP_DEFER_ACCEPT a bare ACK is set aside (the request is marked acked and waits for data).
 * Otherwise the child socket is created, unless the accept queue is full: ListenOverflows and
 * ListenDrops, then with {@code tcp_abort_on_overflow} 0 (the default) the ACK is dropped, the
 * request is marked acked and kept, and its SYN-ACK timer keeps resending so that the client's
 * answer can try again; with 1 the listener answers RST and drops the request (EmbryonicRsts).
 */
public final class ListenAdmission {
    private ListenAdmission() {
    }

    /** What happens to an arriving SYN. */
    public enum SynVerdict {
        /** A request sock is queued and a SYN-ACK sent. */
        QUEUE,
        /** A SYN-ACK carrying a cookie is sent; nothing is kept. */
        COOKIE,
        /** Dropped: SYN queue full and syncookies 0 ({@code TCPReqQFullDrop}). */
        DROP_REQQ_FULL,
        /** Dropped: accept queue full ({@code ListenOverflows}). */
        DROP_LISTEN_OVERFLOW,
        /** Dropped: the last quarter of tcp_max_syn_backlog is kept for proven peers. */
        DROP_SYN_BACKLOG
    }

    /**
     * A decision for an arriving SYN.
     *
     * @param verdict  what to do
     * @param counters the {@link ListenCounter#bit() bits} of the counters to bump, each by one
     */
    public record SynDecision(SynVerdict verdict, int counters) {
        /** True if the SYN is dropped. */
        public boolean dropped() {
            return verdict != SynVerdict.QUEUE && verdict != SynVerdict.COOKIE;
        }

        /** True if {@code counter} is bumped. */
        public boolean bumps(ListenCounter counter) {
            return (counters & counter.bit()) != 0;
        }

        /** The counters bumped, as a set (allocates; for tests and traces). */
        public Set<ListenCounter> counterSet() {
            return toSet(counters);
        }
    }

    private static final SynDecision QUEUE = new SynDecision(SynVerdict.QUEUE, 0);
    private static final SynDecision COOKIE = new SynDecision(SynVerdict.COOKIE,
            ListenCounter.TCP_REQ_Q_FULL_DO_COOKIES.bit() | ListenCounter.SYNCOOKIES_SENT.bit());
    private static final SynDecision DROP_REQQ_FULL = new SynDecision(SynVerdict.DROP_REQQ_FULL,
            ListenCounter.TCP_REQ_Q_FULL_DROP.bit() | ListenCounter.LISTEN_DROPS.bit());
    private static final SynDecision OVERFLOW = new SynDecision(SynVerdict.DROP_LISTEN_OVERFLOW,
            ListenCounter.LISTEN_OVERFLOWS.bit() | ListenCounter.LISTEN_DROPS.bit());
    private static final SynDecision OVERFLOW_WANTING_COOKIE = new SynDecision(SynVerdict.DROP_LISTEN_OVERFLOW,
            ListenCounter.TCP_REQ_Q_FULL_DO_COOKIES.bit() | ListenCounter.LISTEN_OVERFLOWS.bit() | ListenCounter.LISTEN_DROPS.bit());
    private static final SynDecision DROP_SYN_BACKLOG = new SynDecision(SynVerdict.DROP_SYN_BACKLOG,
            ListenCounter.LISTEN_DROPS.bit());

    /**
     * The decision for a SYN arriving at a listener ({@code tcp_conn_request}); see the class
     * comment for the order of the checks. Allocates nothing. On {@link SynVerdict#COOKIE} the
     * caller also stamps the overflow ({@link RequestSockQueue#synqOverflow}); whenever the first
     * check fires it may log the SYN flood warning once ({@link RequestSockQueue#warnSynFloodOnce}).
     *
     * @param syncookies     {@code net.ipv4.tcp_syncookies}: 0, 1 or 2
     * @param synQueueLen    request socks queued ({@link RequestSockQueue#qlen()})
     * @param acceptQueueLen children waiting for accept ({@link AcceptQueue#size()})
     * @param maxAckBacklog  the listen backlog ({@code sk_max_ack_backlog})
     * @param maxSynBacklog  {@code net.ipv4.tcp_max_syn_backlog}
     * @param peerProven     the peer is known alive ({@code tcp_peer_is_proven}: a cached RTT from
     *                       an earlier connection in the TCP metrics)
     * @param fromTimeWait   the SYN reopens a TIME_WAIT connection ({@code tcp_tw_isn} set): the
     *                       queue limits and cookies are skipped
     */
    public static SynDecision onSyn(int syncookies, int synQueueLen, int acceptQueueLen, int maxAckBacklog,
                                    int maxSynBacklog, boolean peerProven, boolean fromTimeWait) {
        boolean wantCookie = false;
        if (!fromTimeWait && (syncookies == 2 || synQueueLen > maxAckBacklog)) {
            // tcp_syn_flood_action()
            if (syncookies == 0) {
                return DROP_REQQ_FULL;
            }
            wantCookie = true;
        }
        if (acceptQueueLen > maxAckBacklog) {
            return wantCookie ? OVERFLOW_WANTING_COOKIE : OVERFLOW;
        }
        if (!wantCookie && !fromTimeWait && syncookies == 0
                && maxSynBacklog - synQueueLen < (maxSynBacklog >> 2) && !peerProven) {
            return DROP_SYN_BACKLOG;
        }
        return wantCookie ? COOKIE : QUEUE;
    }

    /** What happens to the ACK that completes a handshake with a request sock. */
    public enum AckVerdict {
        /** The child socket is created ESTABLISHED and queued for accept. */
        CREATE_CHILD,
        /** TCP_DEFER_ACCEPT: a bare ACK; the request is marked acked and waits for data. */
        DEFER,
        /** Accept queue full, tcp_abort_on_overflow 0: ACK dropped, request marked acked and kept. */
        KEEP_ACKED,
        /** Accept queue full, tcp_abort_on_overflow 1: RST sent, request dropped. */
        RESET
    }

    /**
     * A decision for a handshake-completing ACK.
     *
     * @param verdict  what to do
     * @param counters the {@link ListenCounter#bit() bits} of the counters to bump
     */
    public record AckDecision(AckVerdict verdict, int counters) {
        /** True if {@code counter} is bumped. */
        public boolean bumps(ListenCounter counter) {
            return (counters & counter.bit()) != 0;
        }

        /** The counters bumped, as a set. */
        public Set<ListenCounter> counterSet() {
            return toSet(counters);
        }
    }

    private static final AckDecision CREATE_CHILD = new AckDecision(AckVerdict.CREATE_CHILD, 0);
    private static final AckDecision DEFER = new AckDecision(AckVerdict.DEFER, ListenCounter.TCP_DEFER_ACCEPT_DROP.bit());
    private static final AckDecision KEEP_ACKED = new AckDecision(AckVerdict.KEEP_ACKED,
            ListenCounter.LISTEN_OVERFLOWS.bit() | ListenCounter.LISTEN_DROPS.bit());
    private static final AckDecision RESET = new AckDecision(AckVerdict.RESET,
            ListenCounter.LISTEN_OVERFLOWS.bit() | ListenCounter.LISTEN_DROPS.bit() | ListenCounter.EMBRYONIC_RSTS.bit());

    /**
     * The decision for an acceptable ACK to a request sock ({@code tcp_check_req} after its
     * sequence, RST and SYN checks, with {@code tcp_v4_syn_recv_sock}'s accept queue check).
     *
     * @param acceptQueueFull the listener's accept queue is full ({@link AcceptQueue#isFull})
     * @param abortOnOverflow {@code net.ipv4.tcp_abort_on_overflow}
     * @param deferAccept     the listener's TCP_DEFER_ACCEPT in retransmissions, 0 when off
     * @param numTimeout      the request's SYN-ACK timer runs so far
     * @param bareAck         the ACK carries no data ({@code end_seq == rcv_isn + 1})
     */
    public static AckDecision onFinalAck(boolean acceptQueueFull, int abortOnOverflow, int deferAccept,
                                         int numTimeout, boolean bareAck) {
        if (numTimeout < deferAccept && bareAck) {
            return DEFER;
        }
        if (!acceptQueueFull) {
            return CREATE_CHILD;
        }
        return abortOnOverflow == 0 ? KEEP_ACKED : RESET;
    }

    static Set<ListenCounter> toSet(int counters) {
        Set<ListenCounter> set = EnumSet.noneOf(ListenCounter.class);
        for (ListenCounter c : ListenCounter.values()) {
            if ((counters & c.bit()) != 0) {
                set.add(c);
            }
        }
        return set;
    }
}
