package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.host.Host;
import dev.stacksim.host.Sysctl;
import dev.stacksim.sim.SimTime;
import dev.stacksim.sim.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of the {@link NeighbourTable}, as Linux 6.x does it ({@code neigh_alloc},
 * {@code neigh_forced_gc}, {@code neigh_periodic_work} in {@code net/core/neighbour.c}). Without it
 * every spoofed ARP request for a local address would leave an entry behind for good, and the
 * table, once full, would refuse every new neighbour.
 *
 * <p>Every entry but the permanent ones is on the GC list ({@code tbl->gc_list}), oldest first;
 * their number ({@code gc_entries}) is what the thresholds are compared with.
 * <pre>
 *   entries on the list:   0 ........ 128 ............ 512 ................ 1024
 *                                   gc_thresh1       gc_thresh2          gc_thresh3
 *   periodic (15 s):       nothing  │ unused 60 s or FAILED: removed ───────────────►
 *   forced (on create):    nothing ─────────────────── │ once per 5 s     │ every time; nothing
 *                                                                         │ freed: refused
 * </pre>
 * <ul>
 *   <li>Forced, when an entry is created with {@code gc_thresh3} (1024) entries on the list, or with
 *       {@code gc_thresh2} (512) and more than 5 s after the last forced run: from the oldest, every
 *       entry whose timer is not running (Linux: that holds no reference but the table's; a running
 *       timer holds one) and that is FAILED, NOARP, multicast or was not updated in the last 5 s is
 *       removed, until the list is back at {@code gc_thresh2}. If none could be removed at
 *       {@code gc_thresh3}, the new entry is refused ({@code neighbor table overflow}, counted in
 *       {@link #tableFulls()}; the packet that needed it is dropped, {@link DropReason#NOMEM}). So a
 *       flood of spoofed ARP requests denies new neighbours for 5 s, not forever.</li>
 *   <li>Periodic, every {@code base_reachable_time_ms}/2 (15 s) while the table has at least
 *       {@code gc_thresh1} (128) entries: every entry whose timer is not running that is FAILED or
 *       was not used within {@code gc_stale_time} (60 s) is removed. Linux's work runs forever and
 *       does nothing below {@code gc_thresh1}; here its timer is armed when an entry is created at or
 *       above the threshold, and stops below it, so that an idle simulation stays idle.
 *       {@code gc_interval} is, as in Linux, read by nothing.</li>
 * </ul>
 */
final class NeighbourGc {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourGc.class);
    /** {@code 5 * HZ}: how recent an update protects an entry from forced collection, and how often it runs. */
    private static final long FORCED_GC_INTERVAL = SimTime.seconds(5);

    private final NeighbourTable table;
    private final Host host;
    private final Sysctl.Entry gcThresh1;
    private final Sysctl.Entry gcThresh2;
    private final Sysctl.Entry gcThresh3;
    private final Sysctl.Entry gcStaleTime;
    private final Sysctl.Entry baseReachable;
    /** {@code tbl->gc_work}; armed only while the table is at or above {@code gc_thresh1}. */
    private final Timer timer;
    /** Oldest and newest entry of the GC list. */
    private Neighbour head;
    private Neighbour tail;
    /** Entries on the GC list ({@code tbl->gc_entries}). */
    private int count;
    /** Time of the last forced collection ({@code tbl->last_flush}); the table's creation at first. */
    private long lastFlush;
    /** {@code table_fulls}: entries refused. */
    private long tableFulls;

    NeighbourGc(NeighbourTable table, Host host) {
        this.table = table;
        this.host = host;
        Sysctl s = host.sysctl();
        String p = "net.ipv4.neigh.default.";
        this.gcThresh1 = s.entry(p + "gc_thresh1");
        this.gcThresh2 = s.entry(p + "gc_thresh2");
        this.gcThresh3 = s.entry(p + "gc_thresh3");
        this.gcStaleTime = s.entry(p + "gc_stale_time");
        this.baseReachable = s.entry(p + "base_reachable_time_ms");
        this.timer = new Timer(host.loop(), "neigh-gc", this::periodicWork);
        this.lastFlush = host.loop().now();
    }

    /** Entries on the GC list. */
    int entries() {
        return count;
    }

    /** Entries refused for a full table. */
    long tableFulls() {
        return tableFulls;
    }

    /**
     * {@code neigh_alloc}'s admission: true when one more collectable entry may be created, after a
     * forced collection when the thresholds call for one.
     */
    boolean admit() {
        long now = host.loop().now();
        int entries = count;
        int thresh3 = gcThresh3.intValue();
        if (entries >= thresh3 || (entries >= gcThresh2.intValue() && now > lastFlush + FORCED_GC_INTERVAL)) {
            // Linux has already counted the new entry when it computes how many to clean.
            if (forcedGc(entries + 1) == 0 && entries >= thresh3) {
                tableFulls++;
                if (LOG.isDebugEnabled()) {
                    LOG.debug("[{}] arp_cache: neighbor table overflow! entries={} gc_thresh3={}", host.name(),
                            entries, thresh3);
                }
                return false;
            }
        }
        return true;
    }

    /** Puts a new entry at the tail of the list and starts the periodic work if the table reached {@code gc_thresh1}. */
    void add(Neighbour n) {
        n.onGcList = true;
        n.gcPrev = tail;
        n.gcNext = null;
        if (tail == null) {
            head = n;
        } else {
            tail.gcNext = n;
        }
        tail = n;
        count++;
        if (!timer.isPending() && table.size() >= gcThresh1.intValue()) {
            arm();
        }
    }

    /** Takes {@code n} off the list (removed, or made permanent: {@code neigh_update_gc_list}). */
    void unlink(Neighbour n) {
        if (!n.onGcList) {
            return;
        }
        if (n.gcPrev == null) {
            head = n.gcNext;
        } else {
            n.gcPrev.gcNext = n.gcNext;
        }
        if (n.gcNext == null) {
            tail = n.gcPrev;
        } else {
            n.gcNext.gcPrev = n.gcPrev;
        }
        n.gcPrev = null;
        n.gcNext = null;
        n.onGcList = false;
        count--;
    }

    /** Stops the periodic work and forgets the list; the table is being emptied. */
    void close() {
        timer.cancel();
        head = null;
        tail = null;
        count = 0;
    }

    /**
     * {@code neigh_forced_gc}: from the oldest entry, removes the idle ones that are FAILED, NOARP,
     * multicast or not updated in the last 5 s, until {@code gc_thresh2} is reached. Returns how many
     * were removed.
     */
    private int forcedGc(int entries) {
        long now = host.loop().now();
        int maxClean = entries - gcThresh2.intValue();
        long tref = now - FORCED_GC_INTERVAL;
        int shrunk = 0;
        Neighbour next;
        for (Neighbour n = head; n != null; n = next) {
            next = n.gcNext;
            if (n.timer.isPending()) {
                continue; // refcnt > 1: the running timer holds a reference
            }
            // !time_in_range(n->updated, tref, jiffies)
            if (n.state == NudState.FAILED || n.state == NudState.NOARP || (n.ip >>> 28) == 0xE
                    || n.updated < tref || n.updated > now) {
                table.remove(n);
                shrunk++;
            }
            if (shrunk >= maxClean) {
                break;
            }
        }
        lastFlush = now;
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] neigh_forced_gc removed {} of {} at {}", host.name(), shrunk, entries, SimTime.format(now));
        }
        return shrunk;
    }

    /**
     * {@code neigh_periodic_work}: at or above {@code gc_thresh1} entries, removes every entry whose
     * timer is not running that is FAILED or was not used within {@code gc_stale_time}; runs again
     * in 15 s while the table stays at or above the threshold.
     */
    private void periodicWork() {
        long now = host.loop().now();
        int thresh1 = gcThresh1.intValue();
        if (table.size() >= thresh1) {
            long stale = SimTime.seconds(gcStaleTime.intValue());
            Neighbour next;
            for (Neighbour n = head; n != null; n = next) {
                next = n.gcNext;
                if (n.state.inTimer()) {
                    continue;
                }
                if (n.used < n.confirmed && n.confirmed <= now) {
                    n.used = n.confirmed;
                }
                // !time_in_range_open(jiffies, n->used, n->used + gc_staletime)
                boolean unused = now < n.used || now >= n.used + stale;
                if (!n.timer.isPending() && (n.state == NudState.FAILED || unused)) {
                    table.remove(n);
                }
            }
        }
        if (count > 0 && table.size() >= thresh1) {
            arm();
        }
    }

    /** Queues {@link #periodicWork} in {@code base_reachable_time}/2, as Linux re-queues its work. */
    private void arm() {
        timer.arm(Math.max(SimTime.millis(baseReachable.intValue()) / 2, SimTime.millis(10)));
    }
}
