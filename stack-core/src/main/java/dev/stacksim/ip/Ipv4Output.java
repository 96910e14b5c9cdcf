package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.IpExtMib;
import dev.stacksim.host.IpMib;
import dev.stacksim.host.Snmp;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPv4 output ({@code net/ipv4/ip_output.c}): building the header for datagrams this host
 * originates, {@code ip_output}/{@code ip_finish_output} for them and for forwarded ones,
 * fragmentation, and the hand-off to the neighbour layer ({@code ip_finish_output2}).
 *
 * <pre>
 *   queueXmit ─► route, source, header ─► localOut (OutRequests) ─► output
 *   forward ─────────────────────────────────────────────────────► output
 *   output: len &gt; MTU? ─► DF: FragFails, ICMP frag needed │ else fragment (FragOKs, FragCreates)
 *          └─► finishOutput2 (OutTransmits) ─► lo, tun: device queue │ Ethernet: neighbour output
 * </pre>
 *
 * <p>Datagrams to one of this host's addresses leave through {@code lo}, as Linux's local routes
 * do. Fragmentation copies each fragment's share of the payload into a new skb, as Linux's slow
 * path ({@code ip_do_fragment} without a {@code frag_list}) does: a linear buffer cannot lend its
 * middle to a second header.
 */
final class Ipv4Output {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv4Output.class);

    private final Ipv4 ip;
    private final Host host;
    private final Snmp snmp;
    private final Ipv4Header iph = new Ipv4Header();

    Ipv4Output(Ipv4 ip) {
        this.ip = ip;
        this.host = ip.host();
        this.snmp = host.snmp();
    }

    /** {@code ip_queue_xmit}: see {@link Ipv4#queueXmit}. */
    XmitResult queueXmit(SkBuff skb, int saddr, int daddr, int protocol, int tos, int ttl, boolean df) {
        skb.setDropListener(host.trace()); // the skb is this host's from here on, whoever allocated it
        Route rt = ip.routeOutput(daddr);
        if (rt == null) {
            snmp.ip.inc(IpMib.OUT_NO_ROUTES);
            if (LOG.isTraceEnabled()) {
                LOG.trace("[{}] ip_queue_xmit: no route to {}", host.name(), Inet.inet_ntoa(daddr));
            }
            skb.free(DropReason.IP_OUTNOROUTES);
            return XmitResult.NO_ROUTE;
        }
        if (saddr == 0) {
            saddr = ip.selectSource(rt, daddr);
        }
        if (skb.len() + Ipv4Header.HEADER_LEN > Ipv4Header.MAX_TOTAL_LENGTH) {
            // ip_append_data refuses it before any header exists: EMSGSIZE, counted nowhere.
            skb.free(DropReason.PKT_TOO_BIG);
            return XmitResult.MSG_SIZE;
        }
        if (skb.headroom() < Ipv4Header.HEADER_LEN + Ipv4.LL_RESERVED_SPACE) {
            skb.expandHead(Ipv4Header.HEADER_LEN + Ipv4.LL_RESERVED_SPACE - skb.headroom(), 0);
        }
        int at = skb.push(Ipv4Header.HEADER_LEN);
        host.trace().skbHop("ip", true, Ipv4Header.HEADER_LEN, skb);
        skb.ensureWritable(at, Ipv4Header.HEADER_LEN);
        skb.resetNetworkHeader();
        int len = skb.len();
        iph.wrap(skb.buf(), at, len).emitBasic(tos, len, ip.nextIdentification(), df ? Ipv4Header.FLAG_DF : 0,
                ttl > 0 ? ttl : ip.defaultTtl.intValue(), protocol, saddr, daddr);
        return localOut(skb, rt, daddr);
    }

    /** {@code __ip_local_out}: counts a datagram this host originated and sends it. */
    XmitResult localOut(SkBuff skb, Route rt, int daddr) {
        snmp.ip.inc(IpMib.OUT_REQUESTS);
        return output(skb, rt, daddr);
    }

    /**
     * {@code ip_output} / {@code ip_finish_output}: the skb's data is at its IPv4 header, which is
     * complete. Local routes leave by {@code lo}.
     */
    XmitResult output(SkBuff skb, Route rt, int daddr) {
        skb.setProtocol(EtherType.IPV4);
        Interface dev = rt.type() == Route.RouteType.LOCAL ? host.loopback() : host.iface(rt.ifindex());
        if (dev == null || !dev.isUp()) {
            snmp.ip.inc(IpMib.OUT_DISCARDS);
            skb.free(DropReason.DEV_READY);
            return XmitResult.DROP;
        }
        int mtu = dev.mtu();
        if (skb.len() > mtu) {
            skb.checksumHelp(); // ip_do_fragment: each fragment carries a share of the finished bytes
            return fragment(skb, rt, dev, daddr, mtu);
        }
        return finishOutput2(skb, rt, dev, daddr);
    }

    /**
     * {@code ip_finish_output2}: counts the packet, makes room for the link header and hands the
     * packet to the device ({@code lo}) or to the neighbour layer (Ethernet).
     */
    private XmitResult finishOutput2(SkBuff skb, Route rt, Interface dev, int daddr) {
        int len = skb.len();
        snmp.ip.inc(IpMib.OUT_TRANSMITS);
        snmp.ipExt.add(IpExtMib.OUT_OCTETS, len);
        boolean broadcast = rt.type() == Route.RouteType.BROADCAST || daddr == Inet.INADDR_BROADCAST;
        if (broadcast) {
            snmp.ipExt.inc(IpExtMib.OUT_BCAST_PKTS);
            snmp.ipExt.add(IpExtMib.OUT_BCAST_OCTETS, len);
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] ip_output {} dev {}", host.name(), iph.wrap(skb.buf(), skb.data(), len), dev.name());
        }
        if (!dev.hasLinkHeader()) {
            // lo and raw-IP devices (tun) take the bare IP packet: no neighbour, no link header.
            return dev.queueXmit(skb) ? XmitResult.OK : XmitResult.DROP;
        }
        if (skb.headroom() < Ipv4.LL_RESERVED_SPACE) {
            skb.expandHead(Ipv4.LL_RESERVED_SPACE - skb.headroom(), 0);
        }
        if (broadcast) {
            return host.neighbours().outputBroadcast(skb, dev) ? XmitResult.OK : XmitResult.DROP;
        }
        return host.neighbours().output(skb, dev, rt.nextHop(daddr)) ? XmitResult.OK : XmitResult.DROP;
    }

    /**
     * {@code ip_fragment}: a DF datagram is refused with ICMP fragmentation needed (to this host's
     * own sender, through {@code lo}); any other is cut into fragments of at most {@code mtu} bytes
     * ({@code ip_do_fragment}'s slow path), each sent on.
     */
    private XmitResult fragment(SkBuff skb, Route rt, Interface dev, int daddr, int mtu) {
        int nh = skb.data();
        iph.wrap(skb.buf(), nh, skb.len());
        if (iph.dontFragment()) {
            snmp.ip.inc(IpMib.FRAG_FAILS);
            host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.FRAG_NEEDED, mtu);
            skb.free(DropReason.PKT_TOO_BIG);
            return XmitResult.MSG_SIZE;
        }
        int hlen = iph.headerLen();
        int left = skb.len() - hlen;
        int offset = iph.fragmentOffsetBytes();
        boolean notLast = iph.moreFragments();
        int maxData = (mtu - hlen) & ~7;
        if (maxData <= 0) {
            snmp.ip.inc(IpMib.FRAG_FAILS);
            skb.free(DropReason.PKT_TOO_BIG);
            return XmitResult.MSG_SIZE;
        }
        int ptr = nh + hlen;
        boolean first = true;
        while (left > 0) {
            int len = Math.min(left, maxData);
            SkBuff frag = host.pool().alloc(Ipv4.LL_RESERVED_SPACE, hlen + len);
            int fnh = frag.put(hlen + len);
            frag.buf().setBytes(fnh, skb.buf(), nh, hlen);
            frag.buf().setBytes(fnh + hlen, skb.buf(), ptr, len);
            frag.resetNetworkHeader();
            frag.setProtocol(EtherType.IPV4).setPktType(skb.pktType()).setMark(skb.mark())
                    .setDropListener(skb.dropListener());
            if (skb.owner() != null) {
                frag.setOwner(skb.owner());
            }
            left -= len;
            Ipv4Header fh = iph.wrap(frag.buf(), fnh, hlen + len);
            fh.setTotalLength(hlen + len)
                    .setFragOff((offset / Ipv4Header.FRAGMENT_UNIT) | (left > 0 || notLast ? Ipv4Header.FLAG_MF : 0))
                    .fillChecksum();
            if (first && hlen > Ipv4Header.HEADER_LEN) {
                clearUncopiedOptions(skb, nh);
            }
            first = false;
            ptr += len;
            offset += len;
            snmp.ip.inc(IpMib.FRAG_CREATES);
            finishOutput2(frag, rt, dev, daddr);
        }
        snmp.ip.inc(IpMib.FRAG_OKS);
        skb.consume();
        return XmitResult.OK;
    }

    /**
     * {@code ip_options_fragment}: after the first fragment, options without the copied flag are
     * overwritten with NOPs in the source header, so later fragments carry only the copied ones
     * and the header keeps its length.
     */
    private void clearUncopiedOptions(SkBuff skb, int nh) {
        Ipv4Header h = new Ipv4Header().wrap(skb.buf(), nh, skb.len());
        skb.ensureWritable(nh, h.headerLen());
        h.wrap(skb.buf(), nh, skb.len());
        for (int at = h.firstOption(); at != Ipv4Header.NO_OPTION; at = h.nextOption(at)) {
            int kind = h.optionKind(at);
            if (kind != Ipv4Option.NOP && kind != Ipv4Option.EOL && (kind & 0x80) == 0) {
                int n = h.optionLength(at);
                for (int i = 0; i < n; i++) {
                    skb.buf().setByte(at + i, Ipv4Option.NOP);
                }
            }
        }
    }
}
