package dev.stacksim.ip;

import dev.stacksim.ip.Route.RouteProto;
import dev.stacksim.ip.Route.RouteScope;
import dev.stacksim.ip.Route.RouteType;
import org.junit.jupiter.api.Test;

import static dev.stacksim.ip.RouteTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTableTest {
    private final RoutingTable table = new RoutingTable();

    private static Route main(String dst, int len, String gw, String dev, int metric) {
        return new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, ip(dst), len, gw == null ? 0 : ip(gw),
                dev.equals("eth0") ? 2 : 3, dev, 0, metric, RouteProto.BOOT,
                gw == null ? RouteScope.LINK : RouteScope.UNIVERSE);
    }

    private static Route local(RouteType type, String addr, String src) {
        return new Route(type, RoutingTable.TABLE_LOCAL, ip(addr), 32, 0, 2, "eth0", ip(src), 0, RouteProto.KERNEL,
                type == RouteType.LOCAL ? RouteScope.HOST : RouteScope.LINK);
    }

    @Test
    void longestPrefixWins() {
        Route def = main("0.0.0.0", 0, "10.0.0.254", "eth0", 0);
        Route wide = main("10.0.0.0", 8, "10.0.0.253", "eth0", 0);
        Route narrow = main("10.1.0.0", 16, null, "eth1", 0);
        table.add(def);
        table.add(narrow);
        table.add(wide);
        assertSame(narrow, table.lookup(ip("10.1.2.3")));
        assertSame(wide, table.lookup(ip("10.2.2.3")));
        assertSame(def, table.lookup(ip("8.8.8.8")));
    }

    @Test
    void smallestMetricWinsAmongEqualPrefixes() {
        Route slow = main("0.0.0.0", 0, "10.0.0.1", "eth0", 200);
        Route fast = main("0.0.0.0", 0, "10.0.0.2", "eth0", 100);
        table.add(slow);
        table.add(fast);
        assertSame(fast, table.lookupMain(ip("1.2.3.4")));
        assertEquals("default via 10.0.0.2 dev eth0 metric 100\ndefault via 10.0.0.1 dev eth0 metric 200\n",
                table.show());
    }

    /** The index must answer exactly as a scan of every route does, for any mix of prefixes and metrics. */
    @Test
    void indexedLookupAgreesWithALinearScanOfEveryRoute() {
        java.util.Random rnd = new java.util.Random(42);
        java.util.List<Route> all = new java.util.ArrayList<>();
        int[] bases = {ip("10.0.0.0"), ip("10.1.0.0"), ip("192.168.7.0"), ip("0.0.0.0"), ip("172.16.0.0")};
        for (int n = 0; n < 300; n++) {
            int len = rnd.nextInt(33);
            int base = bases[rnd.nextInt(bases.length)] | (rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(1024));
            int dst = base & dev.stacksim.wire.Ipv4Cidr.netmask(len);
            Route r = main(dev.stacksim.wire.Ipv4Address.toString(dst), len, null, rnd.nextBoolean() ? "eth0" : "eth1",
                    rnd.nextInt(3) * 100);
            try {
                table.add(r);
                all.add(r);
            } catch (IllegalArgumentException exists) {
                // the same prefix and metric twice: EEXIST, as Linux answers
            }
            if (n % 50 == 49) {
                Route gone = all.remove(rnd.nextInt(all.size()));
                assertTrue(table.remove(gone));
            }
            for (int probe = 0; probe < 20; probe++) {
                int daddr = bases[rnd.nextInt(bases.length)] | rnd.nextInt(rnd.nextBoolean() ? 1024 : 1 << 20);
                if (probe == 0) {
                    daddr = rnd.nextInt();
                }
                assertSame(scan(table.routes(), daddr), table.lookupMain(daddr),
                        () -> "routes=" + all.size() + "\n" + table.show());
            }
        }
    }

    @Test
    void smallTablesScannedAgreeWithALinearScanOfEveryRoute() {
        java.util.Random rnd = new java.util.Random(7);
        int[] bases = {ip("10.0.0.0"), ip("10.0.0.255"), ip("127.0.0.0"), ip("0.0.0.0")};
        for (int t = 0; t < 2000; t++) {
            RoutingTable small = new RoutingTable();
            int n = rnd.nextInt(PrefixIndex.SCAN_MAX + 1);
            for (int k = 0; k < n; k++) {
                int len = new int[] {0, 8, 24, 32}[rnd.nextInt(4)];
                int dst = bases[rnd.nextInt(bases.length)] & dev.stacksim.wire.Ipv4Cidr.netmask(len);
                try {
                    small.add(main(dev.stacksim.wire.Ipv4Address.toString(dst), len, null, "eth0", rnd.nextInt(3) * 100));
                } catch (IllegalArgumentException exists) {
                    // EEXIST
                }
            }
            for (int probe = 0; probe < 10; probe++) {
                int daddr = bases[rnd.nextInt(bases.length)] | rnd.nextInt(probe == 0 ? Integer.MAX_VALUE : 256);
                assertSame(scan(small.routes(), daddr), small.lookupMain(daddr), small::show);
                assertSame(scan(small.routes(), daddr), small.lookup(daddr), small::show);
                assertSame(small.lookup(daddr), small.lookup(daddr), "the cached answer");
            }
        }
    }

    /** Longest prefix, then the smallest metric, then the first in dump order. */
    private static Route scan(java.util.List<Route> dumpOrder, int daddr) {
        Route best = null;
        for (Route r : dumpOrder) {
            if (r.matches(daddr) && (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength() && r.metric() < best.metric()))) {
                best = r;
            }
        }
        return best;
    }

    @Test
    void noMatchWithoutADefaultRoute() {
        table.add(main("10.0.0.0", 24, null, "eth0", 0));
        assertNull(table.lookup(ip("192.168.0.1")));
    }

    @Test
    void localTableIsConsultedFirst() {
        Route connected = main("10.0.0.0", 24, null, "eth0", 0);
        Route me = local(RouteType.LOCAL, "10.0.0.1", "10.0.0.1");
        Route bcast = local(RouteType.BROADCAST, "10.0.0.255", "10.0.0.1");
        table.add(connected);
        table.add(me);
        table.add(bcast);
        assertSame(me, table.lookup(ip("10.0.0.1")));
        assertSame(bcast, table.lookup(ip("10.0.0.255")));
        assertSame(connected, table.lookup(ip("10.0.0.2")));
        assertTrue(table.isLocal(ip("10.0.0.1")));
        assertFalse(table.isLocal(ip("10.0.0.255")));
        assertTrue(table.isBroadcast(ip("10.0.0.255")));
        assertTrue(table.isBroadcast(ip("255.255.255.255")));
        assertFalse(table.isBroadcast(ip("10.0.0.2")));
        assertEquals("10.0.0.0/24 dev eth0 scope link\n", table.show());
        assertEquals("local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1\n"
                + "broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1\n", table.showLocal());
    }

    @Test
    void printsInTrieOrderLongerPrefixesOfOneAddressFirst() {
        table.add(main("10.0.0.0", 8, "192.168.1.1", "eth1", 0));
        table.add(main("192.168.1.0", 24, null, "eth1", 0));
        table.add(main("0.0.0.0", 0, "192.168.1.254", "eth1", 0));
        table.add(main("10.0.0.0", 24, null, "eth0", 0));
        assertEquals("default via 192.168.1.254 dev eth1\n"
                + "10.0.0.0/24 dev eth0 scope link\n"
                + "10.0.0.0/8 via 192.168.1.1 dev eth1\n"
                + "192.168.1.0/24 dev eth1 scope link\n", table.show());
        assertEquals(4, table.routes().size());
    }

    @Test
    void duplicateRouteIsRefusedAndRemoveWorks() {
        Route r = main("10.0.0.0", 24, null, "eth0", 0);
        table.add(r);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> table.add(main("10.0.0.0", 24, null, "eth1", 0)));
        assertTrue(e.getMessage().startsWith("RTNETLINK answers: File exists"), e.getMessage());
        table.add(main("10.0.0.0", 24, null, "eth1", 10));
        assertTrue(table.remove(r));
        assertFalse(table.remove(r));
        assertEquals(1, table.removeIf(x -> x.metric() == 10));
        assertTrue(table.routes().isEmpty());
    }
}
