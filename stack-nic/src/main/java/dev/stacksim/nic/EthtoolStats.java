package dev.stacksim.nic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a NIC's driver statistics as {@code ethtool -S eth0} shows them: an ordered list
 * of {@code name=value} pairs whose names and order are the driver's own
 * ({@code ETHTOOL_GSTRINGS}/{@code ETHTOOL_GSTATS}), here those of {@link SimNic}.
 *
 * <p>Where {@code ip -s link} prints the generic {@code rtnl_link_stats64} counters
 * ({@link dev.stacksim.dev.DeviceStats}), {@code ethtool -S} prints whatever the driver counts:
 * per-queue packets and bytes, {@code rx_missed_errors}, {@code tx_restart_queue} …; the first
 * place to look when a NIC drops frames.
 *
 * <pre>
 * NIC statistics:
 *      rx_packets: 12
 *      tx_packets: 12
 *      ...
 * </pre>
 *
 * A snapshot: later traffic does not change it. Building one allocates; it is for diagnostics, not
 * the packet path.
 */
public final class EthtoolStats {
    private final Map<String, Long> values;

    /** A snapshot of {@code values}, kept in their iteration order. */
    EthtoolStats(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of the counter {@code name}.
     *
     * @throws IllegalArgumentException when the driver has no counter of that name
     */
    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("ethtool -S: no counter name=" + name + " (have " + values.keySet() + ")");
        }
        return v;
    }

    /** Whether the driver has a counter named {@code name}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The counter names, in the driver's order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** The counters as an unmodifiable map in the driver's order. */
    public Map<String, Long> asMap() {
        return values;
    }

    /**
     * The text {@code ethtool -S} prints: {@code "NIC statistics:"}, then one line per counter, indented
     * by five spaces ({@code "     rx_packets: 12"}), each ending in a newline.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NIC statistics:\n");
        for (Map.Entry<String, Long> e : values.entrySet()) {
            sb.append("     ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
