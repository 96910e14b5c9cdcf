package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4Test {
    private static final long MAC1 = WiredHost.MAC1;
    private static final long MAC9 = WiredHost.MAC9;

    private final WiredHost fixture = new WiredHost(101);
    private final Lab lab = fixture.lab;
    private final Wire wire = fixture.wire;
    private final Host h = fixture.h;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static int ip(String s) {
        return Ipv4Address.parse(s).toInt();
    }

    @Test
    void originatedDatagramsCarryAFullHeader() {
        SkBuffs.send(h, null, "10.0.0.9", 253, 10, 0, false);
        SkBuffs.send(h, null, "10.0.0.9", 253, 10, 7, true);
        lab.loop.runUntilIdle();
        List<byte[]> sent = wire.sentBytes();
        Ipv4Header first = Frames.ipOf(sent.get(0));
        Ipv4Header second = Frames.ipOf(sent.get(1));
        assertEquals("020000000009" + "020000000001" + "0800" + "45", hex(sent.get(0)).substring(0, 30));
        assertEquals(30, first.totalLength());
        assertEquals(64, first.ttl(), "net.ipv4.ip_default_ttl");
        assertEquals(7, second.ttl());
        assertTrue(second.dontFragment());
        assertEquals(253, first.protocol());
        assertEquals(ip("10.0.0.1"), first.srcAddr(), "the connected route's preferred source");
        assertEquals((first.identification() + 1) & 0xFFFF, second.identification());
        assertTrue(first.verifyChecksum());
        assertEquals("00010203040506070809", hex(sent.get(0)).substring(2 * 34));
        assertEquals(2, h.snmp().get("IpOutRequests"));
        assertEquals(2, h.snmp().get("IpOutTransmits"));
    }

    @Test
    void noRouteIsCountedAndReported() {
        assertEquals(XmitResult.NO_ROUTE, SkBuffs.send(h, null, "192.168.0.1", 253, 10, 0, false));
        assertEquals(1, h.snmp().get("IpOutNoRoutes"));
        assertEquals(1, lab.pool.drops(DropReason.IP_OUTNOROUTES));
        assertNull(h.ip().routeOutput(ip("192.168.0.1")));
    }

    @Test
    void defaultTtlSysctlApplies() {
        h.sysctl("net.ipv4.ip_default_ttl", 128);
        SkBuffs.send(h, null, "10.0.0.9", 253, 1, 0, false);
        lab.loop.runUntilIdle();
        assertEquals(128, Frames.ipOf(wire.sentBytes().get(0)).ttl());
    }

    @Test
    void sourceThroughAGatewayIsTheOutgoingInterfacesAddress() {
        h.addRoute("default via 10.0.0.9");
        Route r = h.ip().routeOutput(ip("8.8.8.8"));
        assertEquals(ip("10.0.0.1"), h.ip().selectSource(r, ip("8.8.8.8")));
        SkBuffs.send(h, null, "8.8.8.8", 253, 4, 0, false);
        lab.loop.runUntilIdle();
        byte[] f = wire.sentBytes().get(0);
        assertEquals("020000000009", hex(f).substring(0, 12), "sent to the gateway's MAC");
        assertEquals(ip("8.8.8.8"), Frames.ipOf(f).dstAddr());
    }

    @Test
    void tooLittleHeadroomIsExpanded() {
        SkBuff skb = lab.pool.alloc(0, 4).putBytes(new byte[] {1, 2, 3, 4});
        assertEquals(XmitResult.OK, h.ip().queueXmit(skb, 0, ip("10.0.0.9"), 253, 0, 0, false));
        lab.loop.runUntilIdle();
        assertEquals("01020304", hex(wire.sentBytes().get(0)).substring(2 * 34));
    }

    @Test
    void broadcastsGoOutAsLinkBroadcasts() {
        SkBuffs.send(h, null, "10.0.0.255", 253, 4, 0, false);
        SkBuffs.send(h, null, "255.255.255.255", 253, 4, 0, false);
        lab.loop.runUntilIdle();
        List<byte[]> sent = wire.sentBytes();
        assertEquals(2, sent.size());
        for (byte[] f : sent) {
            assertEquals("ffffffffffff", hex(f).substring(0, 12));
            assertEquals(ip("10.0.0.1"), Frames.ipOf(f).srcAddr());
        }
        assertEquals(2, h.snmp().get("IpExtOutBcastPkts"));
    }

    @Test
    void protocolNumbersAreRegisteredOnce() {
        IpProtocolHandler handler = SkBuff::consume;
        h.ip().registerProtocol(253, handler);
        assertThrows(IllegalArgumentException.class, () -> h.ip().registerProtocol(253, handler));
        assertThrows(IllegalArgumentException.class, () -> h.ip().registerProtocol(256, handler));
        h.ip().unregisterProtocol(253);
        assertNull(h.ip().protocol(253));
    }

    @Test
    void datagramLongerThan65535BytesIsRefused() {
        assertEquals(XmitResult.MSG_SIZE, SkBuffs.send(h, null, "10.0.0.9", 253, 65516, 0, false));
        assertEquals(0, h.snmp().get("IpOutDiscards"), "EMSGSIZE from ip_append_data is counted nowhere");
        assertEquals(0, h.snmp().get("IpOutRequests"));
        assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_BIG));
        assertEquals(XmitResult.OK, SkBuffs.send(h, null, "10.0.0.9", 253, 65515, 0, false));
        lab.loop.runUntilIdle();
        assertEquals(45, wire.sent().size(), "65535 bytes in 1480-byte fragments");
    }

    @Test
    void identificationWrapsAt65536() {
        int first = h.ip().nextIdentification();
        for (int i = 0; i < 65535; i++) {
            h.ip().nextIdentification();
        }
        assertEquals(first, h.ip().nextIdentification());
    }
}
