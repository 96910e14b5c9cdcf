package dev.stacksim.wire;

import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UdpHeaderTest {
    private static final int A = 0x0A00_0001;
    private static final int B = 0x0A00_0002;
    private static final int LOOPBACK = 0x7F00_0001;

    /** The UDP part of a captured datagram (20-byte IP header), wrapped over the IP payload. */
    private static UdpHeader udpOf(byte[] datagram) {
        return new UdpHeader().wrap(buffer(datagram), 20, datagram.length - 20);
    }

    private static UdpHeader view(byte[] datagram) {
        return new UdpHeader().wrap(buffer(datagram), 0, datagram.length);
    }

    @Test
    void helloFieldsMatchCapture() throws MalformedPacketException {
        UdpHeader udp = udpOf(bytes(IpGoldenPackets.UDP_HELLO));
        udp.checkLen();
        assertEquals(51779, udp.srcPort());
        assertEquals(9501, udp.dstPort());
        assertEquals(14, udp.datagramLength());
        assertEquals(0xb892, udp.checksum());
        assertEquals(28, udp.payloadOffset());
        assertEquals(6, udp.payloadLen());
        assertEquals("hello\n", udp.buffer().toString(udp.payloadOffset(), udp.payloadLen(), StandardCharsets.US_ASCII));
        assertTrue(udp.verifyChecksum(A, B));
        assertEquals("51779 > 9501: UDP, length 6", udp.toString());
    }

    @Test
    void checksumCoversThePseudoHeaderAndTheData() {
        UdpHeader udp = udpOf(bytes(IpGoldenPackets.UDP_HELLO));
        assertFalse(udp.verifyChecksum(0x0A00_0003, B));
        byte[] changed = bytes(IpGoldenPackets.UDP_HELLO);
        changed[33] = '!';
        assertFalse(udpOf(changed).verifyChecksum(A, B));
    }

    @Test
    void loopbackCaptureCarriesOnlyThePseudoHeaderSum() {
        // lo offloads the checksum (CHECKSUM_PARTIAL): the stack stores the pseudo-header sum for the
        // "hardware" to finish, and lo never does, so a capture there shows a checksum that fails.
        UdpHeader udp = udpOf(bytes(IpGoldenPackets.UDP_HELLO_LOOPBACK));
        assertEquals(Checksum.pseudoHeader(LOOPBACK, LOOPBACK, IpProtocol.UDP, 14), udp.checksum());
        assertFalse(udp.verifyChecksum(LOOPBACK, LOOPBACK));
        udp.fillChecksum(LOOPBACK, LOOPBACK);
        assertEquals(0xb87a, udp.checksum());
        assertTrue(udp.verifyChecksum(LOOPBACK, LOOPBACK));
    }

    @Test
    void zeroChecksumMeansNoneWasSent() {
        byte[] datagram = bytes(IpGoldenPackets.UDP_HELLO);
        datagram[26] = 0;
        datagram[27] = 0;
        assertTrue(udpOf(datagram).verifyChecksum(0x0102_0304, 0x0506_0708));
    }

    @Test
    void fillChecksumReproducesTheCapturedChecksum() {
        byte[] datagram = bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT);
        UdpHeader udp = udpOf(datagram);
        udp.setChecksum(0x1234).fillChecksum(A, B);
        assertEquals(0xf5ad, udp.checksum());
    }

    @Test
    void computedZeroChecksumIsSentAsAllOnes() {
        ByteBuf buf = Unpooled.buffer(10, 10);
        UdpHeader udp = new UdpHeader().wrap(buf, 0, 10);
        udp.setSrcPort(1000).setDstPort(2000).setDatagramLength(10).setChecksum(0);
        int sum = Checksum.combine(Checksum.pseudoHeader(LOOPBACK, LOOPBACK, IpProtocol.UDP, 10),
                Checksum.sum(buf, 0, 10));
        buf.setShort(8, 0xFFFF - sum);    // data that makes the one's complement sum 0xFFFF
        udp.fillChecksum(LOOPBACK, LOOPBACK);
        assertEquals(0xFFFF, udp.checksum());
        assertTrue(udp.verifyChecksum(LOOPBACK, LOOPBACK));
    }

    @Test
    void ipPayloadLongerThanTheUdpLengthIsTrimmedNotRejected() throws MalformedPacketException {
        byte[] padded = Arrays.copyOf(bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT), 46);
        UdpHeader udp = udpOf(padded);
        udp.checkLen();
        assertEquals(26, udp.length());
        assertEquals(3, udp.payloadLen());
        assertTrue(udp.verifyChecksum(A, B));
    }

    @Test
    void truncatedAtEveryLengthThrowsTruncatedThenBadLength() {
        byte[] golden = Arrays.copyOfRange(bytes(IpGoldenPackets.UDP_HELLO), 20, 34);
        for (int len = 0; len < golden.length; len++) {
            byte[] cut = Arrays.copyOf(golden, len);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> view(cut).checkLen());
            assertEquals(len < 8 ? MalformedReason.TRUNCATED : MalformedReason.BAD_LENGTH, e.reason(), "len=" + len);
            assertEquals(len < 8 ? "TRUNCATED: udp: len=" + len : "BAD_LENGTH: udp: ulen=14 len=" + len,
                    e.getMessage());
        }
    }

    @Test
    void lengthFieldBelowTheHeaderThrowsBadLength() {
        for (int ulen = 0; ulen < 8; ulen++) {
            byte[] datagram = Arrays.copyOfRange(bytes(IpGoldenPackets.UDP_HELLO), 20, 34);
            datagram[5] = (byte) ulen;
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> view(datagram).checkLen());
            assertEquals(MalformedReason.BAD_LENGTH, e.reason());
            assertEquals("BAD_LENGTH: udp: ulen=" + ulen, e.getMessage());
        }
    }

    @Test
    void toStringReportsBadLengthsAsTcpdumpDoes() {
        byte[] datagram = Arrays.copyOfRange(bytes(IpGoldenPackets.UDP_HELLO), 20, 34);
        datagram[5] = 100;
        assertEquals("51779 > 9501: UDP, bad length 100 > 14", view(datagram).toString());
        datagram[5] = 4;
        assertEquals("51779 > 9501: UDP, truncated-udplength 4", view(datagram).toString());
        assertEquals("UDP [|udp] len=5", view(new byte[5]).toString());
        assertEquals("UDP [unwrapped]", new UdpHeader().toString());
    }

    @Test
    void settersRejectValuesTheFieldCannotHold() {
        UdpHeader udp = new UdpHeader().wrap(Unpooled.buffer(8, 8), 0, 8);
        assertThrows(IllegalArgumentException.class, () -> udp.setSrcPort(65536));
        assertThrows(IllegalArgumentException.class, () -> udp.setDstPort(-1));
        assertThrows(IllegalArgumentException.class, () -> udp.setDatagramLength(65536));
        assertThrows(IllegalArgumentException.class, () -> udp.setChecksum(65536));
    }
}
