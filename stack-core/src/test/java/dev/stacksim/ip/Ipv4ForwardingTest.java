package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A router between two networks: a (10.0.1.1) -- r (10.0.1.254 | 10.0.2.254) -- b (10.0.2.1). */
class Ipv4ForwardingTest {
    private final Lab lab = new Lab(41);
    private Host a;
    private Host r;
    private Host b;
    private VethPair left;
    private VethPair right;
    private FrameTap aTap;
    private FrameTap bTap;

    @BeforeEach
    void setUp() {
        left = lab.veth("eth0", "eth0").delay(SimTime.millis(1));
        right = lab.veth("eth1", "eth0").delay(SimTime.millis(2));
        aTap = Lab.tap(left.first());
        bTap = Lab.tap(right.second());
        a = lab.host("a", aTap, "10.0.1.1/24");
        r = lab.add(Host.builder(lab.loop, lab.pool, "r").sysctl("net.ipv4.ip_forward", 1)
                .device(left.second()).device(right.first())
                .address("eth0", "10.0.1.254/24").address("eth1", "10.0.2.254/24").build());
        b = lab.host("b", bTap, "10.0.2.1/24");
        a.addRoute("default via 10.0.1.254");
        b.addDefaultRoute(Ipv4Address.parse("10.0.2.254"));
        lab.loop.runUntilIdle();
        aTap.clear();
        bTap.clear();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void routerForwardsPingBothWaysWithExactRtts() {
        PingResult p = a.ping("10.0.2.1", 3);
        // seq 1 waits for ARP on both links: 2 ms + 1 ms + 4 ms + 2 ms there, 2 ms + 1 ms back.
        assertArrayEquals(new long[] {SimTime.millis(12), SimTime.millis(6), SimTime.millis(6)}, p.rtts());
        assertEquals(63, p.reply(1).ttl(), "one router on the way back");
        assertEquals(Ipv4Address.parse("10.0.2.1"), p.reply(1).from());
        assertEquals(6, r.snmp().get("IpForwDatagrams"));
        assertEquals(6, r.snmp().get("IpInReceives"));
        assertEquals(6, r.snmp().get("IpOutTransmits"));
        assertEquals(0, r.snmp().get("IpOutRequests"), "forwarded datagrams are not the router's own");
        assertEquals(0, r.snmp().get("IpInDelivers"));
        assertEquals(0, b.snmp().get("IpInHdrErrors"), "the incremental checksum update is right");
        Ipv4Header atB = Frames.ipOf(bTap.received().get(1).bytes());
        assertEquals(63, atB.ttl());
        assertTrue(atB.verifyChecksum());
        assertEquals("default via 10.0.1.254 dev eth0\n10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.1\n",
                a.ipRoute());
    }

    @Test
    void ttlOneIsAnsweredWithTimeExceededFromTheRouter() {
        PingResult p = a.ping(Ipv4Address.parse("10.0.2.1"), PingOptions.of(1).withTtl(1));
        PingResult.Reply reply = p.reply(1);
        assertEquals(PingResult.Outcome.ERROR, reply.outcome());
        assertEquals(IcmpType.TIME_EXCEEDED, reply.icmpType());
        assertEquals(IcmpCode.EXC_TTL, reply.icmpCode());
        assertEquals(Ipv4Address.parse("10.0.1.254"), reply.from());
        assertEquals("From 10.0.1.254 icmp_seq=1 Time to live exceeded", reply.text(56));
        assertEquals(1, r.snmp().get("IcmpOutTimeExcds"));
        assertEquals(1, r.snmp().get("IpInHdrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_TTL_EXPIRED));
        assertEquals(1, a.snmp().get("IcmpInTimeExcds"));
        assertTrue(bTap.frames().isEmpty());
        byte[] request = aTap.sent().get(1).bytes();
        byte[] error = aTap.received().get(1).bytes();
        assertEquals("0b00", hex(error).substring(68, 72));
        assertEquals(hex(request).substring(28, 28 + 2 * 84), hex(error).substring(2 * (14 + 28)),
                "the whole 84-byte request is quoted, TTL 1 as it arrived");
    }

    @Test
    void noRouteIsAnsweredWithNetUnreachable() {
        PingResult p = a.ping("10.0.9.9", 1);
        assertEquals("From 10.0.1.254 icmp_seq=1 Destination Net Unreachable", p.reply(1).text(56));
        assertEquals(1, r.snmp().get("IpExtInNoRoutes"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INNOROUTES));
    }

    @Test
    void withForwardingOffTheRouterDropsSilently() {
        r.sysctl("net.ipv4.ip_forward", 0);
        PingResult p = a.ping(Ipv4Address.parse("10.0.2.1"), PingOptions.of(1).withLinger(Duration.ofSeconds(2)));
        assertEquals(PingResult.Outcome.LOST, p.reply(1).outcome());
        assertEquals(1, r.snmp().get("IpInAddrErrors"));
        assertEquals(0, r.snmp().get("IcmpOutMsgs"));
    }

    @Test
    void dfDatagramTooBigForTheNextHopGetsFragmentationNeeded() {
        right.first().setMtu(1000);
        PingResult p = a.ping(Ipv4Address.parse("10.0.2.1"), PingOptions.of(1).withSize(1200));
        assertEquals("From 10.0.1.254 icmp_seq=1 Frag needed and DF set (mtu = 1000)", p.reply(1).text(1200));
        assertEquals(1000, p.reply(1).info());
        assertEquals(1, r.snmp().get("IpFragFails"));
        assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_BIG));
        byte[] error = aTap.received().get(1).bytes();
        assertEquals("0304", hex(error).substring(2 * 34, 2 * 36), "type 3 code 4");
        assertEquals("000003e8", hex(error).substring(2 * 38, 2 * 42), "next-hop MTU in the low 16 bits of the rest");
        assertEquals(1000, Frames.icmpOf(error).nextHopMtu());
    }

    @Test
    void routerFragmentsADatagramWithoutDfForASmallerLink() {
        right.first().setMtu(1000);
        SkBuffs.send(a, null, "10.0.2.1", 253, 1200, 0, false);
        lab.loop.runUntilIdle();
        assertEquals(2, r.snmp().get("IpForwDatagrams"), "the datagram, and b's protocol unreachable back");
        assertEquals(1, r.snmp().get("IpFragOKs"));
        assertEquals(2, r.snmp().get("IpFragCreates"));
        assertEquals(2, b.snmp().get("IpReasmReqds"));
        assertEquals(1, b.snmp().get("IpReasmOKs"));
        assertEquals(1, b.snmp().get("IpInUnknownProtos"), "reassembled, then protocol 253 is unknown");
        var frags = bTap.received().stream().filter(f -> Frames.etherType(f.bytes()) == 0x0800).toList();
        assertEquals(2, frags.size());
        assertEquals(20 + 976, Frames.ipOf(frags.get(0).bytes()).totalLength(), "(1000 - 20) rounded down to 8");
        assertEquals(20 + 1200 - 976, Frames.ipOf(frags.get(1).bytes()).totalLength());
        assertEquals(976, Frames.ipOf(frags.get(1).bytes()).fragmentOffsetBytes());
        assertTrue(Frames.ipOf(frags.get(0).bytes()).moreFragments());
    }

    @Test
    void routeToTheRouterItselfIsDeliveredLocally() {
        PingResult p = a.ping("10.0.2.254", 1);
        assertEquals(PingResult.Outcome.REPLY, p.reply(1).outcome());
        assertEquals(64, p.reply(1).ttl());
        assertEquals(0, r.snmp().get("IpForwDatagrams"));
        NetDevice unused = right.first();
        assertEquals("eth1", unused.name());
    }
}
