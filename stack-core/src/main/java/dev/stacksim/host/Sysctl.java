package dev.stacksim.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A host's kernel parameters by their Linux names: what {@code sysctl(8)} reads and writes under
 * {@code /proc/sys/net}. Each parameter has the Linux default, a valid range, and a one-line note
 * of what it governs.
 *
 * <pre>{@code
 * host.sysctl().set("net.ipv4.ip_forward", 1);               // sysctl -w net.ipv4.ip_forward=1
 * host.sysctl().set("net.ipv4.ip_local_port_range", "40000 40999");
 * int ttl = host.sysctl().getInt("net.ipv4.ip_default_ttl"); // 64
 * System.out.print(host.sysctl().list());                    // sysctl -a
 * }</pre>
 *
 * <p>Values are ints or fixed-length int tuples ({@code tcp_rmem} is three), as
 * {@code proc_dointvec} parses them; tuples print tab-separated, as {@code sysctl} shows them:
 * {@code net.ipv4.tcp_rmem = 4096	131072	6291456}. Writing a value outside the range throws
 * {@link IllegalArgumentException} naming the parameter and the range, where Linux answers
 * {@code EINVAL}; nothing is changed then.
 *
 * <p>Protocol code that reads a parameter per packet keeps its {@link Entry} (looked up once) and
 * reads {@link Entry#intValue()}: no map lookup, no allocation.
 *
 * <p>Only the {@code default} neighbour parameters exist ({@code net.ipv4.neigh.default.*}); Linux's
 * per-device copies ({@code net.ipv4.neigh.eth0.*}, {@code net.ipv4.conf.eth0.*}) are not modelled.
 */
public final class Sysctl {
    /** One parameter: its name, range, default and current value. */
    public static final class Entry {
        private final String name;
        private final String doc;
        private final int[] defaults;
        private final int min;
        private final int max;
        private final boolean ordered;
        private final int[] value;
        /** The value of a string parameter ({@code tcp_congestion_control}); null for int ones. */
        private String string;
        private final String stringDefault;
        /** Accepts or refuses a new string value (throws IllegalArgumentException); null: read-only. */
        private java.util.function.UnaryOperator<String> stringCheck;

        Entry(String name, String doc, String def) {
            this.name = name;
            this.doc = doc;
            this.min = 0;
            this.max = 0;
            this.ordered = false;
            this.defaults = new int[0];
            this.value = new int[0];
            this.string = def;
            this.stringDefault = def;
        }

        Entry(String name, String doc, int min, int max, boolean ordered, int... defaults) {
            this.name = name;
            this.doc = doc;
            this.min = min;
            this.max = max;
            this.ordered = ordered;
            this.defaults = defaults.clone();
            this.value = defaults.clone();
            this.stringDefault = null;
        }

        /** True for a parameter whose value is a word ({@code net.ipv4.tcp_congestion_control}). */
        public boolean isString() {
            return stringDefault != null;
        }

        /** The value of a string parameter. */
        public String stringValue() {
            return string;
        }

        /**
         * Who owns a string parameter says which values it takes: {@code check} returns the value to
         * store, or throws {@link IllegalArgumentException} with Linux's complaint. Without a check
         * the parameter is read-only (its owner may still {@link #setStringValue}).
         */
        public void setStringCheck(java.util.function.UnaryOperator<String> check) {
            this.stringCheck = check;
        }

        /** Sets a string parameter's value without checks (the owner's use: the list it publishes). */
        public void setStringValue(String v) {
            this.string = v;
        }

        /** The Linux name, {@code net.ipv4.ip_forward}. */
        public String name() {
            return name;
        }

        /** What the parameter governs, and where it differs from Linux if it does. */
        public String doc() {
            return doc;
        }

        /** The value of a single-int parameter, or the first of a tuple. */
        public int intValue() {
            return value[0];
        }

        /** Element {@code i} of a tuple ({@code tcp_rmem}: 0 min, 1 default, 2 max). */
        public int intValue(int i) {
            return value[i];
        }

        /** How many ints the value has: 1, or the tuple's length. */
        public int size() {
            return value.length;
        }

        /** A copy of the current value. */
        public int[] values() {
            return value.clone();
        }

        /** A copy of the Linux default. */
        public int[] defaults() {
            return defaults.clone();
        }

        /** The smallest value each element may take. */
        public int min() {
            return min;
        }

        /** The largest value each element may take. */
        public int max() {
            return max;
        }

        /** The value as {@code sysctl} prints it: tuple elements separated by tabs. */
        public String text() {
            if (stringDefault != null) {
                return string;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < value.length; i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                sb.append(value[i]);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return name + " = " + text();
        }
    }

    /**
     * Told about every change of a parameter's value: how the layers that copy a value (the socket
     * layer's limits) follow {@code sysctl -w}. Code that reads an {@link Entry} directly needs none.
     */
    @FunctionalInterface
    public interface Listener {
        /** {@code entry} has just been set (also when set to the value it had). */
        void changed(Entry entry);
    }

    private static final int INT_MAX = Integer.MAX_VALUE;

    private final List<Listener> listeners = new ArrayList<>(2);

    /** Sorted by name, so that {@link #list()} prints in {@code sysctl -a} order. */
    private final Map<String, Entry> entries = new TreeMap<>();

    /** The parameters with their Linux defaults. */
    public Sysctl() {
        // net.core
        add("net.core.rmem_default", "default SO_RCVBUF of a new socket", 2304, INT_MAX, 212992);
        add("net.core.rmem_max", "largest SO_RCVBUF setsockopt may ask for", 2304, INT_MAX, 212992);
        add("net.core.somaxconn", "listen() clamps its backlog to this (128 before Linux 5.4)", 0, INT_MAX, 4096);
        add("net.core.wmem_default", "default SO_SNDBUF of a new socket", 4608, INT_MAX, 212992);
        add("net.core.wmem_max", "largest SO_SNDBUF setsockopt may ask for", 4608, INT_MAX, 212992);
        // net.ipv4: IP
        add("net.ipv4.ip_default_ttl", "TTL of datagrams this host originates", 1, 255, 64);
        add("net.ipv4.ip_forward", "1: forward datagrams not addressed to this host (a router)", 0, 1, 0);
        addTuple("net.ipv4.ip_local_port_range", "ephemeral ports for connect() and autobind: low high;"
                + " low may not be below ip_unprivileged_port_start", 1, 65535, true, 32768, 60999);
        add("net.ipv4.ip_unprivileged_port_start", "ports below need uid 0 (CAP_NET_BIND_SERVICE) to bind;"
                + " may not exceed the low end of ip_local_port_range", 0, 65535, 1024);
        add("net.ipv4.ipfrag_high_thresh", "bytes (truesize) of fragments queued for reassembly before new"
                + " fragments are dropped", 0, INT_MAX, 4194304);
        add("net.ipv4.ipfrag_low_thresh", "kept for Linux's name; reassembly here only uses the high"
                + " threshold, as Linux since 4.17", 0, INT_MAX, 3145728);
        add("net.ipv4.ipfrag_time", "seconds a datagram may take to reassemble", 0, INT_MAX, 30);
        // net.ipv4: ICMP
        add("net.ipv4.icmp_echo_ignore_all", "1: answer no echo request", 0, 1, 0);
        add("net.ipv4.icmp_echo_ignore_broadcasts", "1: answer no echo request sent to a broadcast address",
                0, 1, 1);
        add("net.ipv4.icmp_ratelimit", "milliseconds between ICMP errors of a ratemask type to one"
                + " destination (a burst of 6 allowed)", 0, INT_MAX, 1000);
        add("net.ipv4.icmp_ratemask", "bit n set: ICMP type n is rate limited (default: 3, 4, 11, 12)",
                0, INT_MAX, 6168);
        // net.ipv4.neigh.default: ARP
        String neigh = "net.ipv4.neigh.default.";
        add(neigh + "app_solicit", "probes to a user-space helper (none here; kept for the probe count)", 0,
                INT_MAX, 0);
        add(neigh + "base_reachable_time_ms", "an entry stays REACHABLE a random 0.5x..1.5x of this after a"
                + " confirmation", 1, INT_MAX, 30000);
        add(neigh + "delay_first_probe_time", "seconds in DELAY before unicast probing a STALE entry in use",
                0, INT_MAX, 5);
        add(neigh + "gc_stale_time", "seconds an unused STALE or FAILED entry survives garbage collection",
                0, INT_MAX, 60);
        add(neigh + "gc_interval", "kept for Linux's name: read by nothing, as in Linux (the periodic"
                + " collection runs every base_reachable_time_ms/2)", 0, INT_MAX, 30);
        add(neigh + "gc_thresh1", "no periodic garbage collection while the table has fewer entries", 0,
                INT_MAX, 128);
        add(neigh + "gc_thresh2", "soft table limit: creating an entry beyond it forces a collection, at"
                + " most once per 5 s", 0, INT_MAX, 512);
        add(neigh + "gc_thresh3", "hard table limit: creating an entry beyond it forces a collection, and"
                + " is refused if nothing could be collected", 0, INT_MAX, 1024);
        add(neigh + "locktime", "centiseconds after an update during which a different ARP answer is"
                + " ignored", 0, INT_MAX, 100);
        add(neigh + "mcast_resolicit", "broadcast probes after the unicast ones in PROBE", 0, INT_MAX, 0);
        add(neigh + "mcast_solicit", "broadcast ARP requests before resolution fails", 0, INT_MAX, 3);
        add(neigh + "retrans_time_ms", "milliseconds between ARP probes", 10, INT_MAX, 1000);
        add(neigh + "ucast_solicit", "unicast probes of an entry in PROBE before it fails", 0, INT_MAX, 3);
        add(neigh + "unres_qlen_bytes", "bytes (truesize) queued on an unresolved entry; the oldest are"
                + " dropped beyond", 0, INT_MAX, 212992);
        // net.ipv4: TCP (read by the TCP layer)
        add("net.ipv4.tcp_abort_on_overflow", "1: answer RST when the accept queue is full at the final ACK",
                0, 1, 0);
        add("net.ipv4.tcp_fin_timeout", "seconds an orphaned FIN_WAIT2 socket waits", 0, INT_MAX, 60);
        add("net.ipv4.tcp_max_syn_backlog", "SYN queue slots without syncookies; Linux's default is"
                + " max(128, ehash buckets / 128), 2048 on a typical machine", 0, INT_MAX, 2048);
        addTuple("net.ipv4.tcp_rmem", "receive buffer: min default max", 1, INT_MAX, false, 4096, 131072, 6291456);
        add("net.ipv4.tcp_syn_retries", "SYN retransmissions before connect() fails", 1, 127, 6);
        add("net.ipv4.tcp_synack_retries", "SYN-ACK retransmissions before a request is dropped", 0, 255, 5);
        add("net.ipv4.tcp_syncookies", "0 never, 1 when the SYN queue overflows, 2 always", 0, 2, 1);
        add("net.ipv4.tcp_syn_linear_timeouts", "SYN retransmissions at a fixed 1 s before the timeout"
                + " doubles (Linux 6.5+)", 0, 127, 4);
        add("net.ipv4.tcp_timestamps", "0 off, 1 on with a random offset per connection, 2 on without",
                0, 2, 1);
        add("net.ipv4.tcp_sack", "1: offer and accept SACK (RFC 2018)", 0, 1, 1);
        add("net.ipv4.tcp_window_scaling", "1: offer and accept window scaling (RFC 7323)", 0, 1, 1);
        add("net.ipv4.tcp_retries1", "retransmissions before the route is suspected", 0, 255, 3);
        add("net.ipv4.tcp_retries2", "retransmissions (as a time budget) before an established connection"
                + " times out", 0, 255, 15);
        add("net.ipv4.tcp_orphan_retries", "retransmissions of a closed (orphaned) socket; 0 means 8",
                0, 255, 0);
        add("net.ipv4.tcp_keepalive_time", "seconds of idleness before the first keepalive probe", 1,
                INT_MAX, 7200);
        add("net.ipv4.tcp_keepalive_intvl", "seconds between keepalive probes", 1, INT_MAX, 75);
        add("net.ipv4.tcp_keepalive_probes", "unanswered keepalive probes before the connection dies",
                1, 127, 9);
        add("net.ipv4.tcp_rfc1337", "1: a RST in TIME_WAIT does not end it early (RFC 1337)", 0, 1, 0);
        addString("net.ipv4.tcp_available_congestion_control", "the congestion controls TCP has (read-only)",
                "reno cubic");
        addString("net.ipv4.tcp_congestion_control", "the congestion control of new connections"
                + " (TCP_CONGESTION overrides it per socket)", "cubic");
        add("net.ipv4.tcp_early_retrans", "tail loss probes: 3 (Linux's default) on, 0 off", 0, 4, 3);
        add("net.ipv4.tcp_frto", "F-RTO (RFC 5682) after a retransmission timeout: 2 SACK-enhanced, 0 off",
                0, 2, 2);
        add("net.ipv4.tcp_limit_output_bytes", "TCP Small Queues: bytes of one socket allowed in the qdisc and"
                + " device rings at once (at least two skbs, and about 1 ms at the pacing rate)", 0, INT_MAX,
                1048576);
        add("net.ipv4.tcp_max_reordering", "largest reordering degree TCP learns", 1, INT_MAX, 300);
        add("net.ipv4.tcp_min_rtt_wlen", "seconds over which the minimum RTT is tracked", 0, 86400, 300);
        add("net.ipv4.tcp_recovery", "loss detection: 1 RACK (RFC 8985) on top of SACK, 0 classic"
                + " duplicate-ACK threshold only", 0, 7, 1);
        add("net.ipv4.tcp_reordering", "initial reordering degree: the duplicate-ACK threshold", 1, INT_MAX, 3);
        add("net.ipv4.tcp_slow_start_after_idle", "1: an idle connection restarts from the initial window",
                0, 1, 1);
        add("net.ipv4.tcp_challenge_ack_limit", "challenge ACKs per second for the whole host"
                + " (INT_MAX: only the per-socket limit applies, Linux 6.0+)", 0, INT_MAX, INT_MAX);
        add("net.ipv4.tcp_invalid_ratelimit", "milliseconds between duplicate ACKs answering invalid"
                + " segments of one socket", 0, INT_MAX, 500);
        add("net.ipv4.tcp_tw_reuse", "0 never, 1 reuse TIME_WAIT ports for connect(), 2 only over"
                + " loopback", 0, 2, 2);
        add("net.ipv4.tcp_shrink_window", "1: the advertised window may shrink (with window scaling)",
                0, 1, 0);
        addTuple("net.ipv4.tcp_wmem", "send buffer: min default max", 1, INT_MAX, false, 4096, 16384, 4194304);
        // net.unix
        add("net.unix.max_dgram_qlen", "datagrams an AF_UNIX socket may have queued from senders it is not"
                + " connected to", 0, INT_MAX, 10);
    }

    /** Adds a listener, told after every successful {@link #set} and for each parameter on {@link #reset}. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * The parameter named {@code name}, for code that reads it often.
     *
     * @throws IllegalArgumentException when there is no such parameter
     */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("sysctl: cannot stat /proc/sys/" + name.replace('.', '/')
                    + ": No such file or directory");
        }
        return e;
    }

    /** True when a parameter of that name exists. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Every parameter name, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The value of a single-int parameter (the first element of a tuple). */
    public int getInt(String name) {
        return entry(name).intValue();
    }

    /** A copy of a parameter's value: one int, or the tuple. */
    public int[] getInts(String name) {
        return entry(name).values();
    }

    /** The value as {@code sysctl -n} prints it. */
    public String text(String name) {
        return entry(name).text();
    }

    /**
     * Sets a parameter ({@code sysctl -w name=v1 v2 ...}); a tuple takes all its elements.
     *
     * @throws IllegalArgumentException for an unknown name, a wrong element count, or a value out of
     *         range, naming the parameter and the range; the value is then unchanged
     */
    public void set(String name, int... values) {
        Entry e = entry(name);
        if (e.isString()) {
            throw invalid(e, Arrays.toString(values), "takes a name");
        }
        if (values.length != e.value.length) {
            throw invalid(e, Arrays.toString(values), "takes " + e.value.length + " value(s)");
        }
        for (int v : values) {
            if (v < e.min || v > e.max) {
                throw invalid(e, text(values), "range " + e.min + ".." + e.max);
            }
        }
        if (e.ordered && values[0] > values[values.length - 1]) {
            throw invalid(e, text(values), "needs low <= high");
        }
        checkCross(e, values);
        System.arraycopy(values, 0, e.value, 0, values.length);
        fire(e);
    }

    /**
     * Sets a parameter from text as {@code sysctl -w} takes it: one int, or a tuple separated by
     * spaces or tabs ({@code "32768 60999"}).
     *
     * @throws IllegalArgumentException as {@link #set(String, int...)}, or when the text is not ints
     */
    public void set(String name, String text) {
        Entry e = entry(name);
        if (e.isString()) {
            if (e.stringCheck == null) {
                throw new IllegalArgumentException("sysctl: permission denied on key \"" + name + "\"");
            }
            e.string = e.stringCheck.apply(text.trim());
            fire(e);
            return;
        }
        String[] parts = text.trim().split("\\s+");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException ex) {
                throw invalid(e, text, "not an integer: \"" + parts[i] + "\"");
            }
        }
        set(name, values);
    }

    /** Restores every parameter to its Linux default. */
    public void reset() {
        for (Entry e : entries.values()) {
            System.arraycopy(e.defaults, 0, e.value, 0, e.value.length);
            if (e.isString() && e.stringCheck != null) {
                e.string = e.stringDefault;
            }
        }
        for (Entry e : entries.values()) {
            fire(e);
        }
    }

    /** Every parameter as {@code sysctl -a} prints it, sorted: {@code net.ipv4.ip_forward = 0}. */
    public String list() {
        return list("");
    }

    /** The parameters whose names start with {@code prefix}, as {@code sysctl -a | grep ^prefix}. */
    public String list(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries.values()) {
            if (e.name.startsWith(prefix)) {
                sb.append(e.name).append(" = ").append(e.text()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Sysctl[" + entries.size() + " parameters]";
    }

    // ---------------------------------------------------------------- internals

    private void add(String name, String doc, int min, int max, int def) {
        entries.put(name, new Entry(name, doc, min, max, false, def));
    }

    private void addString(String name, String doc, String def) {
        entries.put(name, new Entry(name, doc, def));
    }

    private void addTuple(String name, String doc, int min, int max, boolean ordered, int... defs) {
        entries.put(name, new Entry(name, doc, min, max, ordered, defs));
    }

    private void fire(Entry e) {
        for (Listener l : listeners) {
            l.changed(e);
        }
    }

    /**
     * Linux bounds each of the two fragment thresholds by the other ({@code extra1}/{@code extra2}),
     * and keeps the ephemeral range clear of the privileged ports ({@code ipv4_local_port_range},
     * {@code ipv4_privileged_ports}; both observed on 6.18: EINVAL).
     */
    private void checkCross(Entry e, int[] values) {
        if (e.name.equals("net.ipv4.ip_local_port_range")) {
            int start = getInt("net.ipv4.ip_unprivileged_port_start");
            if (values[0] < start) {
                throw invalid(e, text(values), "low end below ip_unprivileged_port_start=" + start);
            }
        } else if (e.name.equals("net.ipv4.ip_unprivileged_port_start")) {
            int low = getInt("net.ipv4.ip_local_port_range");
            if (values[0] > low) {
                throw invalid(e, text(values), "above the low end of ip_local_port_range=" + low);
            }
        }
        if (e.name.equals("net.ipv4.ipfrag_high_thresh")) {
            int low = getInt("net.ipv4.ipfrag_low_thresh");
            if (values[0] < low) {
                throw invalid(e, text(values), "range " + low + " (ipfrag_low_thresh).." + e.max);
            }
        } else if (e.name.equals("net.ipv4.ipfrag_low_thresh")) {
            int high = getInt("net.ipv4.ipfrag_high_thresh");
            if (values[0] > high) {
                throw invalid(e, text(values), "range " + e.min + ".." + high + " (ipfrag_high_thresh)");
            }
        }
    }

    private static String text(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i > 0 ? " " : "").append(values[i]);
        }
        return sb.toString();
    }

    private static IllegalArgumentException invalid(Entry e, String value, String why) {
        return new IllegalArgumentException("sysctl: setting key \"" + e.name + "\": Invalid argument (value="
                + value + ", " + why + ")");
    }
}
