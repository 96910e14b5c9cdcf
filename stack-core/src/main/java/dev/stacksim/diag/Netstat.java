package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.wire.Ipv4Address;

/**
 * net-tools' {@code netstat} for TCP and UDP ({@code netstat -tan}, {@code -tnl}, {@code -uan},
 * {@code -tanp}, {@code -tano}), as version 2.10 prints it. Like the real one it knows only what
 * {@code /proc/net/tcp} and {@code /proc/net/udp} say, and parses their text
 * ({@code tcp_do_one}, {@code udp_do_one}):
 *
 * <pre>
 * Active Internet connections (servers and established)
 * Proto Recv-Q Send-Q Local Address           Foreign Address         State
 * tcp        2      0 10.0.0.2:80             0.0.0.0:*               LISTEN
 * tcp        5      0 10.0.0.2:80             10.0.0.1:41600          ESTABLISHED
 * </pre>
 *
 * <h2>Why its LISTEN Send-Q is 0</h2>
 * {@code /proc/net/tcp} has one pair of queue columns, {@code tx_queue:rx_queue}, which for a
 * listener are {@code write_seq - snd_una} (always 0: a listener sends nothing) and the accept
 * queue length. The backlog is in no column, so netstat cannot show it; {@code ss} asks the kernel
 * over netlink ({@code inet_diag}), whose LISTEN reply carries the backlog as Send-Q.
 *
 * <h2>Filters</h2>
 * Without {@code -a} or {@code -l}, only sockets with a remote port (TCP) or remote address (UDP)
 * are shown; {@code -l} shows only those without; {@code -a} all. Without {@code -t} or
 * {@code -u} both are shown (the real netstat adds raw and AF_UNIX sockets, left out here).
 * Addresses are always numeric ({@code -n}). {@code -p} adds {@code PID/Program name} (the
 * lowest pid holding the socket), {@code -o} the timer as {@code on (0.69/0/0)}: seconds left,
 * retransmits, probes.
 */
public final class Netstat {
    private static final String[] TCP_STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};
    private static final String[] TCP_TIMERS = {"off", "on", "keepalive", "timewait", "probe"};

    private Netstat() {
    }

    /**
     * {@code netstat} with {@code flags} ({@code "-tan"}, {@code "-t -n -l"}, {@code "-tuanp"}):
     * letters {@code t u a l n p o}.
     *
     * @throws IllegalArgumentException for any other option ({@code netstat: invalid option -- 'z'})
     */
    public static String render(Host host, String flags) {
        boolean tcp = false;
        boolean udp = false;
        boolean all = false;
        boolean listening = false;
        boolean programs = false;
        boolean timers = false;
        String s = flags == null ? "" : flags.trim();
        for (String arg : s.isEmpty() ? new String[0] : s.split("\\s+")) {
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("netstat: unexpected argument '" + arg + "'");
            }
            for (char c : arg.substring(1).toCharArray()) {
                switch (c) {
                    case 't' -> tcp = true;
                    case 'u' -> udp = true;
                    case 'a' -> all = true;
                    case 'l' -> listening = true;
                    case 'n', '4' -> { }
                    case 'p' -> programs = true;
                    case 'o' -> timers = true;
                    default -> throw new IllegalArgumentException("netstat: invalid option -- '" + c + "'");
                }
            }
        }
        if (!tcp && !udp) {
            tcp = true;
            udp = true;
        }
        SocketUsers users = programs ? SocketUsers.scan(host.sockets()) : null;
        StringBuilder sb = new StringBuilder("Active Internet connections ");
        sb.append(all ? "(servers and established)" : listening ? "(only servers)" : "(w/o servers)");
        sb.append("\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ");
        if (programs) {
            sb.append(String.format(" %-20s", "PID/Program name"));
        }
        if (timers) {
            sb.append(" Timer");
        }
        sb.append('\n');
        if (tcp) {
            for (String line : lines(host.procNetTcp())) {
                tcpLine(sb, line.trim().split("\\s+"), all, listening, users, timers);
            }
        }
        if (udp) {
            for (String line : lines(host.procNetUdp())) {
                udpLine(sb, line.trim().split("\\s+"), all, listening, users, timers);
            }
        }
        return sb.toString();
    }

    /** The data lines of a /proc/net table: everything after the header. */
    private static String[] lines(String proc) {
        String[] l = proc.split("\n");
        String[] out = new String[Math.max(0, l.length - 1)];
        System.arraycopy(l, 1, out, 0, out.length);
        return out;
    }

    /** {@code tcp_do_one}: {@code "%-4s  %6ld %6ld %-23s %-23s %-11s"}. */
    private static void tcpLine(StringBuilder sb, String[] f, boolean all, boolean listening, SocketUsers users,
            boolean timers) {
        Field p = new Field(f);
        if (!all && ((listening && p.remPort != 0) || (!listening && p.remPort == 0))) {
            return;
        }
        sb.append(String.format("%-4s  %6d %6d %-23s %-23s %-11s", "tcp", p.rxq, p.txq, p.local(), p.remote(),
                p.state < TCP_STATES.length ? TCP_STATES[p.state] : ""));
        String timer = p.timer < TCP_TIMERS.length ? TCP_TIMERS[p.timer] : "unkn-" + p.timer;
        finish(sb, p, users, timers, p.timer == 0 ? "off (0.00/" + p.retr + "/" + p.timeout + ")"
                : timer + " (" + CFormat.f(p.when / 100.0, 2) + "/" + p.retr + "/" + p.timeout + ")");
    }

    /** {@code udp_do_one}: {@code "%-5s %6ld %6ld %-23s %-23s %-11s"}, state only when connected. */
    private static void udpLine(StringBuilder sb, String[] f, boolean all, boolean listening, SocketUsers users,
            boolean timers) {
        Field p = new Field(f);
        boolean remote = p.remAddr != 0;
        if (!(all || (remote && !listening) || (!remote && listening))) {
            return;
        }
        String state = p.state == 1 ? "ESTABLISHED" : p.state == 7 ? "" : "UNKNOWN";
        sb.append(String.format("%-5s %6d %6d %-23s %-23s %-11s", "udp", p.rxq, p.txq, p.local(), p.remote(), state));
        finish(sb, p, users, timers, p.timer == 0 ? "off (0.00/" + p.retr + "/" + p.timeout + ")"
                : (p.timer <= 2 ? "on" + p.timer : "unkn-" + p.timer) + " (" + CFormat.f(p.when / 100.0, 2) + "/"
                + p.retr + "/" + p.timeout + ")");
    }

    /** {@code finish_this_one}: {@code " %-20s"} of the program, {@code " %s"} of the timer. */
    private static void finish(StringBuilder sb, Field p, SocketUsers users, boolean timers, String timer) {
        if (users != null) {
            sb.append(String.format(" %-20s", users.netstat(p.inode)));
        }
        if (timers) {
            sb.append(' ').append(timer);
        }
        sb.append('\n');
    }

    /** One line of /proc/net/tcp or udp, as netstat's {@code sscanf} reads it. */
    private static final class Field {
        final int localAddr;
        final int localPort;
        final int remAddr;
        final int remPort;
        final int state;
        final long txq;
        final long rxq;
        final int timer;
        final long when;
        final long retr;
        final long timeout;
        final long inode;

        Field(String[] f) {
            localAddr = addr(f[1]);
            localPort = port(f[1]);
            remAddr = addr(f[2]);
            remPort = port(f[2]);
            state = Integer.parseInt(f[3], 16);
            txq = Long.parseLong(f[4].substring(0, f[4].indexOf(':')), 16);
            rxq = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
            timer = Integer.parseInt(f[5].substring(0, f[5].indexOf(':')), 16);
            when = Long.parseLong(f[5].substring(f[5].indexOf(':') + 1), 16);
            retr = Long.parseLong(f[6], 16);
            timeout = Long.parseLong(f[8]);
            inode = Long.parseLong(f[9]);
        }

        /** {@code 0100007F} is 127.0.0.1: the kernel printed the network-order word as a little-endian integer. */
        private static int addr(String field) {
            return Integer.reverseBytes((int) Long.parseLong(field.substring(0, field.indexOf(':')), 16));
        }

        private static int port(String field) {
            return Integer.parseInt(field.substring(field.indexOf(':') + 1), 16);
        }

        String local() {
            return Ipv4Address.toString(localAddr) + ":" + (localPort == 0 ? "*" : Integer.toString(localPort));
        }

        String remote() {
            return Ipv4Address.toString(remAddr) + ":" + (remPort == 0 ? "*" : Integer.toString(remPort));
        }
    }
}
