package dev.stacksim.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlTest {
    private final Sysctl sysctl = new Sysctl();

    @Test
    void defaultsAreLinuxs() {
        assertEquals(0, sysctl.getInt("net.ipv4.ip_forward"));
        assertEquals(64, sysctl.getInt("net.ipv4.ip_default_ttl"));
        assertEquals(30, sysctl.getInt("net.ipv4.ipfrag_time"));
        assertEquals(4194304, sysctl.getInt("net.ipv4.ipfrag_high_thresh"));
        assertEquals(3145728, sysctl.getInt("net.ipv4.ipfrag_low_thresh"));
        assertEquals(0, sysctl.getInt("net.ipv4.icmp_echo_ignore_all"));
        assertEquals(1000, sysctl.getInt("net.ipv4.icmp_ratelimit"));
        assertEquals(30000, sysctl.getInt("net.ipv4.neigh.default.base_reachable_time_ms"));
        assertEquals(1000, sysctl.getInt("net.ipv4.neigh.default.retrans_time_ms"));
        assertEquals(3, sysctl.getInt("net.ipv4.neigh.default.mcast_solicit"));
        assertEquals(3, sysctl.getInt("net.ipv4.neigh.default.ucast_solicit"));
        assertEquals(60, sysctl.getInt("net.ipv4.neigh.default.gc_stale_time"));
        assertEquals(212992, sysctl.getInt("net.ipv4.neigh.default.unres_qlen_bytes"));
        assertEquals(4096, sysctl.getInt("net.core.somaxconn"));
        assertArrayEquals(new int[] {32768, 60999}, sysctl.getInts("net.ipv4.ip_local_port_range"));
        assertEquals(1, sysctl.getInt("net.ipv4.tcp_syncookies"));
        assertEquals(2048, sysctl.getInt("net.ipv4.tcp_max_syn_backlog"));
        assertEquals(5, sysctl.getInt("net.ipv4.tcp_synack_retries"));
        assertEquals(6, sysctl.getInt("net.ipv4.tcp_syn_retries"));
        assertEquals(0, sysctl.getInt("net.ipv4.tcp_abort_on_overflow"));
        assertEquals(60, sysctl.getInt("net.ipv4.tcp_fin_timeout"));
        assertEquals(212992, sysctl.getInt("net.core.rmem_default"));
        assertEquals(212992, sysctl.getInt("net.core.wmem_default"));
        assertEquals(212992, sysctl.getInt("net.core.rmem_max"));
        assertEquals(212992, sysctl.getInt("net.core.wmem_max"));
        assertArrayEquals(new int[] {4096, 131072, 6291456}, sysctl.getInts("net.ipv4.tcp_rmem"));
        assertArrayEquals(new int[] {4096, 16384, 4194304}, sysctl.getInts("net.ipv4.tcp_wmem"));
    }

    @Test
    void listingIsSortedAndPrintedAsSysctlDashA() {
        String all = sysctl.list();
        assertTrue(all.startsWith("net.core.rmem_default = 212992\nnet.core.rmem_max = 212992\n"), all);
        assertTrue(all.contains("\nnet.ipv4.ip_forward = 0\n"));
        assertTrue(all.contains("\nnet.ipv4.ip_local_port_range = 32768\t60999\n"), "tuples are tab-separated");
        assertTrue(all.contains("\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\n"));
        assertEquals("net.ipv4.ipfrag_high_thresh = 4194304\nnet.ipv4.ipfrag_low_thresh = 3145728\n"
                + "net.ipv4.ipfrag_time = 30\n", sysctl.list("net.ipv4.ipfrag"));
        String[] lines = all.split("\n");
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i - 1].compareTo(lines[i]) < 0, lines[i - 1] + " before " + lines[i]);
        }
        assertEquals(lines.length, sysctl.names().size());
    }

    @Test
    void setChangesTheValueAndTheEntryHandleSeesIt() {
        Sysctl.Entry forward = sysctl.entry("net.ipv4.ip_forward");
        sysctl.set("net.ipv4.ip_forward", 1);
        assertEquals(1, forward.intValue());
        sysctl.set("net.ipv4.ip_local_port_range", "40000 40999");
        assertArrayEquals(new int[] {40000, 40999}, sysctl.getInts("net.ipv4.ip_local_port_range"));
        assertEquals("40000\t40999", sysctl.text("net.ipv4.ip_local_port_range"));
        sysctl.set("net.ipv4.tcp_rmem", 1, 2, 3);
        assertEquals(2, sysctl.entry("net.ipv4.tcp_rmem").intValue(1));
        sysctl.reset();
        assertEquals(0, forward.intValue());
        assertArrayEquals(new int[] {32768, 60999}, sysctl.getInts("net.ipv4.ip_local_port_range"));
    }

    @Test
    void outOfRangeValuesNameTheParameterAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sysctl.set("net.ipv4.ip_default_ttl", 0));
        assertEquals("sysctl: setting key \"net.ipv4.ip_default_ttl\": Invalid argument (value=0, range 1..255)",
                e.getMessage());
        assertEquals(64, sysctl.getInt("net.ipv4.ip_default_ttl"), "unchanged after a refused write");
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_forward", 2));
        assertTrue(e.getMessage().contains("range 0..1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.tcp_syncookies", 3));
        assertTrue(e.getMessage().contains("net.ipv4.tcp_syncookies") && e.getMessage().contains("range 0..2"));
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_local_port_range", "61000 60000"));
        assertTrue(e.getMessage().contains("low <= high"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_local_port_range", "0 100"));
        assertTrue(e.getMessage().contains("range 1..65535"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_local_port_range", 100));
        assertTrue(e.getMessage().contains("takes 2 value(s)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_forward", "yes"));
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
    }

    @Test
    void fragmentThresholdsBoundEachOther() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sysctl.set("net.ipv4.ipfrag_low_thresh", 5_000_000));
        assertTrue(e.getMessage().contains("ipfrag_high_thresh"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ipfrag_high_thresh", 1000));
        assertTrue(e.getMessage().contains("ipfrag_low_thresh"), e.getMessage());
        sysctl.set("net.ipv4.ipfrag_low_thresh", 0);
        sysctl.set("net.ipv4.ipfrag_high_thresh", 1000);
        assertEquals(1000, sysctl.getInt("net.ipv4.ipfrag_high_thresh"));
    }

    @Test
    void unknownNameIsRefusedAsSysctlDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sysctl.getInt("net.ipv4.nope"));
        assertEquals("sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.nope", 1));
    }

    @Test
    void everyEntryDocumentsItselfAndHasItsDefaultInRange() {
        for (String n : sysctl.names()) {
            Sysctl.Entry e = sysctl.entry(n);
            assertTrue(!e.doc().isEmpty(), n);
            for (int v : e.defaults()) {
                assertTrue(v >= e.min() && v <= e.max(), n + " default " + v);
            }
        }
    }

    @Test
    void theSocketParametersHaveLinuxsDefaults() {
        Sysctl sysctl = new Sysctl();
        assertEquals(10, sysctl.getInt("net.unix.max_dgram_qlen"));
        assertEquals(1024, sysctl.getInt("net.ipv4.ip_unprivileged_port_start"));
    }

    @Test
    void thePrivilegedPortsAndTheEphemeralRangeMayNotOverlap() {
        // observed on 6.18: both writes answer EINVAL
        Sysctl sysctl = new Sysctl();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sysctl.set("net.ipv4.ip_local_port_range", "1000 2000"));
        assertTrue(e.getMessage().contains("ip_unprivileged_port_start=1024"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.ipv4.ip_unprivileged_port_start", 40000));
        sysctl.set("net.ipv4.ip_unprivileged_port_start", 500);
        sysctl.set("net.ipv4.ip_local_port_range", "1000 2000");
        assertArrayEquals(new int[] {1000, 2000}, sysctl.getInts("net.ipv4.ip_local_port_range"));
    }

    @Test
    void listenersHearEverySetAndReset() {
        Sysctl sysctl = new Sysctl();
        java.util.List<String> heard = new java.util.ArrayList<>();
        sysctl.addListener(e -> heard.add(e.name() + "=" + e.text()));
        sysctl.set("net.core.somaxconn", 128);
        assertThrows(IllegalArgumentException.class, () -> sysctl.set("net.core.somaxconn", -1));
        assertEquals(java.util.List.of("net.core.somaxconn=128"), heard, "a refused value is not heard");
        sysctl.reset();
        assertTrue(heard.contains("net.core.somaxconn=4096"));
        assertEquals(1 + sysctl.names().size(), heard.size());
    }
}
