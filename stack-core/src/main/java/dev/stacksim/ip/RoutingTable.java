package dev.stacksim.ip;

import dev.stacksim.wire.Inet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A host's IPv4 routes: Linux's FIB with its two default tables, looked up as the default policy
 * rules do ({@code ip rule}: {@code local} first, then {@code main}).
 *
 * <ul>
 *   <li>The <b>local</b> table ({@link #TABLE_LOCAL}, 255) holds the host's own addresses
 *       ({@code local 10.0.0.1}) and its networks' broadcast addresses: what is delivered here.
 *       The kernel fills it when an address is added; {@code ip route show table local} prints it.</li>
 *   <li>The <b>main</b> table ({@link #TABLE_MAIN}, 254) holds the connected networks
 *       ({@code 10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1}), static routes and the
 *       default route; {@code ip route} prints it. Lookup is longest prefix match
 *       ({@code fib_table_lookup}), then the smallest metric.</li>
 * </ul>
 *
 * <p>Lookups probe a hash index per prefix length ({@code PrefixIndex}), one to three probes on a
 * host's table, and allocate nothing; adding or removing a route rebuilds the index. Routes print
 * in the order Linux dumps its trie: by destination, longer prefixes of the same address first,
 * then by metric. The last answer of {@link #lookup} and of {@link #lookupLocal} is kept (a
 * one-entry cache, Linux's dst cache in spirit): like all of a host's kernel state, a table is
 * used by its event loop's thread only.
 */
public final class RoutingTable {
    /** {@code RT_TABLE_LOCAL}. */
    public static final int TABLE_LOCAL = 255;
    /** {@code RT_TABLE_MAIN}. */
    public static final int TABLE_MAIN = 254;

    private static final Comparator<Route> DUMP_ORDER = Comparator
            .comparingLong((Route r) -> Integer.toUnsignedLong(r.dst()))
            .thenComparing(Comparator.comparingInt(Route::prefixLength).reversed())
            .thenComparingInt(Route::metric)
            .thenComparingInt(r -> r.type().ordinal());

    private Route[] local = new Route[0];
    private Route[] main = new Route[0];
    /** The lookup index of {@link #local}, rebuilt whenever it changes. */
    private PrefixIndex localIndex = PrefixIndex.EMPTY;
    /** The lookup index of {@link #main}, rebuilt whenever it changes. */
    private PrefixIndex mainIndex = PrefixIndex.EMPTY;

    /*
     * The last answer of lookup() and of lookupLocal(), as Linux keeps a route in a socket's
     * dst cache instead of walking the FIB per packet: one segment asks the same question several
     * times (the input route, the MSS's route, the output route), and a connection's packets ask
     * the same one. Dropped whenever a table changes (a new index).
     */
    private boolean lookupCached;
    private int lookupDaddr;
    private Route lookupRoute;
    private boolean localCached;
    private int localDaddr;
    private Route localRoute;

    /** An empty table pair. */
    public RoutingTable() {
    }

    /**
     * Adds a route to its table ({@code ip route add}).
     *
     * @throws IllegalArgumentException when the table already has a route to the same prefix with
     *         the same metric and type, as Linux answers {@code EEXIST}
     */
    public void add(Route route) {
        Route[] table = route.table() == TABLE_LOCAL ? local : main;
        for (Route r : table) {
            if (r.dst() == route.dst() && r.prefixLength() == route.prefixLength() && r.metric() == route.metric()
                    && r.type() == route.type()) {
                throw new IllegalArgumentException("RTNETLINK answers: File exists (" + route + ")");
            }
        }
        Route[] grown = Arrays.copyOf(table, table.length + 1);
        grown[table.length] = route;
        Arrays.sort(grown, DUMP_ORDER);
        if (route.table() == TABLE_LOCAL) {
            local = grown;
            localIndex = new PrefixIndex(grown);
        } else {
            main = grown;
            mainIndex = new PrefixIndex(grown);
        }
        forgetCachedLookups();
    }

    private void forgetCachedLookups() {
        lookupCached = false;
        lookupRoute = null;
        localCached = false;
        localRoute = null;
    }

    /** Removes a route equal to {@code route}; true when one was there ({@code ip route del}). */
    public boolean remove(Route route) {
        return removeIf(r -> r.equals(route)) > 0;
    }

    /** Removes every route of both tables matching {@code which}; returns how many went. */
    public int removeIf(Predicate<Route> which) {
        int before = local.length + main.length;
        local = Arrays.stream(local).filter(which.negate()).toArray(Route[]::new);
        main = Arrays.stream(main).filter(which.negate()).toArray(Route[]::new);
        localIndex = new PrefixIndex(local);
        mainIndex = new PrefixIndex(main);
        forgetCachedLookups();
        return before - local.length - main.length;
    }

    /**
     * The route for {@code daddr} ({@code fib_lookup}): a local or broadcast route of the local
     * table when one matches, else the main table's longest match; {@code null} when nothing
     * matches (no default route).
     */
    public Route lookup(int daddr) {
        if (lookupCached && lookupDaddr == daddr) {
            return lookupRoute;
        }
        Route r = localIndex.longestMatch(daddr);
        if (r == null) {
            r = mainIndex.longestMatch(daddr);
        }
        lookupDaddr = daddr;
        lookupRoute = r;
        lookupCached = true;
        return r;
    }

    /** The local table's match for {@code daddr}: this host's address or broadcast, or {@code null}. */
    public Route lookupLocal(int daddr) {
        if (localCached && localDaddr == daddr) {
            return localRoute;
        }
        Route r = localIndex.longestMatch(daddr);
        localDaddr = daddr;
        localRoute = r;
        localCached = true;
        return r;
    }

    /** The main table's longest prefix match for {@code daddr}, smallest metric first, or {@code null}. */
    public Route lookupMain(int daddr) {
        return mainIndex.longestMatch(daddr);
    }

    /** True when {@code daddr} is one of this host's addresses (a local route, type {@code local}). */
    public boolean isLocal(int daddr) {
        Route r = localIndex.longestMatch(daddr);
        return r != null && r.type() == Route.RouteType.LOCAL;
    }

    /**
     * True when {@code daddr} is a broadcast address for this host: the limited broadcast
     * 255.255.255.255 or a connected network's directed broadcast.
     */
    public boolean isBroadcast(int daddr) {
        if (daddr == Inet.INADDR_BROADCAST) {
            return true;
        }
        Route r = localIndex.longestMatch(daddr);
        return r != null && r.type() == Route.RouteType.BROADCAST;
    }

    /** The main table's routes in dump order. */
    public List<Route> routes() {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(main)));
    }

    /** The local table's routes in dump order. */
    public List<Route> localRoutes() {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(local)));
    }

    /** The main table as {@code ip route} prints it, one route a line. */
    public String show() {
        return print(main);
    }

    /** The local table as {@code ip route show table local} prints it. */
    public String showLocal() {
        return print(local);
    }

    @Override
    public String toString() {
        return show();
    }

    private static String print(Route[] table) {
        StringBuilder sb = new StringBuilder();
        for (Route r : table) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }
}
