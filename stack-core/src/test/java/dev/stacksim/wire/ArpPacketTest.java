package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ArpPacketTest {

    /** The ARP packet inside a captured frame: everything after the 14-byte Ethernet header. */
    private static ArpPacket view(String frame) {
        ByteBuf buf = Captures.buf(frame);
        return new ArpPacket().wrap(buf, EthernetHeader.HEADER_LEN, buf.readableBytes() - EthernetHeader.HEADER_LEN);
    }

    /** A bare ARP packet from hex. */
    private static ArpPacket bare(String hex) {
        ByteBuf buf = Captures.buf(hex);
        return new ArpPacket().wrap(buf, 0, buf.readableBytes());
    }

    @Test
    void fieldOffsetsFollowRfc826ForEthernetAndIpv4() {
        assertEquals(0, ArpPacket.HTYPE_OFFSET);
        assertEquals(2, ArpPacket.PTYPE_OFFSET);
        assertEquals(4, ArpPacket.HLEN_OFFSET);
        assertEquals(5, ArpPacket.PLEN_OFFSET);
        assertEquals(6, ArpPacket.OPER_OFFSET);
        assertEquals(8, ArpPacket.SHA_OFFSET);
        assertEquals(14, ArpPacket.SPA_OFFSET);
        assertEquals(18, ArpPacket.THA_OFFSET);
        assertEquals(24, ArpPacket.TPA_OFFSET);
        assertEquals(28, ArpPacket.LEN);
    }

    @Test
    void gettersReadTheCapturedRequest() throws MalformedPacketException {
        ArpPacket arp = view(Captures.VETH_ARP_REQUEST);
        arp.checkLen();
        assertEquals(1, arp.htype());
        assertEquals(0x0800, arp.ptype());
        assertEquals(6, arp.hlen());
        assertEquals(4, arp.plen());
        assertEquals(ArpRepr.REQUEST, arp.oper());
        assertEquals(0x0200_0000_0001L, arp.sha());
        assertEquals(0x0AC8_0001, arp.spa());
        assertEquals(0L, arp.tha());
        assertEquals(0x0AC8_0002, arp.tpa());
        assertTrue(arp.isEthernetIpv4());
        assertFalse(arp.isGratuitous());
    }

    @Test
    void gettersReadTheCapturedReply() {
        ArpPacket arp = view(Captures.VETH_ARP_REPLY);
        assertEquals(ArpRepr.REPLY, arp.oper());
        assertEquals(0x0200_0000_0002L, arp.sha());
        assertEquals(0x0AC8_0002, arp.spa());
        assertEquals(0x0200_0000_0001L, arp.tha());
        assertEquals(0x0AC8_0001, arp.tpa());
    }

    @Test
    void toStringMatchesTcpdump() {
        // The text tcpdump -n printed for the same captures.
        assertEquals("Request who-has 10.200.0.2 tell 10.200.0.1, length 28", view(Captures.VETH_ARP_REQUEST).toString());
        assertEquals("Reply 10.200.0.2 is-at 02:00:00:00:00:02, length 28", view(Captures.VETH_ARP_REPLY).toString());
        assertEquals("Request who-has 10.200.0.1 tell 10.200.0.2, length 28", view(Captures.VETH_ARP_UNICAST_PROBE).toString());
        assertEquals("Request who-has 10.200.0.1 (ff:ff:ff:ff:ff:ff) tell 10.200.0.1, length 44",
                view(Captures.VETH_GRATUITOUS_REQUEST).toString());
        assertEquals("Reply 10.200.0.1 is-at 02:00:00:00:00:01, length 44", view(Captures.VETH_GRATUITOUS_REPLY).toString());
    }

    @Test
    void toStringOfOtherOperationsAndLayoutsPrintsTheFields() {
        assertEquals("arp oper=3 sha=02:00:00:00:00:01 spa=10.0.0.1 tha=00:00:00:00:00:00 tpa=10.0.0.2, length 28",
                bare("0001 0800 0604 0003 0200 0000 0001 0a00 0001 0000 0000 0000 0a00 0002").toString());
        assertEquals("arp htype=6 ptype=0x0800 hlen=6 plen=4 oper=1, length 28",
                bare("0006 0800 0604 0001 0200 0000 0001 0a00 0001 0000 0000 0000 0a00 0002").toString());
    }

    @Test
    void toStringOfATruncatedPacketIsTcpdumpsMark() {
        assertEquals("[|arp]", bare("0001 0800 0604 0001 0200 0000 0001 0a00 0001").toString());
        assertEquals("arp: unwrapped", new ArpPacket().toString());
    }

    @Test
    void checkLenThrowsTruncatedAtEveryLengthBelow28() {
        ByteBuf buf = Captures.buf(Captures.VETH_ARP_REQUEST);
        ArpPacket arp = new ArpPacket();
        for (int length = 0; length < ArpPacket.LEN; length++) {
            arp.wrap(buf, EthernetHeader.HEADER_LEN, length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, arp::checkLen, "length=" + length);
            assertEquals(MalformedReason.TRUNCATED, e.reason());
            assertEquals("TRUNCATED: arp: len=" + length + " need=28", e.getMessage());
        }
        arp.wrap(buf, EthernetHeader.HEADER_LEN, ArpPacket.LEN);
        assertDoesNotThrow(arp::checkLen);
    }

    @Test
    void settersWriteTheWireBytes() {
        ByteBuf buf = Unpooled.buffer(28).writeZero(28);
        ArpPacket arp = new ArpPacket().wrap(buf, 0, 28);
        arp.setHtype(1);
        arp.setPtype(0x0800);
        arp.setHlen(6);
        arp.setPlen(4);
        arp.setOper(2);
        arp.setSha(0x0200_0000_0002L);
        arp.setSpa(0x0AC8_0002);
        arp.setTha(0x0200_0000_0001L);
        arp.setTpa(0x0AC8_0001);
        assertArrayEquals(Captures.slice(Captures.buf(Captures.VETH_ARP_REPLY), 14, 28), Captures.slice(buf, 0, 28));
    }

    @Test
    void gratuitousWhenSenderAndTargetAddressesMatch() {
        assertTrue(view(Captures.VETH_GRATUITOUS_REQUEST).isGratuitous());
        assertTrue(view(Captures.VETH_GRATUITOUS_REPLY).isGratuitous());
        assertFalse(view(Captures.VETH_ARP_REPLY).isGratuitous());
        assertFalse(view(Captures.VETH_ARP_UNICAST_PROBE).isGratuitous());
    }

    @Test
    void otherLayoutsAreNotEthernetIpv4() {
        assertFalse(bare("0006 0800 0604 0001" + "00".repeat(20)).isEthernetIpv4());
        assertFalse(bare("0001 86dd 0604 0001" + "00".repeat(20)).isEthernetIpv4());
        assertFalse(bare("0001 0800 0804 0001" + "00".repeat(20)).isEthernetIpv4());
        assertFalse(bare("0001 0800 0610 0001" + "00".repeat(20)).isEthernetIpv4());
    }
}
