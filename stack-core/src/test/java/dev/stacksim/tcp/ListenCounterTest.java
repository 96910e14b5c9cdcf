package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenCounterTest {
    @Test
    void namesAreTheOnesNstatPrintsAfterTcpExt() {
        assertEquals("ListenOverflows", ListenCounter.LISTEN_OVERFLOWS.linuxName());
        assertEquals("ListenDrops", ListenCounter.LISTEN_DROPS.linuxName());
        assertEquals("TCPReqQFullDoCookies", ListenCounter.TCP_REQ_Q_FULL_DO_COOKIES.linuxName());
        assertEquals("TCPReqQFullDrop", ListenCounter.TCP_REQ_Q_FULL_DROP.linuxName());
        assertEquals("SyncookiesSent", ListenCounter.SYNCOOKIES_SENT.linuxName());
        assertEquals("SyncookiesRecv", ListenCounter.SYNCOOKIES_RECV.linuxName());
        assertEquals("SyncookiesFailed", ListenCounter.SYNCOOKIES_FAILED.linuxName());
        assertEquals("EmbryonicRsts", ListenCounter.EMBRYONIC_RSTS.linuxName());
        assertEquals("TCPDeferAcceptDrop", ListenCounter.TCP_DEFER_ACCEPT_DROP.linuxName());
        assertEquals("TCPTimeouts", ListenCounter.TCP_TIMEOUTS.linuxName());
    }

    @Test
    void bitsAreDistinctSingleBits() {
        Set<Integer> bits = new HashSet<>();
        for (ListenCounter c : ListenCounter.values()) {
            assertEquals(1, Integer.bitCount(c.bit()), c.name());
            bits.add(c.bit());
        }
        assertEquals(ListenCounter.values().length, bits.size());
    }
}
