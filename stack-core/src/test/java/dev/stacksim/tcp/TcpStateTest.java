package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpStateTest {
    @Test
    void numbersAreLinuxsTcpStatesEnum() {
        int n = 1;
        for (TcpState s : TcpState.values()) {
            assertEquals(n++, s.number(), s.name());
        }
        assertEquals(1, TcpState.ESTABLISHED.number());
        assertEquals(7, TcpState.CLOSE.number());
        assertEquals(10, TcpState.LISTEN.number());
        assertEquals(11, TcpState.CLOSING.number());
        assertEquals(12, TcpState.NEW_SYN_RECV.number());
    }

    @Test
    void procHexIsTwoUppercaseDigitsAndRequestSocksShowAsSynRecv() {
        assertEquals("01", TcpState.ESTABLISHED.procHex());
        assertEquals("06", TcpState.TIME_WAIT.procHex());
        assertEquals("09", TcpState.LAST_ACK.procHex());
        assertEquals("0A", TcpState.LISTEN.procHex());
        assertEquals("0B", TcpState.CLOSING.procHex());
        assertEquals("03", TcpState.NEW_SYN_RECV.procHex());
        for (TcpState s : TcpState.values()) {
            if (s != TcpState.NEW_SYN_RECV) {
                assertEquals(String.format("%02X", s.number()), s.procHex());
            }
        }
    }

    @Test
    void ssNamesAreIproute2s() {
        // The strings of /usr/bin/ss (iproute2-6.1.0) on this machine.
        assertEquals("ESTAB", TcpState.ESTABLISHED.ssName());
        assertEquals("SYN-SENT", TcpState.SYN_SENT.ssName());
        assertEquals("SYN-RECV", TcpState.SYN_RECV.ssName());
        assertEquals("SYN-RECV", TcpState.NEW_SYN_RECV.ssName());
        assertEquals("FIN-WAIT-1", TcpState.FIN_WAIT1.ssName());
        assertEquals("FIN-WAIT-2", TcpState.FIN_WAIT2.ssName());
        assertEquals("TIME-WAIT", TcpState.TIME_WAIT.ssName());
        assertEquals("UNCONN", TcpState.CLOSE.ssName());
        assertEquals("CLOSE-WAIT", TcpState.CLOSE_WAIT.ssName());
        assertEquals("LAST-ACK", TcpState.LAST_ACK.ssName());
        assertEquals("LISTEN", TcpState.LISTEN.ssName());
        assertEquals("CLOSING", TcpState.CLOSING.ssName());
    }

    @Test
    void rfcNamesAreRfc9293s() {
        assertEquals("CLOSED", TcpState.CLOSE.rfcName());
        assertEquals("SYN-RECEIVED", TcpState.SYN_RECV.rfcName());
        assertEquals("SYN-RECEIVED", TcpState.NEW_SYN_RECV.rfcName());
        assertEquals("ESTABLISHED", TcpState.ESTABLISHED.rfcName());
        assertEquals("TIME-WAIT", TcpState.TIME_WAIT.rfcName());
    }

    @Test
    void flagsAreTcpfMasks() {
        assertEquals(1 << 2, TcpState.SYN_SENT.flag());
        int synStates = TcpState.mask(TcpState.SYN_SENT, TcpState.SYN_RECV);
        assertEquals((1 << 2) | (1 << 3), synStates);
        assertTrue(TcpState.SYN_RECV.in(synStates));
        assertFalse(TcpState.ESTABLISHED.in(synStates));
    }

    @Test
    void ofNumberRoundTripsAndRejectsOthers() {
        for (TcpState s : TcpState.values()) {
            assertSame(s, TcpState.ofNumber(s.number()));
        }
        assertThrows(IllegalArgumentException.class, () -> TcpState.ofNumber(0));
        assertThrows(IllegalArgumentException.class, () -> TcpState.ofNumber(13));
    }
}
