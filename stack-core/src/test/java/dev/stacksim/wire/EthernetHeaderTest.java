package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class EthernetHeaderTest {

    private static EthernetHeader view(String frame) {
        ByteBuf buf = Captures.buf(frame);
        return new EthernetHeader().wrap(buf, 0, buf.readableBytes());
    }

    @Test
    void fieldOffsetsAreThoseOfStructEthhdr() {
        assertEquals(0, EthernetHeader.DST_OFFSET);
        assertEquals(6, EthernetHeader.SRC_OFFSET);
        assertEquals(12, EthernetHeader.ETHERTYPE_OFFSET);
        assertEquals(14, EthernetHeader.HEADER_LEN);
        assertEquals(0x0600, EthernetHeader.MIN_ETHERTYPE);
    }

    @Test
    void gettersReadACapturedFrame() throws MalformedPacketException {
        EthernetHeader eth = view(Captures.VETH_ICMP_ECHO_REQUEST);
        eth.checkLen();
        assertEquals(0x0200_0000_0002L, eth.dst());
        assertEquals(0x0200_0000_0001L, eth.src());
        assertEquals(EtherType.IPV4, eth.etherType());
        assertEquals(14, eth.payloadOffset());
        assertEquals(84, eth.payloadLength());
        assertEquals(98, eth.length());
        assertEquals(0, eth.offset());
    }

    @Test
    void broadcastDestinationReadsAsAll48Bits() {
        EthernetHeader eth = view(Captures.VETH_ARP_REQUEST);
        assertEquals(MacAddress.MASK, eth.dst());
        assertEquals(EtherType.ARP, eth.etherType());
    }

    @Test
    void toStringMatchesTcpdumpDashE() {
        // The text tcpdump -e -n printed for the same captures.
        assertEquals("02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98",
                view(Captures.VETH_ICMP_ECHO_REQUEST).toString());
        assertEquals("00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype IPv4 (0x0800), length 98",
                view(Captures.LO_ICMP_ECHO_REQUEST).toString());
        assertEquals("02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42",
                view(Captures.VETH_ARP_REQUEST).toString());
        assertEquals("02:00:00:00:00:02 > 02:00:00:00:00:01, ethertype ARP (0x0806), length 42",
                view(Captures.VETH_ARP_REPLY).toString());
        assertEquals("02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 58",
                view(Captures.VETH_GRATUITOUS_REQUEST).toString());
    }

    @Test
    void toStringOfOtherTypesMatchesTcpdump() {
        // Crafted frames, printed by tcpdump 4.99 -e -n from a pcap of the same bytes.
        String macs = "0200 0000 0002 0200 0000 0001";
        String prefix = "02:00:00:00:00:01 > 02:00:00:00:00:02, ";
        assertEquals(prefix + "ethertype Unknown (0x1234), length 60", view(macs + "1234" + zeros(46)).toString());
        assertEquals(prefix + "802.3, length 46", view(macs + "05dc aaaa 03" + zeros(43)).toString());
        assertEquals(prefix + "ethertype IPv6 (0x86dd), length 54", view(macs + "86dd" + zeros(40)).toString());
        assertEquals(prefix + "ethertype 802.1Q (0x8100), length 54", view(macs + "8100" + zeros(40)).toString());
    }

    @Test
    void toStringOfATruncatedHeaderIsTcpdumpsMark() {
        assertEquals("[|ether]", view("0200 0000 0002 0200 0000 0001").toString());
        assertEquals("ethernet: unwrapped", new EthernetHeader().toString());
    }

    @Test
    void checkLenThrowsTruncatedAtEveryLengthBelowTheHeader() {
        ByteBuf buf = Captures.buf(Captures.VETH_ARP_REQUEST);
        EthernetHeader eth = new EthernetHeader();
        for (int length = 0; length < EthernetHeader.HEADER_LEN; length++) {
            eth.wrap(buf, 0, length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, eth::checkLen, "length=" + length);
            assertEquals(MalformedReason.TRUNCATED, e.reason());
            assertEquals("TRUNCATED: ethernet: len=" + length + " need=14", e.getMessage());
        }
        eth.wrap(buf, 0, EthernetHeader.HEADER_LEN);
        assertDoesNotThrow(eth::checkLen);
        assertEquals(0, eth.payloadLength());
    }

    @Test
    void settersWriteTheWireBytes() {
        ByteBuf buf = Unpooled.buffer(14).writeZero(14);
        EthernetHeader eth = new EthernetHeader().wrap(buf, 0, 14);
        eth.setDst(MacAddress.BROADCAST.toLong());
        eth.setSrc(0x0200_0000_0001L);
        eth.setEtherType(EtherType.ARP);
        assertArrayEquals(Captures.bytes("ffff ffff ffff 0200 0000 0001 0806"), Captures.slice(buf, 0, 14));
    }

    @Test
    void viewAtAnOffsetReadsAndWritesOnlyItsOwnBytes() {
        // A frame built in an skb's headroom starts past index 0.
        byte[] frame = Captures.bytes(Captures.VETH_ARP_REPLY);
        ByteBuf buf = Unpooled.buffer(64).writeBytes(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE}).writeBytes(frame).writeByte(0xEE);
        EthernetHeader eth = new EthernetHeader().wrap(buf, 3, frame.length);
        assertEquals(0x0200_0000_0001L, eth.dst());
        assertEquals(0x0200_0000_0002L, eth.src());
        assertEquals(17, eth.payloadOffset());
        eth.setDst(0x0A0B_0C0D_0E0FL);
        eth.setSrc(0x1112_1314_1516L);
        eth.setEtherType(0xFFFF);
        assertArrayEquals(Captures.bytes("eeee ee 0a0b 0c0d 0e0f 1112 1314 1516 ffff"), Captures.slice(buf, 0, 17));
        assertEquals(0xEE, buf.getUnsignedByte(3 + frame.length));
        assertArrayEquals(Captures.slice(Unpooled.wrappedBuffer(frame), 14, 28), Captures.slice(buf, 17, 28));
    }

    @Test
    void oneViewIsReusedAcrossFrames() {
        EthernetHeader eth = new EthernetHeader();
        ByteBuf a = Captures.buf(Captures.VETH_ARP_REQUEST);
        ByteBuf b = Captures.buf(Captures.VETH_ARP_REPLY);
        assertSame(eth, eth.wrap(a, 0, 42));
        assertEquals(MacAddress.MASK, eth.dst());
        assertSame(a, eth.buffer());
        eth.wrap(b, 0, 42);
        assertEquals(0x0200_0000_0001L, eth.dst());
        assertSame(b, eth.buffer());
    }

    private static String zeros(int bytes) {
        return "00".repeat(bytes);
    }
}
