package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EthernetReprTest {

    private static final MacAddress MAC1 = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress MAC2 = MacAddress.parse("02:00:00:00:00:02");

    private static final String[] CAPTURES = {
        Captures.LO_ICMP_ECHO_REQUEST, Captures.LO_UDP_HELLO, Captures.VETH_ARP_REQUEST, Captures.VETH_ARP_REPLY,
        Captures.VETH_ARP_UNICAST_PROBE, Captures.VETH_GRATUITOUS_REQUEST, Captures.VETH_GRATUITOUS_REPLY,
        Captures.VETH_ICMP_ECHO_REQUEST, Captures.VETH_ICMP_ECHO_REPLY,
    };

    private static EthernetRepr parse(String frame) throws MalformedPacketException {
        ByteBuf buf = Captures.buf(frame);
        return EthernetRepr.parse(new EthernetHeader().wrap(buf, 0, buf.readableBytes()));
    }

    @Test
    void parsesCapturedFrames() throws MalformedPacketException {
        assertEquals(new EthernetRepr(MAC1, MacAddress.BROADCAST, EtherType.ARP), parse(Captures.VETH_ARP_REQUEST));
        assertEquals(new EthernetRepr(MAC2, MAC1, EtherType.ARP), parse(Captures.VETH_ARP_REPLY));
        assertEquals(new EthernetRepr(MAC1, MAC2, EtherType.IPV4), parse(Captures.VETH_ICMP_ECHO_REQUEST));
        assertEquals(new EthernetRepr(MacAddress.ZERO, MacAddress.ZERO, EtherType.IPV4), parse(Captures.LO_ICMP_ECHO_REQUEST));
    }

    @Test
    void emitOfParseGivesBackTheCapturedHeaderBytes() throws MalformedPacketException {
        for (String frame : CAPTURES) {
            byte[] original = Captures.bytes(frame);
            EthernetRepr repr = parse(frame);
            ByteBuf out = Unpooled.buffer(original.length).writeBytes(original);
            out.setZero(0, EthernetHeader.HEADER_LEN);
            repr.emit(new EthernetHeader().wrap(out, 0, original.length));
            assertArrayEquals(original, Captures.slice(out, 0, original.length), frame);
        }
    }

    @Test
    void parseOfEmitGivesBackTheRepr() throws MalformedPacketException {
        SplittableRandom random = new SplittableRandom(894);
        EthernetHeader view = new EthernetHeader();
        for (int round = 0; round < 5000; round++) {
            EthernetRepr repr = new EthernetRepr(MacAddress.of(random.nextLong() & MacAddress.MASK),
                    MacAddress.of(random.nextLong() & MacAddress.MASK), 0x0600 + random.nextInt(0x10000 - 0x0600));
            ByteBuf buf = Unpooled.buffer(repr.bufferLen()).writeZero(repr.bufferLen());
            repr.emit(view.wrap(buf, 0, repr.bufferLen()));
            assertEquals(repr, EthernetRepr.parse(view), "round=" + round);
        }
    }

    @Test
    void emitsTheCapturedArpRequestHeader() {
        ByteBuf buf = Unpooled.buffer(14).writeZero(14);
        new EthernetRepr(MAC1, MacAddress.BROADCAST, EtherType.ARP).emit(new EthernetHeader().wrap(buf, 0, 14));
        assertArrayEquals(Captures.slice(Captures.buf(Captures.VETH_ARP_REQUEST), 0, 14), Captures.slice(buf, 0, 14));
    }

    @Test
    void bufferLenIsTheHeaderLength() {
        assertEquals(14, new EthernetRepr(MAC1, MAC2, EtherType.IPV4).bufferLen());
    }

    @Test
    void truncatedAtEveryLengthBelowTheHeaderThrowsTruncated() {
        ByteBuf buf = Captures.buf(Captures.VETH_ICMP_ECHO_REQUEST);
        EthernetHeader view = new EthernetHeader();
        for (int length = 0; length < EthernetHeader.HEADER_LEN; length++) {
            view.wrap(buf, 0, length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> EthernetRepr.parse(view));
            assertEquals(MalformedReason.TRUNCATED, e.reason(), "length=" + length);
        }
    }

    @Test
    void an8023LengthFieldIsUnsupported() {
        EthernetHeader view = new EthernetHeader();
        for (int type : new int[] {0x0000, 0x002e, 0x05dc, 0x05ff}) {
            ByteBuf buf = Unpooled.buffer(60).writeBytes(MAC2.toBytes()).writeBytes(MAC1.toBytes()).writeShort(type).writeZero(46);
            view.wrap(buf, 0, 60);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> EthernetRepr.parse(view));
            assertEquals(MalformedReason.UNSUPPORTED_ETHERTYPE, e.reason());
            assertEquals("UNSUPPORTED_ETHERTYPE: ethernet: ethertype=0x" + String.format("%04x", type) + " is an 802.3 length",
                    e.getMessage());
        }
    }

    @Test
    void everyEtherTypeFrom0x0600ParsesForTheReceivePathToDispatch() throws MalformedPacketException {
        for (int type : new int[] {0x0600, EtherType.IPV6, EtherType.VLAN, 0x88cc, 0xFFFF}) {
            ByteBuf buf = Unpooled.buffer(14).writeBytes(MAC2.toBytes()).writeBytes(MAC1.toBytes()).writeShort(type);
            assertEquals(new EthernetRepr(MAC1, MAC2, type), EthernetRepr.parse(new EthernetHeader().wrap(buf, 0, 14)));
        }
    }

    @Test
    void constructorRejectsLengthsAndNulls() {
        assertEquals("ethernet: ethertype=0x05dc not in 0x0600..0xffff",
                assertThrows(IllegalArgumentException.class, () -> new EthernetRepr(MAC1, MAC2, 0x05dc)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EthernetRepr(MAC1, MAC2, 0x10000));
        assertThrows(IllegalArgumentException.class, () -> new EthernetRepr(MAC1, MAC2, -1));
        assertThrows(NullPointerException.class, () -> new EthernetRepr(null, MAC2, EtherType.IPV4));
        assertThrows(NullPointerException.class, () -> new EthernetRepr(MAC1, null, EtherType.IPV4));
    }
}
