package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4InputTest {
    private static final long MAC1 = WiredHost.MAC1;
    private static final long MAC9 = WiredHost.MAC9;

    private final WiredHost fixture = new WiredHost(31);
    private final Lab lab = fixture.lab;
    private final Wire wire = fixture.wire;
    private final Host h = fixture.h;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private List<byte[]> deliver(byte[] datagram) {
        wire.inject(Frames.ipFrame(MAC1, MAC9, datagram));
        lab.loop.runUntilIdle();
        return wire.sentBytes();
    }

    private static byte[] echoRequest() {
        return Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 0x1234, 0, Frames.echo(8, 0x4d2, 1, new byte[] {1, 2, 3, 4}));
    }

    private long c(String name) {
        return h.snmp().get(name);
    }

    @Test
    void echoRequestInAPaddedFrameIsAnsweredWithoutThePadding() {
        byte[] frame = Arrays.copyOf(Frames.ipFrame(MAC1, MAC9, echoRequest()), 60);
        wire.inject(frame);
        lab.loop.runUntilIdle();
        List<byte[]> sent = wire.sentBytes();
        assertEquals(1, sent.size());
        byte[] reply = sent.get(0);
        assertEquals(14 + 32, reply.length);
        Ipv4Header ip = Frames.ipOf(reply);
        assertEquals(32, ip.totalLength());
        assertEquals(Ipv4Address.parse("10.0.0.1").toInt(), ip.srcAddr());
        assertEquals(Ipv4Address.parse("10.0.0.9").toInt(), ip.dstAddr());
        assertEquals(64, ip.ttl());
        assertFalse(ip.dontFragment(), "ICMP replies are sent without DF, as Linux's icmp socket");
        assertTrue(ip.verifyChecksum());
        IcmpHeader icmp = Frames.icmpOf(reply);
        assertEquals(IcmpType.ECHOREPLY, icmp.type());
        assertEquals(0x4d2, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertTrue(Frames.icmpChecksumOk(reply));
        assertEquals("01020304", hex(reply).substring(2 * (14 + 28)));
        assertEquals(1, c("IpInReceives"));
        assertEquals(1, c("IpInDelivers"));
        assertEquals(1, c("IpOutRequests"));
        assertEquals(1, c("IcmpInEchos"));
        assertEquals(1, c("IcmpOutEchoReps"));
        assertEquals(46, c("IpExtInOctets"), "InOctets counts the datagram as received, padding included");
    }

    @Test
    void badChecksumCountsInHdrErrorsAndInCsumErrors() {
        byte[] d = echoRequest();
        d[10] ^= 0x01;
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInReceives"));
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(1, c("IpExtInCsumErrors"));
        assertEquals(0, c("IpInDelivers"));
        assertEquals(1, lab.pool.drops(DropReason.IP_CSUM));
    }

    @Test
    void ihlBelowFiveIsAHeaderError() {
        byte[] d = echoRequest();
        d[0] = 0x44;
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(0, c("IpExtInCsumErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INHDR));
    }

    @Test
    void versionOtherThanFourIsAHeaderError() {
        byte[] d = echoRequest();
        d[0] = 0x65;
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INHDR));
    }

    @Test
    void datagramShorterThanItsTotalLengthIsTruncatedNotAHeaderError() {
        byte[] d = Arrays.copyOf(echoRequest(), 30);
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpExtInTruncatedPkts"));
        assertEquals(0, c("IpInHdrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_SMALL));
    }

    @Test
    void fewerThanTwentyBytesIsAHeaderError() {
        assertTrue(deliver(Arrays.copyOf(echoRequest(), 19)).isEmpty());
        assertEquals(1, c("IpInReceives"));
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INHDR));
    }

    @Test
    void headerLongerThanTheDatagramIsAHeaderError() {
        byte[] d = Arrays.copyOf(echoRequest(), 24);
        d[0] = 0x4F;
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInHdrErrors"));
    }

    @Test
    void totalLengthBelowTheHeaderLengthIsAHeaderError() {
        byte[] d = echoRequest();
        d[2] = 0;
        d[3] = 16;
        fixChecksum(d);
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(0, c("IpExtInTruncatedPkts"));
    }

    @Test
    void badOptionLengthIsAHeaderError() {
        byte[] inner = Frames.echo(8, 1, 1, new byte[0]);
        byte[] d = new byte[24 + inner.length];
        System.arraycopy(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 1, 0, inner), 0, d, 0, 20);
        System.arraycopy(inner, 0, d, 24, inner.length);
        d[0] = 0x46;
        d[3] = (byte) d.length;
        d[20] = 7;  // record route
        d[21] = 9;  // longer than the 4 option bytes there are
        fixChecksum(d);
        assertTrue(deliver(d).isEmpty());
        assertEquals(1, c("IpInHdrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INHDR));
    }

    @Test
    void datagramForAnotherHostWithForwardingOffIsAnAddressError() {
        byte[] d = Frames.ipv4("10.0.0.9", "10.0.0.77", 1, 64, 1, 0, Frames.echo(8, 1, 1, new byte[0]));
        assertTrue(deliver(d).isEmpty(), "no ICMP without forwarding");
        assertEquals(1, c("IpInAddrErrors"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INADDRERRORS));
    }

    @Test
    void unknownProtocolIsAnsweredWithProtocolUnreachable() {
        byte[] d = Frames.ipv4("10.0.0.9", "10.0.0.1", 200, 64, 0x55, 0, new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1});
        List<byte[]> sent = deliver(d);
        assertEquals(1, c("IpInUnknownProtos"));
        assertEquals(1, lab.pool.drops(DropReason.IP_NOPROTO));
        assertEquals(1, sent.size());
        byte[] f = sent.get(0);
        Ipv4Header ip = Frames.ipOf(f);
        assertEquals(0xC0, ip.tos(), "ICMP errors carry precedence internetwork control");
        assertEquals(Ipv4Address.parse("10.0.0.1").toInt(), ip.srcAddr());
        IcmpHeader icmp = Frames.icmpOf(f);
        assertEquals("0302", hex(f).substring(2 * 34, 2 * 34 + 4), "type 3 code 2");
        assertEquals(0, icmp.restOfHeader());
        assertEquals(hex(d), hex(f).substring(2 * (34 + 8)), "the whole offending datagram is quoted");
        assertTrue(Frames.icmpChecksumOk(f));
        assertEquals(1, c("IcmpOutDestUnreachs"));
        assertEquals(1, c("IcmpMsgOutType3"));
    }

    @Test
    void echoToABroadcastAddressIsIgnoredByDefault() {
        byte[] d = Frames.ipv4("10.0.0.9", "10.0.0.255", 1, 64, 1, 0, Frames.echo(8, 1, 1, new byte[0]));
        wire.inject(Frames.ipFrame(0xFFFF_FFFF_FFFFL, MAC9, d));
        lab.loop.runUntilIdle();
        assertTrue(wire.sent().isEmpty());
        assertEquals(1, c("IpExtInBcastPkts"));
        assertEquals(1, c("IcmpInErrors"));
        h.sysctl("net.ipv4.icmp_echo_ignore_broadcasts", 0);
        wire.inject(Frames.ipFrame(0xFFFF_FFFF_FFFFL, MAC9, d));
        lab.loop.runUntilIdle();
        List<byte[]> sent = wire.sentBytes();
        assertEquals(1, sent.size());
        assertEquals(Ipv4Address.parse("10.0.0.1").toInt(), Frames.ipOf(sent.get(0)).srcAddr(),
                "a reply to a broadcast comes from the interface's address");
    }

    @Test
    void echoIgnoreAllSilencesPing() {
        h.sysctl("net.ipv4.icmp_echo_ignore_all", 1);
        assertTrue(deliver(echoRequest()).isEmpty());
        assertEquals(1, c("IcmpInEchos"));
        assertEquals(0, c("IcmpOutEchoReps"));
    }

    @Test
    void frameForAnotherMacIsDroppedBeforeIp() {
        wire.inject(Frames.ipFrame(0x0200_0000_0077L, MAC9, echoRequest()));
        lab.loop.runUntilIdle();
        assertEquals(0, c("IpInReceives"));
        assertEquals(1, lab.pool.drops(DropReason.OTHERHOST));
    }

    @Test
    void multicastDestinationIsDroppedWithoutAMember() {
        byte[] d = Frames.ipv4("10.0.0.9", "224.0.0.1", 1, 1, 1, 0, Frames.echo(8, 1, 1, new byte[0]));
        wire.inject(Frames.ipFrame(0x0100_5E00_0001L, MAC9, d));
        lab.loop.runUntilIdle();
        assertTrue(wire.sent().isEmpty());
        assertEquals(1, c("IpExtInMcastPkts"));
        assertEquals(0, c("IpInDelivers"));
    }

    @Test
    void martianAddressesFromTheWireAreDropped() {
        h.sysctl("net.ipv4.ip_forward", 1);
        byte[] echo = Frames.echo(8, 1, 1, new byte[0]);
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "127.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertTrue(deliver(Frames.ipv4("127.0.0.1", "10.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertTrue(deliver(Frames.ipv4("224.0.0.5", "10.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertTrue(deliver(Frames.ipv4("0.0.0.0", "10.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertEquals(4, lab.pool.drops(DropReason.IP_INADDRERRORS));
        assertEquals(0, c("IcmpInMsgs"));
        assertEquals(0, c("IpInAddrErrors"), "Linux counts martians only in its route cache stats");
    }

    @Test
    void datagramFromTheWireWithOneOfOurAddressesAsSourceIsAMartian() {
        byte[] echo = Frames.echo(8, 1, 1, new byte[0]);
        // fib_validate_source (rp_filter 0, accept_local 0): a source that is ours is refused on
        // the local, the broadcast and the forward path.
        assertTrue(deliver(Frames.ipv4("10.0.0.1", "10.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertEquals(0, c("IcmpInMsgs"));
        assertEquals(0, c("IcmpOutEchoReps"));
        assertEquals(0, c("IpInDelivers"));
        wire.inject(Frames.ipFrame(0xFFFF_FFFF_FFFFL, MAC9, Frames.ipv4("10.0.0.1", "10.0.0.255", 17, 64, 2, 0,
                new byte[8])));
        lab.loop.runUntilIdle();
        assertEquals(0, c("IpExtInBcastPkts"));
        h.sysctl("net.ipv4.ip_forward", 1);
        assertTrue(deliver(Frames.ipv4("10.0.0.1", "10.0.0.77", 17, 64, 3, 0, new byte[8])).isEmpty());
        assertEquals(0, c("IpForwDatagrams"));
        assertEquals(3, lab.pool.drops(DropReason.IP_INADDRERRORS));
        assertEquals(0, c("IpInAddrErrors"), "Linux counts martians only in its route cache stats");
        assertEquals(3, c("IpInReceives"));
    }

    @Test
    void forwardingBackOutOfTheInputInterfaceRefusesABroadcastSource() {
        h.sysctl("net.ipv4.ip_forward", 1);
        // __mkroute_input takes fib_validate_source's full check when in == out (send_redirects 1).
        assertTrue(deliver(Frames.ipv4("10.0.0.255", "10.0.0.77", 17, 64, 3, 0, new byte[8])).isEmpty());
        assertEquals(0, c("IpForwDatagrams"));
        assertEquals(1, lab.pool.drops(DropReason.IP_INADDRERRORS));
        // Any other source is forwarded (to a neighbour that never answers).
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.77", 17, 64, 4, 0, new byte[8]));
        assertEquals(1, c("IpForwDatagrams"));
    }

    @Test
    void sourceInZeroNetIsAMartianExceptTowardsTheLimitedBroadcast() {
        assertTrue(deliver(Frames.ipv4("0.1.2.3", "10.0.0.1", 17, 64, 1, 0, new byte[8])).isEmpty());
        assertEquals(1, lab.pool.drops(DropReason.IP_INADDRERRORS));
        assertEquals(0, c("IpInDelivers"));
        wire.inject(Frames.ipFrame(0xFFFF_FFFF_FFFFL, MAC9, Frames.ipv4("0.0.0.0", "255.255.255.255", 253, 64, 2, 0,
                new byte[8])));
        lab.loop.runUntilIdle();
        assertEquals(1, c("IpExtInBcastPkts"), "a DHCP client's source is allowed");
        assertEquals(1, c("IpInUnknownProtos"));
    }

    @Test
    void ecnCodepointsAreCounted() {
        byte[] d = echoRequest();
        d[1] = 0x03;
        fixChecksum(d);
        deliver(d);
        deliver(echoRequest());
        assertEquals(1, c("IpExtInCEPkts"));
        assertEquals(1, c("IpExtInNoECTPkts"));
    }

    static void fixChecksum(byte[] d) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(d);
        new Ipv4Header().wrap(b, 0, d.length).fillChecksum();
    }
}
