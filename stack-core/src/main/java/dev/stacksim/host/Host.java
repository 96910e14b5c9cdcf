package dev.stacksim.host;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.LoopbackDevice;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.diag.HostViews;
import dev.stacksim.inet.InetFamily;
import dev.stacksim.ip.Arp;
import dev.stacksim.ip.Icmp;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.ip.NeighbourTable;
import dev.stacksim.ip.Route;
import dev.stacksim.ip.RoutingTable;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.trace.Tracer;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SocketConstants;
import dev.stacksim.socket.SocketLayer;
import dev.stacksim.tcp.Tcp;
import dev.stacksim.tcp.TcpProc;
import dev.stacksim.udp.Udp;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One kernel: a network namespace, in Linux's terms. It holds the devices (with {@code lo} at
 * ifindex 1, {@code 127.0.0.1/8}), their IPv4 addresses, the routing tables, the ARP neighbour
 * table, the sysctls and the SNMP counters, and it runs IPv4, ICMP and ARP on the event loop it
 * was created on. Frames from the devices enter through {@link Interface#receive}
 * ({@code netif_receive_skb}), each interface being its device's {@link dev.stacksim.dev.DeviceContext}.
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.virtual(7);
 * SkBuffPool pool = SkBuffPool.create();               // one pool per loop, shared by its hosts
 * VethPair veth = VethPair.create("eth0", "eth0", loop.random().fork("veth"));
 * Host client = Host.builder(loop, pool, "client").device(veth.first()).address("eth0", "10.0.0.1/24").build();
 * Host server = Host.builder(loop, pool, "server").device(veth.second()).address("eth0", "10.0.0.2/24").build();
 * PingResult r = client.ping(Ipv4Address.parse("10.0.0.2"), 3);   // runs the loop in virtual time
 * System.out.print(client.ipNeigh());                   // 10.0.0.2 dev eth0 lladdr ... REACHABLE
 * }</pre>
 *
 * <p>Its processes ({@link #spawn}) make socket calls against the host's {@link SocketLayer}
 * ({@link #sockets()}): AF_UNIX between them, AF_INET with UDP ({@link #udp()}) over the devices.
 *
 * <p>Everything a host does happens on its loop's thread; its methods must be called there (in
 * virtual time: by the thread driving the loop, between runs). Randomness comes from the loop's
 * stream forked as {@code "host:" + name}, so host names must be unique on a loop.
 */
public final class Host implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final String name;
    private final EventLoop loop;
    private final SkBuffPool pool;
    private final SimRandom random;
    private final SimRandom pingIdents;
    private final Tracer tracer;
    private final HostTrace trace;
    private final Sysctl sysctl;
    private final Snmp snmp;
    private final RoutingTable routes = new RoutingTable();
    private final NeighbourTable neighbours;
    private final Arp arp;
    private final Ipv4 ip;
    private final Icmp icmp;
    private final Udp udp;
    private final Tcp tcp;
    private final InetFamily inet;
    private final SocketLayer sockets;
    private final List<Interface> interfaces = new ArrayList<>();
    private final Set<Ping> pings = new LinkedHashSet<>();
    private HostViews views;
    private Interface[] byIndex = new Interface[8];
    private int nextIfindex = 1;
    private boolean closed;

    private Host(Builder b) {
        this.name = b.name;
        this.loop = b.loop;
        this.pool = b.pool;
        this.random = loop.random().fork("host:" + name);
        this.pingIdents = random.fork("ping-ident");
        this.tracer = b.tracer != null ? b.tracer : new Tracer();
        this.trace = new HostTrace(name, tracer, loop);
        this.sysctl = new Sysctl();
        for (String[] s : b.sysctls) {
            sysctl.set(s[0], s[1]);
        }
        this.snmp = new Snmp(sysctl);
        this.neighbours = new NeighbourTable(this);
        this.arp = new Arp(this);
        this.ip = new Ipv4(this);
        this.icmp = new Icmp(this);
        ip.registerProtocol(IpProtocol.ICMP, icmp);
        this.udp = new Udp(this);
        ip.registerProtocol(IpProtocol.UDP, udp);
        this.tcp = new Tcp(this);
        ip.registerProtocol(IpProtocol.TCP, tcp);
        this.sockets = new SocketLayer(loop, pool, socketConfig());
        this.inet = new InetFamily();
        inet.register(SocketConstants.SOCK_DGRAM, SocketConstants.IPPROTO_UDP, udp::create);
        inet.register(SocketConstants.SOCK_STREAM, SocketConstants.IPPROTO_TCP, tcp::create);
        sockets.registerFamily(inet);
        sysctl.addListener(e -> {
            if (e.name().startsWith("net.core.") || e.name().equals("net.unix.max_dgram_qlen")) {
                sockets.setConfig(socketConfig());
            }
        });
        addDevice(new LoopbackDevice());
        addAddress("lo", Ipv4Cidr.parse("127.0.0.1/8"));
    }

    /**
     * A builder for a host named {@code name} on {@code loop}, allocating from {@code pool}
     * (one pool per loop, shared by all its hosts).
     */
    public static Builder builder(EventLoop loop, SkBuffPool pool, String name) {
        return new Builder(loop, pool, name);
    }

    // ---------------------------------------------------------------- what the host holds

    /** The host's name ({@code uname -n}). */
    public String name() {
        return name;
    }

    /** The event loop the host's kernel runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** The pool the host allocates skbs from. */
    public SkBuffPool pool() {
        return pool;
    }

    /** The host's random stream ({@code "host:" + name} forked from the loop's); fork per purpose. */
    public SimRandom random() {
        return random;
    }

    /** The event trace it emits into (state changes, queue moves, drops, timers). */
    public Tracer tracer() {
        return tracer;
    }

    /** The tracer as this host emits into it (its name, its clock) and its drop monitor. */
    public HostTrace trace() {
        return trace;
    }

    /** The kernel parameters. */
    public Sysctl sysctl() {
        return sysctl;
    }

    /** Sets a kernel parameter, as {@code sysctl -w name=value} ({@link Sysctl#set(String, int...)}). */
    public void sysctl(String name, int... values) {
        sysctl.set(name, values);
    }

    /** The SNMP counters ({@code /proc/net/snmp}, {@code /proc/net/netstat}). */
    public Snmp snmp() {
        return snmp;
    }

    /** The routing tables. */
    public RoutingTable routes() {
        return routes;
    }

    /** The ARP neighbour table. */
    public NeighbourTable neighbours() {
        return neighbours;
    }

    /** ARP. */
    public Arp arp() {
        return arp;
    }

    /** The IPv4 layer: protocol registration and output for the transports. */
    public Ipv4 ip() {
        return ip;
    }

    /** ICMP: {@link Icmp#send} for the transports' errors, echo for ping. */
    public Icmp icmp() {
        return icmp;
    }

    /** UDP: its socket table, counters and {@code /proc/net/udp}. */
    public Udp udp() {
        return udp;
    }

    /** TCP: its sockets, tables and counters. */
    public Tcp tcp() {
        return tcp;
    }

    /** AF_INET, where transport protocols register their socket types (TCP: SOCK_STREAM). */
    public InetFamily inet() {
        return inet;
    }

    /** The socket layer: the processes, their sockets, the AF_UNIX namespace (for diagnostics). */
    public SocketLayer sockets() {
        return sockets;
    }

    // ---------------------------------------------------------------- processes

    /** A new process owned by root (uid 0), with descriptors 0, 1 and 2 open ({@code fork + exec}). */
    public Process spawn(String name) {
        return spawn(name, 0);
    }

    /**
     * A new process owned by {@code uid}: only uid 0 may bind ports below
     * {@code net.ipv4.ip_unprivileged_port_start}, and SO_REUSEPORT groups need one uid.
     */
    public Process spawn(String name, int uid) {
        if (closed) {
            throw new IllegalStateException("spawn: host " + name() + " is closed");
        }
        return sockets.spawn(name, uid);
    }

    /**
     * The socket layer's limits from the sysctls: {@code net.core.rmem_default}, {@code wmem_default},
     * {@code rmem_max}, {@code wmem_max}, {@code somaxconn} and {@code net.unix.max_dgram_qlen}.
     */
    private SocketLayer.Config socketConfig() {
        return new SocketLayer.Config(sysctl.getInt("net.core.rmem_default"), sysctl.getInt("net.core.wmem_default"),
                sysctl.getInt("net.core.rmem_max"), sysctl.getInt("net.core.wmem_max"),
                sysctl.getInt("net.core.somaxconn"), sysctl.getInt("net.unix.max_dgram_qlen"),
                SocketLayer.Config.defaults().nofile());
    }

    // ---------------------------------------------------------------- devices and addresses

    /**
     * Registers and opens a device ({@code register_netdevice} then {@code ip link set up}): it gets
     * the next ifindex and this host's {@link Interface} as its {@link dev.stacksim.dev.DeviceContext}.
     *
     * @throws IllegalArgumentException when an interface of that name exists
     */
    public Interface addDevice(NetDevice dev) {
        checkOpen("addDevice");
        for (Interface i : interfaces) {
            if (i.name().equals(dev.name())) {
                throw new IllegalArgumentException("RTNETLINK answers: File exists (device " + dev.name() + " on "
                        + name + ")");
            }
        }
        int ifindex = nextIfindex++;
        Interface iface = new Interface(this, dev, ifindex);
        if (ifindex >= byIndex.length) {
            byIndex = Arrays.copyOf(byIndex, byIndex.length * 2);
        }
        byIndex[ifindex] = iface;
        interfaces.add(iface);
        dev.open(iface, ifindex);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] device {} registered ifindex {} mtu {}", name, dev.name(), ifindex, dev.mtu());
        }
        return iface;
    }

    /** The interface with {@code ifindex}, or {@code null}. */
    public Interface iface(int ifindex) {
        return ifindex > 0 && ifindex < byIndex.length ? byIndex[ifindex] : null;
    }

    /**
     * The interface named {@code ifname}.
     *
     * @throws IllegalArgumentException when there is none ({@code Cannot find device "eth9"})
     */
    public Interface iface(String ifname) {
        for (Interface i : interfaces) {
            if (i.name().equals(ifname)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Cannot find device \"" + ifname + "\" on " + name);
    }

    /** Every interface, by ifindex. */
    public List<Interface> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    /** The loopback interface, ifindex 1. */
    public Interface loopback() {
        return byIndex[1];
    }

    /**
     * Adds an IPv4 address to an interface ({@code ip addr add 10.0.0.1/24 dev eth0}) and the routes
     * the kernel derives from it ({@code fib_add_ifaddr}): {@code local 10.0.0.1} and, below /31,
     * {@code broadcast 10.0.0.255} in the local table; below /32, the connected route
     * {@code 10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1} in the main table (for
     * {@code lo}, the whole prefix is local instead). A second address on an existing prefix is a
     * secondary: no new prefix route. On an Ethernet device that is up (not lo, not tun), a gratuitous ARP announces
     * the address.
     *
     * @throws IllegalArgumentException when the interface does not exist or already has the address
     */
    public void addAddress(String ifname, Ipv4Cidr cidr) {
        checkOpen("addAddress");
        Interface i = iface(ifname);
        int a = cidr.address().toInt();
        if (i.hasAddress(a)) {
            throw new IllegalArgumentException("RTNETLINK answers: File exists (" + cidr + " on " + ifname + ")");
        }
        i.addAddress(cidr);
        int prefix = cidr.prefixLength();
        int net = a & cidr.netmask();
        int ifindex = i.ifindex();
        addIfAbsent(new Route(Route.RouteType.LOCAL, RoutingTable.TABLE_LOCAL, a, 32, 0, ifindex, ifname, a, 0,
                Route.RouteProto.KERNEL, Route.RouteScope.HOST));
        if (i.isLoopback() && prefix < 32) {
            addIfAbsent(new Route(Route.RouteType.LOCAL, RoutingTable.TABLE_LOCAL, net, prefix, 0, ifindex, ifname, a,
                    0, Route.RouteProto.KERNEL, Route.RouteScope.HOST));
        }
        if (prefix < 31) {
            addIfAbsent(new Route(Route.RouteType.BROADCAST, RoutingTable.TABLE_LOCAL, cidr.broadcast().toInt(), 32, 0,
                    ifindex, ifname, a, 0, Route.RouteProto.KERNEL, Route.RouteScope.LINK));
        }
        if (!i.isLoopback() && prefix < 32) {
            addIfAbsent(new Route(Route.RouteType.UNICAST, RoutingTable.TABLE_MAIN, net, prefix, 0, ifindex, ifname, a,
                    0, Route.RouteProto.KERNEL, Route.RouteScope.LINK));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] address {} added to {}", name, cidr, ifname);
        }
        if (i.hasLinkHeader() && i.isUp()) {
            arp.sendGratuitous(i, a);
        }
    }

    /** {@link #addAddress(String, Ipv4Cidr)} with the address as text, {@code "10.0.0.1/24"}. */
    public void addAddress(String ifname, String cidr) {
        addAddress(ifname, Ipv4Cidr.parse(cidr));
    }

    /**
     * Adds a route to the main table ({@code ip route add}).
     *
     * @param dst     the destination prefix ({@code 0.0.0.0/0} for the default route)
     * @param gateway the next hop, or {@code null} for a destination on the link of {@code dev}
     * @param dev     the output interface, or {@code null} to take the one whose connected network
     *                holds the gateway
     * @param metric  the priority (0 when unsure)
     * @throws IllegalArgumentException when the gateway is on no connected network
     *         ({@code Nexthop has invalid gateway}), the device does not exist, or the route exists
     */
    public void addRoute(Ipv4Cidr dst, Ipv4Address gateway, String dev, int metric) {
        checkOpen("addRoute");
        Interface out;
        if (dev != null) {
            out = iface(dev);
        } else if (gateway != null) {
            Route via = routes.lookupMain(gateway.toInt());
            if (via == null || via.gateway() != 0) {
                throw new IllegalArgumentException("Error: Nexthop has invalid gateway. (" + gateway + " on " + name + ")");
            }
            out = iface(via.ifindex());
        } else {
            throw new IllegalArgumentException("route " + dst + ": needs a gateway or a device");
        }
        if (gateway != null && dev != null) {
            Route via = routes.lookupMain(gateway.toInt());
            if (via == null || via.ifindex() != out.ifindex() || via.gateway() != 0) {
                throw new IllegalArgumentException("Error: Nexthop has invalid gateway. (" + gateway + " dev " + dev
                        + " on " + name + ")");
            }
        }
        int net = dst.address().toInt() & dst.netmask();
        routes.add(new Route(Route.RouteType.UNICAST, RoutingTable.TABLE_MAIN, net, dst.prefixLength(),
                gateway == null ? 0 : gateway.toInt(), out.ifindex(), out.name(), 0, metric, Route.RouteProto.BOOT,
                gateway == null ? Route.RouteScope.LINK : Route.RouteScope.UNIVERSE));
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] route added: {}", name, routes.lookupMain(net));
        }
    }

    /** Adds the default route via {@code gateway} ({@code ip route add default via 10.0.0.254}). */
    public void addDefaultRoute(Ipv4Address gateway) {
        addRoute(new Ipv4Cidr(Ipv4Address.ANY, 0), gateway, null, 0);
    }

    /**
     * Adds a route written as {@code ip route add} takes it:
     * {@code "default via 10.0.0.254"}, {@code "10.1.0.0/16 via 10.0.0.1 dev eth0 metric 100"},
     * {@code "192.168.5.0/24 dev eth1"}.
     *
     * @throws IllegalArgumentException on text it does not understand, or as
     *         {@link #addRoute(Ipv4Cidr, Ipv4Address, String, int)}
     */
    public void addRoute(String spec) {
        String[] t = spec.trim().split("\\s+");
        Ipv4Cidr dst = t[0].equals("default") ? new Ipv4Cidr(Ipv4Address.ANY, 0)
                : t[0].contains("/") ? Ipv4Cidr.parse(t[0]) : new Ipv4Cidr(Ipv4Address.parse(t[0]), 32);
        Ipv4Address via = null;
        String dev = null;
        int metric = 0;
        for (int k = 1; k < t.length; k += 2) {
            if (k + 1 >= t.length) {
                throw new IllegalArgumentException("route \"" + spec + "\": \"" + t[k] + "\" needs a value");
            }
            switch (t[k]) {
                case "via": via = Ipv4Address.parse(t[k + 1]); break;
                case "dev": dev = t[k + 1]; break;
                case "metric": case "priority": metric = Integer.parseInt(t[k + 1]); break;
                default: throw new IllegalArgumentException("route \"" + spec + "\": unknown keyword \"" + t[k] + "\"");
            }
        }
        addRoute(dst, via, dev, metric);
    }

    // ---------------------------------------------------------------- ping

    /**
     * ping(8): {@code count} echo requests of 56 data bytes, one a second, and the replies or errors
     * ({@link PingOptions#of(int)}). In virtual time this runs the loop until every request is
     * answered or the linger after the last one (10 s) has passed, and returns at once in real time;
     * on a real-time loop it waits for the loop's thread.
     */
    public PingResult ping(Ipv4Address dst, int count) {
        return ping(dst, PingOptions.of(count));
    }

    /** {@link #ping(Ipv4Address, int)} with the destination as text. */
    public PingResult ping(String dst, int count) {
        return ping(Ipv4Address.parse(dst), count);
    }

    /** ping(8) with options; see {@link #ping(Ipv4Address, int)}. */
    public PingResult ping(Ipv4Address dst, PingOptions options) {
        if (loop.isRealTime() && loop.inEventLoop()) {
            throw new IllegalStateException("ping " + dst + " on " + name
                    + ": a blocking call on the loop's own thread would never return; use pingAsync");
        }
        CompletableFuture<PingResult> f = pingAsync(dst, options);
        if (!loop.isRealTime()) {
            loop.runUntil(f::isDone);
            if (!f.isDone()) {
                throw new IllegalStateException("ping " + dst + " on " + name + ": the loop ran dry before ping finished");
            }
        }
        return f.join();
    }

    /**
     * Starts ping(8) on the loop and returns its result as a future, completed on the loop: how a
     * thread of its own pings through a real-time loop. In virtual time, something must run the
     * loop for it to complete.
     */
    public CompletableFuture<PingResult> pingAsync(Ipv4Address dst, PingOptions options) {
        CompletableFuture<PingResult> future = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("ping: host " + name + " is closed"));
                return;
            }
            int id;
            do {
                id = pingIdents.nextInt(0x10000);
            } while (icmp.echoRegistered(id));
            Ping p = new Ping(this, dst, options, id, future);
            pings.add(p);
            future.whenComplete((r, e) -> pings.remove(p));
            p.start();
        });
        return future;
    }

    // ---------------------------------------------------------------- observability

    /** The interfaces and addresses as {@code ip addr} prints them. */
    public String ipAddr() {
        StringBuilder sb = new StringBuilder();
        for (Interface i : interfaces) {
            sb.append(i);
        }
        return sb.toString();
    }

    /** The main routing table as {@code ip route} prints it. */
    /**
     * {@code ip -s link}: each device with its counters (bytes, packets, errors, dropped, missed,
     * multicast; carrier errors and collisions on transmit), laid out as iproute2 does.
     */
    public String ipLinkStats() {
        StringBuilder sb = new StringBuilder();
        for (Interface i : interfaces) {
            sb.append(i.linkStats());
        }
        return sb.toString();
    }

    /** {@code ip route}: the main routing table. */
    public String ipRoute() {
        return routes.show();
    }

    /** The neighbour table as {@code ip neigh} prints it. */
    public String ipNeigh() {
        return neighbours.show();
    }

    /** {@code cat /proc/net/snmp}. */
    public String procNetSnmp() {
        return snmp.procNetSnmp();
    }

    /** {@code cat /proc/net/netstat}. */
    public String procNetNetstat() {
        return snmp.procNetNetstat();
    }

    /** {@code cat /proc/net/udp} ({@link Udp#procNetUdp()}). */
    public String procNetUdp() {
        return udp.procNetUdp();
    }

    /** {@code cat /proc/net/unix} ({@link SocketLayer#procNetUnix()}). */
    public String procNetUnix() {
        return sockets.procNetUnix();
    }

    /** {@code cat /proc/net/tcp} ({@link TcpProc#procNetTcp}). */
    public String procNetTcp() {
        return TcpProc.procNetTcp(tcp);
    }

    /**
     * {@code ss} with a command line, as its output reads through a pipe: {@code ss("-tan")},
     * {@code ss("-tlnp")}, {@code ss("-xa")} ({@link HostViews#ss(String)}).
     */
    public String ss(String flags) {
        return views().ss(flags);
    }

    /** The socket views: {@code ss}, {@code netstat}, {@code nstat}, {@code /proc/net/tcp}, snapshots. */
    public HostViews views() {
        if (views == null) {
            views = new HostViews(this);
        }
        return views;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Shuts the kernel down: every process exits first (its descriptors closed, so sockets release
     * what they queue), pings fail, devices stop (freeing what their queues hold), the transmit
     * queues, ARP queues and reassembly queues are freed, timers are disarmed. Frames arriving later
     * are dropped. Idempotent. On a real-time loop, call it on the loop ({@code loop.submit}).
     */
    @Override
    public void close() {
        loop.checkInEventLoop("Host.close");
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : sockets.processes()) {
            p.exit();
        }
        for (Ping p : new ArrayList<>(pings)) {
            p.abort(new IllegalStateException("ping: host " + name + " closed"));
        }
        tcp.close();
        for (Interface i : interfaces) {
            i.device().stop();
            i.qdisc().purge(DropReason.QUEUE_PURGE);
        }
        neighbours.close();
        ip.close();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] closed", name);
        }
    }

    @Override
    public String toString() {
        return "Host[" + name + (closed ? " closed" : "") + " interfaces=" + interfaces.size() + "]";
    }

    private void addIfAbsent(Route r) {
        for (Route e : r.table() == RoutingTable.TABLE_LOCAL ? routes.localRoutes() : routes.routes()) {
            if (e.dst() == r.dst() && e.prefixLength() == r.prefixLength() && e.metric() == r.metric()
                    && e.type() == r.type()) {
                return;
            }
        }
        routes.add(r);
    }

    private void checkOpen(String op) {
        loop.checkInEventLoop(op);
        if (closed) {
            throw new IllegalStateException(op + ": host " + name + " is closed");
        }
    }

    /** Configures a {@link Host}; settings are applied in the order sysctls, devices, addresses, routes. */
    public static final class Builder {
        private final EventLoop loop;
        private final SkBuffPool pool;
        private final String name;
        private final List<String[]> sysctls = new ArrayList<>();
        private final List<NetDevice> devices = new ArrayList<>();
        private final List<String[]> addresses = new ArrayList<>();
        private final List<String> routeSpecs = new ArrayList<>();
        private Tracer tracer;

        private Builder(EventLoop loop, SkBuffPool pool, String name) {
            if (loop == null || pool == null) {
                throw new IllegalArgumentException("host: loop and pool must not be null");
            }
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("host: name must not be empty");
            }
            this.loop = loop;
            this.pool = pool;
            this.name = name;
        }

        /** Sets a sysctl before anything else is configured ({@code "net.ipv4.ip_forward", 1}). */
        public Builder sysctl(String name, int... values) {
            StringBuilder sb = new StringBuilder();
            for (int v : values) {
                sb.append(sb.length() > 0 ? " " : "").append(v);
            }
            sysctls.add(new String[] {name, sb.toString()});
            return this;
        }

        /** Sets a sysctl from text ({@code "net.ipv4.ip_local_port_range", "40000 40999"}). */
        public Builder sysctl(String name, String value) {
            sysctls.add(new String[] {name, value});
            return this;
        }

        /** Registers a device (ifindex 2, 3 ... in the order given). */
        public Builder device(NetDevice dev) {
            devices.add(dev);
            return this;
        }

        /** Adds an address to a device ({@code "eth0", "10.0.0.1/24"}). */
        public Builder address(String ifname, String cidr) {
            addresses.add(new String[] {ifname, cidr});
            return this;
        }

        /** Adds a route as {@code ip route add} takes it ({@code "default via 10.0.0.254"}). */
        public Builder route(String spec) {
            routeSpecs.add(spec);
            return this;
        }

        /**
         * The event trace this host emits into: hosts of one network share one, so that their
         * events form one stream. Without it the host gets a tracer of its own.
         */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** The host, with {@code lo} at ifindex 1 and everything configured. */
        public Host build() {
            Host h = new Host(this);
            for (NetDevice d : devices) {
                h.addDevice(d);
            }
            for (String[] a : addresses) {
                h.addAddress(a[0], a[1]);
            }
            for (String r : routeSpecs) {
                h.addRoute(r);
            }
            return h;
        }
    }
}
