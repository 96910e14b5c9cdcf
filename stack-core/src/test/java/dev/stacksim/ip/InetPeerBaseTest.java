package dev.stacksim.ip;

import dev.stacksim.sim.SimTime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetPeerBaseTest {
    private static final long S = SimTime.seconds(1);

    @Test
    void newPeerStartsWithAFullBucketWindowAndNoTokens() {
        InetPeerBase base = new InetPeerBase(InetPeerBase.THRESHOLD);
        InetPeerBase.Peer p = base.get(7, 100 * S);
        assertEquals(7, p.daddr);
        assertEquals(0, p.rateTokens);
        assertEquals(40 * S, p.rateLast, "rate_last = jiffies - 60*HZ");
        assertSame(p, base.get(7, 101 * S));
        assertEquals(1, base.size());
    }

    @Test
    void idlePeerIsCollectedWhenANewOneArrivesAfterMaxTtl() {
        InetPeerBase base = new InetPeerBase(InetPeerBase.THRESHOLD);
        base.get(1, 0);
        base.get(2, 599 * S);
        assertNotNull(base.peek(1), "idle 599 s: under inet_peer_maxttl");
        base.get(3, 600 * S);
        assertNull(base.peek(1), "idle 600 s: collected");
        assertNotNull(base.peek(2));
        assertEquals(2, base.size());
    }

    @Test
    void lookupResetsTheIdleTime() {
        InetPeerBase base = new InetPeerBase(InetPeerBase.THRESHOLD);
        base.get(1, 0);
        base.get(2, 0);
        base.get(1, 500 * S);
        base.get(3, 700 * S);
        assertNotNull(base.peek(1), "looked up at 500 s");
        assertNull(base.peek(2));
    }

    @Test
    void ttlShrinksTowardsMinTtlAsTheStoreFills() {
        InetPeerBase base = new InetPeerBase(100);
        for (int i = 0; i < 49; i++) {
            base.get(i, 0);
        }
        // The 50th new peer: ttl = 600 s - 480 s * 50 / 100 = 360 s.
        base.get(1000, 359 * S);
        assertEquals(50, base.size());
        base.get(1001, 360 * S);
        assertEquals(51 - 32, base.size(), "at most PEER_MAX_GC (32) candidates per new peer");
        assertNull(base.peek(31));
        assertNotNull(base.peek(32));
    }

    @Test
    void atTheThresholdEveryIdleCandidateGoesSoTheStoreStaysBounded() {
        InetPeerBase base = new InetPeerBase(64);
        int most = 0;
        for (int i = 0; i < 10_000; i++) {
            base.get(i, 0);
            most = Math.max(most, base.size());
        }
        assertEquals(63, most, "counting the peer being added, the threshold is never reached");
        assertTrue(base.size() <= 64);
        assertNotNull(base.peek(9_999));
    }
}
