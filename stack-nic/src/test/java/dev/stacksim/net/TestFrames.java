package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
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

/** Frames for tests: numbered test frames, and real Ethernet/IPv4/UDP/TCP/ARP frames built with the wire reprs. */
final class TestFrames {
    /** An IEEE local experimental EtherType, for frames that carry only a sequence number. */
    static final int ETHERTYPE_TEST = 0x88B5;
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("10.0.0.2");
    /** Room for Ethernet, IPv4 and TCP headers with options, as a socket reserves it (MAX_TCP_HEADER). */
    static final int HEADROOM = 128;

    private TestFrames() {
    }

    /**
     * A {@code len}-byte frame (at least 18) from {@code src} to {@code dst} with {@code seq} at offset 14
     * and a byte pattern after it. Written with one call: under netty's PARANOID leak detection every
     * buffer access records a stack trace.
     */
    static SkBuff numbered(SkBuffPool pool, long dst, long src, int len, int seq) {
        return pool.alloc(SkBuffPool.NET_SKB_PAD, len).putBytes(numberedBytes(dst, src, len, seq));
    }

    /** The bytes of {@link #numbered}. */
    static byte[] numberedBytes(long dst, long src, int len, int seq) {
        byte[] b = new byte[len];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        b[12] = (byte) (ETHERTYPE_TEST >>> 8);
        b[13] = (byte) ETHERTYPE_TEST;
        b[14] = (byte) (seq >>> 24);
        b[15] = (byte) (seq >>> 16);
        b[16] = (byte) (seq >>> 8);
        b[17] = (byte) seq;
        for (int i = 18; i < len; i++) {
            b[i] = (byte) (seq + i);
        }
        return b;
    }

    /** {@link #numbered} from A to B. */
    static SkBuff numbered(SkBuffPool pool, int len, int seq) {
        return numbered(pool, MAC_B.toLong(), MAC_A.toLong(), len, seq);
    }

    /** The sequence number of a numbered frame's bytes. */
    static int seqOf(byte[] frame) {
        return (frame[14] & 0xFF) << 24 | (frame[15] & 0xFF) << 16 | (frame[16] & 0xFF) << 8 | (frame[17] & 0xFF);
    }

    /** Ethernet + IPv4 + UDP from A to B with {@code payload}, checksums filled. */
    static SkBuff udp(SkBuffPool pool, int srcPort, int dstPort, byte[] payload) {
        UdpRepr udp = new UdpRepr(srcPort, dstPort, payload.length);
        Ipv4Repr ip = Ipv4Repr.of(IP_A, IP_B, IpProtocol.UDP, udp.bufferLen()).withIdentification(0x1234)
                .withDontFragment(true);
        SkBuff skb = pool.alloc(HEADROOM, payload.length);
        skb.putBytes(payload);
        int udpAt = skb.push(UdpHeader.HEADER_LEN);
        udp.emit(new UdpHeader().wrap(skb.buf(), udpAt, udp.bufferLen()), IP_A.toInt(), IP_B.toInt());
        int ipAt = skb.push(ip.headerLen());
        ip.emit(new Ipv4Header().wrap(skb.buf(), ipAt, ip.bufferLen()));
        return pushEthernet(skb, MAC_A, MAC_B, EtherType.IPV4);
    }

    /** Ethernet + IPv4 + TCP (a SYN with options, or a data segment) from A to B, checksums filled. */
    static SkBuff tcp(SkBuffPool pool, int flags, int seq, int ack, TcpOptions options, byte[] payload) {
        TcpRepr tcp = new TcpRepr(44580, 9501, seq, ack, flags, 64240, 0, options, payload.length);
        Ipv4Repr ip = Ipv4Repr.of(IP_A, IP_B, IpProtocol.TCP, tcp.bufferLen() + payload.length)
                .withIdentification(0x4321).withDontFragment(true);
        SkBuff skb = pool.alloc(HEADROOM, payload.length);
        skb.putBytes(payload);
        int tcpAt = skb.push(tcp.bufferLen());
        tcp.emit(new TcpHeader().wrap(skb.buf(), tcpAt, tcp.bufferLen() + payload.length), IP_A.toInt(), IP_B.toInt());
        int ipAt = skb.push(ip.headerLen());
        ip.emit(new Ipv4Header().wrap(skb.buf(), ipAt, ip.bufferLen()));
        return pushEthernet(skb, MAC_A, MAC_B, EtherType.IPV4);
    }

    /** A broadcast ARP request from A for B's address. */
    static SkBuff arpRequest(SkBuffPool pool) {
        ArpRepr arp = ArpRepr.request(MAC_A, IP_A, IP_B);
        SkBuff skb = pool.alloc(HEADROOM, arp.bufferLen());
        int at = skb.put(arp.bufferLen());
        arp.emit(new ArpPacket().wrap(skb.buf(), at, arp.bufferLen()));
        return pushEthernet(skb, MAC_A, MacAddress.BROADCAST, EtherType.ARP);
    }

    private static SkBuff pushEthernet(SkBuff skb, MacAddress src, MacAddress dst, int etherType) {
        int at = skb.push(EthernetHeader.HEADER_LEN);
        new EthernetRepr(src, dst, etherType).emit(new EthernetHeader().wrap(skb.buf(), at, EthernetHeader.HEADER_LEN));
        return skb;
    }
}
