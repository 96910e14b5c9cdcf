package dev.stacksim.wire;

import static dev.stacksim.wire.IpGoldenPackets.buffer;
import static dev.stacksim.wire.IpGoldenPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpHeaderTest {
    /** The ICMP message inside a captured datagram (all golden ICMP datagrams have a 20-byte or 60-byte header). */
    private static IcmpHeader icmpOf(byte[] datagram) {
        int headerLen = (datagram[0] & 0x0F) * 4;
        return new IcmpHeader().wrap(buffer(datagram), headerLen, datagram.length - headerLen);
    }

    /**
     * A 36-byte error message of this type, code and rest of header quoting a UDP datagram from
     * 10.0.0.1:40000 to 10.0.0.2:9 (its 20-byte header and the 8-byte UDP header).
     */
    static byte[] error(int type, int code, int restOfHeader, int quotedProtocol) {
        ByteBuf buf = Unpooled.buffer(36, 36);
        new Ipv4Header().wrap(buf, 8, 28).setVersion(4).setIhl(5).setTotalLength(28).setTtl(64)
                .setProtocol(quotedProtocol).setSrcAddr(0x0A00_0001).setDstAddr(0x0A00_0002).fillChecksum();
        new UdpHeader().wrap(buf, 28, 8).setSrcPort(40000).setDstPort(9).setDatagramLength(8);
        new IcmpHeader().wrap(buf, 0, 36).setType(type).setCode(code).setRestOfHeader(restOfHeader).fillChecksum();
        byte[] out = new byte[36];
        buf.getBytes(0, out);
        return out;
    }

    private static String print(byte[] message) {
        return new IcmpHeader().wrap(buffer(message), 0, message.length).toString();
    }

    @Test
    void echoRequestFieldsMatchCapture() throws MalformedPacketException {
        IcmpHeader icmp = icmpOf(bytes(IpGoldenPackets.ECHO_REQUEST));
        icmp.checkLen();
        assertEquals(IcmpType.ECHO, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x27e1, icmp.checksum());
        assertEquals(4831, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(28, icmp.dataOffset());
        assertEquals(56, icmp.dataLen());
        assertEquals(64, icmp.length());
        assertTrue(icmp.verifyChecksum());
        assertEquals("ICMP echo request, id 4831, seq 1, length 64", icmp.toString());
        assertEquals("ICMP echo reply, id 4831, seq 1, length 64",
                icmpOf(bytes(IpGoldenPackets.ECHO_REPLY)).toString());
    }

    @Test
    void echoBehindIpOptionsStartsAfterTheOptions() throws MalformedPacketException {
        IcmpHeader icmp = icmpOf(bytes(IpGoldenPackets.RR_REQUEST));
        icmp.checkLen();
        assertEquals(60, icmp.offset());
        assertEquals(4842, icmp.identifier());
        assertTrue(icmp.verifyChecksum());
        assertEquals("ICMP echo request, id 4842, seq 1, length 64", icmp.toString());
    }

    @Test
    void turningTheRequestIntoAReplyGivesTheCapturedChecksum() {
        byte[] request = bytes(IpGoldenPackets.ECHO_REQUEST);
        byte[] reply = bytes(IpGoldenPackets.ECHO_REPLY);
        IcmpHeader icmp = icmpOf(request);
        icmp.setType(IcmpType.ECHOREPLY).fillChecksum();
        assertEquals(0x2fe1, icmp.checksum());
        assertTrue(Arrays.equals(request, 20, request.length, reply, 20, reply.length));
    }

    @Test
    void portUnreachableQuotesTheOriginalDatagram() throws MalformedPacketException {
        IcmpHeader icmp = icmpOf(bytes(IpGoldenPackets.ICMP_PORT_UNREACHABLE));
        icmp.checkLen();
        assertEquals(IcmpType.DEST_UNREACH, icmp.type());
        assertEquals(IcmpCode.PORT_UNREACH, icmp.code());
        assertEquals(0, icmp.restOfHeader());
        assertEquals(31, icmp.dataLen());
        assertTrue(icmp.verifyChecksum());
        assertEquals("ICMP 10.0.0.2 udp port 9 unreachable, length 39", icmp.toString());

        // Linux quoted the whole 31-byte datagram: header and all three data bytes.
        Ipv4Header quoted = new Ipv4Header().wrap(icmp.buffer(), icmp.dataOffset(), icmp.dataLen());
        quoted.checkLen();
        assertEquals(20470, quoted.identification());
        assertEquals(IpProtocol.UDP, quoted.protocol());
        UdpHeader udp = new UdpHeader().wrap(icmp.buffer(), quoted.payloadOffset(), quoted.payloadLen());
        udp.checkLen();
        assertEquals(33717, udp.srcPort());
        assertEquals(9, udp.dstPort());
    }

    @Test
    void toStringOfEveryUnreachableCodeMatchesTcpdump() {
        assertEquals("ICMP net 10.0.0.2 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.NET_UNREACH, 0, IpProtocol.UDP)));
        assertEquals("ICMP host 10.0.0.2 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.HOST_UNREACH, 0, IpProtocol.UDP)));
        assertEquals("ICMP 10.0.0.2 protocol 253 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.PROT_UNREACH, 0, 253)));
        assertEquals("ICMP 10.0.0.2 udp port 9 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0, IpProtocol.UDP)));
        assertEquals("ICMP 10.0.0.2 tcp port 9 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0, IpProtocol.TCP)));
        assertEquals("ICMP 10.0.0.2 protocol 132 port 9 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0, 132)));
        assertEquals("ICMP 10.0.0.2 unreachable - need to frag (mtu 1400), length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.FRAG_NEEDED, 1400, IpProtocol.UDP)));
        assertEquals("ICMP 10.0.0.2 unreachable - need to frag, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.FRAG_NEEDED, 0, IpProtocol.UDP)));
        assertEquals("ICMP host 10.0.0.2 unreachable - admin prohibited filter, length 36",
                print(error(IcmpType.DEST_UNREACH, IcmpCode.PKT_FILTERED, 0, IpProtocol.UDP)));
        assertEquals("ICMP #16 10.0.0.2 unreachable, length 36",
                print(error(IcmpType.DEST_UNREACH, 16, 0, IpProtocol.UDP)));
    }

    @Test
    void toStringOfOtherTypesMatchesTcpdump() {
        assertEquals("ICMP time exceeded in-transit, length 36",
                print(error(IcmpType.TIME_EXCEEDED, IcmpCode.EXC_TTL, 0, IpProtocol.UDP)));
        assertEquals("ICMP ip reassembly time exceeded, length 36",
                print(error(IcmpType.TIME_EXCEEDED, IcmpCode.EXC_FRAGTIME, 0, IpProtocol.UDP)));
        assertEquals("ICMP parameter problem - octet 20, length 36",
                print(error(IcmpType.PARAMETERPROB, 0, 20 << 24, IpProtocol.UDP)));
        assertEquals("ICMP redirect 10.0.0.2 to host 10.0.0.254, length 36",
                print(error(IcmpType.REDIRECT, IcmpCode.REDIR_HOST, 0x0A00_00FE, IpProtocol.UDP)));
        assertEquals("ICMP time stamp query id 3 seq 4, length 36",
                print(error(IcmpType.TIMESTAMP, 0, 3 << 16 | 4, IpProtocol.UDP)));
        assertEquals("ICMP time stamp reply, length 36",
                print(error(IcmpType.TIMESTAMPREPLY, 0, 0, IpProtocol.UDP)));
        assertEquals("ICMP type-#42, length 36", print(error(42, 0, 0, IpProtocol.UDP)));
    }

    @Test
    void toStringOfAnErrorWithoutAQuoteSaysSo() {
        byte[] shortQuote = Arrays.copyOf(error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0, IpProtocol.UDP), 20);
        assertEquals("ICMP unreachable [|icmp], length 20", print(shortQuote));
        byte[] noPorts = Arrays.copyOf(error(IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0, IpProtocol.UDP), 30);
        assertEquals("ICMP 10.0.0.2 port unreachable [|icmp], length 30", print(noPorts));
        assertEquals("ICMP [|icmp] len=7", print(new byte[7]));
        assertEquals("ICMP [unwrapped]", new IcmpHeader().toString());
    }

    @Test
    void fragNeededCarriesTheNextHopMtu() {
        IcmpHeader icmp = new IcmpHeader().wrap(Unpooled.buffer(8, 8), 0, 8);
        icmp.setType(IcmpType.DEST_UNREACH).setCode(IcmpCode.FRAG_NEEDED).setNextHopMtu(1400);
        assertEquals(1400, icmp.restOfHeader());
        assertEquals(1400, icmp.nextHopMtu());
        icmp.setPointer(12);
        assertEquals(12, icmp.pointer());
        icmp.setGatewayAddr(0x0A00_00FE);
        assertEquals(0x0A00_00FE, icmp.gatewayAddr());
        icmp.setIdentifier(7).setSequence(9);
        assertEquals(7 << 16 | 9, icmp.restOfHeader());
    }

    @Test
    void checksumCoversTheData() {
        byte[] packet = bytes(IpGoldenPackets.ECHO_REQUEST);
        packet[packet.length - 1] ^= 0x40;
        assertFalse(icmpOf(packet).verifyChecksum());
    }

    @Test
    void truncatedAtEveryLengthBelowTheHeaderThrowsTruncated() throws MalformedPacketException {
        for (int len = 0; len < IcmpHeader.HEADER_LEN; len++) {
            IcmpHeader icmp = new IcmpHeader().wrap(buffer(new byte[len]), 0, len);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, icmp::checkLen);
            assertEquals(MalformedReason.TRUNCATED, e.reason());
            assertEquals("TRUNCATED: icmp: len=" + len, e.getMessage());
        }
        new IcmpHeader().wrap(buffer(new byte[8]), 0, 8).checkLen();
    }

    @Test
    void settersRejectValuesTheFieldCannotHold() {
        IcmpHeader icmp = new IcmpHeader().wrap(Unpooled.buffer(8, 8), 0, 8);
        assertThrows(IllegalArgumentException.class, () -> icmp.setType(256));
        assertThrows(IllegalArgumentException.class, () -> icmp.setCode(-1));
        assertThrows(IllegalArgumentException.class, () -> icmp.setSequence(65536));
        assertThrows(IllegalArgumentException.class, () -> icmp.setNextHopMtu(65536));
    }
}
