package dev.stacksim.diag;

import dev.stacksim.tcp.TcpState;

/**
 * What {@link Ss} shows, as {@code ss}'s command line says it ({@link #parse}): which sockets
 * ({@code -t} TCP, {@code -u} UDP, {@code -x} AF_UNIX; all three when none is given), which states
 * ({@code -a} all, {@code -l} listening and unconnected; by default the connected ones), and what
 * to add to each line ({@code -p} the processes holding the socket, {@code -o} its timer,
 * {@code -i} TCP internals). Addresses and ports are always numeric: {@code -n} is accepted and
 * changes only how {@code -i} prints rates.
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
 */
public record SsOptions(boolean tcp, boolean udp, boolean unix, int states, boolean numeric, boolean processes,
        boolean timers, boolean info, boolean header) {

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
     * {@code "--tcp --listening"}. Letters: {@code t u x a l n p o i H} ({@code 4} accepted: every socket here is IPv4) and their long forms
     * ({@code --tcp --udp --unix --all --listening --numeric --processes --options --info
     * --no-header}). As with getopt, a later {@code -a} or {@code -l} overrides an earlier one.
     *
     * @throws IllegalArgumentException for any other option, as {@code ss: invalid option -- 'e'}
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
        String s = flags == null ? "" : flags.trim();
        for (String arg : s.isEmpty() ? new String[0] : s.split("\\s+")) {
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
                    default -> throw new IllegalArgumentException("ss: unrecognized option '" + arg + "'");
                };
            } else if (arg.startsWith("-")) {
                letters = arg.substring(1);
            } else {
                throw new IllegalArgumentException("ss: filters are not supported: '" + arg + "'");
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
                    case '4' -> { }
                    default -> throw new IllegalArgumentException("ss: invalid option -- '" + c + "'");
                }
            }
        }
        if (!tcp && !udp && !unix) {
            tcp = true;
            udp = true;
            unix = true;
        }
        return new SsOptions(tcp, udp, unix, states, numeric, processes, timers, info, header);
    }
}
