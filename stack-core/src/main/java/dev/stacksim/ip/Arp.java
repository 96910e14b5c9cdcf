package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.Sysctl;
import dev.stacksim.sim.SimTime;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.ArpPacket;
import dev.stacksim.wire.ArpRepr;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARP for Ethernet and IPv4 (RFC 826, {@code net/ipv4/arp.c}): answers requests for this host's
 * addresses, learns from what it receives, and sends the requests the {@link NeighbourTable}
 * asks for.
 *
 * <pre>
 *   request  02:00:00:00:00:01 &gt; ff:ff:ff:ff:ff:ff, ARP, Request who-has 10.0.0.2 tell 10.0.0.1
 *   reply    02:00:00:00:00:02 &gt; 02:00:00:00:00:01, ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02
 * </pre>
 *
 * <p>With Linux's defaults ({@code arp_ignore} 0, {@code arp_announce} 0, {@code arp_accept} 0):
 * a request for any local address, on any interface, is answered, and its sender is entered as
 * STALE, unless the sender address is one no datagram could come from ({@code arp_process} routes
 * the request as an IPv4 packet from it: a multicast, broadcast, 0.0.0.0/8 or loopback sender, or
 * one of this host's own addresses, is a martian, and such a request is not answered); a duplicate
 * address probe (sender 0.0.0.0, RFC 5227) is answered without learning anything; replies and other
 * requests only update entries that exist; a request's sender address is
 * the source of the packet that triggered it when that is local, else the interface's address.
 * Frames are not padded to 60 bytes (a NIC pads on the wire, a veth does not).
 */
public final class Arp {
    private static final Logger LOG = LoggerFactory.getLogger(Arp.class);

    private final Host host;
    private final ArpPacket arp = new ArpPacket();
    private final EthernetHeader eth = new EthernetHeader();
    private final Sysctl.Entry locktime;

    /** ARP for {@code host}; the host makes one. */
    public Arp(Host host) {
        this.host = host;
        this.locktime = host.sysctl().entry("net.ipv4.neigh.default.locktime");
    }

    /**
     * An ARP packet from {@code dev} ({@code arp_rcv}, {@code arp_process}): data at the ARP
     * header (the Ethernet header pulled, its mark set). Ownership passes.
     */
    public void rcv(SkBuff skb, Interface dev) {
        if (dev.isLoopback() || skb.pktType() == SkBuff.PACKET_OTHERHOST) {
            skb.consume();
            return;
        }
        if (skb.len() < ArpPacket.LEN) {
            drop(skb, DropReason.HDR_TRUNC, "len=" + skb.len());
            return;
        }
        arp.wrap(skb.buf(), skb.data(), skb.len());
        if (arp.hlen() != ArpPacket.HLEN_ETHERNET || arp.plen() != ArpPacket.PLEN_IPV4
                || (arp.htype() != ArpPacket.HTYPE_ETHERNET && arp.htype() != 6) || arp.ptype() != EtherType.IPV4) {
            drop(skb, DropReason.UNHANDLED_PROTO, "htype=" + arp.htype() + " ptype=0x" + Integer.toHexString(arp.ptype()));
            return;
        }
        int op = arp.oper();
        if (op != ArpRepr.REQUEST && op != ArpRepr.REPLY) {
            drop(skb, DropReason.UNHANDLED_PROTO, "op=" + op);
            return;
        }
        long sha = arp.sha();
        long tha = arp.tha();
        int sip = arp.spa();
        int tip = arp.tpa();
        if ((tip >>> 28) == 0xE || (tip >>> 24) == 127) {
            drop(skb, DropReason.UNHANDLED_PROTO, "tip=" + Ipv4Address.toString(tip));
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] arp_rcv dev {} {}", host.name(), dev.name(), arp);
        }
        HostTrace trace = host.trace();
        if (trace.enabled()) {
            // the ARP packet's own 28 bytes, as the sender printed them: a NIC pads the frame to 60
            String what = arp.wrap(skb.buf(), skb.data(), ArpPacket.LEN).toString();
            trace.packet(false, "ARP", Ipv4Address.toString(sip), Ipv4Address.toString(tip), what);
        }
        NeighbourTable neigh = host.neighbours();
        if (sip == 0) {
            // RFC 5227 duplicate address detection probe: answer, learn nothing.
            if (op == ArpRepr.REQUEST && host.routes().isLocal(tip)) {
                send(ArpRepr.REPLY, dev, sip, tip, sha, dev.mac(), sha);
            }
            skb.consume();
            return;
        }
        // ip_route_input_noref(tip, sip) == 0 && rt_type == RTN_LOCAL: a martian sender (multicast,
        // broadcast, 0.0.0.0/8, loopback, or one of our own addresses) is neither learned nor
        // answered; the packet may still update an existing entry below, as in Linux.
        if (op == ArpRepr.REQUEST && host.ip().input.routesLocally(tip, sip)) {
            Neighbour n = neigh.lookupOrCreate(dev, sip);
            if (n != null) {
                neigh.update(n, sha, NudState.STALE, true);
                send(ArpRepr.REPLY, dev, sip, tip, sha, dev.mac(), sha);
            }
            skb.consume();
            return;
        }
        Neighbour n = neigh.lookup(dev, sip);
        if (n != null) {
            boolean garp = sip == tip && (op != ArpRepr.REPLY || tha == sha)
                    && !host.routes().isLocal(sip) && !host.routes().isBroadcast(sip);
            long now = host.loop().now();
            boolean override = now > n.updated + locktime.intValue() * SimTime.millis(10) || garp;
            // Broadcast replies and requests do not prove reachability.
            NudState state = op == ArpRepr.REPLY && skb.pktType() == SkBuff.PACKET_HOST
                    ? NudState.REACHABLE : NudState.STALE;
            neigh.update(n, sha, state, override);
        }
        skb.consume();
    }

    /**
     * {@code arp_solicit}: asks for {@code n}'s address, by broadcast while resolving and by
     * unicast to the known address while probing. {@code trigger} is the packet waiting for the
     * answer (or null); its source address is used when it is this host's.
     */
    void solicit(Neighbour n, SkBuff trigger) {
        Interface dev = n.dev;
        int saddr = 0;
        if (trigger != null && trigger.networkHeaderWasSet()) {
            int src = trigger.buf().getInt(trigger.networkHeader() + Ipv4Header.SRC_ADDR_OFFSET);
            if (host.routes().isLocal(src)) {
                saddr = src;
            }
        }
        if (saddr == 0) {
            saddr = dev.selectAddress(n.ip);
        }
        // probes counts from ucast_solicit while resolving, from 0 while probing (neigh_max_probes).
        long dstHw = n.probes < host.sysctl().getInt("net.ipv4.neigh.default.ucast_solicit") ? n.lladdr : 0;
        send(ArpRepr.REQUEST, dev, n.ip, saddr, dstHw, dev.mac(), 0);
    }

    /**
     * Announces {@code addr} on {@code dev} with a gratuitous ARP request (sender and target
     * address both {@code addr}, broadcast), as Linux does when an interface comes up with
     * addresses ({@code inetdev_send_gratuitous_arp}).
     */
    public void sendGratuitous(Interface dev, int addr) {
        send(ArpRepr.REQUEST, dev, addr, addr, 0, dev.mac(), 0);
    }

    /**
     * {@code arp_send}: one ARP packet in an Ethernet frame.
     *
     * @param destIp   the target protocol address (TPA)
     * @param srcIp    the sender protocol address (SPA)
     * @param destHw   the Ethernet destination, 0 for broadcast
     * @param srcHw    the sender hardware address (SHA and Ethernet source)
     * @param targetHw the target hardware address (THA), 0 in a request
     */
    void send(int op, Interface dev, int destIp, int srcIp, long destHw, long srcHw, long targetHw) {
        if (!dev.isUp()) {
            return;
        }
        SkBuff skb = host.pool().alloc(Ipv4.LL_RESERVED_SPACE, ArpPacket.LEN);
        int at = skb.put(ArpPacket.LEN);
        skb.resetNetworkHeader();
        arp.wrap(skb.buf(), at, ArpPacket.LEN);
        arp.setHtype(ArpPacket.HTYPE_ETHERNET);
        arp.setPtype(EtherType.IPV4);
        arp.setHlen(ArpPacket.HLEN_ETHERNET);
        arp.setPlen(ArpPacket.PLEN_IPV4);
        arp.setOper(op);
        arp.setSha(srcHw);
        arp.setSpa(srcIp);
        arp.setTha(targetHw);
        arp.setTpa(destIp);
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] arp_send dev {} {}", host.name(), dev.name(), arp);
        }
        HostTrace trace = host.trace();
        if (trace.enabled()) {
            trace.packet(true, "ARP", Ipv4Address.toString(srcIp), Ipv4Address.toString(destIp), arp.toString());
        }
        int eh = skb.push(EthernetHeader.HEADER_LEN);
        trace.skbHop("eth", true, EthernetHeader.HEADER_LEN, skb);
        skb.resetMacHeader();
        eth.wrap(skb.buf(), eh, skb.len());
        eth.setDst(destHw == 0 ? MacAddress.MASK : destHw);
        eth.setSrc(srcHw);
        eth.setEtherType(EtherType.ARP);
        skb.setProtocol(EtherType.ARP);
        dev.queueXmit(skb);
    }

    private void drop(SkBuff skb, DropReason reason, String why) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] arp_rcv drop {}: {}", host.name(), reason, why);
        }
        skb.free(reason);
    }
}
