package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.IpExtMib;
import dev.stacksim.host.IpMib;
import dev.stacksim.host.Snmp;
import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPv4 input ({@code net/ipv4/ip_input.c}, {@code ip_forward.c}): header validation, the local
 * versus forward decision, local delivery to the protocol handlers, and forwarding.
 *
 * <p>The checks of {@code ip_rcv_core}, in its order, and what each failure counts:
 * <pre>
 *   shorter than 20 bytes, version != 4, IHL &lt; 5,
 *   shorter than the IHL says                 InHdrErrors                    IP_INHDR
 *   header checksum wrong                     InHdrErrors, IpExt InCsumErrors IP_CSUM
 *   shorter than the total length             IpExt InTruncatedPkts          PKT_TOO_SMALL
 *   total length below the header length      InHdrErrors                    IP_INHDR
 *   an option's length wrong                  InHdrErrors                    IP_INHDR
 * </pre>
 * Every datagram counts in {@code InReceives} first. Ethernet padding after the total length is
 * trimmed ({@code pskb_trim_rcsum}). Then the destination decides ({@code ip_route_input}): martian
 * addresses (a multicast, broadcast or 0.0.0.0/8 source, a loopback address from a wire, one of
 * this host's own addresses as the source of a datagram from a wire) are dropped;
 * one of this host's addresses or a broadcast address is delivered locally; anything else is an
 * {@code InAddrErrors} drop unless {@code net.ipv4.ip_forward} is 1.
 */
final class Ipv4Input {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv4Input.class);

    private final Ipv4 ip;
    private final Host host;
    private final Snmp snmp;
    /** One view for the whole input path: the loop runs one packet at a time. */
    private final Ipv4Header iph = new Ipv4Header();

    Ipv4Input(Ipv4 ip) {
        this.ip = ip;
        this.host = ip.host();
        this.snmp = host.snmp();
    }

    /** {@code ip_rcv}: validates the header and routes the datagram in. */
    void rcv(SkBuff skb, Interface in) {
        int len = skb.len();
        snmp.ip.inc(IpMib.IN_RECEIVES);
        snmp.ipExt.add(IpExtMib.IN_OCTETS, len);
        skb.resetNetworkHeader();
        int nh = skb.data();
        ByteBuf buf = skb.buf();
        if (len < Ipv4Header.HEADER_LEN) {
            hdrError(skb, DropReason.IP_INHDR, "len=", len);
            return;
        }
        int versionIhl = buf.getUnsignedByte(nh);
        int hlen = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION || hlen < Ipv4Header.HEADER_LEN) {
            hdrError(skb, DropReason.IP_INHDR, "version/ihl=0x", versionIhl);
            return;
        }
        if (len < hlen) {
            hdrError(skb, DropReason.IP_INHDR, "hdrlen>len len=", len);
            return;
        }
        int tos = buf.getUnsignedByte(nh + Ipv4Header.TOS_OFFSET);
        snmp.ipExt.inc(ECN_COUNTERS[tos & 0x03]);
        if (!Checksum.verify(Checksum.sum(buf, nh, hlen))) {
            snmp.ipExt.inc(IpExtMib.IN_CSUM_ERRORS);
            hdrError(skb, DropReason.IP_CSUM, "check=0x", buf.getUnsignedShort(nh + Ipv4Header.CHECKSUM_OFFSET));
            return;
        }
        int totLen = buf.getUnsignedShort(nh + Ipv4Header.TOTAL_LENGTH_OFFSET);
        if (len < totLen) {
            snmp.ipExt.inc(IpExtMib.IN_TRUNCATED_PKTS);
            drop(skb, DropReason.PKT_TOO_SMALL, "tot_len>len tot_len=", totLen);
            return;
        }
        if (totLen < hlen) {
            hdrError(skb, DropReason.IP_INHDR, "tot_len<hdrlen tot_len=", totLen);
            return;
        }
        if (len > totLen) {
            skb.trim(totLen);
        }
        iph.wrap(buf, nh, totLen);
        if (hlen > Ipv4Header.HEADER_LEN) {
            try {
                iph.checkLen(); // only the option walk can still fail (ip_options_compile)
            } catch (MalformedPacketException e) {
                hdrError(skb, DropReason.IP_INHDR, "options ", 0);
                return;
            }
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] ip_rcv {} dev {}", host.name(), iph, in.name());
        }
        rcvFinish(skb, in);
    }

    /**
     * {@code ip_rcv_finish}: the input route decides between local delivery, forwarding and a drop.
     * A datagram from a wire (not {@code lo}, whose datagrams keep the route they were sent with)
     * must not claim one of this host's addresses as its source: {@code fib_validate_source} makes
     * it a martian on every path that validates the source (local, broadcast, forward).
     */
    private void rcvFinish(SkBuff skb, Interface in) {
        int daddr = iph.dstAddr();
        int saddr = iph.srcAddr();
        boolean fromWire = !in.isLoopback();
        if (fromWire && martian(saddr, daddr)) {
            // ip_route_input_slow's martian checks; Linux counts them only in rt_cache stats.
            drop(skb, DropReason.IP_INADDRERRORS, "martian dst=", daddr);
            return;
        }
        Route local = host.routes().lookupLocal(daddr);
        if (daddr == Inet.INADDR_BROADCAST || (local != null && local.type() == Route.RouteType.BROADCAST)) {
            // brd_input validates any source but 0.0.0.0/8 (DHCP clients).
            if (fromWire && !zeronet(saddr) && localSource(skb, saddr)) {
                return;
            }
            snmp.ipExt.inc(IpExtMib.IN_BCAST_PKTS);
            snmp.ipExt.add(IpExtMib.IN_BCAST_OCTETS, skb.len());
            localDeliver(skb);
        } else if (local != null) {
            if (fromWire && localSource(skb, saddr)) {
                return;
            }
            localDeliver(skb);
        } else if ((daddr >>> 28) == 0xE) {
            // No multicast group is ever joined: ip_route_input_mc finds no member, and Linux keeps no MIB for it.
            snmp.ipExt.inc(IpExtMib.IN_MCAST_PKTS);
            snmp.ipExt.add(IpExtMib.IN_MCAST_OCTETS, skb.len());
            drop(skb, DropReason.IP_INADDRERRORS, "multicast dst=", daddr);
        } else if (ip.ipForward.intValue() == 0) {
            // ip_error with forwarding off: EHOSTUNREACH, counted and dropped without ICMP.
            snmp.ip.inc(IpMib.IN_ADDR_ERRORS);
            drop(skb, DropReason.IP_INADDRERRORS, "not for us dst=", daddr);
        } else {
            forward(skb, in);
        }
    }

    /**
     * {@code fib_validate_source} with {@code rp_filter} 0 and {@code accept_local} 0 (its fast
     * path, {@code inet_lookup_ifaddr_rcu}): a source that is one of this host's addresses is a
     * martian, dropped (and not counted in any MIB, as in Linux; its drop reason since 6.14 is
     * {@code IP_LOCAL_SOURCE}). Returns true when it dropped {@code skb}.
     */
    private boolean localSource(SkBuff skb, int saddr) {
        if (!host.routes().isLocal(saddr)) {
            return false;
        }
        drop(skb, DropReason.IP_INADDRERRORS, "martian source ", saddr);
        return true;
    }

    /**
     * True when {@code ip_route_input_noref(daddr, saddr)} gives a non-IP packet (an ARP request)
     * a local route, as {@code arp_process} asks: neither address is a martian, {@code daddr} is one
     * of this host's addresses and {@code saddr} is not ({@code fib_validate_source}). A broadcast
     * {@code daddr} gives no route ({@code brd_input} refuses what is not IP).
     */
    boolean routesLocally(int daddr, int saddr) {
        if (martian(saddr, daddr) || daddr == Inet.INADDR_BROADCAST) {
            return false;
        }
        return host.routes().isLocal(daddr) && !host.routes().isLocal(saddr);
    }

    /**
     * {@code ip_local_deliver}: reassembles fragments, pulls the IP header and hands the datagram to
     * its protocol ({@code ip_protocol_deliver_rcu}); an unknown protocol is answered with ICMP
     * protocol unreachable.
     */
    private void localDeliver(SkBuff skb) {
        if (iph.isFragment()) {
            skb = ip.fragments().defrag(skb);
            if (skb == null) {
                return;
            }
            iph.wrap(skb.buf(), skb.networkHeader(), skb.len());
        }
        int protocol = iph.protocol();
        skb.pull(iph.headerLen());
        host.trace().skbHop("ip", false, iph.headerLen(), skb);
        skb.resetTransportHeader();
        IpProtocolHandler handler = ip.protocol(protocol);
        if (handler == null) {
            snmp.ip.inc(IpMib.IN_UNKNOWN_PROTOS);
            host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.PROT_UNREACH, 0);
            drop(skb, DropReason.IP_NOPROTO, "protocol=", protocol);
            return;
        }
        handler.receive(skb);
        snmp.ip.inc(IpMib.IN_DELIVERS);
    }

    /**
     * {@code ip_forward}: the route, the TTL, the path MTU for DF datagrams, then the TTL decrement
     * with an incremental checksum update (RFC 1624, {@code ip_decrease_ttl}) and {@code ip_output}.
     * ICMP redirects ({@code send_redirects}) are not sent.
     */
    private void forward(SkBuff skb, Interface in) {
        int daddr = iph.dstAddr();
        if (skb.pktType() != SkBuff.PACKET_HOST) {
            drop(skb, DropReason.OTHERHOST, "forward link broadcast dst=", daddr);
            return;
        }
        Route rt = host.routes().lookupMain(daddr);
        if (rt == null) {
            // ip_error with forwarding on: ENETUNREACH.
            snmp.ipExt.inc(IpExtMib.IN_NO_ROUTES);
            host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.NET_UNREACH, 0);
            drop(skb, DropReason.IP_INNOROUTES, "no route dst=", daddr);
            return;
        }
        // __mkroute_input: fib_validate_source with the output interface. Back out of the input
        // interface (send_redirects 1) Linux takes the full check, where a broadcast source is a
        // martian as well.
        int saddr = iph.srcAddr();
        if (localSource(skb, saddr)) {
            return;
        }
        if (rt.ifindex() == in.ifindex() && host.routes().isBroadcast(saddr)) {
            drop(skb, DropReason.IP_INADDRERRORS, "martian source ", saddr);
            return;
        }
        int ttl = iph.ttl();
        if (ttl <= 1) {
            host.icmp().send(skb, IcmpType.TIME_EXCEEDED, IcmpCode.EXC_TTL, 0);
            snmp.ip.inc(IpMib.IN_HDR_ERRORS);
            drop(skb, DropReason.IP_TTL_EXPIRED, "ttl=", ttl);
            return;
        }
        Interface out = host.iface(rt.ifindex());
        if (out == null || !out.isUp()) {
            snmp.ip.inc(IpMib.OUT_DISCARDS);
            drop(skb, DropReason.DEV_READY, "out dev down ifindex=", rt.ifindex());
            return;
        }
        int mtu = out.mtu();
        if (iph.totalLength() > mtu && iph.dontFragment()) {
            snmp.ip.inc(IpMib.FRAG_FAILS);
            host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.FRAG_NEEDED, mtu);
            drop(skb, DropReason.PKT_TOO_BIG, "DF len>mtu mtu=", mtu);
            return;
        }
        int nh = skb.networkHeader();
        skb.ensureWritable(nh, Ipv4Header.HEADER_LEN); // skb_cow: the buffer may have changed
        iph.wrap(skb.buf(), nh, skb.len());
        int protocol = iph.protocol();
        iph.setHeaderChecksum(Checksum.update(iph.headerChecksum(), ttl << 8 | protocol, (ttl - 1) << 8 | protocol));
        iph.setTtl(ttl - 1);
        snmp.ip.inc(IpMib.FORW_DATAGRAMS);
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] ip_forward {} via {}", host.name(), iph, rt);
        }
        ip.output.output(skb, rt, daddr);
    }

    /**
     * A source or destination no datagram from a wire may have, as {@code ip_route_input_slow}
     * checks before any lookup: a multicast or limited broadcast source; a source or destination in
     * 0.0.0.0/8; a loopback address on a device that is not {@code lo} ({@code route_localnet} 0).
     * Any source but a multicast or broadcast one may go to the limited broadcast (DHCP). Linux also
     * takes 0.0.0.0 to 0.0.0.0 as broadcast input; here that is a martian.
     */
    private static boolean martian(int saddr, int daddr) {
        if ((saddr >>> 28) == 0xE || saddr == Inet.INADDR_BROADCAST) {
            return true;
        }
        if (daddr == Inet.INADDR_BROADCAST) {
            return false;
        }
        return zeronet(saddr) || zeronet(daddr) || (daddr >>> 24) == 127 || (saddr >>> 24) == 127;
    }

    /** {@code ipv4_is_zeronet}: 0.0.0.0/8. */
    private static boolean zeronet(int addr) {
        return (addr >>> 24) == 0;
    }

    private void hdrError(SkBuff skb, DropReason reason, String what, int value) {
        snmp.ip.inc(IpMib.IN_HDR_ERRORS);
        drop(skb, reason, what, value);
    }

    private void drop(SkBuff skb, DropReason reason, String what, int value) {
        if (LOG.isTraceEnabled()) {
            String v = what.endsWith("dst=") ? Ipv4Address.toString(value)
                    : what.startsWith("martian") ? Ipv4Address.toString(value)
                    : what.endsWith("0x") ? Integer.toHexString(value) : Integer.toString(value);
            LOG.trace("[{}] ip_rcv drop {}: {}{}", host.name(), reason, what, v);
        }
        skb.free(reason);
    }

    private static final IpExtMib[] ECN_COUNTERS = {
        IpExtMib.IN_NO_ECT_PKTS, IpExtMib.IN_ECT1_PKTS, IpExtMib.IN_ECT0_PKTS, IpExtMib.IN_CE_PKTS
    };
}
