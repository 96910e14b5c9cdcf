package dev.stacksim.wire;

import static dev.stacksim.wire.IcmpHeaderTest.error;
import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpReprTest {
    private static IcmpHeader icmpOf(byte[] datagram) {
        int headerLen = (datagram[0] & 0x0F) * 4;
        return new IcmpHeader().wrap(buffer(datagram), headerLen, datagram.length - headerLen);
    }

    private static IcmpHeader view(byte[] message) {
        return new IcmpHeader().wrap(buffer(message), 0, message.length);
    }

    private static MalformedPacketException parseFails(byte[] message) {
        return assertThrows(MalformedPacketException.class, () -> IcmpRepr.parse(view(message)));
    }

    /** The message with its checksum recomputed, so that a test reaches the check after it. */
    private static byte[] withChecksum(byte[] message) {
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        new IcmpHeader().wrap(buf, 0, message.length).fillChecksum();
        return message;
    }

    @Test
    void parseEchoRequestAndReplyFromCapture() throws MalformedPacketException {
        IcmpRepr request = IcmpRepr.parse(icmpOf(bytes(IpGoldenPackets.ECHO_REQUEST)));
        assertEquals(new IcmpRepr.EchoRequest(4831, 1, 56), request);
        assertEquals(IcmpType.ECHO, request.type());
        assertEquals(0, request.code());
        assertEquals(64, request.bufferLen());
        assertEquals(8, request.headerLen());
        IcmpRepr reply = IcmpRepr.parse(icmpOf(bytes(IpGoldenPackets.ECHO_REPLY)));
        assertEquals(new IcmpRepr.EchoReply(4831, 1, 56), reply);
        assertEquals(reply, ((IcmpRepr.EchoRequest) request).reply());
    }

    @Test
    void emittingTheReplyOverTheRequestGivesTheCapturedReply() throws MalformedPacketException {
        byte[] request = bytes(IpGoldenPackets.ECHO_REQUEST);
        byte[] reply = bytes(IpGoldenPackets.ECHO_REPLY);
        IcmpHeader icmp = icmpOf(request);
        IcmpRepr.EchoRequest parsed = (IcmpRepr.EchoRequest) IcmpRepr.parse(icmp);
        parsed.reply().emit(icmp);   // in place, as icmp_echo reuses the request's data
        assertArrayEquals(Arrays.copyOfRange(reply, 20, 84), Arrays.copyOfRange(request, 20, 84));
    }

    @Test
    void parsePortUnreachableFromCapture() throws MalformedPacketException {
        IcmpHeader icmp = icmpOf(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE));
        IcmpRepr repr = IcmpRepr.parse(icmp);
        assertEquals(new IcmpRepr.DestUnreachable(IcmpCode.PORT_UNREACH, 0, 31), repr);
        assertEquals(IcmpType.DEST_UNREACH, repr.type());
        assertEquals(IcmpCode.PORT_UNREACH, repr.code());
        assertEquals(39, repr.bufferLen());
    }

    @Test
    void emitPortUnreachableOverACopiedQuoteGivesTheCapturedMessage() {
        byte[] captured = bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE);
        byte[] original = bytes(IpGoldenPackets.UDP_TO_CLOSED_PORT);
        IcmpRepr repr = new IcmpRepr.DestUnreachable(IcmpCode.PORT_UNREACH, 0,
                IcmpRepr.quoteLen(original.length, 65536));
        ByteBuf buf = Unpooled.buffer(repr.bufferLen(), repr.bufferLen());
        IcmpHeader icmp = new IcmpHeader().wrap(buf, 0, repr.bufferLen());
        buf.setBytes(icmp.dataOffset(), original, 0, repr.dataLen());   // the caller copies the quote first
        repr.emit(icmp);
        byte[] out = new byte[repr.bufferLen()];
        buf.getBytes(0, out);
        assertArrayEquals(Arrays.copyOfRange(captured, 20, 59), out);
    }

    @Test
    void quoteLenFollowsLinuxIcmpSend() {
        assertEquals(31, IcmpRepr.quoteLen(31, 65536));       // the whole small datagram, as captured
        assertEquals(548, IcmpRepr.quoteLen(1500, 1500));     // 576 - 20 - 8
        assertEquals(472, IcmpRepr.quoteLen(1500, 500));      // a route MTU below 576
        assertEquals(548, IcmpRepr.quoteLen(548, 9000));
    }

    @Test
    void fragNeededRoundTripsTheMtu() throws MalformedPacketException {
        byte[] message = error(IcmpType.DEST_UNREACH, 0, 0, IpProtocol.UDP);
        IcmpRepr repr = new IcmpRepr.DestUnreachable(IcmpCode.FRAG_NEEDED, 1400, 28);
        repr.emit(view(message));
        assertEquals(0x0578, ((message[6] & 0xFF) << 8) | (message[7] & 0xFF));
        assertEquals(0, message[4] | message[5]);
        assertEquals(repr, IcmpRepr.parse(view(message)));
    }

    @Test
    void mtuOnlyRidesOnFragNeeded() throws MalformedPacketException {
        assertThrows(IllegalArgumentException.class,
                () -> new IcmpRepr.DestUnreachable(IcmpCode.PORT_UNREACH, 1400, 28));
        // A port unreachable whose unused bytes are not zero still parses, without an MTU.
        byte[] message = error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 1400, IpProtocol.UDP);
        assertEquals(new IcmpRepr.DestUnreachable(IcmpCode.PORT_UNREACH, 0, 28), IcmpRepr.parse(view(message)));
    }

    @Test
    void everyUnreachableCodeRoundTrips() throws MalformedPacketException {
        for (int code = 0; code <= IcmpCode.MAX_UNREACH; code++) {
            byte[] message = new byte[36];
            System.arraycopy(error(IcmpType.DEST_UNREACH, 0, 0, IpProtocol.UDP), 8, message, 8, 28);
            IcmpRepr repr = new IcmpRepr.DestUnreachable(code, code == IcmpCode.FRAG_NEEDED ? 576 : 0, 28);
            repr.emit(view(message));
            assertEquals(repr, IcmpRepr.parse(view(message)));
        }
    }

    @Test
    void timeExceededRoundTrips() throws MalformedPacketException {
        for (int code : new int[] {IcmpCode.EXC_TTL, IcmpCode.EXC_FRAGTIME}) {
            byte[] message = error(IcmpType.ECHO, 0, 0, IpProtocol.UDP);
            IcmpRepr repr = new IcmpRepr.TimeExceeded(code, 28);
            repr.emit(view(message));
            assertEquals(IcmpType.TIME_EXCEEDED, message[0]);
            assertEquals(0, message[4] | message[5] | message[6] | message[7]);
            assertEquals(repr, IcmpRepr.parse(view(message)));
        }
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.TimeExceeded(2, 28));
    }

    @Test
    void echoCodeIsIgnoredAsLinuxDoes() throws MalformedPacketException {
        byte[] message = Arrays.copyOfRange(bytes(IpGoldenPackets.ECHO_REQUEST), 20, 84);
        message[1] = 5;
        assertEquals(new IcmpRepr.EchoRequest(4831, 1, 56), IcmpRepr.parse(view(withChecksum(message))));
    }

    @Test
    void otherTypesThrowUnsupportedIcmp() {
        for (int type : new int[] {IcmpType.SOURCE_QUENCH, IcmpType.REDIRECT, IcmpType.PARAMETERPROB,
            IcmpType.TIMESTAMP, IcmpType.TIMESTAMPREPLY, 42, 255}) {
            MalformedPacketException e = parseFails(error(type, 0, 0, IpProtocol.UDP));
            assertEquals(MalformedReason.UNSUPPORTED_ICMP, e.reason());
            assertEquals("UNSUPPORTED_ICMP: icmp: type=" + type + " code=0", e.getMessage());
        }
    }

    @Test
    void undefinedCodesThrowUnsupportedIcmp() {
        assertEquals(MalformedReason.UNSUPPORTED_ICMP,
                parseFails(error(IcmpType.DEST_UNREACH, 16, 0, IpProtocol.UDP)).reason());
        assertEquals(MalformedReason.UNSUPPORTED_ICMP,
                parseFails(error(IcmpType.TIME_EXCEEDED, 2, 0, IpProtocol.UDP)).reason());
    }

    @Test
    void badChecksumThrowsUnlessVerificationIsOff() throws MalformedPacketException {
        byte[] message = Arrays.copyOfRange(bytes(IpGoldenPackets.ECHO_REQUEST), 20, 84);
        message[63] ^= 1;
        MalformedPacketException e = parseFails(message);
        assertEquals(MalformedReason.BAD_CHECKSUM, e.reason());
        assertEquals("BAD_CHECKSUM: icmp: type=8 checksum=0x27e1 computed=0x27e2", e.getMessage());
        assertEquals(new IcmpRepr.EchoRequest(4831, 1, 56), IcmpRepr.parse(view(message), false));
    }

    @Test
    void quoteShorterThanAnIpHeaderThrowsTruncated() {
        byte[] message = withChecksum(Arrays.copyOf(error(IcmpType.DEST_UNREACH, 3, 0, IpProtocol.UDP), 27));
        MalformedPacketException e = parseFails(message);
        assertEquals(MalformedReason.TRUNCATED, e.reason());
        assertEquals("TRUNCATED: icmp: type=3 quoted=19 need=20", e.getMessage());
    }

    @Test
    void quoteWithoutEightDataBytesThrowsTruncated() {
        byte[] message = withChecksum(Arrays.copyOf(error(IcmpType.TIME_EXCEEDED, 0, 0, IpProtocol.UDP), 35));
        MalformedPacketException e = parseFails(message);
        assertEquals(MalformedReason.TRUNCATED, e.reason());
        assertEquals("TRUNCATED: icmp: type=11 quoted=27 need=28", e.getMessage());
    }

    @Test
    void quotedHeaderWithBadVersionOrIhlIsRejected() {
        byte[] v6 = error(IcmpType.DEST_UNREACH, 3, 0, IpProtocol.UDP);
        v6[8] = 0x65;
        assertEquals(MalformedReason.BAD_VERSION, parseFails(withChecksum(v6)).reason());
        byte[] ihl4 = error(IcmpType.DEST_UNREACH, 3, 0, IpProtocol.UDP);
        ihl4[8] = 0x44;
        assertEquals(MalformedReason.BAD_IHL, parseFails(withChecksum(ihl4)).reason());
        byte[] ihl15 = error(IcmpType.DEST_UNREACH, 3, 0, IpProtocol.UDP);
        ihl15[8] = 0x4F;
        MalformedPacketException e = parseFails(withChecksum(ihl15));
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
        assertEquals("BAD_LENGTH: icmp: type=3 quoted ihl=15 hdrlen=60 quoted=28", e.getMessage());
    }

    @Test
    void truncatedAtEveryLengthThrowsTruncatedNeverIndexOutOfBounds() throws MalformedPacketException {
        byte[] unreachable = Arrays.copyOfRange(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE), 20, 59);
        for (int len = 0; len < 36; len++) {
            byte[] cut = Arrays.copyOf(unreachable, len);
            MalformedPacketException e = assertThrows(MalformedPacketException.class,
                    () -> IcmpRepr.parse(view(cut), false));
            assertEquals(MalformedReason.TRUNCATED, e.reason(), "len=" + len);
        }
        byte[] echo = Arrays.copyOfRange(bytes(IpGoldenPackets.ECHO_REQUEST), 20, 84);
        for (int len = 0; len < echo.length; len++) {
            byte[] cut = Arrays.copyOf(echo, len);
            if (len < 8) {
                assertEquals(MalformedReason.TRUNCATED, assertThrows(MalformedPacketException.class,
                        () -> IcmpRepr.parse(view(cut), false)).reason());
            } else {
                assertEquals(new IcmpRepr.EchoRequest(4831, 1, len - 8), IcmpRepr.parse(view(cut), false));
            }
        }
    }

    @Test
    void emitIntoAShortViewThrowsIllegalArgument() {
        IcmpRepr repr = new IcmpRepr.EchoRequest(1, 1, 56);
        IcmpHeader icmp = new IcmpHeader().wrap(Unpooled.buffer(64, 64), 0, 63);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repr.emit(icmp));
        assertEquals("icmp emit: len=63 bufferLen=64", e.getMessage());
    }

    @Test
    void constructorsRejectFieldsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.EchoRequest(65536, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.EchoReply(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.EchoRequest(0, 0, 65508));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.DestUnreachable(16, 0, 28));
        assertTrue(new IcmpRepr.EchoRequest(0, 0, 65507).bufferLen() == 65515);
    }
}
