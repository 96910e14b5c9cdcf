package dev.stacksim.nic;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthtoolStatsTest {
    private static EthtoolStats sample() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_packets", 12L);
        m.put("tx_packets", 3L);
        m.put("rx_missed_errors", 0L);
        return new EthtoolStats(m);
    }

    @Test
    void printsInEthtoolDashSFormat() {
        assertEquals("NIC statistics:\n     rx_packets: 12\n     tx_packets: 3\n     rx_missed_errors: 0\n",
                sample().toString());
    }

    @Test
    void keepsTheDriversOrderAndIsASnapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("b", 1L);
        m.put("a", 2L);
        EthtoolStats s = new EthtoolStats(m);
        m.put("a", 99L);
        assertEquals(List.of("b", "a"), s.names());
        assertEquals(2L, s.get("a"));
        assertThrows(UnsupportedOperationException.class, () -> s.asMap().put("c", 3L));
    }

    @Test
    void unknownCounterNamesAreRejectedWithTheNamesThereAre() {
        EthtoolStats s = sample();
        assertTrue(s.has("rx_packets"));
        assertFalse(s.has("rx_pakets"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.get("rx_pakets"));
        assertEquals("ethtool -S: no counter name=rx_pakets (have [rx_packets, tx_packets, rx_missed_errors])",
                e.getMessage());
    }
}
