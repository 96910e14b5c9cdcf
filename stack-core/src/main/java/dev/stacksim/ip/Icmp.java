package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.IcmpMib;
import dev.stacksim.host.Snmp;
import dev.stacksim.host.Sysctl;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP for IPv4 ({@code net/ipv4/icmp.c}, RFC 792, RFC 1122 3.2.2): answers echo requests, sends
 * errors for the other layers ({@link #send}, Linux's {@code icmp_send}), delivers received errors
 * to the protocol whose datagram they quote, and carries ping's echo requests and replies
 * ({@code net/ipv4/ping.c}) for {@link EchoListener}s.
 *
 * <h2>When no error is sent (RFC 1122 3.2.2.1, {@code __icmp_send})</h2>
 * <ul>
 *   <li>about an ICMP error (or an unknown ICMP type): no error about an error;</li>
 *   <li>about a datagram sent to a broadcast or multicast address, or received as a link-layer
 *       broadcast or multicast;</li>
 *   <li>about a fragment other than the first;</li>
 *   <li>when the per-destination rate limit refuses ({@code net.ipv4.icmp_ratelimit}, 1000 ms per
 *       message after a burst of 6, for the types in {@code icmp_ratemask}: unreachable, source
 *       quench, time exceeded, parameter problem; never for fragmentation needed, nor towards this
 *       host itself) — counted in {@code OutRateLimitHost}. The per-destination state is collected
 *       as Linux's {@code inet_peer} store is ({@code InetPeerBase}), so spoofed sources cannot grow
 *       it without bound. Linux's host-wide limit ({@code icmp_msgs_per_sec}) is not modelled.</li>
 * </ul>
 * An error quotes as much of the offending datagram as fits in 576 bytes, is sent with TOS
 * {@code 0xc0} (precedence internetwork control) and comes from the address the offending
 * datagram was sent to when that is this host's, else from the address of the interface the
 * error leaves by.
 */
public final class Icmp implements IpProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Icmp.class);

    /** {@code NR_ICMP_TYPES}: types above are unknown, and treated as errors. */
    public static final int NR_ICMP_TYPES = 18;
    /** {@code NR_ICMP_UNREACH}: destination unreachable codes above are ignored ({@code icmp_unreach}). */
    public static final int NR_ICMP_UNREACH = 15;
    /** RFC 1812 4.3.2.3 / RFC 1122: an error fits in this many bytes, IP header included. */
    public static final int MAX_ERROR_LEN = 576;
    /** {@code IPTOS_PREC_INTERNETCONTROL}: the precedence of ICMP errors. */
    public static final int TOS_INTERNETCONTROL = 0xC0;
    /** {@code XRLIM_BURST_FACTOR}: a destination may receive this many errors at once. */
    private static final int XRLIM_BURST_FACTOR = 6;

    /** Where ping's echo replies and the errors about its requests go ({@code ping_rcv}, {@code ping_err}). */
    public interface EchoListener {
        /**
         * An echo reply with this listener's identifier. The skb's data starts at the ICMP header and
         * its network header mark finds the IPv4 header; it stays the caller's.
         */
        void echoReply(SkBuff skb, int saddr, int sequence, int ttl);

        /**
         * An ICMP error quoting one of this listener's echo requests.
         *
         * @param from the address the error came from
         */
        void echoError(int from, int sequence, int type, int code, int info);
    }

    private final Host host;
    private final Snmp snmp;
    private final Sysctl.Entry echoIgnoreAll;
    private final Sysctl.Entry echoIgnoreBroadcasts;
    private final Sysctl.Entry ratelimit;
    private final Sysctl.Entry ratemask;
    private final IcmpHeader icmph = new IcmpHeader();
    private final Ipv4Header iph = new Ipv4Header();
    private final IntObjectHashMap<EchoListener> echoListeners = new IntObjectHashMap<>();
    /** Per destination, the rate limit's token bucket ({@code net->ipv4.peers}), bounded by its collection. */
    private final InetPeerBase peers = new InetPeerBase(InetPeerBase.THRESHOLD);

    /** ICMP for {@code host}; the host registers it as the handler of protocol 1. */
    public Icmp(Host host) {
        this.host = host;
        this.snmp = host.snmp();
        this.echoIgnoreAll = host.sysctl().entry("net.ipv4.icmp_echo_ignore_all");
        this.echoIgnoreBroadcasts = host.sysctl().entry("net.ipv4.icmp_echo_ignore_broadcasts");
        this.ratelimit = host.sysctl().entry("net.ipv4.icmp_ratelimit");
        this.ratemask = host.sysctl().entry("net.ipv4.icmp_ratemask");
    }

    /**
     * Routes echo replies with {@code identifier}, and errors about echo requests carrying it, to
     * {@code listener} (a ping socket bound to that identifier).
     *
     * @throws IllegalArgumentException when the identifier is taken
     */
    public void registerEcho(int identifier, EchoListener listener) {
        if (echoListeners.containsKey(identifier & 0xFFFF)) {
            throw new IllegalArgumentException("icmp: echo identifier " + (identifier & 0xFFFF) + " in use");
        }
        echoListeners.put(identifier & 0xFFFF, listener);
    }

    /** Stops routing replies for {@code identifier}. */
    public void unregisterEcho(int identifier) {
        echoListeners.remove(identifier & 0xFFFF);
    }

    /** True when a listener holds {@code identifier}. */
    public boolean echoRegistered(int identifier) {
        return echoListeners.containsKey(identifier & 0xFFFF);
    }

    /**
     * Sends an echo request ({@code ping_v4_sendmsg}) with {@code dataLen} data bytes as ping(8)
     * fills them: a {@code struct timeval} of the current virtual time (when there is room for its
     * 16 bytes), then the byte pattern 0x10, 0x11, ... ({@code i & 0xff} at position {@code i}).
     * DF is set when the datagram fits the outgoing device's MTU, else it is fragmented: Linux's
     * default path MTU discovery mode for sockets ({@code IP_PMTUDISC_WANT}).
     *
     * <p>As {@code ping_v4_sendmsg}: the route is looked up first (no route: {@code OutNoRoutes},
     * {@link XmitResult#NO_ROUTE}); a datagram that would exceed 65535 bytes is then refused with
     * {@link XmitResult#MSG_SIZE} ({@code EMSGSIZE} from {@code ip_append_data}) before anything is
     * counted; {@code OutMsgs} and {@code OutEchos} count only a request that was built
     * ({@code __ip_make_skb}).
     *
     * @param ttl the TTL, or 0 for the default
     */
    public XmitResult sendEcho(int daddr, int identifier, int sequence, int dataLen, int ttl) {
        Route rt = host.ip().routeOutput(daddr);
        if (rt != null && dataLen > Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.HEADER_LEN - IcmpHeader.HEADER_LEN) {
            return XmitResult.MSG_SIZE;
        }
        SkBuff skb = host.pool().alloc(Ipv4.MAX_HEADER, IcmpHeader.HEADER_LEN + dataLen);
        int at = skb.put(IcmpHeader.HEADER_LEN + dataLen);
        ByteBuf buf = skb.buf();
        for (int i = 0; i < dataLen; i++) {
            buf.setByte(at + IcmpHeader.DATA_OFFSET + i, i);
        }
        if (dataLen >= 16) {
            long now = host.loop().now();
            buf.setLongLE(at + IcmpHeader.DATA_OFFSET, now / 1_000_000_000L);
            buf.setLongLE(at + IcmpHeader.DATA_OFFSET + 8, now % 1_000_000_000L / 1000);
        }
        icmph.wrap(buf, at, IcmpHeader.HEADER_LEN + dataLen).setType(IcmpType.ECHO).setCode(0)
                .setIdentifier(identifier & 0xFFFF).setSequence(sequence & 0xFFFF).fillChecksum();
        skb.resetTransportHeader();
        if (rt != null) {
            snmp.icmpOut(IcmpType.ECHO);
        }
        Interface dev = rt == null ? null
                : rt.type() == Route.RouteType.LOCAL ? host.loopback() : host.iface(rt.ifindex());
        boolean df = dev != null && Ipv4Header.HEADER_LEN + skb.len() <= dev.mtu();
        if (rt != null && host.trace().enabled()) {
            tracePacket(true, host.ip().selectSource(rt, daddr), daddr, skb); // the source ip_queue_xmit picks
        }
        return host.ip().queueXmit(skb, 0, daddr, IpProtocol.ICMP, 0, ttl, df);
    }

    // ---------------------------------------------------------------- input

    /** {@code icmp_rcv}: a message for this host; data at the ICMP header. */
    @Override
    public void receive(SkBuff skb) {
        snmp.icmp.inc(IcmpMib.IN_MSGS);
        int len = skb.len();
        ByteBuf buf = skb.buf();
        if (!Checksum.verify(Checksum.sum(buf, skb.data(), len))) {
            snmp.icmp.inc(IcmpMib.IN_CSUM_ERRORS);
            inError(skb, DropReason.ICMP_CSUM);
            return;
        }
        if (len < IcmpHeader.HEADER_LEN) {
            inError(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        if (host.trace().enabled()) {
            int nh = skb.networkHeader();
            tracePacket(false, buf.getInt(nh + Ipv4Header.SRC_ADDR_OFFSET), buf.getInt(nh + Ipv4Header.DST_ADDR_OFFSET), skb);
        }
        icmph.wrap(buf, skb.data(), len);
        int type = icmph.type();
        snmp.icmpIn(type);
        if (type > NR_ICMP_TYPES) {
            inError(skb, DropReason.UNHANDLED_PROTO);
            return;
        }
        iph.wrap(buf, skb.networkHeader(), skb.tail() - skb.networkHeader());
        int daddr = iph.dstAddr();
        if (host.routes().isBroadcast(daddr) || (daddr >>> 28) == 0xE) {
            // RFC 1122 3.2.2.6: an echo to a broadcast address may be ignored, and is by default.
            boolean query = type == IcmpType.ECHO || type == IcmpType.TIMESTAMP;
            if ((query && echoIgnoreBroadcasts.intValue() != 0)
                    || (!query && type != IcmpType.ADDRESS && type != IcmpType.ADDRESSREPLY)) {
                inError(skb, DropReason.UNHANDLED_PROTO);
                return;
            }
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] icmp_rcv {} from {}", host.name(), icmph, Ipv4Address.toString(iph.srcAddr()));
        }
        switch (type) {
            case IcmpType.ECHO:
                echo(skb);
                break;
            case IcmpType.ECHOREPLY:
                pingRcv(skb);
                break;
            case IcmpType.DEST_UNREACH:
            case IcmpType.TIME_EXCEEDED:
            case IcmpType.PARAMETERPROB:
            case IcmpType.SOURCE_QUENCH:
                unreach(skb);
                break;
            default:
                // Timestamps, redirects, address masks: not acted on (icmp_discard).
                skb.consume();
                break;
        }
    }

    /** {@code icmp_echo}: answers with the same identifier, sequence and data ({@code icmp_reply}). */
    private void echo(SkBuff skb) {
        if (echoIgnoreAll.intValue() != 0) {
            skb.consume();
            return;
        }
        int nh = skb.networkHeader();
        iph.wrap(skb.buf(), nh, skb.tail() - nh);
        int requestSrc = iph.srcAddr();
        int requestDst = iph.dstAddr();
        int tos = iph.tos();
        Route rt = host.ip().routeOutput(requestSrc);
        if (rt == null) {
            skb.consume();
            return;
        }
        // fib_compute_spec_dst: the address asked, unless it was a broadcast.
        int saddr = host.routes().isLocal(requestDst) ? requestDst : host.ip().selectSource(rt, requestSrc);
        int len = skb.len();
        SkBuff reply = host.pool().alloc(Ipv4.MAX_HEADER, len);
        int at = reply.put(len);
        reply.buf().setBytes(at, skb.buf(), skb.data(), len);
        icmph.wrap(reply.buf(), at, len).setType(IcmpType.ECHOREPLY).setCode(0).fillChecksum();
        reply.resetTransportHeader();
        skb.consume();
        snmp.icmpOut(IcmpType.ECHOREPLY);
        tracePacket(true, saddr, requestSrc, reply);
        host.ip().queueXmit(reply, saddr, requestSrc, IpProtocol.ICMP, tos, 0, false);
    }

    /** {@code ping_rcv}: an echo reply for a registered identifier; none registered is a NO_SOCKET drop. */
    private void pingRcv(SkBuff skb) {
        EchoListener l = echoListeners.get(icmph.identifier());
        if (l == null) {
            skb.free(DropReason.NO_SOCKET);
            return;
        }
        int sequence = icmph.sequence();
        int nh = skb.networkHeader();
        iph.wrap(skb.buf(), nh, skb.tail() - nh);
        l.echoReply(skb, iph.srcAddr(), sequence, iph.ttl());
        skb.consume();
    }

    /**
     * {@code icmp_unreach}: an error about a datagram this host sent; the quoted header (and 8
     * bytes after it) is handed to the handler of the quoted protocol ({@code icmp_socket_deliver}).
     * As Linux, a destination unreachable with a code above {@link #NR_ICMP_UNREACH} and a
     * reassembly time exceeded are consumed without reaching any handler, and without counting an
     * error (a sender's reassembly timeout says nothing a socket can act on).
     */
    private void unreach(SkBuff skb) {
        int type = icmph.type();
        int code = icmph.code();
        int info = 0;
        skb.pull(IcmpHeader.HEADER_LEN);
        if (skb.len() < Ipv4Header.HEADER_LEN) {
            inError(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        int quoted = skb.data();
        int ihl = skb.buf().getUnsignedByte(quoted) & 0x0F;
        if (ihl < 5) {
            inError(skb, DropReason.IP_INHDR);
            return;
        }
        if (type == IcmpType.DEST_UNREACH) {
            // Linux matches the code masked to 4 bits, then refuses the codes it does not know.
            if ((code & 15) == IcmpCode.FRAG_NEEDED) {
                info = icmph.nextHopMtu();
            }
            if (code > NR_ICMP_UNREACH) {
                skb.consume();
                return;
            }
        } else if (type == IcmpType.PARAMETERPROB) {
            info = icmph.pointer();
        } else if (type == IcmpType.TIME_EXCEEDED && code == IcmpCode.EXC_FRAGTIME) {
            skb.consume();
            return;
        }
        if (skb.len() < ihl * 4 + 8) {
            snmp.icmp.inc(IcmpMib.IN_ERRORS);
            skb.consume();
            return;
        }
        int protocol = skb.buf().getUnsignedByte(quoted + Ipv4Header.PROTOCOL_OFFSET);
        IpProtocolHandler handler = host.ip().protocol(protocol);
        if (handler != null) {
            handler.error(skb, type, code, info);
        }
        skb.consume();
    }

    /** {@code ping_err}: an error quoting an ICMP message; only echo requests have a listener. */
    @Override
    public void error(SkBuff skb, int type, int code, int info) {
        int quoted = skb.data();
        int ihl = (skb.buf().getUnsignedByte(quoted) & 0x0F) * 4;
        int inner = quoted + ihl;
        if (skb.buf().getUnsignedByte(inner) != IcmpType.ECHO) {
            return;
        }
        EchoListener l = echoListeners.get(skb.buf().getUnsignedShort(inner + IcmpHeader.IDENTIFIER_OFFSET));
        if (l != null) {
            int from = skb.buf().getInt(skb.networkHeader() + Ipv4Header.SRC_ADDR_OFFSET);
            l.echoError(from, skb.buf().getUnsignedShort(inner + IcmpHeader.SEQUENCE_OFFSET), type, code, info);
        }
    }

    /**
     * Traces the ICMP message at {@code skb}'s data as sent or received, summarised as tcpdump
     * prints it without the leading {@code ICMP}. Its own view: the shared ones may be in use.
     */
    private void tracePacket(boolean sent, int saddr, int daddr, SkBuff skb) {
        HostTrace trace = host.trace();
        if (trace.enabled()) {
            String s = new IcmpHeader().wrap(skb.buf(), skb.data(), skb.len()).toString();
            trace.packet(sent, "ICMP", Ipv4Address.toString(saddr), Ipv4Address.toString(daddr),
                    s.startsWith("ICMP ") ? s.substring(5) : s);
        }
    }

    private void inError(SkBuff skb, DropReason reason) {
        snmp.icmp.inc(IcmpMib.IN_ERRORS);
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] icmp_rcv drop {}", host.name(), reason);
        }
        skb.free(reason);
    }

    // ---------------------------------------------------------------- errors out

    /**
     * Sends an ICMP error about {@code skbIn} ({@code icmp_send}): the API the other layers call
     * (IP for protocol unreachable, time exceeded and fragmentation needed, ARP for host
     * unreachable, UDP for port unreachable). {@code skbIn}'s network header mark must find the
     * offending IPv4 header; its data may have been pulled past it. The skb is only read and stays
     * the caller's. Nothing is sent in the cases listed in the class comment.
     *
     * @param type an error type ({@link IcmpType#DEST_UNREACH}, {@link IcmpType#TIME_EXCEEDED} ...)
     * @param code the code
     * @param info the 32-bit rest of the header: the next-hop MTU for fragmentation needed, else 0
     */
    public void send(SkBuff skbIn, int type, int code, int info) {
        if (!skbIn.networkHeaderWasSet()) {
            return;
        }
        int nh = skbIn.networkHeader();
        int avail = skbIn.tail() - nh;
        if (avail < Ipv4Header.HEADER_LEN) {
            return;
        }
        ByteBuf in = skbIn.buf();
        iph.wrap(in, nh, avail);
        if (skbIn.pktType() != SkBuff.PACKET_HOST) {
            return;
        }
        int origSrc = iph.srcAddr();
        int origDst = iph.dstAddr();
        if (host.routes().isBroadcast(origDst) || (origDst >>> 28) == 0xE) {
            return;
        }
        if (iph.fragmentOffsetUnits() != 0) {
            return;
        }
        if (origSrc == 0 || origSrc == Inet.INADDR_BROADCAST || (origSrc >>> 28) == 0xE) {
            return;
        }
        boolean isError = IcmpType.isError(type);
        if (isError && iph.protocol() == IpProtocol.ICMP) {
            int innerAt = nh + iph.headerLen();
            if (innerAt >= skbIn.tail()) {
                return;
            }
            int inner = in.getUnsignedByte(innerAt);
            if (inner > NR_ICMP_TYPES || IcmpType.isError(inner)) {
                return;
            }
        }
        Route rt = host.ip().routeOutput(origSrc);
        if (rt == null) {
            return;
        }
        boolean toSelf = rt.type() == Route.RouteType.LOCAL;
        if (!toSelf && rateLimited(type, code) && !peerAllow(origSrc)) {
            snmp.icmp.inc(IcmpMib.OUT_RATE_LIMIT_HOST);
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] icmp_send {}/{} to {} rate limited", host.name(), type, code,
                        Ipv4Address.toString(origSrc));
            }
            return;
        }
        int saddr = host.routes().isLocal(origDst) ? origDst : host.ip().selectSource(rt, origSrc);
        int tos = isError ? (iph.tos() & 0x1E) | TOS_INTERNETCONTROL : iph.tos();
        int quote = Math.min(avail, MAX_ERROR_LEN - Ipv4Header.HEADER_LEN - IcmpHeader.HEADER_LEN);
        SkBuff skb = host.pool().alloc(Ipv4.MAX_HEADER, IcmpHeader.HEADER_LEN + quote);
        int at = skb.put(IcmpHeader.HEADER_LEN + quote);
        skb.buf().setBytes(at + IcmpHeader.HEADER_LEN, in, nh, quote);
        icmph.wrap(skb.buf(), at, IcmpHeader.HEADER_LEN + quote).setType(type).setCode(code)
                .setRestOfHeader(info).fillChecksum();
        skb.resetTransportHeader();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] icmp_send {} to {} about {}", host.name(), icmph, Ipv4Address.toString(origSrc),
                    iph);
        }
        snmp.icmpOut(type);
        tracePacket(true, saddr, origSrc, skb);
        host.ip().queueXmit(skb, saddr, origSrc, IpProtocol.ICMP, tos, 0, false);
    }

    /** {@code icmpv4_mask_allow} inverted: true when the type is subject to the rate limit. */
    private boolean rateLimited(int type, int code) {
        if (type > NR_ICMP_TYPES) {
            return false;
        }
        if (type == IcmpType.DEST_UNREACH && code == IcmpCode.FRAG_NEEDED) {
            return false;
        }
        return ((1 << type) & ratemask.intValue()) != 0;
    }

    /**
     * {@code inet_peer_xrlim_allow}: a token bucket per destination, one token per
     * {@code icmp_ratelimit}, at most six; a new destination starts full.
     */
    private boolean peerAllow(int daddr) {
        long timeout = ratelimit.intValue() * 1_000_000L;
        long now = host.loop().now();
        InetPeerBase.Peer peer = peers.get(daddr, now);
        long token = peer.rateTokens + (now - peer.rateLast);
        peer.rateLast = now;
        if (token > XRLIM_BURST_FACTOR * timeout) {
            token = XRLIM_BURST_FACTOR * timeout;
        }
        boolean allow = false;
        if (token >= timeout) {
            token -= timeout;
            allow = true;
        }
        peer.rateTokens = token;
        return allow;
    }

    /** Destinations whose rate limit state is kept ({@code inet_peer}s); bounded, see {@code InetPeerBase}. */
    int peerCount() {
        return peers.size();
    }
}
