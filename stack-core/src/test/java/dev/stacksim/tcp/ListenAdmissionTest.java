package dev.stacksim.tcp;

import static dev.stacksim.tcp.ListenCounter.EMBRYONIC_RSTS;
import static dev.stacksim.tcp.ListenCounter.LISTEN_DROPS;
import static dev.stacksim.tcp.ListenCounter.LISTEN_OVERFLOWS;
import static dev.stacksim.tcp.ListenCounter.SYNCOOKIES_SENT;
import static dev.stacksim.tcp.ListenCounter.TCP_DEFER_ACCEPT_DROP;
import static dev.stacksim.tcp.ListenCounter.TCP_REQ_Q_FULL_DO_COOKIES;
import static dev.stacksim.tcp.ListenCounter.TCP_REQ_Q_FULL_DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.tcp.ListenAdmission.AckDecision;
import dev.stacksim.tcp.ListenAdmission.AckVerdict;
import dev.stacksim.tcp.ListenAdmission.SynDecision;
import dev.stacksim.tcp.ListenAdmission.SynVerdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenAdmissionTest {
    private static final int MAX_SYN_BACKLOG = 2048;

    /** A SYN with syncookies {@code cookies}, queue lengths and backlog, unproven peer, not from TIME_WAIT. */
    private static SynDecision syn(int cookies, int qlen, int acceptLen, int backlog) {
        return ListenAdmission.onSyn(cookies, qlen, acceptLen, backlog, MAX_SYN_BACKLOG, false, false);
    }

    @Test
    void synWithRoomIsQueuedAndCountsNothing() {
        SynDecision d = syn(1, 0, 0, 128);
        assertEquals(SynVerdict.QUEUE, d.verdict());
        assertFalse(d.dropped());
        assertEquals(Set.of(), d.counterSet());
    }

    @Test
    void fullSynQueueWithSyncookiesOneSendsACookie() {
        assertEquals(SynVerdict.QUEUE, syn(1, 128, 0, 128).verdict(), "qlen == backlog is not full");
        SynDecision d = syn(1, 129, 0, 128);
        assertEquals(SynVerdict.COOKIE, d.verdict());
        assertEquals(Set.of(TCP_REQ_Q_FULL_DO_COOKIES, SYNCOOKIES_SENT), d.counterSet());
    }

    @Test
    void syncookiesTwoSendsACookieForEverySynAndCountsDoCookiesEachTime() {
        SynDecision d = syn(2, 0, 0, 128);
        assertEquals(SynVerdict.COOKIE, d.verdict());
        assertTrue(d.bumps(TCP_REQ_Q_FULL_DO_COOKIES));
    }

    @Test
    void fullSynQueueWithSyncookiesOffDropsAndCountsReqQFullDrop() {
        SynDecision d = syn(0, 129, 0, 128);
        assertEquals(SynVerdict.DROP_REQQ_FULL, d.verdict());
        assertTrue(d.dropped());
        assertEquals(Set.of(TCP_REQ_Q_FULL_DROP, LISTEN_DROPS), d.counterSet());
    }

    @Test
    void fullAcceptQueueDropsAndCountsListenOverflows() {
        SynDecision d = syn(1, 0, 129, 128);
        assertEquals(SynVerdict.DROP_LISTEN_OVERFLOW, d.verdict());
        assertEquals(Set.of(LISTEN_OVERFLOWS, LISTEN_DROPS), d.counterSet());
        assertEquals(SynVerdict.QUEUE, syn(1, 0, 128, 128).verdict(), "backlog + 1 fit: 128 waiting is not full");
    }

    @Test
    void cookieWantedButAcceptQueueFullCountsBoth() {
        SynDecision d = syn(1, 129, 129, 128);
        assertEquals(SynVerdict.DROP_LISTEN_OVERFLOW, d.verdict());
        assertEquals(Set.of(TCP_REQ_Q_FULL_DO_COOKIES, LISTEN_OVERFLOWS, LISTEN_DROPS), d.counterSet());
    }

    @Test
    void fullSynQueueIsCheckedBeforeTheAcceptQueue() {
        SynDecision d = syn(0, 129, 129, 128);
        assertEquals(SynVerdict.DROP_REQQ_FULL, d.verdict());
        assertFalse(d.bumps(LISTEN_OVERFLOWS));
    }

    @Test
    void withoutCookiesTheLastQuarterOfMaxSynBacklogIsForProvenPeers() {
        // max_syn_backlog - qlen < max_syn_backlog >> 2: 2048 - 1536 = 512 is not < 512.
        assertEquals(SynVerdict.QUEUE, syn(0, 1536, 0, 4096).verdict());
        SynDecision d = syn(0, 1537, 0, 4096);
        assertEquals(SynVerdict.DROP_SYN_BACKLOG, d.verdict());
        assertEquals(Set.of(LISTEN_DROPS), d.counterSet());
        assertEquals(SynVerdict.QUEUE,
                ListenAdmission.onSyn(0, 1537, 0, 4096, MAX_SYN_BACKLOG, true, false).verdict(), "proven peer");
        assertEquals(SynVerdict.QUEUE, syn(1, 1537, 0, 4096).verdict(), "syncookies on: rule off");
    }

    @Test
    void quarterRuleUsesIntegerShift() {
        // tcp_max_syn_backlog 10: 10 >> 2 = 2, so drops start when 10 - qlen < 2, at qlen 9.
        assertEquals(SynVerdict.QUEUE, ListenAdmission.onSyn(0, 8, 0, 100, 10, false, false).verdict());
        assertEquals(SynVerdict.DROP_SYN_BACKLOG, ListenAdmission.onSyn(0, 9, 0, 100, 10, false, false).verdict());
    }

    @Test
    void synReopeningTimeWaitSkipsQueueLimitsButNotTheAcceptQueue() {
        assertEquals(SynVerdict.QUEUE, ListenAdmission.onSyn(2, 500, 0, 128, MAX_SYN_BACKLOG, false, true).verdict());
        assertEquals(SynVerdict.QUEUE, ListenAdmission.onSyn(0, 2000, 0, 4096, MAX_SYN_BACKLOG, false, true).verdict());
        assertEquals(SynVerdict.DROP_LISTEN_OVERFLOW,
                ListenAdmission.onSyn(0, 0, 129, 128, MAX_SYN_BACKLOG, false, true).verdict());
    }

    @Test
    void listenTwoWithFiveSequentialClientsAcceptsThreeAndOverflowsTwo() {
        // The example: each handshake completes before the next SYN; nobody accepts.
        AcceptQueue<Integer> accept = new AcceptQueue<>();
        RequestSockQueue synq = new RequestSockQueue();
        Map<ListenCounter, Integer> counters = new EnumMap<>(ListenCounter.class);
        int backlog = 2;
        for (int client = 0; client < 5; client++) {
            SynDecision d = ListenAdmission.onSyn(1, synq.qlen(), accept.size(), backlog, MAX_SYN_BACKLOG, false, false);
            d.counterSet().forEach(c -> counters.merge(c, 1, Integer::sum));
            if (d.verdict() == SynVerdict.QUEUE) {
                AckDecision a = ListenAdmission.onFinalAck(accept.isFull(backlog), 0, 0, 0, true);
                assertEquals(AckVerdict.CREATE_CHILD, a.verdict());
                accept.add(client);
            }
        }
        assertEquals(3, accept.size(), "ss: Recv-Q 3, Send-Q 2");
        assertEquals(Map.of(LISTEN_OVERFLOWS, 2, LISTEN_DROPS, 2), counters);
    }

    @Test
    void finalAckWithRoomCreatesTheChild() {
        AckDecision d = ListenAdmission.onFinalAck(false, 0, 0, 0, true);
        assertEquals(AckVerdict.CREATE_CHILD, d.verdict());
        assertEquals(0, d.counters());
    }

    @Test
    void finalAckWithFullAcceptQueueKeepsTheRequestByDefault() {
        AckDecision d = ListenAdmission.onFinalAck(true, 0, 0, 2, true);
        assertEquals(AckVerdict.KEEP_ACKED, d.verdict());
        assertEquals(Set.of(LISTEN_OVERFLOWS, LISTEN_DROPS), d.counterSet());
    }

    @Test
    void finalAckWithFullAcceptQueueAndAbortOnOverflowResets() {
        AckDecision d = ListenAdmission.onFinalAck(true, 1, 0, 0, true);
        assertEquals(AckVerdict.RESET, d.verdict());
        assertEquals(Set.of(LISTEN_OVERFLOWS, LISTEN_DROPS, EMBRYONIC_RSTS), d.counterSet());
    }

    @Test
    void deferAcceptSetsBareAcksAsideUntilItsTimeoutsRunOut() {
        AckDecision d = ListenAdmission.onFinalAck(false, 0, 3, 2, true);
        assertEquals(AckVerdict.DEFER, d.verdict());
        assertEquals(Set.of(TCP_DEFER_ACCEPT_DROP), d.counterSet());
        assertEquals(AckVerdict.CREATE_CHILD, ListenAdmission.onFinalAck(false, 0, 3, 2, false).verdict(), "data");
        assertEquals(AckVerdict.CREATE_CHILD, ListenAdmission.onFinalAck(false, 0, 3, 3, true).verdict(), "expired");
    }
}
