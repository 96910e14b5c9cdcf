package dev.stacksim.host;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.VethPair;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A test bench: one virtual loop and pool, hosts joined by veth pairs with readable MACs
 * ({@code 02:00:00:00:00:01}, {@code :02} ...). {@link #close()} closes every host so that every
 * skb is released.
 */
public final class Lab implements AutoCloseable {
    public final EventLoop loop;
    public final SkBuffPool pool;
    private final List<Host> hosts = new ArrayList<>();
    private long nextMac = 1;

    public Lab(long seed) {
        this.loop = EventLoop.virtual(seed);
        this.pool = SkBuffPool.create();
    }

    /** A veth pair named {@code a}/{@code b} with the next two readable MACs. */
    public VethPair veth(String a, String b) {
        long m1 = 0x0200_0000_0000L | nextMac++;
        long m2 = 0x0200_0000_0000L | nextMac++;
        return VethPair.create(a, m1, b, m2);
    }

    /** A host with these devices (in order) and, per device, the address given at the same index. */
    public Host host(String name, NetDevice[] devices, String... addresses) {
        Host.Builder b = Host.builder(loop, pool, name);
        for (NetDevice d : devices) {
            b.device(d);
        }
        for (int i = 0; i < addresses.length; i++) {
            b.address(devices[i].name(), addresses[i]);
        }
        Host h = b.build();
        hosts.add(h);
        return h;
    }

    /** A host with one device and its address. */
    public Host host(String name, NetDevice device, String address) {
        return host(name, new NetDevice[] {device}, address);
    }

    /** A host built by the caller, closed with the lab. */
    public Host add(Host h) {
        hosts.add(h);
        return h;
    }

    /** A tap in front of a device. */
    public static FrameTap tap(NetDevice d) {
        return new FrameTap(d);
    }

    @Override
    public void close() {
        for (Host h : hosts) {
            h.close();
        }
        loop.close();
        pool.close();
    }
}
