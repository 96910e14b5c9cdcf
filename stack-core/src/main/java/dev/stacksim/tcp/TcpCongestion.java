package dev.stacksim.tcp;

import dev.stacksim.host.Sysctl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A host's congestion controls ({@code tcp_cong.c}'s list of {@code tcp_congestion_ops}) and the
 * loss-recovery sysctls TCP reads per ACK. Reno and CUBIC are built in; CUBIC is the default,
 * as in Linux. {@code sysctl net.ipv4.tcp_available_congestion_control} lists what is registered.
 */
public final class TcpCongestion {
    private final Map<String, Supplier<? extends TcpCongestionOps>> algorithms = new LinkedHashMap<>();
    private final Sysctl.Entry available;
    private final Sysctl.Entry defaultName;
    final Sysctl.Entry recovery;
    final Sysctl.Entry earlyRetrans;
    final Sysctl.Entry frto;
    final Sysctl.Entry reordering;
    final Sysctl.Entry maxReordering;
    final Sysctl.Entry minRttWlen;
    final Sysctl.Entry slowStartAfterIdle;
    final Sysctl.Entry limitOutputBytes;

    TcpCongestion(Sysctl sysctl) {
        this.available = sysctl.entry("net.ipv4.tcp_available_congestion_control");
        this.defaultName = sysctl.entry("net.ipv4.tcp_congestion_control");
        this.recovery = sysctl.entry("net.ipv4.tcp_recovery");
        this.earlyRetrans = sysctl.entry("net.ipv4.tcp_early_retrans");
        this.frto = sysctl.entry("net.ipv4.tcp_frto");
        this.reordering = sysctl.entry("net.ipv4.tcp_reordering");
        this.maxReordering = sysctl.entry("net.ipv4.tcp_max_reordering");
        this.minRttWlen = sysctl.entry("net.ipv4.tcp_min_rtt_wlen");
        this.slowStartAfterIdle = sysctl.entry("net.ipv4.tcp_slow_start_after_idle");
        this.limitOutputBytes = sysctl.entry("net.ipv4.tcp_limit_output_bytes");
        defaultName.setStringCheck(name -> {
            if (!algorithms.containsKey(name)) {
                // tcp_set_default_congestion_control: ENOENT
                throw new IllegalArgumentException("sysctl: setting key \"net.ipv4.tcp_congestion_control\": No such file or directory");
            }
            return name;
        });
        register(TcpReno.NAME, TcpReno::new);
        register(TcpCubic.NAME, TcpCubic::new);
    }

    /**
     * Makes an algorithm available under {@code name} ({@code tcp_register_congestion_control});
     * {@code factory} makes one instance per socket.
     *
     * @throws IllegalArgumentException when the name is taken or longer than 15 characters
     *         ({@code TCP_CA_NAME_MAX}), as Linux answers EEXIST or refuses it
     */
    public void register(String name, Supplier<? extends TcpCongestionOps> factory) {
        if (name.isEmpty() || name.length() >= 16) {
            throw new IllegalArgumentException("congestion control name must be 1..15 characters: \"" + name + "\"");
        }
        if (algorithms.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("congestion control \"" + name + "\" already registered (EEXIST)");
        }
        available.setStringValue(String.join(" ", algorithms.keySet()));
    }

    /** The names registered, as {@code tcp_available_congestion_control} lists them. */
    public String available() {
        return available.stringValue();
    }

    /** A new instance of the named algorithm, or null when there is none (TCP_CONGESTION: ENOENT). */
    TcpCongestionOps create(String name) {
        Supplier<? extends TcpCongestionOps> f = algorithms.get(name);
        return f == null ? null : f.get();
    }

    /** A new instance of {@code net.ipv4.tcp_congestion_control}. */
    TcpCongestionOps createDefault() {
        TcpCongestionOps ops = create(defaultName.stringValue());
        return ops != null ? ops : new TcpReno();
    }

    /** RACK loss detection is on ({@code tcp_is_rack}: {@code tcp_recovery & TCP_RACK_LOSS_DETECTION}). */
    boolean rack() {
        return (recovery.intValue() & 1) != 0;
    }

    /** The duplicate-ACK threshold rule may start a recovery under RACK ({@code !TCP_RACK_NO_DUPTHRESH}). */
    boolean rackDupthresh() {
        return (recovery.intValue() & 4) == 0;
    }

    /** The RACK reordering window adapts to D-SACKs ({@code !TCP_RACK_STATIC_REO_WND}). */
    boolean rackDynamicReoWnd() {
        return (recovery.intValue() & 2) == 0;
    }
}
