package dev.stacksim.wire;

import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UdpReprTest {
    private static final int A = 0x0A00_0001;
    private static final int B = 0x0A00_0002;

    private static UdpHeader udpOf(byte[] datagram) {
        return new UdpHeader().wrap(buffer(datagram), 20, datagram.length - 20);
    }

    @Test
    void parseHelloFromCapture() throws MalformedPacketException {
        UdpRepr udp = UdpRepr.parse(udpOf(bytes(IpGoldenPackets.UDP_HELLO)), A, B);
        assertEquals(new UdpRepr(51779, 9501, 6), udp);
        assertEquals(8, udp.headerLen());
        assertEquals(14, udp.bufferLen());
        assertEquals(new UdpRepr(33717, 9, 3),
                UdpRepr.parse(udpOf(bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT)), A, B));
    }

    @Test
    void emitOverTheDataGivesTheCapturedDatagram() {
        byte[] golden = Arrays.copyOfRange(bytes(IpGoldenPackets.UDP_HELLO), 20, 34);
        UdpRepr repr = new UdpRepr(51779, 9501, 6);
        ByteBuf buf = Unpooled.buffer(repr.bufferLen(), repr.bufferLen());
        buf.setBytes(8, golden, 8, 6);    // the socket layer put the data there first
        repr.emit(new UdpHeader().wrap(buf, 0, repr.bufferLen()), A, B);
        byte[] out = new byte[14];
        buf.getBytes(0, out);
        assertArrayEquals(golden, out);
    }

    @Test
    void badChecksumThrowsUnlessVerificationIsOff() throws MalformedPacketException {
        byte[] datagram = bytes(IpGoldenPackets.UDP_HELLO);
        datagram[28] = 'j';
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(udpOf(datagram), A, B));
        assertEquals(MalformedReason.BAD_CHECKSUM, e.reason());
        assertEquals("BAD_CHECKSUM: udp: check=0xb892 computed=0xb692 ulen=14", e.getMessage());
        assertEquals(new UdpRepr(51779, 9501, 6), UdpRepr.parse(udpOf(datagram), A, B, false));
    }

    @Test
    void wrongPseudoHeaderAddressThrowsBadChecksum() {
        assertEquals(MalformedReason.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(udpOf(bytes(IpGoldenPackets.UDP_HELLO)), 0x0A00_0003, B)).reason());
    }

    @Test
    void zeroChecksumIsAccepted() throws MalformedPacketException {
        byte[] datagram = bytes(IpGoldenPackets.UDP_HELLO);
        datagram[26] = 0;
        datagram[27] = 0;
        datagram[28] = 'j';
        assertEquals(new UdpRepr(51779, 9501, 6), UdpRepr.parse(udpOf(datagram), A, B));
    }

    @Test
    void parseRunsCheckLenFirst() {
        byte[] datagram = Arrays.copyOf(bytes(IpGoldenPackets.UDP_HELLO), 30);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(udpOf(datagram), A, B));
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
        assertEquals("BAD_LENGTH: udp: ulen=14 len=10", e.getMessage());
    }

    @Test
    void emitIntoAViewWithoutRoomForTheDataThrowsIllegalArgument() {
        UdpRepr repr = new UdpRepr(1, 2, 6);
        UdpHeader view = new UdpHeader().wrap(Unpooled.buffer(14, 14), 0, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> repr.emit(view, A, B));
        assertEquals("udp emit: len=8 bufferLen=14", e.getMessage());
    }

    @Test
    void constructorRejectsFieldsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(65536, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(1, 1, UdpRepr.MAX_PAYLOAD_LEN + 1));
        assertEquals(65507, UdpRepr.MAX_PAYLOAD_LEN);
    }
}
