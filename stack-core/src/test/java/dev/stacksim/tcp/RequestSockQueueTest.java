package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestSockQueueTest {
    private static final int SERVER = Ipv4Address.parse("10.0.0.2").toInt();
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1").toInt();

    private static RequestSock req(int clientPort) {
        return new RequestSock(SERVER, 80, CLIENT, clientPort, clientPort * 7, clientPort * 11);
    }

    @Test
    void addCountsQlenAndYoung() {
        RequestSockQueue q = new RequestSockQueue();
        q.add(req(1));
        q.add(req(2));
        assertEquals(2, q.qlen());
        assertEquals(2, q.young());
        assertFalse(q.isEmpty());
    }

    @Test
    void fullMeansMoreThanTheBacklog() {
        // inet_csk_reqsk_queue_is_full: qlen > sk_max_ack_backlog.
        RequestSockQueue q = new RequestSockQueue();
        assertFalse(q.isFull(0));
        q.add(req(1));
        assertTrue(q.isFull(0));
        assertFalse(q.isFull(1));
        q.add(req(2));
        assertTrue(q.isFull(1));
    }

    @Test
    void lookupFindsByFourTupleOnly() {
        RequestSockQueue q = new RequestSockQueue();
        RequestSock a = req(40000);
        q.add(a);
        assertSame(a, q.lookup(SERVER, 80, CLIENT, 40000));
        assertNull(q.lookup(SERVER, 80, CLIENT, 40001));
        assertNull(q.lookup(SERVER, 81, CLIENT, 40000));
        assertNull(q.lookup(CLIENT, 80, CLIENT, 40000));
    }

    @Test
    void removeUndoesTheCountsAndTheLookup() {
        RequestSockQueue q = new RequestSockQueue();
        RequestSock a = req(1);
        RequestSock b = req(2);
        q.add(a);
        q.add(b);
        assertTrue(q.remove(a));
        assertFalse(q.remove(a));
        assertNull(q.lookup(SERVER, 80, CLIENT, 1));
        assertSame(b, q.lookup(SERVER, 80, CLIENT, 2));
        assertEquals(1, q.qlen());
        assertEquals(1, q.young());
    }

    @Test
    void youngDropsWhenARequestsTimerFirstFiresAndRemovalThenLeavesYoungAlone() {
        RequestSockQueue q = new RequestSockQueue();
        RequestSock a = req(1);
        q.add(a);
        q.add(req(2));
        a.timedOut();
        assertEquals(1, q.young());
        a.timedOut();
        assertEquals(1, q.young(), "only the first run ends youth");
        q.remove(a);
        assertEquals(1, q.qlen());
        assertEquals(1, q.young());
    }

    @Test
    void duplicatesAndDoubleAddsAreRejected() {
        RequestSockQueue q = new RequestSockQueue();
        RequestSock a = req(1);
        q.add(a);
        assertThrows(IllegalStateException.class, () -> q.add(a));
        assertThrows(IllegalStateException.class, () -> q.add(req(1)));
        RequestSockQueue other = new RequestSockQueue();
        assertThrows(IllegalStateException.class, () -> other.add(a));
        assertFalse(other.remove(a));
    }

    @Test
    void iterationIsInArrivalOrderAndToleratesRemoval() {
        RequestSockQueue q = new RequestSockQueue();
        for (int p = 1; p <= 5; p++) {
            q.add(req(p));
        }
        List<Integer> seen = new ArrayList<>();
        q.forEach(r -> {
            seen.add(r.remotePort());
            if (r.remotePort() % 2 == 0) {
                q.remove(r);
            }
        });
        assertEquals(List.of(1, 2, 3, 4, 5), seen);
        List<Integer> left = new ArrayList<>();
        q.forEach(r -> left.add(r.remotePort()));
        assertEquals(List.of(1, 3, 5), left);
        assertEquals(1, q.oldest().remotePort());
    }

    @Test
    void manyRequestsGrowTheTableAndStayFindable() {
        RequestSockQueue q = new RequestSockQueue();
        SplittableRandom r = new SplittableRandom(5);
        List<RequestSock> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            RequestSock s = new RequestSock(SERVER, 80, r.nextInt(), 1 + (i % 60000), 0, 0);
            if (q.lookup(s.localAddr(), s.localPort(), s.remoteAddr(), s.remotePort()) == null) {
                q.add(s);
                all.add(s);
            }
        }
        for (RequestSock s : all) {
            assertSame(s, q.lookup(s.localAddr(), s.localPort(), s.remoteAddr(), s.remotePort()));
        }
        for (int i = 0; i < all.size(); i += 2) {
            assertTrue(q.remove(all.get(i)));
        }
        assertEquals(all.size() / 2, q.qlen());
        for (int i = 1; i < all.size(); i += 2) {
            RequestSock s = all.get(i);
            assertSame(s, q.lookup(s.localAddr(), s.localPort(), s.remoteAddr(), s.remotePort()));
        }
    }

    @Test
    void synFloodWarningIsLoggedOnceAndNeverWithSyncookiesTwo() {
        RequestSockQueue q = new RequestSockQueue();
        assertFalse(q.warnSynFloodOnce(2));
        assertTrue(q.warnSynFloodOnce(1));
        assertFalse(q.warnSynFloodOnce(1));
        assertFalse(q.warnSynFloodOnce(0));
    }

    @Test
    void cookiesAreCheckedOnlyWithinTwoMinutesOfTheLastOverflow() {
        RequestSockQueue q = new RequestSockQueue();
        assertTrue(q.synqNoRecentOverflow(0), "a listener that never overflowed");
        long t = SimTime.seconds(500);
        q.synqOverflow(t);
        assertFalse(q.synqNoRecentOverflow(t));
        assertFalse(q.synqNoRecentOverflow(t - SimTime.seconds(1)), "one second of slack before");
        assertTrue(q.synqNoRecentOverflow(t - SimTime.seconds(1) - 1));
        assertFalse(q.synqNoRecentOverflow(t + SimTime.seconds(120)));
        assertTrue(q.synqNoRecentOverflow(t + SimTime.seconds(120) + 1));
    }

    @Test
    void overflowStampMovesAtMostOncePerSecond() {
        RequestSockQueue q = new RequestSockQueue();
        q.synqOverflow(SimTime.seconds(10));
        q.synqOverflow(SimTime.millis(10_900));
        // Still stamped at 10 s: 130 s is within [10 - 1, 10 + 120] only if the stamp moved.
        assertTrue(q.synqNoRecentOverflow(SimTime.millis(130_500)));
        q.synqOverflow(SimTime.millis(11_001));
        assertFalse(q.synqNoRecentOverflow(SimTime.millis(130_500)));
    }
}
