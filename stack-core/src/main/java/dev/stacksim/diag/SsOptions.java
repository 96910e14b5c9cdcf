package dev.stacksim.diag;

import dev.stacksim.tcp.TcpState;

import java.util.Arrays;

/**
 * What {@link Ss} shows, as {@code ss}'s command line says it ({@link #parse}): which sockets
 * ({@code -t} TCP, {@code -u} UDP, {@code -x} AF_UNIX; all three when none is given), which states
 * ({@code -a} all, {@code -l} listening and unconnected; by default the connected ones), and what
 * to add to each line ({@code -p} the processes holding the socket, {@code -o} its timer,
 * {@code -i} TCP internals, {@code -e} uid, inode and cookie, {@code -m} socket memory), and which
 * of them pass a filter ({@code state established '( dport = :80 )'}). Addresses and ports are
 * always numeric: {@code -n} is accepted and changes only how {@code -i} prints rates.
 *
 * @param tcp       {@code -t}: TCP sockets
 * @param udp       {@code -u}: UDP sockets
 * @param unix      {@code -x}: AF_UNIX sockets
 * @param states    the states shown, one bit per Linux state number ({@code 1 << TCP_ESTABLISHED} ...):
 *                  {@link #SS_ALL}, {@link #SS_LISTENING} or {@link #SS_CONN}
 * @param numeric   {@code -n}: rates as plain numbers in {@code -i} output
 * @param processes {@code -p}: {@code users:(("name",pid=N,fd=M),...)}
 * @param timers    {@code -o}: {@code timer:(on,200ms,0)}, and the {@code ts sack} options in {@code -i}
 * @param info      {@code -i}: the TCP internals line ({@code tcp_info})
 * @param header    false with {@code -H}: no header line
 * @param details   {@code -e}: {@code uid:1000 ino:12345 sk:1 cgroup:/ <->} (implies {@code -o}'s timers)
 * @param memory    {@code -m}: {@code skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)} after a tab
 * @param filter    the address and port filter; {@link SsFilter#ALL} without one
 */
public record SsOptions(boolean tcp, boolean udp, boolean unix, int states, boolean numeric, boolean processes,
        boolean timers, boolean info, boolean header, boolean details, boolean memory, SsFilter filter) {

    /** Every state ({@code -a}; {@code SS_ALL}). */
    public static final int SS_ALL = (1 << 12) - 1;
    /** {@code -l}: listening sockets, and unconnected ones (UDP, AF_UNIX datagram). */
    public static final int SS_LISTENING = TcpState.LISTEN.flag() | TcpState.CLOSE.flag();
    /**
     * The default ({@code SS_CONN}): every state but LISTEN, CLOSE, TIME_WAIT and SYN_RECV, so
     * plain {@code ss -t} hides listeners, half-open connections and TIME_WAIT.
     */
    public static final int SS_CONN = SS_ALL & ~(TcpState.LISTEN.flag() | TcpState.CLOSE.flag()
            | TcpState.TIME_WAIT.flag() | TcpState.SYN_RECV.flag());

    /** True if state number {@code state} is shown. */
    public boolean shows(int state) {
        return (states & (1 << state)) != 0;
    }

    /**
     * Options from {@code ss}'s command line: {@code "-tanpi"}, {@code "-t -a -n"}, {@code "-xa"},
     * {@code "--tcp --listening"}. Letters: {@code t u x a l n p o i e m H} ({@code 4} accepted:
     * every socket here is IPv4) and their long forms ({@code --tcp --udp --unix --all --listening
     * --numeric --processes --options --info --extended --memory --no-header}). As with getopt, a
     * later {@code -a} or {@code -l} overrides an earlier one.
     *
     * <p>After the options, a filter: {@code state NAME} (repeatable; the first replaces the
     * default states) and {@code exclude NAME}, NAME being a state ({@code established},
     * {@code syn-sent}, {@code syn-recv}, {@code fin-wait-1}, {@code fin-wait-2}, {@code time-wait},
     * {@code closed}, {@code close-wait}, {@code last-ack}, {@code listening}, {@code closing}) or a
     * group ({@code all}, {@code connected}, {@code synchronized}, {@code bucket}, {@code big}), as
     * {@code ss}'s {@code scan_state}; then an address and port expression ({@link SsFilter}):
     * {@code "-tn state established '( dport = :80 or sport = :80 )'"}.
     *
     * @throws IllegalArgumentException for any other option, as {@code ss: invalid option -- 'z'},
     *                                  or a filter {@code ss} would refuse
     */
    public static SsOptions parse(String flags) {
        boolean tcp = false;
        boolean udp = false;
        boolean unix = false;
        int states = SS_CONN;
        boolean numeric = false;
        boolean processes = false;
        boolean timers = false;
        boolean info = false;
        boolean header = true;
        boolean details = false;
        boolean memory = false;
        String s = flags == null ? "" : flags.trim();
        String[] args = s.isEmpty() ? new String[0] : s.split("\\s+");
        int a = 0;
        for (; a < args.length && args[a].startsWith("-"); a++) {
            String arg = args[a];
            String letters;
            if (arg.startsWith("--")) {
                letters = switch (arg) {
                    case "--tcp" -> "t";
                    case "--udp" -> "u";
                    case "--unix" -> "x";
                    case "--all" -> "a";
                    case "--listening" -> "l";
                    case "--numeric" -> "n";
                    case "--processes" -> "p";
                    case "--options" -> "o";
                    case "--info" -> "i";
                    case "--no-header" -> "H";
                    case "--extended" -> "e";
                    case "--memory" -> "m";
                    default -> throw new IllegalArgumentException("ss: unrecognized option '" + arg + "'");
                };
            } else {
                letters = arg.substring(1);
            }
            for (char c : letters.toCharArray()) {
                switch (c) {
                    case 't' -> tcp = true;
                    case 'u' -> udp = true;
                    case 'x' -> unix = true;
                    case 'a' -> states = SS_ALL;
                    case 'l' -> states = SS_LISTENING;
                    case 'n' -> numeric = true;
                    case 'p' -> processes = true;
                    case 'o' -> timers = true;
                    case 'i' -> info = true;
                    case 'H' -> header = false;
                    case 'e' -> {
                        details = true;
                        timers = true;
                    }
                    case 'm' -> memory = true;
                    case '4' -> { }
                    default -> throw new IllegalArgumentException("ss: invalid option -- '" + c + "'");
                }
            }
        }
        boolean stateGiven = false;
        while (a + 1 < args.length && (args[a].equals("state") || args[a].equals("exclude"))) {
            int bits = scanState(args[a + 1]);
            if (args[a].equals("state")) {
                states = stateGiven ? states | bits : bits;
                stateGiven = true;
            } else {
                states = (stateGiven ? states : SS_ALL) & ~bits;
                stateGiven = true;
            }
            a += 2;
        }
        SsFilter filter = SsFilter.parse(Arrays.asList(args).subList(a, args.length));
        if (!tcp && !udp && !unix) {
            tcp = true;
            udp = true;
            unix = true;
        }
        return new SsOptions(tcp, udp, unix, states, numeric, processes, timers, info, header, details, memory,
                filter);
    }

    /** {@code scan_state}: a state's or a group's bits. */
    private static int scanState(String name) {
        int listen = TcpState.LISTEN.flag();
        int close = TcpState.CLOSE.flag();
        int bucket = TcpState.SYN_RECV.flag() | TcpState.TIME_WAIT.flag();
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "all":
                return SS_ALL;
            case "connected":
                return SS_ALL & ~(close | listen);
            case "synchronized":
                return SS_ALL & ~(close | listen | TcpState.SYN_SENT.flag());
            case "bucket":
                return bucket;
            case "big":
                return SS_ALL & ~bucket;
            case "close", "closed", "unconnected":
                return close;
            case "syn-rcv", "syn-recv":
                return TcpState.SYN_RECV.flag();
            case "established":
                return TcpState.ESTABLISHED.flag();
            case "syn-sent":
                return TcpState.SYN_SENT.flag();
            case "fin-wait-1":
                return TcpState.FIN_WAIT1.flag();
            case "fin-wait-2":
                return TcpState.FIN_WAIT2.flag();
            case "time-wait":
                return TcpState.TIME_WAIT.flag();
            case "close-wait":
                return TcpState.CLOSE_WAIT.flag();
            case "last-ack":
                return TcpState.LAST_ACK.flag();
            case "listening", "listen":
                return listen;
            case "closing":
                return TcpState.CLOSING.flag();
            default:
                throw new IllegalArgumentException("ss: wrong state name: " + name);
        }
    }
}
