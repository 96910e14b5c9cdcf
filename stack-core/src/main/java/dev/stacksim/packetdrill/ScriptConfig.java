package dev.stacksim.packetdrill;

import dev.stacksim.wire.Ipv4Address;

import java.util.List;

/**
 * The runner's settings, with packetdrill's defaults ({@code set_default_config} in
 * {@code config.c}) and the same {@code --name=value} options, which a script may give at its top:
 *
 * <table>
 *   <caption>options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code --tolerance_usecs}</td><td>4000</td><td>timing slack</td></tr>
 *   <tr><td>{@code --tolerance_percent}</td><td>12.5</td><td>slack growing with the wait since the previous event</td></tr>
 *   <tr><td>{@code --local_ip}</td><td>192.168.0.1</td><td>the host's address on tun0 (a /16)</td></tr>
 *   <tr><td>{@code --remote_ip}</td><td>192.0.2.1</td><td>the script's end (TEST-NET-1, routed /24 via tun0)</td></tr>
 *   <tr><td>{@code --bind_port}</td><td>8080</td><td>what {@code bind(fd, ..., ...)} binds</td></tr>
 *   <tr><td>{@code --connect_port}</td><td>8080</td><td>what {@code connect(fd, ..., ...)} connects to</td></tr>
 *   <tr><td>{@code --mtu}</td><td>1500</td><td>tun0's MTU</td></tr>
 *   <tr><td>{@code --tcp_ts_tick_usecs}</td><td>0</td><td>check outbound TS val at this tick (0: not checked)</td></tr>
 *   <tr><td>{@code --strict_segments}</td><td>off</td><td>do not merge consecutive outbound segments to match a longer line</td></tr>
 *   <tr><td>{@code --ip_version}</td><td>ipv4</td><td>only {@code ipv4} is supported</td></tr>
 * </table>
 *
 * <p>packetdrill picks a random local address in 192.168.0.0/16 (its gateway is .1); the simulator
 * has no gateway and no randomness outside its seed, so the local address is fixed. A simulator
 * addition: the runner fails a script that leaves an outbound packet unexpected before its last
 * event ({@link #checkUnexpectedPackets()}), which packetdrill ignores.
 *
 * @param toleranceUsecs         {@code --tolerance_usecs}
 * @param tolerancePercent       {@code --tolerance_percent}
 * @param localIp                {@code --local_ip}
 * @param remoteIp               {@code --remote_ip}
 * @param bindPort               {@code --bind_port}
 * @param connectPort            {@code --connect_port}
 * @param mtu                    {@code --mtu}
 * @param tcpTsTickUsecs         {@code --tcp_ts_tick_usecs}
 * @param strictSegments         {@code --strict_segments}
 * @param checkUnexpectedPackets fail on an outbound packet nobody expected before the last event
 * @param seed                   the simulation's seed (ISNs, ephemeral ports, the remote port)
 */
public record ScriptConfig(long toleranceUsecs, double tolerancePercent, Ipv4Address localIp, Ipv4Address remoteIp,
                           int bindPort, int connectPort, int mtu, int tcpTsTickUsecs, boolean strictSegments,
                           boolean checkUnexpectedPackets, long seed) {
    /** packetdrill's defaults, seed 1. */
    public static ScriptConfig defaults() {
        return new ScriptConfig(4000, 12.5, Ipv4Address.parse("192.168.0.1"), Ipv4Address.parse("192.0.2.1"), 8080,
                8080, 1500, 0, false, true, 1);
    }

    /** This configuration with another seed. */
    public ScriptConfig withSeed(long s) {
        return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, bindPort, connectPort, mtu,
                tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, s);
    }

    /**
     * This configuration with a script's options applied.
     *
     * @throws ScriptParseException naming the line of an unknown option or a bad value (packetdrill
     *         refuses those too)
     */
    public ScriptConfig with(String file, List<Script.Option> options) {
        ScriptConfig c = this;
        for (Script.Option o : options) {
            c = c.with(file, o);
        }
        return c;
    }

    private ScriptConfig with(String file, Script.Option o) {
        String v = o.value();
        try {
            switch (o.name()) {
                case "tolerance_usecs":
                    return new ScriptConfig(Long.parseLong(need(v)), tolerancePercent, localIp, remoteIp, bindPort,
                            connectPort, mtu, tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "tolerance_percent":
                    return new ScriptConfig(toleranceUsecs, Double.parseDouble(need(v)), localIp, remoteIp, bindPort,
                            connectPort, mtu, tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "local_ip":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, Ipv4Address.parse(need(v)), remoteIp,
                            bindPort, connectPort, mtu, tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "remote_ip":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, Ipv4Address.parse(need(v)),
                            bindPort, connectPort, mtu, tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "bind_port":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, port(v), connectPort,
                            mtu, tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "connect_port":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, bindPort, port(v), mtu,
                            tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "mtu":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, bindPort, connectPort,
                            Integer.parseInt(need(v)), tcpTsTickUsecs, strictSegments, checkUnexpectedPackets, seed);
                case "tcp_ts_tick_usecs":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, bindPort, connectPort,
                            mtu, Integer.parseInt(need(v)), strictSegments, checkUnexpectedPackets, seed);
                case "strict_segments":
                    return new ScriptConfig(toleranceUsecs, tolerancePercent, localIp, remoteIp, bindPort, connectPort,
                            mtu, tcpTsTickUsecs, true, checkUnexpectedPackets, seed);
                case "ip_version":
                    if (!"ipv4".equals(v)) {
                        throw new IllegalArgumentException("only ipv4 is supported");
                    }
                    return this;
                case "verbose":
                case "v":
                    return this;
                default:
                    throw new ScriptParseException(file, o.line(), 1, "unsupported option --" + o.name());
            }
        } catch (IllegalArgumentException e) {
            throw new ScriptParseException(file, o.line(), 1, "bad --" + o.name() + ": " + v + " ("
                    + e.getMessage() + ")");
        }
    }

    private static String need(String v) {
        if (v == null) {
            throw new IllegalArgumentException("a value is required");
        }
        return v;
    }

    private static int port(String v) {
        int p = Integer.parseInt(need(v));
        if (p < 0 || p > 0xFFFF) {
            throw new IllegalArgumentException("not a port");
        }
        return p;
    }
}
