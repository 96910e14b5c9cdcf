package dev.stacksim.ip;

import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Builds and reads raw frames for tests (allocation is fine here). */
public final class Frames {
    private Frames() {
    }

    public static byte[] hex(String h) {
        return ByteBufUtil.decodeHexDump(h.replace(" ", ""));
    }

    public static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    /** An Ethernet frame. */
    public static byte[] ether(long dst, long src, int type, byte[] payload) {
        ByteBuf b = Unpooled.buffer(14 + payload.length);
        b.writeShort((int) (dst >>> 32)).writeInt((int) dst);
        b.writeShort((int) (src >>> 32)).writeInt((int) src);
        b.writeShort(type).writeBytes(payload);
        return bytes(b);
    }

    /**
     * An Ethernet frame with an ARP packet for IPv4 over Ethernet ({@code op} 1 request, 2 reply),
     * the sender hardware address also the Ethernet source.
     */
    public static byte[] arp(int op, long eDst, long sha, String spa, long tha, String tpa) {
        return arp(op, eDst, sha, Ipv4Address.parse(spa).toInt(), tha, Ipv4Address.parse(tpa).toInt());
    }

    /** {@link #arp(int, long, long, String, long, String)} with raw address bits. */
    public static byte[] arp(int op, long eDst, long sha, int spa, long tha, int tpa) {
        ByteBuf b = Unpooled.buffer(28);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(op);
        b.writeShort((int) (sha >>> 32)).writeInt((int) sha).writeInt(spa);
        b.writeShort((int) (tha >>> 32)).writeInt((int) tha).writeInt(tpa);
        return ether(eDst, sha, 0x0806, bytes(b));
    }

    /** An IPv4 datagram with a correct checksum and no options. */
    public static byte[] ipv4(String src, String dst, int protocol, int ttl, int id, int fragOff, byte[] payload) {
        ByteBuf b = Unpooled.buffer(20 + payload.length).writeZero(20).writeBytes(payload);
        Ipv4Header h = new Ipv4Header().wrap(b, 0, 20 + payload.length);
        b.setByte(0, 0x45);
        h.setTotalLength(20 + payload.length).setIdentification(id).setFragOff(fragOff).setTtl(ttl)
                .setProtocol(protocol).setSrcAddr(Ipv4Address.parse(src).toInt())
                .setDstAddr(Ipv4Address.parse(dst).toInt()).fillChecksum();
        return bytes(b);
    }

    /** An ICMP echo request or reply with a correct checksum. */
    public static byte[] echo(int type, int id, int seq, byte[] data) {
        ByteBuf b = Unpooled.buffer(8 + data.length).writeZero(8).writeBytes(data);
        new IcmpHeader().wrap(b, 0, 8 + data.length).setType(type).setCode(0).setIdentifier(id).setSequence(seq)
                .fillChecksum();
        return bytes(b);
    }

    /** An Ethernet frame carrying IPv4. */
    public static byte[] ipFrame(long dst, long src, byte[] datagram) {
        return ether(dst, src, 0x0800, datagram);
    }

    /** A view of the IPv4 header of an Ethernet frame. */
    public static Ipv4Header ipOf(byte[] frame) {
        return new Ipv4Header().wrap(Unpooled.wrappedBuffer(frame), 14, frame.length - 14);
    }

    /** A view of the ICMP header of an Ethernet frame carrying IPv4 without options... or with them. */
    public static IcmpHeader icmpOf(byte[] frame) {
        Ipv4Header ip = ipOf(frame);
        int at = 14 + ip.headerLen();
        return new IcmpHeader().wrap(ip.buffer(), at, ip.totalLength() - ip.headerLen());
    }

    /** The EtherType of a frame. */
    public static int etherType(byte[] frame) {
        return (frame[12] & 0xFF) << 8 | (frame[13] & 0xFF);
    }

    /** True when the ICMP message of {@code frame} checksums right. */
    public static boolean icmpChecksumOk(byte[] frame) {
        IcmpHeader h = icmpOf(frame);
        return Checksum.verify(Checksum.sum(h.buffer(), h.offset(), h.length()));
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(0, out);
        return out;
    }
}
