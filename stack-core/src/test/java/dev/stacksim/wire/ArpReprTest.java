package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArpReprTest {

    private static final MacAddress MAC1 = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress MAC2 = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address IP1 = Ipv4Address.parse("10.200.0.1");
    private static final Ipv4Address IP2 = Ipv4Address.parse("10.200.0.2");

    private static final String[] ARP_CAPTURES = {
        Captures.VETH_ARP_REQUEST, Captures.VETH_ARP_REPLY, Captures.VETH_ARP_UNICAST_PROBE,
        Captures.VETH_GRATUITOUS_REQUEST, Captures.VETH_GRATUITOUS_REPLY,
    };

    private static ArpRepr parse(String frame) throws MalformedPacketException {
        ByteBuf buf = Captures.buf(frame);
        return ArpRepr.parse(new ArpPacket().wrap(buf, 14, buf.readableBytes() - 14));
    }

    private static ArpRepr parseBare(String hex) throws MalformedPacketException {
        ByteBuf buf = Captures.buf(hex);
        return ArpRepr.parse(new ArpPacket().wrap(buf, 0, buf.readableBytes()));
    }

    @Test
    void parsesTheCapturedExchange() throws MalformedPacketException {
        assertEquals(new ArpRepr(ArpRepr.REQUEST, MAC1, IP1, MacAddress.ZERO, IP2), parse(Captures.VETH_ARP_REQUEST));
        assertEquals(new ArpRepr(ArpRepr.REPLY, MAC2, IP2, MAC1, IP1), parse(Captures.VETH_ARP_REPLY));
        assertEquals(new ArpRepr(ArpRepr.REQUEST, MAC2, IP2, MacAddress.ZERO, IP1), parse(Captures.VETH_ARP_UNICAST_PROBE));
        assertEquals(new ArpRepr(ArpRepr.REQUEST, MAC1, IP1, MacAddress.BROADCAST, IP1), parse(Captures.VETH_GRATUITOUS_REQUEST));
        assertEquals(new ArpRepr(ArpRepr.REPLY, MAC1, IP1, MacAddress.BROADCAST, IP1), parse(Captures.VETH_GRATUITOUS_REPLY));
    }

    @Test
    void emitOfParseGivesBackTheCapturedBytesAndLeavesThePaddingAlone() throws MalformedPacketException {
        for (String frame : ARP_CAPTURES) {
            byte[] original = Captures.bytes(frame);
            ArpRepr repr = parse(frame);
            ByteBuf out = Unpooled.buffer(original.length).writeBytes(original);
            out.setZero(14, ArpPacket.LEN);
            repr.emit(new ArpPacket().wrap(out, 14, original.length - 14));
            assertArrayEquals(original, Captures.slice(out, 0, original.length), frame);
        }
    }

    @Test
    void parseOfEmitGivesBackTheRepr() throws MalformedPacketException {
        SplittableRandom random = new SplittableRandom(826);
        ArpPacket view = new ArpPacket();
        for (int round = 0; round < 5000; round++) {
            ArpRepr repr = new ArpRepr(1 + random.nextInt(2), MacAddress.of(random.nextLong() & MacAddress.MASK),
                    Ipv4Address.of(random.nextInt()), MacAddress.of(random.nextLong() & MacAddress.MASK), Ipv4Address.of(random.nextInt()));
            ByteBuf buf = Unpooled.buffer(repr.bufferLen()).writeZero(repr.bufferLen());
            repr.emit(view.wrap(buf, 0, repr.bufferLen()));
            assertEquals(repr, ArpRepr.parse(view), "round=" + round);
        }
    }

    @Test
    void requestEmitsTheFrameTheKernelSent() {
        // Ethernet header and ARP request together, as neigh_output and arp_send build them.
        ByteBuf frame = Unpooled.buffer(42).writeZero(42);
        new EthernetRepr(MAC1, MacAddress.BROADCAST, EtherType.ARP).emit(new EthernetHeader().wrap(frame, 0, 42));
        ArpRepr.request(MAC1, IP1, IP2).emit(new ArpPacket().wrap(frame, 14, 28));
        assertArrayEquals(Captures.bytes(Captures.VETH_ARP_REQUEST), Captures.slice(frame, 0, 42));
    }

    @Test
    void replyToTheCapturedRequestIsTheKernelsReply() throws MalformedPacketException {
        ArpRepr reply = ArpRepr.replyTo(parse(Captures.VETH_ARP_REQUEST), MAC2);
        assertEquals(parse(Captures.VETH_ARP_REPLY), reply);
        ByteBuf frame = Unpooled.buffer(42).writeZero(42);
        new EthernetRepr(MAC2, reply.targetHw(), EtherType.ARP).emit(new EthernetHeader().wrap(frame, 0, 42));
        reply.emit(new ArpPacket().wrap(frame, 14, 28));
        assertArrayEquals(Captures.bytes(Captures.VETH_ARP_REPLY), Captures.slice(frame, 0, 42));
    }

    @Test
    void bufferLenIs28() {
        assertEquals(28, ArpRepr.request(MAC1, IP1, IP2).bufferLen());
    }

    @Test
    void truncatedAtEveryLengthBelow28ThrowsTruncated() {
        ByteBuf buf = Captures.buf(Captures.VETH_ARP_REPLY);
        ArpPacket view = new ArpPacket();
        for (int length = 0; length < ArpPacket.LEN; length++) {
            view.wrap(buf, 14, length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> ArpRepr.parse(view));
            assertEquals(MalformedReason.TRUNCATED, e.reason(), "length=" + length);
        }
    }

    @Test
    void truncationIsReportedBeforeAnUnsupportedLayout() {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parseBare("0006 0800 0604 0001"));
        assertEquals(MalformedReason.TRUNCATED, e.reason());
    }

    @Test
    void anythingButEthernetAndIpv4IsUnsupported() {
        String rest = "0001" + "00".repeat(20);
        String[][] cases = {
            {"0006 0800 0604", "arp: htype=6 ptype=0x0800 hlen=6 plen=4"},
            {"0020 0800 1404", "arp: htype=32 ptype=0x0800 hlen=20 plen=4"},
            {"0001 86dd 0610", "arp: htype=1 ptype=0x86dd hlen=6 plen=16"},
            {"0001 0800 0804", "arp: htype=1 ptype=0x0800 hlen=8 plen=4"},
            {"0001 0800 0600", "arp: htype=1 ptype=0x0800 hlen=6 plen=0"},
        };
        for (String[] c : cases) {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parseBare(c[0] + rest), c[0]);
            assertEquals(MalformedReason.UNSUPPORTED_ARP, e.reason());
            assertEquals("UNSUPPORTED_ARP: " + c[1], e.getMessage());
        }
    }

    @Test
    void anUnsupportedLayoutIsReportedBeforeABadOperation() {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parseBare("0006 0800 0604 0003" + "00".repeat(20)));
        assertEquals(MalformedReason.UNSUPPORTED_ARP, e.reason());
    }

    @Test
    void operationsOtherThanRequestAndReplyAreBad() {
        // 3/4 are RARP (RFC 903), 8/9 InARP (RFC 2390): valid elsewhere, never answered by this stack.
        for (int oper : new int[] {0, 3, 4, 8, 9, 0xFFFF}) {
            String hex = "0001 0800 0604 " + String.format("%04x", oper) + "00".repeat(20);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parseBare(hex), "oper=" + oper);
            assertEquals(MalformedReason.BAD_ARP_OPERATION, e.reason());
            assertEquals("BAD_ARP_OPERATION: arp: oper=" + oper, e.getMessage());
        }
    }

    @Test
    void gratuitousWhenSenderAndTargetIpMatch() throws MalformedPacketException {
        assertTrue(parse(Captures.VETH_GRATUITOUS_REQUEST).isGratuitous());
        assertTrue(parse(Captures.VETH_GRATUITOUS_REPLY).isGratuitous());
        assertFalse(parse(Captures.VETH_ARP_REQUEST).isGratuitous());
        assertFalse(parse(Captures.VETH_ARP_REPLY).isGratuitous());
        // An RFC 5227 probe asks about an address with sender 0.0.0.0: not gratuitous.
        assertFalse(ArpRepr.request(MAC1, Ipv4Address.ANY, IP1).isGratuitous());
    }

    @Test
    void constructorRejectsOtherOperationsAndNulls() {
        assertEquals("arp: oper=3 not 1 (request) or 2 (reply)",
                assertThrows(IllegalArgumentException.class, () -> new ArpRepr(3, MAC1, IP1, MAC2, IP2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ArpRepr(0, MAC1, IP1, MAC2, IP2));
        assertThrows(NullPointerException.class, () -> new ArpRepr(1, null, IP1, MAC2, IP2));
        assertThrows(NullPointerException.class, () -> new ArpRepr(1, MAC1, null, MAC2, IP2));
        assertThrows(NullPointerException.class, () -> new ArpRepr(1, MAC1, IP1, null, IP2));
        assertThrows(NullPointerException.class, () -> new ArpRepr(1, MAC1, IP1, MAC2, null));
    }

    @Test
    void requestHasAZeroTargetHardwareAddress() {
        ArpRepr request = ArpRepr.request(MAC1, IP1, IP2);
        assertEquals(ArpRepr.REQUEST, request.operation());
        assertEquals(MacAddress.ZERO, request.targetHw());
        assertEquals(IP2, request.targetIp());
    }
}
