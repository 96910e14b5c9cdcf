package dev.stacksim.packetdrill;

import dev.stacksim.host.Sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a script's backquoted shell lines against the simulated host. Only what changes kernel
 * parameters is understood:
 * <pre>
 *   `sysctl -q net.ipv4.tcp_syncookies=2`
 *   `sysctl -w net.ipv4.tcp_rmem="4096 131072 6291456" net.core.somaxconn=128`
 *   `echo 1 &gt; /proc/sys/net/ipv4/tcp_abort_on_overflow`
 * </pre>
 * Several commands may be joined with {@code ;}, {@code &&} or newlines. Any other command is an
 * error (the simulator has no shell), and so is a parameter the simulated kernel does not have, as
 * {@code sysctl} itself would say: {@code sysctl: cannot stat /proc/sys/net/ipv4/tcp_foo: No such
 * file or directory}.
 * <p>
 * A few Linux parameters tune machinery the simulator does not have; setting one of them to the
 * value that makes Linux behave as the simulator always does is accepted and does nothing (any
 * other value is an error): {@code net.ipv4.tcp_min_tso_segs=1} makes Linux build one-MSS skbs at
 * low rates (tcp_tso_autosize) where it would build two, each sent as a GSO packet with a forced
 * PSH (tcp_transmit_skb); the simulator has no GSO and sends every segment on its own.
 */
final class ShellCommands {
    private ShellCommands() {
    }

    /**
     * Runs {@code line}.
     *
     * @return what was set, for the trace ({@code net.ipv4.tcp_syncookies = 2})
     * @throws IllegalArgumentException with the reason the line cannot be run
     */
    static List<String> run(String line, Sysctl sysctl) {
        List<String> done = new ArrayList<>();
        for (String command : line.split("\\n|;|&&")) {
            List<String> words = words(command);
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("sysctl")) {
                sysctl(words, sysctl, done);
            } else if (words.get(0).equals("echo") && words.size() == 4 && words.get(2).equals(">")
                    && words.get(3).startsWith("/proc/sys/")) {
                String name = words.get(3).substring("/proc/sys/".length()).replace('/', '.');
                set(sysctl, name, words.get(1), done);
            } else {
                throw new IllegalArgumentException("unsupported shell command '" + command.strip()
                        + "': the simulator runs only sysctl and echo V > /proc/sys/...");
            }
        }
        return done;
    }

    private static void sysctl(List<String> words, Sysctl sysctl, List<String> done) {
        boolean any = false;
        for (String w : words.subList(1, words.size())) {
            if (w.startsWith("-")) {
                if (!w.equals("-q") && !w.equals("-w") && !w.equals("-e") && !w.equals("-qw") && !w.equals("-wq")) {
                    throw new IllegalArgumentException("unsupported sysctl option " + w);
                }
                continue;
            }
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("sysctl " + w + ": only name=value settings are supported");
            }
            set(sysctl, w.substring(0, eq).replace('/', '.'), w.substring(eq + 1), done);
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("sysctl: nothing to set");
        }
    }

    /** Linux parameters the simulator has no machinery for, with the one value it always behaves as. */
    private static final Map<String, String> ALREADY = Map.of(
            "net.ipv4.tcp_min_tso_segs", "1");

    private static void set(Sysctl sysctl, String name, String value, List<String> done) {
        String already = ALREADY.get(name);
        if (already != null && !sysctl.contains(name)) {
            if (!already.equals(value.strip())) {
                throw new IllegalArgumentException("sysctl " + name + "=" + value + ": the simulator has no"
                        + " such machinery and always behaves as " + name + "=" + already);
            }
            done.add(name + " = " + already + " (the simulator's fixed behaviour)");
            return;
        }
        if (!sysctl.contains(name)) {
            throw new IllegalArgumentException("sysctl: cannot stat /proc/sys/" + name.replace('.', '/')
                    + ": No such file or directory (the simulated kernel has no such parameter)");
        }
        sysctl.set(name, value);
        done.add(name + " = " + sysctl.text(name));
    }

    /** Splits a command into words as a shell would for these simple lines: blanks separate, quotes group. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in '" + command.strip() + "'");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
