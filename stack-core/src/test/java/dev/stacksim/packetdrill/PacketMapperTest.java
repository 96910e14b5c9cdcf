package dev.stacksim.packetdrill;

import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Script values to live bytes and back, for TCP lines (the TCP stack itself is not needed). */
class PacketMapperTest {
    private static final int LOCAL = Ipv4Address.parse("192.168.0.1").toInt();
    private static final int REMOTE = Ipv4Address.parse("192.0.2.1").toInt();
    private final PacketMapper mapper = new PacketMapper(ScriptConfig.defaults());

    private static PacketSpec line(String text) {
        return (PacketSpec) Script.parse("t.pkt", "0 " + text).events().get(0).action();
    }

    private static ScriptSocket established(long localIsn, long remoteIsn) {
        ScriptSocket s = new ScriptSocket();
        s.state = ScriptSocket.State.PASSIVE_SYNACK_ACKED;
        s.localIp = LOCAL;
        s.localPort = 8080;
        s.remoteIp = REMOTE;
        s.remotePort = 40000;
        s.scriptLocalIsn = 0;
        s.liveLocalIsn = localIsn;
        s.liveRemoteIsn = remoteIsn;
        return s;
    }

    private static boolean l4ChecksumOk(byte[] b) {
        int len = b.length - 20;
        int src = LivePacket.i32(b, 12);
        int dst = LivePacket.i32(b, 16);
        return Checksum.verify(Checksum.combine(Checksum.pseudoHeader(src, dst, b[9] & 0xFF, len), Checksum.sum(b, 20, len)));
    }

    @Test
    void inboundSynIsAbsoluteAndGoesFromTheRemoteEndWithTtl255() {
        ScriptSocket s = new ScriptSocket();
        s.state = ScriptSocket.State.PASSIVE_PACKET_RECEIVED;
        s.remoteIp = REMOTE;
        s.remotePort = 40000;
        s.localIp = LOCAL;
        s.localPort = 8080;
        s.liveRemoteIsn = 0;
        byte[] b = mapper.inbound(line("< S 0:0(0) win 32792 <mss 1000,nop,wscale 7>"), s);
        LivePacket p = LivePacket.parse(b, 0);
        assertEquals(48, b.length);
        assertEquals(REMOTE, p.srcAddr);
        assertEquals(LOCAL, p.dstAddr);
        assertEquals(255, p.ttl);
        assertEquals(40000, p.srcPort);
        assertEquals(8080, p.dstPort);
        assertEquals(0, p.seq);
        assertEquals(TcpHeader.SYN, p.flags);
        assertEquals(32792, p.window);
        assertEquals("[mss 1000, nop, wscale 7]", PacketFormat.options(p.options).toString());
        assertTrue(p.ipChecksumOk);
        assertTrue(l4ChecksumOk(b));
    }

    @Test
    void inboundSegmentsAreShiftedByTheIsnsAndSackBlocksLikeTheAck() {
        ScriptSocket s = established(1_000_000, 500);
        byte[] b = mapper.inbound(line("< . 1:1(0) ack 101 win 257 <nop,nop,sack 201:301>"), s);
        LivePacket p = LivePacket.parse(b, 0);
        assertEquals(501, p.seq);
        assertEquals(1_000_101, p.ack);
        assertEquals("[nop, nop, sack 1000201:1000301]", PacketFormat.options(p.options).toString());
        assertTrue(l4ChecksumOk(b));
    }

    @Test
    void inboundSynAckOfAnActiveOpenRecordsTheRemoteIsn() {
        ScriptSocket s = established(7_000, 0);
        s.state = ScriptSocket.State.ACTIVE_SYN_SENT;
        s.scriptLocalIsn = 0;
        LivePacket p = LivePacket.parse(mapper.inbound(line("< S. 300:300(0) ack 1 win 5792"), s), 0);
        assertEquals(300, p.seq);
        assertEquals(7_001, p.ack);
        assertEquals(ScriptSocket.State.ACTIVE_SYN_ACKED, s.state);
        assertEquals(300, s.liveRemoteIsn);
    }

    @Test
    void inboundTimestampEcrIsTheLiveValueTheScriptValueStoodFor() {
        ScriptSocket s = established(1, 0);
        s.tsValMap.put(700L, 123_456L);
        LivePacket p = LivePacket.parse(mapper.inbound(line("< . 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 700>"), s), 0);
        int at = p.findOption(TcpHeader.OPT_TIMESTAMP);
        assertEquals(5, LivePacket.i32(p.options, at + 2));
        assertEquals(123_456, LivePacket.i32(p.options, at + 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.inbound(line("< . 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 9>"), s));
        assertEquals("unable to infer live TS ecr for script TS ecr 9;  no matching or preceding outbound TS val",
                e.getMessage());
    }

    @Test
    void inboundIcmpQuotesOurDatagramWithItsLiveSequence() {
        ScriptSocket s = established(1_000_000, 0);
        byte[] b = mapper.inbound(line("< icmp unreachable frag_needed mtu 1200 [1:1461(1460)]"), s);
        assertEquals(20 + 8 + 28, b.length);
        assertEquals(IpProtocol.ICMP, b[9]);
        assertEquals(3, b[20]);
        assertEquals(4, b[21]);
        assertEquals(1200, LivePacket.u16(b, 26));
        assertTrue(Checksum.verify(Checksum.sum(b, 20, 36)));
        assertEquals(LOCAL, LivePacket.i32(b, 28 + 12));
        assertEquals(REMOTE, LivePacket.i32(b, 28 + 16));
        assertEquals(8080, LivePacket.u16(b, 48));
        assertEquals(40000, LivePacket.u16(b, 50));
        assertEquals(1_000_001, LivePacket.i32(b, 52));
    }

    @Test
    void outboundSequenceNumbersBecomeRelativeAgain() {
        ScriptSocket s = established(1_000_000, 500);
        byte[] b = mapper.inbound(line("< . 1:1(0) ack 101 win 257"), s);
        // Turn the injected packet around: a live segment from the host with seq 1000101, ack 501.
        LivePacket live = LivePacket.parse(b, 0);
        live.seq = 1_000_101;
        live.ack = 501;
        LivePacket script = PacketMapper.toScriptSeq(live, s);
        assertEquals(101, script.seq);
        assertEquals(1, script.ack);
        live.flags = TcpHeader.SYN | TcpHeader.ACK;
        live.seq = 1_000_000;
        live.ack = 1;
        LivePacket synAck = PacketMapper.toScriptSeq(live, s);
        assertEquals(0, synAck.seq);
        assertEquals(1, synAck.ack);
    }

    @Test
    void outboundTimestampValIsRebasedOnTheFirstOneSeen() {
        ScriptSocket s = established(0, 0);
        PacketSpec.Tcp first = (PacketSpec.Tcp) line("> . 1:1(0) ack 1 <nop,nop,TS val 100 ecr 0>").transport();
        LivePacket a = LivePacket.parse(mapper.inbound(line("< - 1:1(0) win 1 <nop,nop,TS val 5000 ecr 0>"),
                established(0, 0)), 0);
        a.flags = TcpHeader.ACK;
        PacketMapper.mapTimestamps(a, first, s);
        assertEquals(100, LivePacket.i32(a.options, a.findOption(TcpHeader.OPT_TIMESTAMP) + 2));
        assertEquals(5000L, s.tsValMap.get(100L));
        LivePacket b = LivePacket.parse(mapper.inbound(line("< - 1:1(0) win 1 <nop,nop,TS val 5040 ecr 0>"),
                established(0, 0)), 0);
        PacketMapper.mapTimestamps(b, (PacketSpec.Tcp) line("> . 1:1(0) ack 1 <nop,nop,TS val 130 ecr 0>").transport(), s);
        assertEquals(140, LivePacket.i32(b.options, b.findOption(TcpHeader.OPT_TIMESTAMP) + 2));
    }
}
