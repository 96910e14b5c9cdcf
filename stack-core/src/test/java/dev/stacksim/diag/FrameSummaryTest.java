package dev.stacksim.diag;

import dev.stacksim.wire.ArpPacket;
import dev.stacksim.wire.ArpRepr;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.EthernetRepr;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Repr;
import dev.stacksim.wire.MacAddress;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import dev.stacksim.wire.UdpHeader;
import dev.stacksim.wire.UdpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSummaryTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address IP_B = Ipv4Address.parse("10.0.0.2");

    private static String summary(ByteBuf buf) {
        try {
            return FrameSummary.of(buf, 0, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    private static ByteBuf ipFrame(int protocol, int l4len) {
        int len = 14 + 20 + l4len;
        ByteBuf buf = Unpooled.buffer(len);
        buf.writerIndex(len);
        new EthernetRepr(A, B, EtherType.IPV4).emit(new EthernetHeader().wrap(buf, 0, len));
        Ipv4Repr.of(IP_A, IP_B, protocol, l4len).emit(new Ipv4Header().wrap(buf, 14, len - 14));
        return buf;
    }

    @Test
    void arpReadsLikeTcpdump() {
        ByteBuf buf = Unpooled.buffer(42);
        buf.writerIndex(42);
        new EthernetRepr(A, MacAddress.BROADCAST, EtherType.ARP).emit(new EthernetHeader().wrap(buf, 0, 42));
        ArpRepr.request(A, IP_A, IP_B).emit(new ArpPacket().wrap(buf, 14, 28));
        assertEquals("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", summary(buf));
    }

    @Test
    void tcpShowsAddressesPortsAndFlags() {
        ByteBuf buf = ipFrame(IpProtocol.TCP, 20);
        new TcpRepr(40000, 9501, 1000, 0, TcpHeader.SYN, 64240, 0, TcpOptions.NONE, 0)
                .emit(new TcpHeader().wrap(buf, 34, 20), IP_A.toInt(), IP_B.toInt());
        assertEquals("10.0.0.1.40000 > 10.0.0.2.9501: Flags [S], seq 1000, win 64240, length 0", summary(buf));
    }

    @Test
    void udpShowsItsLength() {
        ByteBuf buf = ipFrame(IpProtocol.UDP, 13);
        new UdpRepr(5353, 9, 5).emit(new UdpHeader().wrap(buf, 34, 13), IP_A.toInt(), IP_B.toInt());
        assertEquals("10.0.0.1.5353 > 10.0.0.2.9: UDP, length 5", summary(buf));
    }

    @Test
    void truncatedFramesAreSummarisedNotThrown() {
        ByteBuf buf = Unpooled.buffer(20);
        buf.writerIndex(20);
        new EthernetRepr(A, B, EtherType.IPV4).emit(new EthernetHeader().wrap(buf, 0, 20));
        String s = summary(buf);
        assertTrue(s.startsWith("[malformed: TRUNCATED"), s);
    }
}
