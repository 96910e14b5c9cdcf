package dev.stacksim.diag;

import dev.stacksim.wire.Ipv4Address;

import java.util.ArrayList;
import java.util.List;

/**
 * The address and port part of an {@code ss} filter ({@code misc/ssfilter.y}): what follows the
 * options and the {@code state} words, as in {@code ss -tn state established '( dport = :80 )'}.
 *
 * <pre>
 * expr := term { ("or" | "|" | "||") term }
 * term := factor { ["and" | "&amp;" | "&amp;&amp;"] factor }     juxtaposition means "and"
 * factor := ("not" | "!") factor | "(" expr ")" | primitive
 * primitive := ("sport" | "dport") OP PORT | ("src" | "dst") HOST
 * OP := "=" "==" "eq" | "!=" "ne" "neq" | "&gt;" "gt" | "&lt;" "lt" | "&gt;=" "ge" "geq" | "&lt;=" "le" "leq"
 * PORT := ":80" | "80"          HOST := "10.0.0.1" | "10.0.0.0/24" | "10.0.0.1:80" | "*:80"
 * </pre>
 *
 * "s" is this host's end and "d" the peer's, for every socket (so on a server, {@code sport = :80}
 * selects its connections on port 80 and {@code dport = :80} selects nothing). Only inet sockets
 * can match a filter; AF_UNIX ones are left out when a filter is given.
 */
@FunctionalInterface
public interface SsFilter {
    /** Matches every socket: no filter was given. */
    SsFilter ALL = (laddr, lport, raddr, rport) -> true;

    /** True if a socket with these ends (host order addresses) passes the filter. */
    boolean matches(int laddr, int lport, int raddr, int rport);

    /**
     * The filter of {@code words} (already split; parentheses may be separate words or stuck to
     * their neighbours, and single quotes are ignored as a shell would remove them).
     *
     * @throws IllegalArgumentException on a syntax error, as {@code ss} would refuse it
     */
    static SsFilter parse(List<String> words) {
        List<String> tokens = new ArrayList<>();
        for (String w : words) {
            String s = w.replace("'", "").replace("(", " ( ").replace(")", " ) ");
            for (String t : s.trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        if (tokens.isEmpty()) {
            return ALL;
        }
        Parser p = new Parser(tokens);
        SsFilter f = p.expr();
        if (p.pos != tokens.size()) {
            throw new IllegalArgumentException("ss: bad filter near '" + tokens.get(p.pos) + "'");
        }
        return f;
    }

    /** A recursive-descent parser over the filter's tokens. */
    final class Parser {
        private final List<String> tokens;
        private int pos;

        private Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next() {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("ss: filter ends too early");
            }
            return tokens.get(pos++);
        }

        SsFilter expr() {
            SsFilter f = term();
            while (peek() != null && List.of("or", "|", "||").contains(peek())) {
                pos++;
                SsFilter a = f;
                SsFilter b = term();
                f = (la, lp, ra, rp) -> a.matches(la, lp, ra, rp) || b.matches(la, lp, ra, rp);
            }
            return f;
        }

        private SsFilter term() {
            SsFilter f = factor();
            while (peek() != null && !peek().equals(")") && !List.of("or", "|", "||").contains(peek())) {
                if (List.of("and", "&", "&&").contains(peek())) {
                    pos++;
                }
                SsFilter a = f;
                SsFilter b = factor();
                f = (la, lp, ra, rp) -> a.matches(la, lp, ra, rp) && b.matches(la, lp, ra, rp);
            }
            return f;
        }

        private SsFilter factor() {
            String t = next();
            switch (t) {
                case "not", "!" -> {
                    SsFilter f = factor();
                    return (la, lp, ra, rp) -> !f.matches(la, lp, ra, rp);
                }
                case "(" -> {
                    SsFilter f = expr();
                    if (!")".equals(next())) {
                        throw new IllegalArgumentException("ss: missing ')' in filter");
                    }
                    return f;
                }
                case "sport", "dport" -> {
                    boolean local = t.equals("sport");
                    String op = next();
                    int port = port(next());
                    return (la, lp, ra, rp) -> compare(op, local ? lp : rp, port);
                }
                case "src", "dst" -> {
                    boolean local = t.equals("src");
                    return host(next(), local);
                }
                default -> throw new IllegalArgumentException("ss: bad filter near '" + t + "'");
            }
        }

        private static int port(String s) {
            String p = s.startsWith(":") ? s.substring(1) : s;
            try {
                return Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ss: bad port '" + s + "' in filter");
            }
        }

        private static boolean compare(String op, int value, int port) {
            return switch (op) {
                case "=", "==", "eq" -> value == port;
                case "!=", "ne", "neq" -> value != port;
                case ">", "gt" -> value > port;
                case "<", "lt" -> value < port;
                case ">=", "ge", "geq" -> value >= port;
                case "<=", "le", "leq" -> value <= port;
                default -> throw new IllegalArgumentException("ss: bad operator '" + op + "' in filter");
            };
        }

        /** {@code 10.0.0.1}, {@code 10.0.0.0/24}, {@code 10.0.0.1:80}, {@code *:80}. */
        private static SsFilter host(String s, boolean local) {
            int colon = s.lastIndexOf(':');
            String addr = colon >= 0 ? s.substring(0, colon) : s;
            int port = colon >= 0 ? port(s.substring(colon)) : -1;
            int bits = 32;
            int slash = addr.indexOf('/');
            if (slash >= 0) {
                bits = Integer.parseInt(addr.substring(slash + 1));
                addr = addr.substring(0, slash);
            }
            boolean anyAddr = addr.isEmpty() || addr.equals("*");
            int want = anyAddr ? 0 : Ipv4Address.parse(addr).toInt();
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return (la, lp, ra, rp) -> {
                int a = local ? la : ra;
                int p = local ? lp : rp;
                return (anyAddr || (a & mask) == (want & mask)) && (port < 0 || p == port);
            };
        }
    }
}
