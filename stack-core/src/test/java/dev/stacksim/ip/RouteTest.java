package dev.stacksim.ip;

import dev.stacksim.ip.Route.RouteProto;
import dev.stacksim.ip.Route.RouteScope;
import dev.stacksim.ip.Route.RouteType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTest {
    static int ip(String s) {
        return Ipv4Address.parse(s).toInt();
    }

    @Test
    void printsAsIpRoute() {
        assertEquals("default via 10.0.0.254 dev eth0", new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, 0, 0,
                ip("10.0.0.254"), 2, "eth0", 0, 0, RouteProto.BOOT, RouteScope.UNIVERSE).toString());
        assertEquals("10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1", new Route(RouteType.UNICAST,
                RoutingTable.TABLE_MAIN, ip("10.0.0.0"), 24, 0, 2, "eth0", ip("10.0.0.1"), 0, RouteProto.KERNEL,
                RouteScope.LINK).toString());
        assertEquals("local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1", new Route(RouteType.LOCAL,
                RoutingTable.TABLE_LOCAL, ip("10.0.0.1"), 32, 0, 2, "eth0", ip("10.0.0.1"), 0, RouteProto.KERNEL,
                RouteScope.HOST).toString());
        assertEquals("broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1", new Route(
                RouteType.BROADCAST, RoutingTable.TABLE_LOCAL, ip("10.0.0.255"), 32, 0, 2, "eth0", ip("10.0.0.1"), 0,
                RouteProto.KERNEL, RouteScope.LINK).toString());
        assertEquals("10.9.0.0/16 via 10.0.0.1 dev eth1 proto static metric 100", new Route(RouteType.UNICAST,
                RoutingTable.TABLE_MAIN, ip("10.9.0.0"), 16, ip("10.0.0.1"), 3, "eth1", 0, 100, RouteProto.STATIC,
                RouteScope.UNIVERSE).toString());
    }

    @Test
    void matchesItsPrefixAndNamesTheNextHop() {
        Route r = new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, ip("10.1.0.0"), 16, ip("10.0.0.9"), 2, "eth0",
                0, 0, RouteProto.BOOT, RouteScope.UNIVERSE);
        assertTrue(r.matches(ip("10.1.200.3")));
        assertFalse(r.matches(ip("10.2.0.1")));
        assertEquals(ip("10.0.0.9"), r.nextHop(ip("10.1.2.3")));
        assertEquals(Ipv4Cidr.parse("10.1.0.0/16"), r.destination());
        assertEquals(Ipv4Address.parse("10.0.0.9"), r.gatewayAddress());
        Route onLink = new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, ip("10.0.0.0"), 24, 0, 2, "eth0", 0, 0,
                RouteProto.KERNEL, RouteScope.LINK);
        assertEquals(ip("10.0.0.7"), onLink.nextHop(ip("10.0.0.7")));
        assertNull(onLink.gatewayAddress());
    }

    @Test
    void hostBitsAndBadFieldsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Route(RouteType.UNICAST,
                RoutingTable.TABLE_MAIN, ip("10.0.0.1"), 24, 0, 2, "eth0", 0, 0, RouteProto.BOOT, RouteScope.LINK));
        assertTrue(e.getMessage().contains("10.0.0.1/24 has host bits set"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, 0, 33,
                0, 2, "eth0", 0, 0, RouteProto.BOOT, RouteScope.LINK));
        assertThrows(IllegalArgumentException.class, () -> new Route(RouteType.UNICAST, RoutingTable.TABLE_MAIN, 0, 0,
                0, 2, "eth0", 0, -1, RouteProto.BOOT, RouteScope.LINK));
        assertThrows(IllegalArgumentException.class, () -> new Route(null, RoutingTable.TABLE_MAIN, 0, 0,
                0, 2, "eth0", 0, 0, RouteProto.BOOT, RouteScope.LINK));
    }
}
