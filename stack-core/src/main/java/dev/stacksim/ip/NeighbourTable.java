package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.Interface;
import dev.stacksim.host.Sysctl;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.MacAddress;
import io.netty.util.collection.LongObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The host's ARP cache: Linux's neighbour table ({@code net/core/neighbour.c}, {@code arp_tbl}),
 * the state machine of {@link NudState} and the output path that puts the Ethernet header on
 * every IPv4 packet ({@code neigh_output}, {@code neigh_resolve_output}).
 *
 * <h2>Timing (the {@code net.ipv4.neigh.default.*} sysctls)</h2>
 * <ul>
 *   <li>Resolution: the first request goes out at once, then one per {@code retrans_time_ms}
 *       (1 s); after {@code mcast_solicit} (3) unanswered broadcasts the entry is FAILED, 3 s after
 *       the first. Packets wait meanwhile, up to {@code unres_qlen_bytes} of truesize (the oldest
 *       are dropped beyond, {@link DropReason#NEIGH_QUEUEFULL}); on failure each gets an ICMP host
 *       unreachable to its sender and is freed ({@link DropReason#NEIGH_FAILED}).</li>
 *   <li>An ARP reply makes the entry REACHABLE for the reachable time: a random value between 0.5
 *       and 1.5 times {@code base_reachable_time_ms} (30 s), drawn from the host's random stream and
 *       drawn again every 300 s ({@code neigh_rand_reach_time}). Then it becomes STALE, or DELAY
 *       if it was used in the last {@code delay_first_probe_time} (5 s) while not reachable.</li>
 *   <li>A STALE entry is still used; sending through it moves it to DELAY, and 5 s later, unless
 *       confirmed meanwhile, to PROBE: {@code ucast_solicit} (3) unicast requests 1 s apart, then
 *       FAILED. Sending through a REACHABLE entry does not count as use (Linux's cached-header fast
 *       path does not touch {@code neigh->used}), which is why a steady ping sees
 *       REACHABLE, STALE, DELAY, REACHABLE cycles. Transports confirm with {@link #confirm}.</li>
 * </ul>
 * A timer runs at exactly its deadline (Linux's timer wheel may run it somewhat later).
 * Requests for this host's addresses create a STALE entry for the asker; other ARP packets only
 * update entries that exist ({@code arp_accept} 0). A different address within {@code locktime}
 * of the last update is ignored, unless gratuitous.
 *
 * <p>Entries are collected as Linux 6.x does, by {@code NeighbourGc}: when the table is over
 * {@code gc_thresh2}/{@code gc_thresh3} at creation, and every 15 s at or above {@code gc_thresh1}.
 */
public final class NeighbourTable {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourTable.class);
    /** {@code HZ/100}: the shortest a neighbour timer is armed for. */
    private static final long MIN_TIMER = SimTime.millis(10);

    private final Host host;
    private final SimRandom random;
    private final LongObjectHashMap<Neighbour> entries = new LongObjectHashMap<>();
    private final EthernetHeader eth = new EthernetHeader();
    private final Sysctl.Entry baseReachable;
    private final Sysctl.Entry retransTime;
    private final Sysctl.Entry delayProbe;
    private final Sysctl.Entry mcastSolicit;
    private final Sysctl.Entry ucastSolicit;
    private final Sysctl.Entry appSolicit;
    private final Sysctl.Entry mcastResolicit;
    private final Sysctl.Entry unresQlenBytes;
    private final NeighbourGc gc;
    private long reachableTime;
    private long lastRand = Long.MIN_VALUE;
    private int lastBase = -1;

    /** The neighbour table of {@code host}; the host makes one. */
    public NeighbourTable(Host host) {
        this.host = host;
        this.random = host.random().fork("neigh");
        Sysctl s = host.sysctl();
        String p = "net.ipv4.neigh.default.";
        this.baseReachable = s.entry(p + "base_reachable_time_ms");
        this.retransTime = s.entry(p + "retrans_time_ms");
        this.delayProbe = s.entry(p + "delay_first_probe_time");
        this.mcastSolicit = s.entry(p + "mcast_solicit");
        this.ucastSolicit = s.entry(p + "ucast_solicit");
        this.appSolicit = s.entry(p + "app_solicit");
        this.mcastResolicit = s.entry(p + "mcast_resolicit");
        this.unresQlenBytes = s.entry(p + "unres_qlen_bytes");
        this.gc = new NeighbourGc(this, host);
    }

    // ---------------------------------------------------------------- output

    /**
     * Sends an IPv4 packet to {@code nexthop} on {@code dev} ({@code neigh_output}): with the
     * Ethernet header of a usable entry at once, else after resolution. The skb's data starts at
     * the IPv4 header with {@link Ipv4#LL_RESERVED_SPACE} of headroom; ownership passes.
     *
     * @return false when the device queue dropped the frame now ({@code NET_XMIT_DROP}); true when
     *         it was queued, sent, or left waiting for resolution
     */
    public boolean output(SkBuff skb, Interface dev, int nexthop) {
        Neighbour n = entries.get(key(dev.ifindex(), nexthop));
        if (n == null) {
            n = create(dev, nexthop, false);
            if (n == null) {
                skb.free(DropReason.NOMEM);
                return false;
            }
        }
        return output(n, skb);
    }

    /** Sends an IPv4 packet as a link-layer broadcast (no resolution); false when the device dropped it. */
    public boolean outputBroadcast(SkBuff skb, Interface dev) {
        return xmit(skb, dev, MacAddress.MASK);
    }

    /** {@code n->output}: connected entries send at once; the others go through {@link #eventSend}. */
    private boolean output(Neighbour n, SkBuff skb) {
        if (n.state.isConnected()) {
            return xmit(skb, n.dev, n.lladdr);
        }
        // neigh_resolve_output: neigh_event_send_probe records the use.
        n.used = host.loop().now();
        if (!eventSend(n, skb)) {
            return xmit(skb, n.dev, n.lladdr);
        }
        return true;
    }

    /** Pushes the Ethernet header and hands the frame to the device queue. */
    private boolean xmit(SkBuff skb, Interface dev, long dst) {
        int at = skb.push(EthernetHeader.HEADER_LEN);
        host.trace().skbHop("eth", true, EthernetHeader.HEADER_LEN, skb);
        skb.ensureWritable(at, EthernetHeader.HEADER_LEN);
        skb.resetMacHeader();
        eth.wrap(skb.buf(), at, skb.len());
        eth.setDst(dst);
        eth.setSrc(dev.mac());
        eth.setEtherType(skb.protocol() != 0 ? skb.protocol() : EtherType.IPV4);
        return dev.queueXmit(skb);
    }

    /**
     * {@code __neigh_event_send}: false when the packet may go now (the entry is usable); true when
     * it was queued for resolution or freed.
     */
    private boolean eventSend(Neighbour n, SkBuff skb) {
        long now = host.loop().now();
        NudState state = n.state;
        if (state.isConnected() || state == NudState.DELAY || state == NudState.PROBE) {
            return false;
        }
        boolean immediateProbe = false;
        if (state != NudState.STALE && state != NudState.INCOMPLETE) {
            if (mcastSolicit.intValue() + appSolicit.intValue() > 0) {
                n.probes = ucastSolicit.intValue();
                n.timer.cancel();
                setState(n, NudState.INCOMPLETE);
                n.updated = now;
                n.timer.mod(now + Math.max(SimTime.millis(retransTime.intValue()), MIN_TIMER));
                immediateProbe = true;
            } else {
                setState(n, NudState.FAILED);
                n.updated = now;
                skb.free(DropReason.NEIGH_FAILED);
                return true;
            }
        } else if (state == NudState.STALE) {
            n.timer.cancel();
            setState(n, NudState.DELAY);
            n.updated = now;
            n.timer.mod(now + SimTime.seconds(delayProbe.intValue()));
        }
        boolean queued = false;
        if (n.state == NudState.INCOMPLETE) {
            long limit = unresQlenBytes.intValue();
            while (n.queueBytes + skb.truesize() > limit && !n.queue.isEmpty()) {
                SkBuff old = n.queue.pollFirst();
                n.queueBytes -= old.truesize();
                old.free(DropReason.NEIGH_QUEUEFULL);
            }
            n.queue.addLast(skb);
            n.queueBytes += skb.truesize();
            queued = true;
        }
        if (immediateProbe) {
            probe(n);
        }
        return queued;
    }

    /** {@code neigh_probe}: one ARP request, its source address taken from the newest queued packet. */
    private void probe(Neighbour n) {
        host.arp().solicit(n, n.queue.peekLast());
        n.probes++;
    }

    /** {@code neigh_max_probes}. */
    private int maxProbes(Neighbour n) {
        return ucastSolicit.intValue() + appSolicit.intValue()
                + (n.state == NudState.PROBE ? mcastResolicit.intValue() : mcastSolicit.intValue());
    }

    /** {@code neigh_timer_handler}. */
    void timerHandler(Neighbour n) {
        long now = host.loop().now();
        NudState state = n.state;
        if (!state.inTimer()) {
            return;
        }
        long next = now + SimTime.seconds(1);
        long delay = SimTime.seconds(delayProbe.intValue());
        if (state == NudState.REACHABLE) {
            long reach = reachableTimeNanos();
            if (now < n.confirmed + reach) {
                next = n.confirmed + reach;
            } else if (now <= n.used + delay) {
                setState(n, NudState.DELAY);
                n.updated = now;
                next = now + delay;
            } else {
                setState(n, NudState.STALE);
                n.updated = now;
            }
        } else if (state == NudState.DELAY) {
            if (now <= n.confirmed + delay) {
                setState(n, NudState.REACHABLE);
                n.updated = now;
                next = n.confirmed + reachableTimeNanos();
            } else {
                setState(n, NudState.PROBE);
                n.updated = now;
                n.probes = 0;
                next = now + Math.max(SimTime.millis(retransTime.intValue()), MIN_TIMER);
            }
        } else {
            next = now + Math.max(SimTime.millis(retransTime.intValue()), MIN_TIMER);
        }
        if ((n.state == NudState.INCOMPLETE || n.state == NudState.PROBE) && n.probes >= maxProbes(n)) {
            setState(n, NudState.FAILED);
            invalidate(n);
            return;
        }
        if (n.state.inTimer()) {
            n.timer.mod(Math.max(next, now + MIN_TIMER));
        }
        if (n.state == NudState.INCOMPLETE || n.state == NudState.PROBE) {
            probe(n);
        }
    }

    /**
     * {@code neigh_invalidate}: resolution failed; every queued packet is reported to its sender
     * with ICMP host unreachable ({@code arp_error_report}) and freed.
     */
    private void invalidate(Neighbour n) {
        n.updated = host.loop().now();
        SkBuff skb;
        while (n.state == NudState.FAILED && (skb = n.queue.pollFirst()) != null) {
            n.queueBytes -= skb.truesize();
            host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.HOST_UNREACH, 0);
            skb.free(DropReason.NEIGH_FAILED);
        }
        purgeQueue(n, DropReason.NEIGH_FAILED);
    }

    // ---------------------------------------------------------------- updates from ARP

    /**
     * {@code neigh_update} as ARP calls it: {@code lladdr} learned with {@code newState}
     * (REACHABLE for a reply to us, STALE otherwise). With {@code override} false a different
     * address for a valid entry is ignored. Queued packets go out when the entry becomes valid.
     */
    void update(Neighbour n, long lladdr, NudState newState, boolean override) {
        long now = host.loop().now();
        NudState old = n.state;
        if (old == NudState.NOARP || old == NudState.PERMANENT) {
            return;
        }
        if (!newState.isValid()) {
            n.timer.cancel();
            setState(n, newState);
            if ((old == NudState.INCOMPLETE || old == NudState.PROBE) && newState == NudState.FAILED) {
                invalidate(n);
            }
            return;
        }
        boolean sameAddr = old.isValid() && lladdr == n.lladdr;
        if (newState.isConnected()) {
            n.confirmed = now;
        }
        if (old.isValid()) {
            if (!sameAddr && !override) {
                return;
            }
            if (sameAddr && newState == NudState.STALE) {
                newState = old;
            }
        }
        if (newState != old || !sameAddr) {
            n.updated = now;
        }
        if (newState != old) {
            n.timer.cancel();
            if (newState == NudState.PROBE) {
                n.probes = 0;
            }
            if (newState.inTimer()) {
                n.timer.mod(now + (newState == NudState.REACHABLE ? reachableTimeNanos() : 0));
            }
            setState(n, newState);
        }
        if (!sameAddr) {
            n.lladdr = lladdr;
            if (!newState.isConnected()) {
                n.confirmed = now - 2 * SimTime.millis(baseReachable.intValue());
            }
        }
        if (newState == old || old.isValid()) {
            return;
        }
        SkBuff skb;
        while (n.state.isValid() && (skb = n.queue.pollFirst()) != null) {
            n.queueBytes -= skb.truesize();
            output(n, skb);
        }
        purgeQueue(n, DropReason.NEIGH_FAILED);
    }

    /** The entry for {@code ip} on {@code dev}, created in state NONE when absent ({@code __neigh_lookup(..., creat=1)}); null when the table is full. */
    Neighbour lookupOrCreate(Interface dev, int ip) {
        Neighbour n = entries.get(key(dev.ifindex(), ip));
        return n != null ? n : create(dev, ip, false);
    }

    // ---------------------------------------------------------------- public queries and admin

    /** The entry for {@code ip} on {@code dev}, or {@code null}. */
    public Neighbour lookup(Interface dev, int ip) {
        return entries.get(key(dev.ifindex(), ip));
    }

    /** The entry for {@code ip} on the interface with {@code ifindex}, or {@code null}. */
    public Neighbour lookup(int ifindex, int ip) {
        return entries.get(key(ifindex, ip));
    }

    /**
     * A transport's proof of reachability ({@code neigh_confirm}, from TCP's forward progress
     * through {@code dst_confirm}): resets the entry's confirmation time, keeping it REACHABLE.
     */
    public void confirm(Interface dev, int ip) {
        Neighbour n = lookup(dev, ip);
        if (n != null) {
            n.confirmed = host.loop().now();
        }
    }

    /**
     * Adds a permanent entry ({@code ip neigh replace IP lladdr MAC dev DEV nud permanent}): never
     * resolved, never expires.
     */
    public Neighbour addPermanent(Interface dev, Ipv4Address ip, long mac) {
        Neighbour n = entries.get(key(dev.ifindex(), ip.toInt()));
        if (n == null) {
            // neigh_add with NUD_PERMANENT: exempt from GC, so never refused for a full table.
            n = create(dev, ip.toInt(), true);
        }
        gc.unlink(n);
        n.timer.cancel();
        n.lladdr = mac;
        n.updated = host.loop().now();
        setState(n, NudState.PERMANENT);
        SkBuff skb;
        while ((skb = n.queue.pollFirst()) != null) {
            n.queueBytes -= skb.truesize();
            output(n, skb);
        }
        return n;
    }

    /**
     * The current reachable time in nanoseconds, drawn in {@code [base/2, 3*base/2)} and redrawn
     * when 300 s have passed or {@code base_reachable_time_ms} changed.
     */
    public long reachableTimeNanos() {
        long now = host.loop().now();
        int base = baseReachable.intValue();
        if (base != lastBase || now - lastRand >= SimTime.seconds(300)) {
            long baseNanos = SimTime.millis(base);
            reachableTime = random.nextLong(baseNanos) + baseNanos / 2;
            lastRand = now;
            lastBase = base;
        }
        return reachableTime;
    }

    /** Every entry, ordered by interface and address. */
    public List<Neighbour> entries() {
        List<Neighbour> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparingInt((Neighbour n) -> n.dev.ifindex())
                .thenComparingLong(n -> Integer.toUnsignedLong(n.ip)));
        return out;
    }

    /** The table as {@code ip neigh} prints it, one entry a line. */
    public String show() {
        StringBuilder sb = new StringBuilder();
        for (Neighbour n : entries()) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }

    /**
     * Removes every entry that is not permanent ({@code ip neigh flush all}); packets waiting for
     * resolution are freed ({@link DropReason#QUEUE_PURGE}).
     */
    public void flush() {
        for (Neighbour n : entries()) {
            if (n.state != NudState.PERMANENT) {
                remove(n);
            }
        }
    }

    /** Frees every queued packet and disarms every timer; the host calls it on close. */
    public void close() {
        gc.close();
        for (Neighbour n : entries()) {
            n.timer.cancel();
            purgeQueue(n, DropReason.QUEUE_PURGE);
        }
        entries.clear();
    }

    /** Entries subject to garbage collection ({@code gc_entries}): all but the permanent ones. */
    public int gcEntries() {
        return gc.entries();
    }

    /** New entries refused because the table was full ({@code table_fulls} in /proc/net/stat/arp_cache). */
    public long tableFulls() {
        return gc.tableFulls();
    }

    @Override
    public String toString() {
        return show();
    }

    // ---------------------------------------------------------------- internals

    /**
     * {@code neigh_alloc} and {@code ___neigh_create}: a new entry in state NONE, or null when the
     * table is full and forced collection freed nothing. Permanent entries are exempt from the
     * thresholds.
     */
    private Neighbour create(Interface dev, int ip, boolean exemptFromGc) {
        if (!exemptFromGc && !gc.admit()) {
            return null;
        }
        Neighbour n = new Neighbour(this, dev, ip, host.loop().now());
        entries.put(key(dev.ifindex(), ip), n);
        if (!exemptFromGc) {
            gc.add(n);
        }
        return n;
    }

    /** {@code neigh_mark_dead} and the unlink: the entry leaves the table, its queue is freed. */
    void remove(Neighbour n) {
        n.timer.cancel();
        purgeQueue(n, DropReason.QUEUE_PURGE);
        entries.remove(key(n.dev.ifindex(), n.ip));
        gc.unlink(n);
    }

    /** Entries in the table, permanent ones included ({@code tbl->entries}). */
    int size() {
        return entries.size();
    }

    /** Every state change goes through here: logged, and traced as an {@code ARP} state change. */
    private void setState(Neighbour n, NudState state) {
        if (n.state != state) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] neigh {} dev {} {} -> {} at {}", host.name(), Ipv4Address.toString(n.ip), n.dev.name(),
                        n.state, state, SimTime.format(host.loop().now()));
            }
            HostTrace trace = host.trace();
            if (trace.enabled()) {
                trace.stateChange("ARP", Ipv4Address.toString(n.ip) + " dev " + n.dev.name(), n.state.name(), state.name());
            }
            n.state = state;
        }
    }

    private static void purgeQueue(Neighbour n, DropReason reason) {
        SkBuff skb;
        while ((skb = n.queue.pollFirst()) != null) {
            skb.free(reason);
        }
        n.queueBytes = 0;
    }

    private static long key(int ifindex, int ip) {
        return (long) ifindex << 32 | Integer.toUnsignedLong(ip);
    }
}
