package dev.stacksim.ip;

import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Cidr;

/**
 * One route of a {@link RoutingTable}: Linux's {@code fib_alias} with its {@code fib_info}, as
 * {@code ip route} prints it.
 *
 * <pre>
 *   default via 10.0.0.254 dev eth0
 *   10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
 *   local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1       (table local)
 *   broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1 (table local)
 * </pre>
 *
 * <p>Addresses are raw {@code int}s (as the wire views return them) so that a lookup compares
 * without allocating; {@link #destination()}, {@link #gatewayAddress()} and {@link #toString()}
 * give the objects and the text.
 *
 * @param type         what reaching the destination means
 * @param table        {@link RoutingTable#TABLE_MAIN} or {@link RoutingTable#TABLE_LOCAL}
 * @param dst          the destination network's address bits (host bits zero)
 * @param prefixLength the destination's prefix length, 0..32
 * @param gateway      the next hop's address, or 0 for a destination on the link
 * @param ifindex      the output device's index
 * @param dev          the output device's name
 * @param prefSrc      the preferred source address, or 0 to choose one from the device
 * @param metric       the priority: among equal prefixes the smallest wins
 * @param proto        who installed the route
 * @param scope        how far the destination is
 */
public record Route(RouteType type, int table, int dst, int prefixLength, int gateway, int ifindex, String dev,
                    int prefSrc, int metric, RouteProto proto, RouteScope scope) {

    /** What reaching a route's destination means ({@code RTN_*}). */
    public enum RouteType {
        /** {@code RTN_UNICAST}: a gateway or a directly connected network. */
        UNICAST("unicast"),
        /** {@code RTN_LOCAL}: an address of this host; delivered locally, sent through lo. */
        LOCAL("local"),
        /** {@code RTN_BROADCAST}: a broadcast address of a connected network; delivered locally, sent as link broadcast. */
        BROADCAST("broadcast");

        private final String text;

        RouteType(String text) {
            this.text = text;
        }

        /** The keyword {@code ip route} prints. */
        public String text() {
            return text;
        }
    }

    /** Who installed a route ({@code RTPROT_*}). */
    public enum RouteProto {
        /** {@code RTPROT_KERNEL}: made by the kernel when an address was added. */
        KERNEL("kernel"),
        /** {@code RTPROT_BOOT}: added by hand ({@code ip route add}'s default); not printed. */
        BOOT("boot"),
        /** {@code RTPROT_STATIC}: added by an administrator as static. */
        STATIC("static");

        private final String text;

        RouteProto(String text) {
            this.text = text;
        }

        /** The keyword {@code ip route} prints. */
        public String text() {
            return text;
        }
    }

    /** How far a route's destination is ({@code RT_SCOPE_*}). */
    public enum RouteScope {
        /** {@code RT_SCOPE_UNIVERSE}: beyond a gateway; not printed. */
        UNIVERSE("global"),
        /** {@code RT_SCOPE_LINK}: on a directly attached link. */
        LINK("link"),
        /** {@code RT_SCOPE_HOST}: this host. */
        HOST("host");

        private final String text;

        RouteScope(String text) {
            this.text = text;
        }

        /** The keyword {@code ip route} prints. */
        public String text() {
            return text;
        }
    }

    /**
     * Checks the fields; the host bits of {@code dst} must be zero.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public Route {
        if (type == null || proto == null || scope == null || dev == null) {
            throw new IllegalArgumentException("route: type, dev, proto and scope must not be null");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("route: prefixLength=" + prefixLength + " not in 0..32");
        }
        if ((dst & ~Ipv4Cidr.netmask(prefixLength)) != 0) {
            throw new IllegalArgumentException("route: dst=" + Ipv4Address.toString(dst) + "/" + prefixLength
                    + " has host bits set (Invalid prefix for given prefix length)");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route: metric=" + metric + " must be >= 0");
        }
    }

    /** The destination's netmask bits. */
    public int netmask() {
        return Ipv4Cidr.netmask(prefixLength);
    }

    /** True when {@code addr} lies in the destination prefix. */
    public boolean matches(int addr) {
        return ((addr ^ dst) & Ipv4Cidr.netmask(prefixLength)) == 0;
    }

    /** The destination as a prefix. */
    public Ipv4Cidr destination() {
        return new Ipv4Cidr(Ipv4Address.of(dst), prefixLength);
    }

    /** The gateway, or {@code null} for a destination on the link. */
    public Ipv4Address gatewayAddress() {
        return gateway == 0 ? null : Ipv4Address.of(gateway);
    }

    /** The next hop for {@code daddr}: the gateway, or the destination itself when on the link. */
    public int nextHop(int daddr) {
        return gateway != 0 ? gateway : daddr;
    }

    /**
     * The route as {@code ip route} prints it: the type unless unicast, the destination
     * ({@code default} for /0, a bare address for /32), {@code via}, {@code dev}, {@code proto}
     * unless boot, {@code scope} unless global, {@code src}, {@code metric} unless 0.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        if (type != RouteType.UNICAST) {
            sb.append(type.text()).append(' ');
        }
        if (prefixLength == 0 && type == RouteType.UNICAST) {
            sb.append("default");
        } else {
            sb.append(Ipv4Address.toString(dst));
            if (prefixLength != 32) {
                sb.append('/').append(prefixLength);
            }
        }
        if (gateway != 0) {
            sb.append(" via ").append(Ipv4Address.toString(gateway));
        }
        sb.append(" dev ").append(dev);
        if (proto != RouteProto.BOOT) {
            sb.append(" proto ").append(proto.text());
        }
        if (scope != RouteScope.UNIVERSE) {
            sb.append(" scope ").append(scope.text());
        }
        if (prefSrc != 0) {
            sb.append(" src ").append(Ipv4Address.toString(prefSrc));
        }
        if (metric != 0) {
            sb.append(" metric ").append(metric);
        }
        return sb.toString();
    }
}
