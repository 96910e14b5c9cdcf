package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpOptions;
import org.junit.jupiter.api.Test;

class RequestSockTest {
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1").toInt();
    private static final int SERVER = Ipv4Address.parse("10.0.0.2").toInt();

    @Test
    void isAHalfOpenConnectionShownAsSynRecvWithInodeZero() {
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, 1000, 5000);
        assertEquals(TcpState.NEW_SYN_RECV, req.state());
        assertEquals("03", req.state().procHex());
        assertEquals("SYN-RECV", req.state().ssName());
        assertEquals(0, req.inode());
        assertEquals(1001, req.rcvNxt());
        assertEquals(5000, req.sntIsn());
        assertEquals(TcpConstants.TCP_TIMEOUT_INIT, req.timeout());
        assertTrue(req.isYoung());
        assertFalse(req.acked());
        assertEquals(0, req.numRetrans());
    }

    @Test
    void rcvNxtWrapsWithTheSequenceSpace() {
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, 0xFFFF_FFFF, 0);
        assertEquals(0, req.rcvNxt());
    }

    @Test
    void keepsWhatTheSynNegotiated() {
        TcpOptions syn = TcpOptions.NONE.withMss(1460).withSackPermitted(true).withTimestamps(777, 0).withWindowScale(7);
        SynNegotiation.Negotiated n = SynNegotiation.passive(syn, SynNegotiation.Settings.LINUX_DEFAULTS, 1460,
                131072, false, 0, 0, false);
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, 1000, 5000).negotiated(n);
        assertEquals(1460, req.mss());
        assertTrue(req.wscaleOk());
        assertEquals(7, req.sndWscale());
        assertEquals(7, req.rcvWscale());
        assertTrue(req.sackOk());
        assertTrue(req.tstampOk());
        assertEquals(777, req.tsRecent());
        assertEquals(65160, req.rcvWnd());
    }

    @Test
    void timerRunsCountAndEndYouth() {
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, 1, 2);
        req.timedOut();
        req.synAckRetransmitted();
        assertFalse(req.isYoung());
        assertEquals(1, req.numTimeout());
        assertEquals(1, req.numRetrans());
    }

    @Test
    void matchesOnlyItsOwnTuple() {
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, 1, 2);
        assertTrue(req.matches(SERVER, 80, CLIENT, 40000));
        assertFalse(req.matches(SERVER, 80, CLIENT, 40001));
        assertFalse(req.matches(CLIENT, 40000, SERVER, 80));
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new RequestSock(SERVER, 65536, CLIENT, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RequestSock(SERVER, 80, CLIENT, -1, 0, 0));
    }

    @Test
    void toStringNamesTheTupleAndState() {
        RequestSock req = new RequestSock(SERVER, 80, CLIENT, 40000, -1, 2);
        String s = req.toString();
        assertTrue(s.startsWith("RequestSock[10.0.0.2:80 <- 10.0.0.1:40000 rcvIsn=4294967295"), s);
    }
}
