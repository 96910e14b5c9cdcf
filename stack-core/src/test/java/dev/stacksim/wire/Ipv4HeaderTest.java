package dev.stacksim.wire;

import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {
    private static final int LOOPBACK = 0x7F00_0001;

    private static Ipv4Header view(byte[] packet) {
        return new Ipv4Header().wrap(buffer(packet), 0, packet.length);
    }

    private static MalformedPacketException checkLenFails(byte[] packet) {
        return assertThrows(MalformedPacketException.class, () -> view(packet).checkLen());
    }

    @Test
    void echoRequestFieldsMatchCapture() throws MalformedPacketException {
        Ipv4Header ip = view(bytes(IpGoldenPackets.ECHO_REQUEST));
        ip.checkLen();
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLen());
        assertEquals(0, ip.tos());
        assertEquals(84, ip.totalLength());
        assertEquals(17782, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.reservedFlag());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffsetBytes());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertEquals(0xf730, ip.headerChecksum());
        assertEquals(LOOPBACK, ip.srcAddr());
        assertEquals(LOOPBACK, ip.dstAddr());
        assertEquals(20, ip.payloadOffset());
        assertEquals(64, ip.payloadLen());
        assertEquals(0, ip.optionsLen());
        assertEquals(Ipv4Header.NO_OPTION, ip.firstOption());
        assertTrue(ip.verifyChecksum());
    }

    @Test
    void viewAtEthernetOffsetReadsTheSameFields() throws MalformedPacketException {
        byte[] ip = bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT);
        // veth sends the 45-byte frame as is; a real NIC pads it to the 60-byte Ethernet minimum.
        byte[] frame = new byte[60];
        System.arraycopy(bytes(IpGoldenPackets.VETH_ETHERNET_HEADER), 0, frame, 0, 14);
        System.arraycopy(ip, 0, frame, 14, ip.length);
        Ipv4Header view = new Ipv4Header().wrap(buffer(frame), 14, frame.length - 14);
        view.checkLen();
        assertEquals(31, view.totalLength());
        assertEquals(46, view.length());
        assertEquals(34, view.payloadOffset());
        assertEquals(11, view.payloadLen());
        assertEquals(20470, view.identification());
        assertEquals(IpProtocol.UDP, view.protocol());
        assertTrue(view.verifyChecksum());
    }

    @Test
    void tosByteSplitsIntoDscpAndEcn() throws MalformedPacketException {
        Ipv4Header ip = view(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE));
        ip.checkLen();
        assertEquals(0xc0, ip.tos());
        assertEquals(48, ip.dscp());   // CS6, network control: what icmp_send uses for errors
        assertEquals(Ipv4Header.ECN_NOT_ECT, ip.ecn());
        ip.setEcn(Ipv4Header.ECN_CE);
        assertEquals(0xc3, ip.tos());
        ip.setDscp(10);
        assertEquals(0x2b, ip.tos());
    }

    @Test
    void fragmentsGiveOffsetInBytesAndUnits() throws MalformedPacketException {
        Ipv4Header middle = view(IpGoldenPackets.fragmentMiddle());
        middle.checkLen();
        assertTrue(middle.moreFragments());
        assertFalse(middle.dontFragment());
        assertTrue(middle.isFragment());
        assertEquals(185, middle.fragmentOffsetUnits());
        assertEquals(1480, middle.fragmentOffsetBytes());
        assertEquals(1480, middle.payloadLen());

        Ipv4Header last = view(bytes(IpGoldenPackets.FRAGMENT_LAST));
        last.checkLen();
        assertFalse(last.moreFragments());
        assertTrue(last.isFragment());
        assertEquals(370, last.fragmentOffsetUnits());
        assertEquals(2960, last.fragmentOffsetBytes());
        assertEquals(48, last.payloadLen());
        assertEquals(18031, last.identification());
    }

    @Test
    void settersWriteTheCapturedHeaderAndChecksum() {
        byte[] golden = bytes(IpGoldenPackets.ECHO_REQUEST);
        ByteBuf buf = Unpooled.buffer(20, 20);
        Ipv4Header ip = new Ipv4Header().wrap(buf, 0, 20);
        ip.setVersion(4).setIhl(5).setTos(0).setTotalLength(84).setIdentification(17782)
                .setDontFragment(true).setFragmentOffsetBytes(0).setTtl(64).setProtocol(IpProtocol.ICMP)
                .setSrcAddr(LOOPBACK).setDstAddr(LOOPBACK).fillChecksum();
        byte[] written = new byte[20];
        buf.getBytes(0, written);
        assertArrayEquals(Arrays.copyOf(golden, 20), written);
        assertEquals(0xf730, ip.headerChecksum());
    }

    @Test
    void flagSettersKeepTheOffsetAndOffsetSettersKeepTheFlags() {
        Ipv4Header ip = new Ipv4Header().wrap(Unpooled.buffer(20, 20), 0, 20);
        ip.setFragmentOffsetBytes(2960).setMoreFragments(true).setReservedFlag(true);
        assertEquals(0x8000 | 0x2000 | 370, ip.fragOff());
        ip.setFragmentOffsetUnits(185).setReservedFlag(false);
        assertEquals(0x2000 | 185, ip.fragOff());
        assertEquals(1480, ip.fragmentOffsetBytes());
        ip.setMoreFragments(false).setDontFragment(true);
        assertEquals(0x4000 | 185, ip.fragOff());
    }

    @Test
    void settersRejectValuesTheFieldCannotHold() {
        Ipv4Header ip = new Ipv4Header().wrap(Unpooled.buffer(20, 20), 0, 20);
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffsetBytes(1481));
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffsetBytes(65536));
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffsetUnits(8192));
        assertThrows(IllegalArgumentException.class, () -> ip.setTtl(256));
        assertThrows(IllegalArgumentException.class, () -> ip.setIhl(16));
        assertThrows(IllegalArgumentException.class, () -> ip.setDscp(64));
        assertThrows(IllegalArgumentException.class, () -> ip.setEcn(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ip.setTotalLength(70000));
        assertEquals("ipv4: tot_len=70000 not in 0..65535", e.getMessage());
    }

    @Test
    void recordRouteOptionsIterateWithoutAllocation() throws MalformedPacketException {
        Ipv4Header request = view(bytes(IpGoldenPackets.RR_REQUEST));
        request.checkLen();
        assertEquals(20, request.optionsOffset());
        assertEquals(40, request.optionsLen());
        assertEquals(60, request.payloadOffset());
        int at = request.firstOption();
        assertEquals(20, at);
        assertEquals(Ipv4Option.NOP, request.optionKind(at));
        assertEquals(1, request.optionLength(at));
        at = request.nextOption(at);
        assertEquals(21, at);
        assertEquals(Ipv4Option.RR, request.optionKind(at));
        assertEquals(39, request.optionLength(at));
        assertEquals(8, request.buffer().getUnsignedByte(at + 2));          // pointer
        assertEquals(LOOPBACK, request.buffer().getInt(at + 3));            // the first slot, filled
        assertEquals(Ipv4Header.NO_OPTION, request.nextOption(at));

        Ipv4Header reply = view(bytes(IpGoldenPackets.RR_REPLY));
        reply.checkLen();
        at = reply.firstOption();
        assertEquals(Ipv4Option.RR, reply.optionKind(at));
        assertEquals(39, reply.optionLength(at));
        at = reply.nextOption(at);
        assertEquals(59, at);
        assertEquals(Ipv4Option.EOL, reply.optionKind(at));
        assertEquals(1, reply.optionLength(at));
        assertEquals(Ipv4Header.NO_OPTION, reply.nextOption(at));
    }

    @Test
    void timestampOptionFillsTheWholeOptionSpace() throws MalformedPacketException {
        Ipv4Header ip = view(bytes(IpGoldenPackets.TS_REQUEST));
        ip.checkLen();
        int at = ip.firstOption();
        assertEquals(Ipv4Option.TS, ip.optionKind(at));
        assertEquals(40, ip.optionLength(at));
        assertEquals(Ipv4Header.NO_OPTION, ip.nextOption(at));
        assertTrue(ip.verifyChecksum());
    }

    @Test
    void toStringMatchesTcpdump() {
        assertEquals("IP (tos 0x0, ttl 64, id 17782, offset 0, flags [DF], proto ICMP (1), length 84)"
                + " 127.0.0.1 > 127.0.0.1", view(bytes(IpGoldenPackets.ECHO_REQUEST)).toString());
        assertEquals("IP (tos 0xc0, ttl 64, id 51996, offset 0, flags [none], proto ICMP (1), length 59)"
                + " 10.0.0.2 > 10.0.0.1", view(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE)).toString());
        assertEquals("IP (tos 0x0, ttl 64, id 64362, offset 0, flags [DF], proto UDP (17), length 34)"
                + " 10.0.0.1 > 10.0.0.2", view(bytes(IpGoldenPackets.UDP_HELLO)).toString());
        assertEquals("IP (tos 0x0, ttl 64, id 18031, offset 1480, flags [+], proto ICMP (1), length 1500)"
                + " 127.0.0.1 > 127.0.0.1", view(IpGoldenPackets.fragmentMiddle()).toString());
        assertEquals("IP (tos 0x0, ttl 64, id 18031, offset 2960, flags [none], proto ICMP (1), length 68)"
                + " 127.0.0.1 > 127.0.0.1", view(bytes(IpGoldenPackets.FRAGMENT_LAST)).toString());
    }

    @Test
    void toStringPrintsRecordRouteAsTcpdumpDoes() {
        assertEquals("IP (tos 0x0, ttl 64, id 18027, offset 0, flags [DF], proto ICMP (1), length 124,"
                + " options (NOP,RR 127.0.0.1, 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0))"
                + " 127.0.0.1 > 127.0.0.1", view(bytes(IpGoldenPackets.RR_REQUEST)).toString());
        assertEquals("IP (tos 0x0, ttl 64, id 18028, offset 0, flags [none], proto ICMP (1), length 124,"
                + " options (RR 127.0.0.1, 127.0.0.1, 127.0.0.1, 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0"
                + " 0.0.0.0,EOL)) 127.0.0.1 > 127.0.0.1", view(bytes(IpGoldenPackets.RR_REPLY)).toString());
        assertEquals("IP (tos 0x0, ttl 64, id 18029, offset 0, flags [DF], proto ICMP (1), length 124,"
                + " options (timestamp)) 127.0.0.1 > 127.0.0.1", view(bytes(IpGoldenPackets.TS_REQUEST)).toString());
    }

    @Test
    void toStringShowsEcnUnknownProtocolsReservedFlagAndBadChecksum() {
        byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
        packet[1] = 0x03;                 // CE
        packet[6] = (byte) 0xE0;          // reserved + DF + MF
        packet[9] = (byte) 253;           // experimental protocol
        assertEquals("IP (tos 0x3,CE, ttl 64, id 17782, offset 0, flags [+, DF, rsvd], proto unknown (253),"
                + " length 84, bad cksum f730 (->5631)!) 127.0.0.1 > 127.0.0.1", view(packet).toString());
        Ipv4Header fixed = view(packet).fillChecksum();
        assertEquals(0x5631, fixed.headerChecksum());
    }

    @Test
    void toStringNeverThrowsOnGarbage() {
        assertEquals("IP [unwrapped]", new Ipv4Header().toString());
        assertEquals("IP [|ip] len=3", view(new byte[3]).toString());
        byte[] v6 = bytes(IpGoldenPackets.ECHO_REQUEST);
        v6[0] = 0x65;
        assertEquals("IP [bad version 6] len=84", view(v6).toString());
        byte[] ihl3 = bytes(IpGoldenPackets.ECHO_REQUEST);
        ihl3[0] = 0x43;
        assertEquals("IP [bad-hlen 12] len=84", view(ihl3).toString());
        // Options cut off by the end of the bytes, and an option whose length runs past them.
        byte[] rr = Arrays.copyOf(bytes(IpGoldenPackets.RR_REQUEST), 40);
        assertTrue(view(rr).toString().contains("options (NOP,RR [bad length 39])"), view(rr).toString());
    }

    @Test
    void checksumNoLongerVerifiesAfterAnyHeaderByteChanges() {
        byte[] golden = bytes(IpGoldenPackets.RR_REQUEST);
        for (int i = 0; i < 60; i++) {
            byte[] packet = golden.clone();
            packet[i] ^= 0x01;
            assertFalse(view(packet).verifyChecksum(), "byte " + i);
        }
        byte[] payloadChanged = golden.clone();
        payloadChanged[70] ^= 0x01;       // the header checksum does not cover the payload
        assertTrue(view(payloadChanged).verifyChecksum());
    }

    @Test
    void truncatedAtEveryLengthThrowsTruncatedThenBadLength() {
        for (byte[] golden : IpGoldenPackets.all()) {
            for (int len = 0; len < golden.length; len++) {
                MalformedPacketException e = checkLenFails(Arrays.copyOf(golden, len));
                MalformedReason expected = len < 20 ? MalformedReason.TRUNCATED : MalformedReason.BAD_LENGTH;
                assertEquals(expected, e.reason(), "len=" + len + ": " + e.getMessage());
            }
        }
    }

    @Test
    void ethernetPaddingAfterTheDatagramIsAccepted() throws MalformedPacketException {
        byte[] padded = Arrays.copyOf(bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT), 46);
        Ipv4Header ip = view(padded);
        ip.checkLen();
        assertEquals(31, ip.totalLength());
        assertEquals(11, ip.payloadLen());
    }

    @Test
    void versionOtherThanFourThrowsBadVersion() {
        byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
        packet[0] = 0x65;
        MalformedPacketException e = checkLenFails(packet);
        assertEquals(MalformedReason.BAD_VERSION, e.reason());
        assertEquals("BAD_VERSION: ipv4: version=6 len=84", e.getMessage());
    }

    @Test
    void ihlBelowFiveThrowsBadIhl() {
        for (int ihl = 0; ihl < 5; ihl++) {
            byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
            packet[0] = (byte) (0x40 | ihl);
            MalformedPacketException e = checkLenFails(packet);
            assertEquals(MalformedReason.BAD_IHL, e.reason());
            assertEquals("BAD_IHL: ipv4: ihl=" + ihl + " len=84", e.getMessage());
        }
    }

    @Test
    void ihlPastTheBytesThrowsBadLength() {
        byte[] packet = Arrays.copyOf(bytes(IpGoldenPackets.ECHO_REQUEST), 20);
        packet[0] = 0x46;
        MalformedPacketException e = checkLenFails(packet);
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
        assertEquals("BAD_LENGTH: ipv4: ihl=6 hdrlen=24 len=20", e.getMessage());
    }

    @Test
    void totalLengthBelowHeaderOrPastTheBytesThrowsBadLength() {
        byte[] small = bytes(IpGoldenPackets.RR_REQUEST);
        small[2] = 0;
        small[3] = 40;
        MalformedPacketException e = checkLenFails(small);
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
        assertEquals("BAD_LENGTH: ipv4: tot_len=40 hdrlen=60", e.getMessage());

        byte[] big = bytes(IpGoldenPackets.ECHO_REQUEST);
        big[3] = 85;
        e = checkLenFails(big);
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
        assertEquals("BAD_LENGTH: ipv4: tot_len=85 len=84", e.getMessage());
    }

    @Test
    void optionLengthRunningOffTheEndThrowsBadOptionLength() {
        byte[] packet = bytes(IpGoldenPackets.RR_REQUEST);
        packet[22] = 40;                  // RR at 21 now claims 21..60, one past the header
        MalformedPacketException e = checkLenFails(packet);
        assertEquals(MalformedReason.BAD_OPTION_LENGTH, e.reason());
        assertEquals("BAD_OPTION_LENGTH: ipv4: option kind=7 at=21 optlen=40 options end=60", e.getMessage());
    }

    @Test
    void optionLengthBelowTwoThrowsBadOptionLength() {
        for (int len = 0; len < 2; len++) {
            byte[] packet = bytes(IpGoldenPackets.RR_REQUEST);
            packet[22] = (byte) len;
            assertEquals(MalformedReason.BAD_OPTION_LENGTH, checkLenFails(packet).reason());
        }
    }

    @Test
    void optionKindInTheLastByteWithoutLengthThrowsBadOptionLength() {
        byte[] packet = header24(new byte[] {1, 1, 1, (byte) Ipv4Option.RA});
        MalformedPacketException e = checkLenFails(packet);
        assertEquals(MalformedReason.BAD_OPTION_LENGTH, e.reason());
        assertEquals("BAD_OPTION_LENGTH: ipv4: option kind=148 at=23 has no length byte, options end=24",
                e.getMessage());
    }

    @Test
    void bytesAfterEolAreNotValidated() throws MalformedPacketException {
        // A hand-built router alert would be RA(148) len 4 value 0; here EOL then garbage lengths.
        Ipv4Header ip = view(header24(new byte[] {0, 7, (byte) 0xFF, 0}));
        ip.checkLen();
        assertEquals(24, ip.headerLen());
        assertEquals(Ipv4Header.NO_OPTION, ip.nextOption(ip.firstOption()));
    }

    @Test
    void routerAlertOptionBuiltByHandIteratesAndPrints() throws MalformedPacketException {
        Ipv4Header ip = view(header24(new byte[] {(byte) 148, 4, 0, 0}));
        ip.checkLen();
        assertEquals(Ipv4Option.RA, ip.optionKind(ip.firstOption()));
        assertEquals(4, ip.optionLength(ip.firstOption()));
        assertTrue(ip.verifyChecksum());
        assertEquals("IP (tos 0x0, ttl 1, id 0, offset 0, flags [none], proto unknown (2), length 24, options (RA))"
                + " 10.0.0.1 > 224.0.0.22", ip.toString());
    }

    /** A 24-byte header (IHL 6, IGMP-like) from 10.0.0.1 to 224.0.0.22 carrying these 4 option bytes. */
    private static byte[] header24(byte[] options) {
        ByteBuf buf = Unpooled.buffer(24, 24);
        Ipv4Header ip = new Ipv4Header().wrap(buf, 0, 24);
        ip.setVersion(4).setIhl(6).setTotalLength(24).setTtl(1).setProtocol(2)
                .setSrcAddr(0x0A00_0001).setDstAddr(0xE000_0016);
        buf.setBytes(20, options);
        ip.fillChecksum();
        byte[] out = new byte[24];
        buf.getBytes(0, out);
        return out;
    }

    @Test
    void emitBasicWritesTheSameBytesAsTheSettersAndFillChecksum() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            int tos = r.nextInt(256);
            int len = r.nextInt(65536);
            int id = r.nextInt(65536);
            int frag = r.nextInt(65536);
            int ttl = r.nextInt(256);
            int proto = r.nextInt(256);
            int src = r.nextInt();
            int dst = r.nextInt();
            ByteBuf a = Unpooled.buffer(24).writeZero(24);
            ByteBuf b = Unpooled.buffer(24).writeZero(24);
            a.setByte(2, 0x45);
            new Ipv4Header().wrap(a, 2, 20).setVersion(4).setIhl(5).setTos(tos).setTotalLength(len)
                    .setIdentification(id).setFragOff(frag).setTtl(ttl).setProtocol(proto).setSrcAddr(src)
                    .setDstAddr(dst).fillChecksum();
            new Ipv4Header().wrap(b, 2, 20).emitBasic(tos, len, id, frag, ttl, proto, src, dst);
            assertEquals(a, b, "case " + i);
            assertTrue(Checksum.verify(Checksum.sum(b, 2, 20)));
        }
    }

    @Test
    void emitBasicPastTheBufferThrows() {
        ByteBuf b = Unpooled.buffer(30, 30).writeZero(30);
        assertThrows(IndexOutOfBoundsException.class,
                () -> new Ipv4Header().wrap(b, 12, 20).emitBasic(0, 20, 1, 0, 64, 6, 1, 2));
    }
}
