package dev.stacksim.packetdrill;

import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Field-by-field comparison of a host's TCP segment with the line expecting it. */
class PacketMatcherTest {
    private static final ScriptConfig CONFIG = ScriptConfig.defaults();

    private static PacketSpec line(String text) {
        return (PacketSpec) Script.parse("t.pkt", "0 " + text).events().get(0).action();
    }

    /**
     * A segment "sent by the host", built from an inbound line (the mapper writes real bytes) with
     * an identity socket, so its fields are the line's.
     */
    private static LivePacket segment(String inboundLine) {
        ScriptSocket s = new ScriptSocket();
        s.localIp = Ipv4Address.parse("192.0.2.1").toInt();
        s.remoteIp = Ipv4Address.parse("192.168.0.1").toInt();
        s.localPort = 40000;
        s.remotePort = 8080;
        return LivePacket.parse(new PacketMapper(CONFIG).inbound(line(inboundLine), s), 0);
    }

    private static String verify(String live, String expected) {
        return PacketMatcher.verify(segment(live), line(expected), CONFIG, 4000);
    }

    @Test
    void identicalSegmentsMatch() {
        assertNull(verify("< S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>",
                "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>"));
    }

    @Test
    void theFirstDifferingFieldIsReportedInPacketdrillsWords() {
        assertEquals("live packet field tcp_ack_seq: expected: 1 (0x1) vs actual: 2 (0x2)",
                verify("< . 1:1(0) ack 2 win 100", "> . 1:1(0) ack 1"));
        assertEquals("live packet field tcp_ack: expected: 1 (0x1) vs actual: 0 (0x0)",
                verify("< S 0:0(0) win 100", "> S. 0:0(0) ack 0"));
        assertEquals("live packet field tcp_fin: expected: 1 (0x1) vs actual: 0 (0x0)",
                verify("< . 1:1(0) ack 1 win 100", "> F. 1:1(0) ack 1"));
        assertEquals("live packet field tcp_seq: expected: 1 (0x1) vs actual: 11 (0xb)",
                verify("< . 11:11(0) ack 1 win 100", "> . 1:1(0) ack 1"));
        assertEquals("live packet field tcp_window: expected: 257 (0x101) vs actual: 100 (0x64)",
                verify("< . 1:1(0) ack 1 win 100", "> . 1:1(0) ack 1 win 257"));
        assertEquals("live packet field ipv4_total_length: expected: 50 (0x32) vs actual: 40 (0x28)",
                verify("< . 1:1(0) ack 1 win 100", "> P. 1:11(10) ack 1"));
        assertEquals("live packet field ipv4_total_length: expected: 44 (0x2c) vs actual: 40 (0x28)",
                verify("< R 1:1(0) win 0", "> R 1:1(0) <nop,nop,nop,nop>"));
    }

    @Test
    void anUnwrittenWindowAndEllipsisOptionsAreNotChecked() {
        assertNull(verify("< S. 0:0(0) ack 1 win 29200 <mss 1460,sackOK,nop,nop,nop,wscale 9>",
                "> S. 0:0(0) ack 1 <...>"));
    }

    @Test
    void optionsAreComparedInOrderWithTheirValues() {
        assertEquals("bad outbound TCP options", verify("< S. 0:0(0) ack 1 win 1 <mss 1460,nop,wscale 7>",
                "> S. 0:0(0) ack 1 <nop,wscale 7,mss 1460>"));
        assertEquals("bad value in outbound TCP option (kind=3): expected: wscale 8 actual: wscale 7",
                verify("< S. 0:0(0) ack 1 win 1 <mss 1460,nop,wscale 7>", "> S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>"));
        // The TS ecr of an outbound segment is never checked, nor its val by default.
        assertNull(verify("< - 1:1(0) win 1 <nop,nop,TS val 77 ecr 88>", "> - 1:1(0) <nop,nop,TS val 1 ecr 2>"));
    }

    @Test
    void theTsValIsCheckedAtItsTickWhenAsked() {
        ScriptConfig ticks = new ScriptConfig(4000, 12.5, CONFIG.localIp(), CONFIG.remoteIp(), 8080, 8080, 1500, 1000,
                false, true, 1);
        assertEquals("bad outbound TCP timestamp value, tolerance 4000", PacketMatcher.verify(
                segment("< - 1:1(0) win 1 <nop,nop,TS val 110 ecr 0>"), line("> - 1:1(0) <nop,nop,TS val 100 ecr 0>"),
                ticks, 4000));
        assertNull(PacketMatcher.verify(segment("< - 1:1(0) win 1 <nop,nop,TS val 103 ecr 0>"),
                line("> - 1:1(0) <nop,nop,TS val 100 ecr 0>"), ticks, 4000));
    }

    @Test
    void consecutiveSegmentsMergeIntoTheSegmentALineDescribes() {
        LivePacket a = segment("< . 1:537(536) ack 1 win 100");
        LivePacket b = segment("< P. 537:1001(464) ack 1 win 100");
        assertNull(PacketMatcher.fragment(b, a, 536, 1000));
        LivePacket merged = PacketMatcher.aggregate(List.of(a, b));
        assertEquals(1, merged.seq);
        assertEquals(1000, merged.payloadLen());
        assertEquals(1040, merged.totalLength);
        assertEquals(TcpHeader.PSH | TcpHeader.ACK, merged.flags);
        assertNull(PacketMatcher.verify(merged, line("> P. 1:1001(1000) ack 1"), CONFIG, 4000));
        assertEquals("aggregate candidate live packet field tcp_seq: expected: 537 (0x219) vs actual: 600 (0x258)",
                PacketMatcher.fragment(segment("< P. 600:1064(464) ack 1 win 100"), a, 536, 1000));
    }

    @Test
    void udpAndIcmpLines() {
        assertEquals("live packet field ipv4_protocol: expected: 17 (0x11) vs actual: 6 (0x6)",
                verify("< . 1:1(0) ack 1 win 1", "> udp (0)"));
        assertEquals("live packet field ipv4_protocol: expected: 1 (0x1) vs actual: 6 (0x6)",
                verify("< . 1:1(0) ack 1 win 1", "> icmp unreachable port_unreachable"));
    }
}
