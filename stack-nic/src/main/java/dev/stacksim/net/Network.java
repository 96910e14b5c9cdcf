package dev.stacksim.net;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.nic.SimNic;
import dev.stacksim.nic.SimNicBuilder;
import dev.stacksim.trace.Tracer;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.RunOutcome;
import dev.stacksim.wire.Ipv4Cidr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A whole simulated network on one event loop: hosts with simulated NICs, the links and switches
 * between them, and their captures. The shape users see first:
 *
 * <pre>{@code
 * try (Network net = Network.builder().seed(7).build()) {
 *     Host server = net.host("server").ip("10.0.0.2/24").build();
 *     Host client = net.host("client").ip("10.0.0.1/24").build();
 *     net.link(client, server).latency(Duration.ofMillis(5)).lossRate(0.01);
 *     PingResult r = client.ping("10.0.0.2", 3);
 * }
 * }</pre>
 *
 * <p>Each {@code .ip(cidr)} of a host builder gives the host one more NIC ({@code eth0},
 * {@code eth1} …) with that address. {@link #link} plugs a cable between the first unplugged NIC
 * (or switch port) of each side. MAC addresses are deterministic:
 * {@code 02:00:00:00:HH:NN} for host number {@code HH} (from 1, in creation order) and NIC
 * {@code NN} (from 1), locally administered.
 *
 * <p>One seed drives every random choice of every host and link (through named streams forked
 * from the loop's), so the same seed gives the same run and the same pcap bytes.
 *
 * <p>{@link #close()} closes every host (stopping their devices and freeing what they hold), every
 * capture file and the skb pool.
 */
public final class Network implements AutoCloseable {
    private final EventLoop loop;
    private final SkBuffPool pool;
    private final Tracer tracer = new Tracer();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<Host, List<SimNic>> nics = new LinkedHashMap<>();
    private final Map<String, Switch> switches = new LinkedHashMap<>();
    private final List<NetworkLink> links = new ArrayList<>();
    private final List<PcapWriter> captures = new ArrayList<>();
    private boolean closed;

    private Network(Builder b) {
        this.loop = EventLoop.builder().seed(b.seed).realTime(b.realTime).eventLimit(b.eventLimit).build();
        this.pool = SkBuffPool.builder().direct(b.direct).build();
    }

    /** A builder: {@code Network.builder().seed(7).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The event loop every host, NIC and link of this network runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** The pool every skb of this network comes from. */
    public SkBuffPool pool() {
        return pool;
    }

    /** The event trace every host of the network emits into; attach a listener to watch. */
    public Tracer tracer() {
        return tracer;
    }

    /** Starts a host: give it addresses ({@code .ip("10.0.0.1/24")}) and {@code .build()} it. */
    public HostBuilder host(String name) {
        checkOpen();
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("network: host name=" + name + " already exists");
        }
        return new HostBuilder(name);
    }

    /** The host named {@code name}. */
    public Host hostNamed(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("network: no host name=" + name + " (hosts " + hosts.keySet() + ")");
        }
        return h;
    }

    /** Every host, in creation order. */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The NICs of {@code host}, {@code eth0} first. */
    public List<SimNic> nics(Host host) {
        return Collections.unmodifiableList(nics.getOrDefault(host, List.of()));
    }

    /** Adds a learning switch with {@code ports} ports. */
    public Switch addSwitch(String name, int ports) {
        checkOpen();
        if (switches.containsKey(name)) {
            throw new IllegalArgumentException("network: switch name=" + name + " already exists");
        }
        Switch sw = onLoop(() -> Switch.builder(loop).name(name).ports(ports).build());
        switches.put(name, sw);
        return sw;
    }

    /** Plugs a cable between the first unplugged NIC of {@code a} and of {@code b}. */
    public NetworkLink link(Host a, Host b) {
        return connect(freeNic(a), freeNic(b), a.name(), b.name());
    }

    /** Plugs a cable between the first unplugged NIC of {@code host} and the first free port of {@code sw}. */
    public NetworkLink link(Host host, Switch sw) {
        return connect(freeNic(host), freePort(sw), host.name(), sw.name());
    }

    /** Plugs a cable between the first free ports of two switches. */
    public NetworkLink link(Switch a, Switch b) {
        return connect(freePort(a), freePort(b), a.name(), b.name());
    }

    /**
     * Captures what {@code host}'s NIC {@code ifname} sends and receives to a pcap file, as
     * {@code tcpdump -i eth0 -w file} does (see {@link SimNic#capture}); closed with the network.
     */
    public void capture(Host host, String ifname, Path pcap) {
        SimNic nic = nics(host).stream().filter(n -> n.name().equals(ifname)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("network: host " + host.name() + " has no NIC " + ifname));
        PcapWriter w = PcapWriter.open(pcap);
        addCapture(w);
        onLoop(() -> {
            nic.capture(w);
            return null;
        });
    }

    /** Every link, in creation order. */
    public List<NetworkLink> links() {
        return List.copyOf(links);
    }

    /** Runs the simulation for {@code d} of virtual time (see {@link EventLoop#runFor(Duration)}). */
    public void runFor(Duration d) {
        loop.runFor(d);
    }

    /** Runs until {@code condition} holds or nothing is left to happen. */
    public RunOutcome runUntil(BooleanSupplier condition) {
        return loop.runUntil(condition);
    }

    /** Runs until no event is left. */
    public void runUntilIdle() {
        loop.runUntilIdle();
    }

    /** Closes every host, capture and the pool; the network cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            // On the loop: hosts stop their devices and free what they queue, then links free the
            // frames still on the wire. Only then are the captures closed, so nothing writes late.
            onLoop(() -> {
                for (Host h : hosts.values()) {
                    h.close();
                }
                for (NetworkLink l : links) {
                    l.link().close();
                }
                return null;
            });
        } catch (RuntimeException e) {
            first = e;
        }
        loop.close();
        for (PcapWriter w : captures) {
            try {
                w.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        pool.close();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Network[hosts=" + hosts.keySet() + " switches=" + switches.keySet() + " links=" + links.size()
                + " now=" + dev.stacksim.sim.SimTime.format(loop.now()) + "]";
    }

    // ---------------------------------------------------------------- internals

    private NetworkLink connect(FramePort a, FramePort b, String nameA, String nameB) {
        checkOpen();
        String name = uniqueLinkName(nameA + "-" + nameB);
        NetworkLink nl = onLoop(() -> {
            Link link = Link.builder(loop).name(name).build(a, b);
            plug(a, link.endA());
            plug(b, link.endB());
            return new NetworkLink(this, link, nameA, nameB);
        });
        links.add(nl);
        return nl;
    }

    private static void plug(FramePort port, Medium medium) {
        if (port instanceof SimNic) {
            ((SimNic) port).connect(medium);
        } else if (port instanceof Switch.Port) {
            Switch.Port p = (Switch.Port) port;
            p.bridge().connect(p.index(), medium);
        } else {
            throw new IllegalArgumentException("network: cannot plug " + port);
        }
    }

    private String uniqueLinkName(String base) {
        String name = base;
        int n = 2;
        while (true) {
            String candidate = name;
            if (links.stream().noneMatch(l -> l.link().name().equals(candidate))) {
                return candidate;
            }
            name = base + "#" + n++;
        }
    }

    private SimNic freeNic(Host host) {
        List<SimNic> list = nics.get(host);
        if (list == null) {
            throw new IllegalArgumentException("network: host " + host.name() + " is not on this network");
        }
        for (SimNic nic : list) {
            if (nic.medium() == null) {
                return nic;
            }
        }
        throw new IllegalStateException("network: host " + host.name() + " has no unplugged NIC (it has "
                + list.size() + "): give it another .ip(...)");
    }

    private Switch.Port freePort(Switch sw) {
        for (int i = 0; i < sw.portCount(); i++) {
            if (sw.port(i).medium() == null) {
                return sw.port(i);
            }
        }
        throw new IllegalStateException("network: switch " + sw.name() + " has no free port (it has "
                + sw.portCount() + ")");
    }

    void addCapture(PcapWriter w) {
        captures.add(w);
    }

    /** Runs {@code c} on the loop's thread: directly in virtual time, submitted and awaited in real time. */
    <T> T onLoop(Callable<T> c) {
        try {
            if (loop.isRealTime() && !loop.inEventLoop()) {
                return loop.submit(c).join();
            }
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("network: closed");
        }
    }

    /** Builds a host of this network: its NICs, addresses, routes and sysctls. */
    public final class HostBuilder {
        private final String name;
        private final List<String> addresses = new ArrayList<>();
        private final List<Consumer<SimNicBuilder>> nicTweaks = new ArrayList<>();
        private final List<String> routes = new ArrayList<>();
        private final List<Map.Entry<String, int[]>> sysctls = new ArrayList<>();

        private HostBuilder(String name) {
            this.name = name;
        }

        /** One more NIC ({@code eth0}, {@code eth1} …) with this address, e.g. {@code "10.0.0.1/24"}. */
        public HostBuilder ip(String cidr) {
            return ip(cidr, nic -> { });
        }

        /**
         * One more NIC with this address, its builder adjusted by {@code nic} (MTU, ring sizes, DMA
         * latency, interrupt coalescing, RSS queues).
         */
        public HostBuilder ip(String cidr, Consumer<SimNicBuilder> nic) {
            Ipv4Cidr.parse(cidr);
            addresses.add(cidr);
            nicTweaks.add(nic);
            return this;
        }

        /** The default gateway: {@code "10.0.0.254"}. */
        public HostBuilder gateway(String address) {
            routes.add("default via " + address);
            return this;
        }

        /** A route as {@code ip route add} takes it: {@code "10.1.0.0/16 via 10.0.0.254"}. */
        public HostBuilder route(String spec) {
            routes.add(spec);
            return this;
        }

        /** Forward packets between interfaces ({@code net.ipv4.ip_forward = 1}): a router. */
        public HostBuilder forwarding(boolean on) {
            return sysctl("net.ipv4.ip_forward", on ? 1 : 0);
        }

        /** Sets a sysctl by its Linux name before the host starts. */
        public HostBuilder sysctl(String sysctl, int... values) {
            sysctls.add(Map.entry(sysctl, values.clone()));
            return this;
        }

        /** Creates the host on the network's loop, with {@code lo} and one NIC per address. */
        public Host build() {
            checkOpen();
            if (hosts.containsKey(name)) {
                throw new IllegalArgumentException("network: host name=" + name + " already exists");
            }
            int hostNumber = hosts.size() + 1;
            Host host = onLoop(() -> {
                Host.Builder hb = Host.builder(loop, pool, name).tracer(tracer);
                for (Map.Entry<String, int[]> e : sysctls) {
                    hb.sysctl(e.getKey(), e.getValue());
                }
                List<SimNic> list = new ArrayList<>();
                for (int i = 0; i < addresses.size(); i++) {
                    SimNicBuilder nb = SimNic.builder().name("eth" + i)
                            .mac(0x0200_0000_0000L | (long) hostNumber << 8 | (i + 1));
                    nicTweaks.get(i).accept(nb);
                    SimNic nic = nb.build();
                    list.add(nic);
                    hb.device(nic);
                    hb.address(nic.name(), addresses.get(i));
                }
                for (String r : routes) {
                    hb.route(r);
                }
                Host h = hb.build();
                nics.put(h, list);
                return h;
            });
            hosts.put(name, host);
            return host;
        }
    }

    /** Configures a {@link Network}. */
    public static final class Builder {
        private long seed = 1;
        private boolean realTime;
        private boolean direct;
        private long eventLimit = EventLoop.DEFAULT_EVENT_LIMIT;

        private Builder() {
        }

        /** The seed of every random choice (ISNs, ports, losses); 1 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Run on a real-time loop paced by the wall clock instead of in virtual time. */
        public Builder realTime(boolean realTime) {
            this.realTime = realTime;
            return this;
        }

        /** Direct (off-heap) packet buffers instead of heap arrays. */
        public Builder directBuffers(boolean direct) {
            this.direct = direct;
            return this;
        }

        /** The most events one run call may execute before it reports a livelock. */
        public Builder eventLimit(long eventLimit) {
            this.eventLimit = eventLimit;
            return this;
        }

        /** The network, with its loop and pool and no hosts yet. */
        public Network build() {
            return new Network(this);
        }
    }
}
