package dev.stacksim.ip;

import dev.stacksim.wire.Ipv4Cidr;

/**
 * The lookup index of one {@link RoutingTable} table: longest prefix match in one hash probe per
 * prefix length the table uses, whatever the number of routes. Linux walks an LC-trie
 * ({@code fib_trie.c}); a host's table has routes of a handful of lengths ({@code /32} local
 * addresses and broadcasts, {@code /24} networks, {@code /0} the default), so probing each length
 * from the longest down finds the match in two or three probes, without a trie's pointer chase.
 *
 * <pre>
 *   lengths:  32  24  8  0          (distinct prefix lengths, longest first)
 *   probe:    (32, daddr & /32) ─► miss
 *             (24, daddr & /24) ─► Route 10.0.0.0/24 dev eth0   (the answer)
 * </pre>
 *
 * <p>Each slot keeps the route {@code RoutingTable}'s scan picked among routes to the same prefix:
 * the first in dump order, that is the smallest metric (then the lowest type). The index is built
 * from the table's array when a route is added or removed (rare), and is immutable afterwards, so a
 * lookup allocates nothing. Open addressing with linear probing over a power-of-two array at most
 * half full.
 */
final class PrefixIndex {
    /** An index with no routes. */
    static final PrefixIndex EMPTY = new PrefixIndex(new Route[0]);

    /** Distinct prefix lengths of the table, longest first. */
    private final int[] lengths;
    /** The netmask of each entry of {@link #lengths}. */
    private final int[] masks;
    /** Slot keys: {@code prefixLength << 32 | dst}; {@code -1} for an empty slot (no route has length 2^32 - 1). */
    private final long[] keys;
    /** The route of each used slot. */
    private final Route[] routes;
    /** {@code keys.length - 1}. */
    private final int mask;
    /**
     * A small table (at most {@link #SCAN_MAX} routes, a host's usual) is scanned instead: its
     * routes longest prefix first (dump order among equals), their destinations and masks in two
     * int arrays, so the first match is the answer after a few compares in one cache line, no
     * hashing. Null for a larger table.
     */
    private final int[] scanDst;
    private final int[] scanMask;
    private final Route[] scanRoutes;

    /** Tables up to this many routes are scanned rather than probed. */
    static final int SCAN_MAX = 8;

    /** Indexes {@code table}, which is in dump order (see {@link RoutingTable}). */
    PrefixIndex(Route[] table) {
        if (table.length <= SCAN_MAX) {
            Route[] sorted = table.clone();
            // stable: among routes of one length, dump order stays (the first is the scan's pick)
            java.util.Arrays.sort(sorted, (a, b) -> Integer.compare(b.prefixLength(), a.prefixLength()));
            scanRoutes = sorted;
            scanDst = new int[sorted.length];
            scanMask = new int[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                scanMask[i] = Ipv4Cidr.netmask(sorted[i].prefixLength());
                scanDst[i] = sorted[i].dst() & scanMask[i];
            }
        } else {
            scanRoutes = null;
            scanDst = null;
            scanMask = null;
        }
        boolean[] seen = new boolean[33];
        int distinct = 0;
        for (Route r : table) {
            if (!seen[r.prefixLength()]) {
                seen[r.prefixLength()] = true;
                distinct++;
            }
        }
        lengths = new int[distinct];
        masks = new int[distinct];
        int j = 0;
        for (int len = 32; len >= 0; len--) {
            if (seen[len]) {
                lengths[j] = len;
                masks[j++] = Ipv4Cidr.netmask(len);
            }
        }
        int capacity = Integer.highestOneBit(Math.max(table.length, 4) * 2) * 2;
        keys = new long[capacity];
        java.util.Arrays.fill(keys, -1L);
        routes = new Route[capacity];
        mask = capacity - 1;
        for (Route r : table) {
            long key = key(r.prefixLength(), r.dst());
            int i = slot(key);
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == -1L) {
                // the first route to a prefix in dump order is the one the scan would keep
                keys[i] = key;
                routes[i] = r;
            }
        }
    }

    /** The longest-prefix route for {@code daddr}, smallest metric among equals; {@code null} when none. */
    Route longestMatch(int daddr) {
        int[] dsts = scanDst;
        if (dsts != null) {
            int[] masks = scanMask;
            for (int i = 0; i < dsts.length; i++) {
                if ((daddr & masks[i]) == dsts[i]) {
                    return scanRoutes[i];
                }
            }
            return null;
        }
        int[] lens = lengths;
        for (int j = 0; j < lens.length; j++) {
            long key = key(lens[j], daddr & masks[j]);
            int i = slot(key);
            long k;
            while ((k = keys[i]) != -1L) {
                if (k == key) {
                    return routes[i];
                }
                i = (i + 1) & mask;
            }
        }
        return null;
    }

    private static long key(int prefixLength, int dst) {
        return (long) prefixLength << 32 | Integer.toUnsignedLong(dst);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32) & mask;
    }
}
