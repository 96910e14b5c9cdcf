package dev.stacksim.diag;

import dev.stacksim.host.Host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * iproute2's {@code nstat} (6.1, {@code misc/nstat.c}): the SNMP counters of {@code /proc/net/snmp}
 * and {@code /proc/net/netstat} as one {@code GroupName} per line ({@code TcpExtListenOverflows}),
 * and, like the real one with its history file, only what changed since the previous call.
 *
 * <pre>
 * #kernel
 * IpInReceives                    4                  0.0
 * TcpActiveOpens                  1                  0.0
 * TcpExtListenOverflows           3                  0.0
 * </pre>
 *
 * <ul>
 *   <li>each line {@code "%-32s%-16llu%6.1f"}: name, value, rate (always 0.0: there is no
 *       {@code nstat -d} daemon measuring rates);</li>
 *   <li>the {@code /proc/net/snmp} counters first, then {@code /proc/net/netstat}'s (nstat loads
 *       netstat, snmp6, snmp, each in front of the previous), each file in its own order;</li>
 *   <li>left out as "useless" by nstat: {@code IpForwarding}, {@code IpDefaultTTL},
 *       {@code TcpRtoAlgorithm}, {@code TcpRtoMin}, {@code TcpRtoMax}, {@code TcpMaxConn},
 *       {@code TcpCurrEstab};</li>
 *   <li>zero values are skipped unless {@code -z}.</li>
 * </ul>
 * Options: {@code -a} absolute values (ignore the history; it is still updated), {@code -z}
 * zeros too, {@code -n} update the history and print nothing, {@code -r} reset the history
 * first; other words are patterns ({@code TcpExt*}, case-insensitive, {@code *} and {@code ?}).
 * One instance keeps one history (per host: {@link HostViews#nstat}).
 */
public final class Nstat {
    private static final List<String> USELESS = List.of("IpForwarding", "IpDefaultTTL", "TcpRtoAlgorithm",
            "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab");

    private final Host host;
    /** The values saved by the previous call ({@code /tmp/.nstat.u<uid>}), or null. */
    private Map<String, Long> history;

    /** nstat on {@code host}, with no history yet. */
    public Nstat(Host host) {
        this.host = host;
    }

    /** {@code nstat} with {@code flags} ({@code "-az"}, {@code "-a TcpExt*"}). */
    public String render(String flags) {
        boolean absolute = false;
        boolean zeros = false;
        boolean noOutput = false;
        List<Pattern> patterns = new ArrayList<>();
        String s = flags == null ? "" : flags.trim();
        for (String arg : s.isEmpty() ? new String[0] : s.split("\\s+")) {
            if (!arg.startsWith("-")) {
                patterns.add(glob(arg));
                continue;
            }
            for (char c : arg.substring(1).toCharArray()) {
                switch (c) {
                    case 'a' -> absolute = true;
                    case 'z' -> zeros = true;
                    case 'n' -> noOutput = true;
                    case 'r' -> history = null;
                    default -> throw new IllegalArgumentException("nstat: invalid option -- '" + c + "'");
                }
            }
        }
        List<String> ids = new ArrayList<>();
        Map<String, Long> kern = new HashMap<>();
        load(host.procNetSnmp(), ids, kern);
        load(host.procNetNetstat(), ids, kern);
        StringBuilder sb = new StringBuilder("#kernel\n");
        boolean incremental = !absolute && history != null;
        for (String id : ids) {
            long val = kern.get(id);
            String suffix = "";
            if (incremental) {
                Long h = history.get(id);
                if (h != null) {
                    if (Long.compareUnsigned(val, h) < 0) {
                        suffix = " (overflow)";
                        val = h;
                    }
                    val -= h;
                }
            }
            if ((!zeros && val == 0) || !matches(patterns, id)) {
                continue;
            }
            sb.append(String.format("%-32s%-16s%6s%s\n", id, Long.toUnsignedString(val), "0.0", suffix));
        }
        Map<String, Long> next = new HashMap<>();
        for (String id : ids) {
            Long old = history == null ? null : history.get(id);
            next.put(id, !matches(patterns, id) && old != null ? old : kern.get(id));
        }
        history = next;
        return noOutput ? "" : sb.toString();
    }

    /** {@code load_ugly_table}: pairs of lines {@code Group: Name ...} / {@code Group: value ...}. */
    private static void load(String file, List<String> ids, Map<String, Long> kern) {
        String[] lines = file.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            String group = names[0].substring(0, names[0].length() - 1);
            for (int k = 1; k < names.length && k < values.length; k++) {
                String id = group + names[k];
                if (USELESS.contains(id)) {
                    continue;
                }
                ids.add(id);
                kern.put(id, Long.parseLong(values[k]));
            }
        }
    }

    private static boolean matches(List<Pattern> patterns, String id) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (Pattern p : patterns) {
            if (p.matcher(id).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code fnmatch(pattern, id, FNM_CASEFOLD)} for {@code *} and {@code ?}. */
    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
