package dev.stacksim.wire;

import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4ReprTest {
    private static final Ipv4Address A = Ipv4Address.of(10, 0, 0, 1);
    private static final Ipv4Address B = Ipv4Address.of(10, 0, 0, 2);

    private static Ipv4Header view(byte[] packet) {
        return new Ipv4Header().wrap(buffer(packet), 0, packet.length);
    }

    private static byte[] emitted(Ipv4Repr repr) {
        ByteBuf buf = Unpooled.buffer(repr.bufferLen(), repr.bufferLen());
        repr.emit(new Ipv4Header().wrap(buf, 0, repr.bufferLen()));
        byte[] out = new byte[repr.bufferLen()];
        buf.getBytes(0, out);
        return out;
    }

    @Test
    void parseEchoRequestGivesEveryField() throws MalformedPacketException {
        Ipv4Repr ip = Ipv4Repr.parse(view(bytes(IpGoldenPackets.ECHO_REQUEST)));
        assertEquals(Ipv4Address.LOOPBACK, ip.src());
        assertEquals(Ipv4Address.LOOPBACK, ip.dst());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertEquals(64, ip.ttl());
        assertEquals(64, ip.payloadLen());
        assertEquals(17782, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffsetBytes());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(0, ip.optionsLen());
        assertEquals(20, ip.headerLen());
        assertEquals(20, ip.bufferLen());
        assertEquals(84, ip.totalLength());
    }

    @Test
    void emitReproducesEveryCapturedHeader() throws MalformedPacketException {
        for (byte[] golden : IpGoldenPackets.all()) {
            Ipv4Repr repr = Ipv4Repr.parse(view(golden));
            int headerLen = (golden[0] & 0x0F) * 4;
            assertEquals(headerLen, repr.bufferLen());
            assertArrayEquals(Arrays.copyOf(golden, headerLen), emitted(repr), repr.toString());
        }
    }

    @Test
    void parseKeepsRecordRouteOptionBytes() throws MalformedPacketException {
        byte[] golden = bytes(IpGoldenPackets.RR_REPLY);
        Ipv4Repr repr = Ipv4Repr.parse(view(golden));
        assertEquals(40, repr.optionsLen());
        assertEquals(60, repr.headerLen());
        assertEquals(64, repr.payloadLen());
        assertArrayEquals(Arrays.copyOfRange(golden, 20, 60), repr.options());
    }

    @Test
    void parseOfFragmentsGivesOffsetInBytes() throws MalformedPacketException {
        Ipv4Repr middle = Ipv4Repr.parse(view(IpGoldenPackets.fragmentMiddle()));
        assertTrue(middle.moreFragments());
        assertEquals(1480, middle.fragmentOffsetBytes());
        assertTrue(middle.isFragment());
        Ipv4Repr last = Ipv4Repr.parse(view(bytes(IpGoldenPackets.FRAGMENT_LAST)));
        assertFalse(last.moreFragments());
        assertEquals(2960, last.fragmentOffsetBytes());
        assertEquals(48, last.payloadLen());
        assertTrue(last.isFragment());
    }

    @Test
    void parseOfIcmpErrorSplitsTosIntoDscpAndEcn() throws MalformedPacketException {
        Ipv4Repr ip = Ipv4Repr.parse(view(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE)));
        assertEquals(48, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(39, ip.payloadLen());
    }

    @Test
    void payloadLenIgnoresEthernetPadding() throws MalformedPacketException {
        byte[] padded = Arrays.copyOf(bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT), 46);
        assertEquals(11, Ipv4Repr.parse(view(padded)).payloadLen());
    }

    @Test
    void badChecksumThrowsUnlessVerificationIsOff() throws MalformedPacketException {
        byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
        packet[8] = 63;                   // ttl decremented without updating the checksum
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv4Repr.parse(view(packet)));
        assertEquals(MalformedReason.BAD_CHECKSUM, e.reason());
        assertEquals("BAD_CHECKSUM: ipv4: check=0xf730 computed=0xf830", e.getMessage());
        assertEquals(63, Ipv4Repr.parse(view(packet), false).ttl());
    }

    @Test
    void parseRunsCheckLenFirst() {
        byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
        packet[0] = 0x44;
        assertEquals(MalformedReason.BAD_IHL,
                assertThrows(MalformedPacketException.class, () -> Ipv4Repr.parse(view(packet), false)).reason());
    }

    @Test
    void ofUsesLinuxDefaultsAndWithersChangeOneField() throws MalformedPacketException {
        Ipv4Repr udp = Ipv4Repr.of(A, B, IpProtocol.UDP, 14);
        assertEquals(64, udp.ttl());
        assertEquals(0, udp.identification());
        assertFalse(udp.dontFragment());
        assertEquals(34, udp.totalLength());

        Ipv4Repr changed = udp.withTtl(1).withIdentification(7).withDontFragment(true).withDscpEcn(46, 2)
                .withFragment(true, 1480).withSrc(B).withDst(A).withPayloadLen(100);
        Ipv4Repr parsed = Ipv4Repr.parse(view(Arrays.copyOf(emitted(changed), changed.totalLength())));
        assertEquals(changed, parsed);
        assertEquals(B, parsed.src());
        assertEquals(A, parsed.dst());
        assertEquals(1, parsed.ttl());
        assertEquals(7, parsed.identification());
        assertEquals(46, parsed.dscp());
        assertEquals(2, parsed.ecn());
        assertEquals(1480, parsed.fragmentOffsetBytes());
        assertEquals(100, parsed.payloadLen());
    }

    @Test
    void emitFillsChecksumAndLeavesPayloadAlone() {
        Ipv4Repr repr = Ipv4Repr.of(A, B, IpProtocol.UDP, 4);
        ByteBuf buf = Unpooled.buffer(24, 24);
        buf.setInt(20, 0xCAFEBABE);
        Ipv4Header view = new Ipv4Header().wrap(buf, 0, 24);
        repr.emit(view);
        assertTrue(view.verifyChecksum());
        assertEquals(24, view.totalLength());
        assertEquals(0xCAFEBABE, buf.getInt(20));
    }

    @Test
    void emitIntoAShortViewThrowsIllegalArgument() {
        Ipv4Repr repr = Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withOptions(new byte[] {1, 1, 1, 1});
        Ipv4Header view = new Ipv4Header().wrap(Unpooled.buffer(24, 24), 0, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repr.emit(view));
        assertEquals("ipv4 emit: len=20 bufferLen=24", e.getMessage());
    }

    @Test
    void optionsArePaddedWithEolToFourBytes() throws MalformedPacketException {
        // A record route with no slots: kind 7, length 3, pointer 4.
        Ipv4Repr repr = Ipv4Repr.of(A, B, IpProtocol.ICMP, 0).withOptions(new byte[] {7, 3, 4});
        assertArrayEquals(new byte[] {7, 3, 4, 0}, repr.options());
        assertEquals(24, repr.bufferLen());
        byte[] header = emitted(repr);
        assertEquals(0x46, header[0]);
        assertEquals(repr, Ipv4Repr.parse(view(header)));
    }

    @Test
    void optionsAreCopiedInAndOut() {
        byte[] options = {(byte) 148, 4, 0, 0};
        Ipv4Repr repr = Ipv4Repr.of(A, B, IpProtocol.ICMP, 0).withOptions(options);
        options[0] = 1;
        assertEquals((byte) 148, repr.options()[0]);
        repr.options()[0] = 1;
        assertEquals((byte) 148, repr.options()[0]);
    }

    @Test
    void equalityComparesOptionsByContent() {
        Ipv4Repr a = Ipv4Repr.of(A, B, IpProtocol.ICMP, 0).withOptions(new byte[] {(byte) 148, 4, 0, 0});
        Ipv4Repr b = Ipv4Repr.of(A, B, IpProtocol.ICMP, 0).withOptions(new byte[] {(byte) 148, 4, 0, 0});
        Ipv4Repr c = Ipv4Repr.of(A, B, IpProtocol.ICMP, 0).withOptions(new byte[] {(byte) 148, 4, 0, 1});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertTrue(a.toString().endsWith("options=94040000]"), a.toString());
    }

    @Test
    void constructorRejectsFieldsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 65516));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withTtl(256));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withDscpEcn(64, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withFragment(true, 4));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withOptions(new byte[44]));
        assertThrows(NullPointerException.class, () -> Ipv4Repr.of(null, B, IpProtocol.UDP, 0));
        assertEquals(65515, Ipv4Repr.of(A, B, IpProtocol.UDP, 65515).payloadLen());
    }

    @Test
    void constructorRejectsOptionsThatWouldNotParse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withOptions(new byte[] {7, 9, 4, 0}));
        assertEquals("ipv4: option kind=7 at=0 optlen=9 options_len=4", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withOptions(new byte[] {1, 1, 1, 7}));
        assertThrows(IllegalArgumentException.class,
                () -> Ipv4Repr.of(A, B, IpProtocol.UDP, 0).withOptions(new byte[] {7, 1, 0, 0}));
    }
}
