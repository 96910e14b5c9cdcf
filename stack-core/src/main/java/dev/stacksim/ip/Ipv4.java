package dev.stacksim.ip;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.Sysctl;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Header;

/**
 * The IPv4 layer of one host ({@code net/ipv4/ip_input.c}, {@code ip_output.c},
 * {@code ip_forward.c}, {@code ip_fragment.c}): the protocol handler registry, the input path from
 * the devices, the output path for the transport protocols, forwarding, fragmentation and
 * reassembly. The work is split as the kernel splits it:
 * <ul>
 *   <li>{@code Ipv4Input}: {@code ip_rcv} (header checks, every failure counted and dropped with a
 *       reason), {@code ip_local_deliver} to the protocol handlers, {@code ip_forward};</li>
 *   <li>{@code Ipv4Output}: {@code ip_queue_xmit} (route, source address, header),
 *       {@code ip_output}, {@code ip_fragment}, and the hand-off to the neighbour layer;</li>
 *   <li>{@link Ipv4Fragments}: {@code ip_defrag}, reassembly queues and their timeouts.</li>
 * </ul>
 *
 * <h2>For transport protocols</h2>
 * <pre>{@code
 * host.ip().registerProtocol(IpProtocol.UDP, udp);            // inet_add_protocol
 * SkBuff skb = pool.alloc(Ipv4.MAX_HEADER + UdpHeader.HEADER_LEN, payloadLen);
 * ...                                                          // payload, then push the UDP header
 * XmitResult r = host.ip().queueXmit(skb, 0, daddr, IpProtocol.UDP, 0, 0, false);
 * }</pre>
 * The skb handed to {@link #queueXmit} starts at the transport header and needs
 * {@link #MAX_HEADER} bytes of headroom for the IPv4 and Ethernet headers (less is expanded, at a
 * copy).
 */
public final class Ipv4 {
    /**
     * Headroom the link layer needs before the IP header: the Ethernet header rounded up to 16
     * ({@code LL_RESERVED_SPACE} with {@code HH_DATA_MOD}).
     */
    public static final int LL_RESERVED_SPACE = 16;
    /** Headroom a transport protocol reserves below its own header: link layer plus the longest IPv4 header. */
    public static final int MAX_HEADER = LL_RESERVED_SPACE + Ipv4Header.MAX_HEADER_LEN;

    private final Host host;
    private final IpProtocolHandler[] protocols = new IpProtocolHandler[256];
    final Ipv4Input input;
    final Ipv4Output output;
    private final Ipv4Fragments fragments;
    final Sysctl.Entry ipForward;
    final Sysctl.Entry defaultTtl;
    /** The next identification ({@code ip_select_ident}); one counter per host, seeded from its random stream. */
    private int nextId;
    /** Routes for the limited broadcast, by ifindex. */
    private Route[] bcastRoutes = new Route[8];

    /** The IPv4 layer of {@code host}; the host makes one. */
    public Ipv4(Host host) {
        this.host = host;
        this.ipForward = host.sysctl().entry("net.ipv4.ip_forward");
        this.defaultTtl = host.sysctl().entry("net.ipv4.ip_default_ttl");
        this.nextId = host.random().fork("ip-ident").nextInt(0x10000);
        this.fragments = new Ipv4Fragments(this);
        this.input = new Ipv4Input(this);
        this.output = new Ipv4Output(this);
    }

    /** The host. */
    public Host host() {
        return host;
    }

    /**
     * Registers the handler for an IP protocol number ({@code inet_add_protocol}).
     *
     * @throws IllegalArgumentException when the number is out of 0..255 or already taken
     */
    public void registerProtocol(int protocol, IpProtocolHandler handler) {
        if (protocol < 0 || protocol > 255 || handler == null) {
            throw new IllegalArgumentException("ip: protocol=" + protocol + " handler=" + handler);
        }
        if (protocols[protocol] != null) {
            throw new IllegalArgumentException("ip: protocol " + protocol + " already registered");
        }
        protocols[protocol] = handler;
    }

    /** Removes the handler for {@code protocol} ({@code inet_del_protocol}). */
    public void unregisterProtocol(int protocol) {
        protocols[protocol & 0xFF] = null;
    }

    /** The handler for {@code protocol}, or {@code null}. */
    public IpProtocolHandler protocol(int protocol) {
        return protocols[protocol & 0xFF];
    }

    /**
     * An IPv4 datagram from a device ({@code ip_rcv}): the skb's data starts at the IPv4 header.
     * Called by the host's receive path; ownership passes.
     */
    public void rcv(SkBuff skb, Interface in) {
        input.rcv(skb, in);
    }

    /**
     * Sends a datagram this host originates ({@code ip_queue_xmit} / {@code ip_build_and_send_pkt}):
     * routes it, chooses the source address when {@code saddr} is 0, pushes and fills the IPv4
     * header (identification from the host's counter, checksum), fragments it when it exceeds the
     * device MTU, and hands it to the neighbour layer. The skb's data starts at the transport header;
     * ownership passes in every case.
     *
     * @param saddr    source address bits, or 0 to choose ({@code inet_select_addr})
     * @param daddr    destination address bits
     * @param protocol the IP protocol number
     * @param tos      the DSCP/ECN byte
     * @param ttl      the TTL, or 0 for {@code net.ipv4.ip_default_ttl}
     * @param df       set Don't Fragment
     */
    public XmitResult queueXmit(SkBuff skb, int saddr, int daddr, int protocol, int tos, int ttl, boolean df) {
        return output.queueXmit(skb, saddr, daddr, protocol, tos, ttl, df);
    }

    /**
     * The route a datagram to {@code daddr} takes ({@code ip_route_output_key}), or {@code null}
     * when there is none. The limited broadcast 255.255.255.255 leaves by the first Ethernet
     * interface that has an address.
     */
    public Route routeOutput(int daddr) {
        if (daddr == Inet.INADDR_BROADCAST) {
            for (Interface i : host.interfaces()) {
                if (!i.isLoopback() && i.isUp() && i.primaryAddress() != 0) {
                    return limitedBroadcastRoute(i);
                }
            }
            return null;
        }
        return host.routes().lookup(daddr);
    }

    /**
     * The source address for a datagram to {@code daddr} by {@code route}: the route's preferred
     * source, else an address of its device ({@code inet_select_addr}); 0 when the device has none.
     */
    public int selectSource(Route route, int daddr) {
        if (route.prefSrc() != 0) {
            return route.prefSrc();
        }
        Interface dev = host.iface(route.ifindex());
        if (dev == null) {
            return 0;
        }
        int a = dev.selectAddress(route.nextHop(daddr));
        return a != 0 ? a : host.loopback().primaryAddress();
    }

    /** A broadcast route for 255.255.255.255 out of {@code dev}, made once per interface. */
    private Route limitedBroadcastRoute(Interface dev) {
        int i = dev.ifindex();
        if (i >= bcastRoutes.length) {
            bcastRoutes = java.util.Arrays.copyOf(bcastRoutes, i + 8);
        }
        Route r = bcastRoutes[i];
        if (r == null || r.prefSrc() != dev.primaryAddress()) {
            r = new Route(Route.RouteType.BROADCAST, RoutingTable.TABLE_LOCAL, Inet.INADDR_BROADCAST, 32, 0, i,
                    dev.name(), dev.primaryAddress(), 0, Route.RouteProto.KERNEL, Route.RouteScope.LINK);
            bcastRoutes[i] = r;
        }
        return r;
    }

    /** The next identification value, 0..65535 ({@code ip_select_ident}). */
    public int nextIdentification() {
        int id = nextId;
        nextId = (nextId + 1) & 0xFFFF;
        return id;
    }

    /** The reassembly queues. */
    public Ipv4Fragments fragments() {
        return fragments;
    }

    /** Frees what IP holds (reassembly queues) and disarms its timers; the host calls it on close. */
    public void close() {
        fragments.close();
    }
}
