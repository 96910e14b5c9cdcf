package dev.stacksim.diag;

import dev.stacksim.wire.ArpPacket;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.MalformedPacketException;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.UdpHeader;
import io.netty.buffer.ByteBuf;

/**
 * One line per Ethernet frame, the way tcpdump's default output reads, for diagrams and traces:
 * {@code ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28},
 * {@code 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64},
 * {@code 10.0.0.1.40000 > 10.0.0.2.9501: Flags [S], seq 1000, win 64240, ...}.
 *
 * <p>Never throws: a frame that does not parse is summarised as {@code [malformed: reason]}.
 * Not for the per-packet data path (it allocates a string).
 */
public final class FrameSummary {
    private FrameSummary() {
    }

    /** The summary of the Ethernet frame of {@code length} bytes at {@code offset}. */
    public static String of(ByteBuf buf, int offset, int length) {
        try {
            EthernetHeader eth = new EthernetHeader().wrap(buf, offset, length);
            eth.checkLen();
            int at = offset + EthernetHeader.HEADER_LEN;
            int rest = length - EthernetHeader.HEADER_LEN;
            switch (eth.etherType()) {
                case EtherType.ARP: {
                    ArpPacket arp = new ArpPacket().wrap(buf, at, rest);
                    arp.checkLen();
                    return "ARP, " + arp;
                }
                case EtherType.IPV4:
                    return ipv4(buf, at, rest);
                default:
                    return "ethertype " + EtherType.name(eth.etherType()) + ", length " + length;
            }
        } catch (MalformedPacketException e) {
            return "[malformed: " + e.getMessage() + "]";
        }
    }

    private static String ipv4(ByteBuf buf, int at, int len) throws MalformedPacketException {
        Ipv4Header ip = new Ipv4Header().wrap(buf, at, len);
        ip.checkLen();
        String src = Ipv4Address.toString(ip.srcAddr());
        String dst = Ipv4Address.toString(ip.dstAddr());
        int l4 = ip.payloadOffset();
        int l4len = ip.payloadLen();
        String frag = ip.fragmentOffsetBytes() > 0 || ip.moreFragments()
                ? " (frag " + ip.identification() + ":" + l4len + "@" + ip.fragmentOffsetBytes()
                        + (ip.moreFragments() ? "+)" : ")")
                : "";
        if (ip.fragmentOffsetBytes() > 0) {
            return src + " > " + dst + ": ip-proto-" + ip.protocol() + frag;
        }
        switch (ip.protocol()) {
            case IpProtocol.TCP: {
                TcpHeader tcp = new TcpHeader().wrap(buf, l4, l4len);
                tcp.checkLen();
                return src + "." + tcp.srcPort() + " > " + dst + "." + tcp.dstPort() + ": " + tcp + frag;
            }
            case IpProtocol.UDP: {
                UdpHeader udp = new UdpHeader().wrap(buf, l4, l4len);
                udp.checkLen();
                return src + "." + udp.srcPort() + " > " + dst + "." + udp.dstPort() + ": UDP, length "
                        + udp.payloadLen() + frag;
            }
            case IpProtocol.ICMP: {
                IcmpHeader icmp = new IcmpHeader().wrap(buf, l4, l4len);
                icmp.checkLen();
                return src + " > " + dst + ": " + icmp + frag;
            }
            default:
                return src + " > " + dst + ": " + IpProtocol.name(ip.protocol()) + ", length " + l4len + frag;
        }
    }
}
