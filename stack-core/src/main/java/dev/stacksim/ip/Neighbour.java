package dev.stacksim.ip;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Interface;
import dev.stacksim.sim.Timer;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.MacAddress;

import java.util.ArrayDeque;

/**
 * One entry of the {@link NeighbourTable}: what this host knows about the link-layer address of
 * one IPv4 neighbour on one interface ({@code struct neighbour}). Its state changes only through
 * the table; this class is what {@code ip neigh} shows of it.
 */
public final class Neighbour {
    final Interface dev;
    final int ip;
    final Timer timer;
    /** Packets waiting for resolution ({@code arp_queue}); their data starts at the IPv4 header. */
    final ArrayDeque<SkBuff> queue = new ArrayDeque<>(4);
    long queueBytes;
    long lladdr;
    NudState state = NudState.NONE;
    /** Last time reachability was confirmed (an ARP reply to us, or a transport's confirmation). */
    long confirmed;
    /** Last time a packet was sent while the entry was not REACHABLE ({@code neigh->used}). */
    long used;
    /** Last time the state or address changed. */
    long updated;
    /** Probes sent in the current INCOMPLETE or PROBE phase (starts at ucast_solicit for INCOMPLETE). */
    int probes;
    /** Neighbours on the table's GC list ({@code gc_list}), oldest first; null at the ends. */
    Neighbour gcPrev;
    Neighbour gcNext;
    /** On the GC list: every entry but the permanent ones. */
    boolean onGcList;

    Neighbour(NeighbourTable table, Interface dev, int ip, long now) {
        this.dev = dev;
        this.ip = ip;
        this.timer = new Timer(dev.loop(), "neigh:" + Ipv4Address.toString(ip), () -> table.timerHandler(this));
        this.confirmed = now;
        this.used = now;
        this.updated = now;
    }

    /** The neighbour's IPv4 address bits. */
    public int ip() {
        return ip;
    }

    /** The neighbour's IPv4 address. */
    public Ipv4Address address() {
        return Ipv4Address.of(ip);
    }

    /** The interface it is reached through. */
    public Interface dev() {
        return dev;
    }

    /** Its MAC address bits; meaningful only while {@link NudState#isValid()}. */
    public long lladdr() {
        return lladdr;
    }

    /** Its state. */
    public NudState state() {
        return state;
    }

    /** Virtual time of the last confirmation of reachability. */
    public long confirmed() {
        return confirmed;
    }

    /** Virtual time the entry was last used while not REACHABLE. */
    public long used() {
        return used;
    }

    /** Virtual time the state or address last changed. */
    public long updated() {
        return updated;
    }

    /** Packets queued waiting for resolution. */
    public int queueLength() {
        return queue.size();
    }

    /** Probes counted in the current resolution or probe phase. */
    public int probes() {
        return probes;
    }

    /** As {@code ip neigh} prints it: {@code 10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        sb.append(Ipv4Address.toString(ip)).append(" dev ").append(dev.name());
        if (state.isValid()) {
            sb.append(" lladdr ").append(MacAddress.toString(lladdr));
        }
        return sb.append(' ').append(state).toString();
    }
}
