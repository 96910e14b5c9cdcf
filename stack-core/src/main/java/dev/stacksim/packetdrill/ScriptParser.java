package dev.stacksim.packetdrill;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for packetdrill scripts, following the grammar of packetdrill's
 * {@code parser.y}:
 *
 * <pre>
 * script  := option* [command] event* [command]
 * option  := --name [= value]
 * event   := time action
 * time    := [+]secs | * | secs~secs | +secs~+secs
 * action  := packet | syscall | `command` | %{ code }%
 * syscall := [... secs] name ( [expr {, expr}] ) = expr [ERRNO] [( note )]
 * packet  := (&lt; | &gt;) [ip_info] tcp | udp | icmp        (see {@link PacketLineParser})
 * </pre>
 *
 * <p>The semantic checks packetdrill makes while parsing are made here too: times are not
 * negative, a window ends after it starts, {@code *} and windows go with outbound packets only,
 * inbound TCP lines give a window and no {@code <...>}, sequence ranges agree with their lengths.
 * Errors name the line and column ({@link ScriptParseException}).
 */
public final class ScriptParser {
    private final TokenStream in;

    private ScriptParser(String name, String text) {
        this.in = new TokenStream(name, ScriptLexer.tokenize(name, text));
    }

    /**
     * Parses a whole script.
     *
     * @param name the script's name, for messages
     * @param text its text
     * @throws ScriptParseException at the first error
     */
    public static Script parse(String name, String text) {
        return new ScriptParser(name, text).script();
    }

    private Script script() {
        List<Script.Option> options = new ArrayList<>();
        while (in.peek().type() == Token.Type.OPTION) {
            options.add(option());
        }
        CommandSpec init = null;
        if (in.peek().type() == Token.Type.BACK_QUOTED) {
            init = new CommandSpec(in.next().text());
        }
        List<ScriptEvent> events = new ArrayList<>();
        CommandSpec cleanup = null;
        while (in.peek().type() != Token.Type.EOF) {
            if (in.peek().type() == Token.Type.BACK_QUOTED) {
                Token cmd = in.next();
                cleanup = new CommandSpec(cmd.text());
                if (in.peek().type() != Token.Type.EOF) {
                    throw in.error(cmd, "a command without a time must be the first or the last line");
                }
                break;
            }
            events.add(event());
        }
        if (events.isEmpty()) {
            throw in.error(in.peek(), "the script has no events");
        }
        return new Script(in.file(), List.copyOf(options), init, List.copyOf(events), cleanup);
    }

    private Script.Option option() {
        Token opt = in.next();
        String value = null;
        if (in.peek().is('=')) {
            in.next();
            Token v = in.next();
            switch (v.type()) {
                case INTEGER: case HEX_INTEGER: case FLOAT: case WORD: case STRING: case IPV4_ADDR:
                    value = v.text();
                    break;
                default:
                    throw in.error(v, "expected a value for --" + opt.text() + " but found " + v.describe());
            }
            if (v.type() == Token.Type.WORD && in.peek().is('=')) {
                in.next();
                value = value + "=" + in.next().text();
            }
        }
        return new Script.Option(opt.text(), value, opt.line());
    }

    private ScriptEvent event() {
        Token first = in.peek();
        EventTime time = eventTime();
        ScriptEvent.Action action = action(first);
        if (time.type() == EventTime.Type.ANY && !isOutbound(action)) {
            throw in.error(first, "event time <star> can only be used with outbound packets");
        }
        if (time.isRange() && !isOutbound(action)) {
            throw in.error(first, "event time range can only be used with outbound packets");
        }
        return new ScriptEvent(first.line(), time, action);
    }

    private static boolean isOutbound(ScriptEvent.Action a) {
        return a instanceof PacketSpec p && p.outbound();
    }

    private EventTime eventTime() {
        Token t = in.peek();
        if (t.is('*')) {
            in.next();
            return new EventTime(EventTime.Type.ANY, 0, -1);
        }
        if (t.is('+')) {
            in.next();
            long start = time();
            if (in.peek().is('~')) {
                in.next();
                in.expectChar('+', "'+' after '~' in a relative time range");
                long end = time();
                checkRange(t, start, end);
                return new EventTime(EventTime.Type.RELATIVE_RANGE, start, end);
            }
            return new EventTime(EventTime.Type.RELATIVE, start, -1);
        }
        if (t.type() == Token.Type.INTEGER || t.type() == Token.Type.FLOAT) {
            long start = time();
            if (in.peek().is('~')) {
                in.next();
                long end = time();
                checkRange(t, start, end);
                return new EventTime(EventTime.Type.ABSOLUTE_RANGE, start, end);
            }
            return new EventTime(EventTime.Type.ABSOLUTE, start, -1);
        }
        throw in.error(t, "expected an event time (0.100, +.1, * or a~b) but found " + t.describe());
    }

    private void checkRange(Token at, long start, long end) {
        if (end < start) {
            throw in.error(at, "time range is backwards");
        }
    }

    /** A time in seconds (integer or float), as microseconds; never negative. */
    long time() {
        Token t = in.next();
        if (t.type() == Token.Type.INTEGER) {
            long s = t.longValue();
            if (s < 0) {
                throw in.error(t, "negative time");
            }
            return s * 1_000_000L;
        }
        if (t.type() == Token.Type.FLOAT) {
            double s = Double.parseDouble(t.text());
            if (s < 0) {
                throw in.error(t, "negative time");
            }
            return Math.round(s * 1e6);
        }
        throw in.error(t, "expected a time in seconds but found " + t.describe());
    }

    private ScriptEvent.Action action(Token start) {
        Token t = in.peek();
        if (t.is('<') || t.is('>')) {
            return new PacketLineParser(in).packet();
        }
        if (t.type() == Token.Type.BACK_QUOTED) {
            return new CommandSpec(in.next().text());
        }
        if (t.type() == Token.Type.CODE) {
            return new CodeSpec(in.next().text());
        }
        if (t.type() == Token.Type.ELLIPSIS || t.type() == Token.Type.WORD) {
            return syscall();
        }
        throw in.error(t, "expected a packet (< or >), a system call, a `command` or %{ code }% but found "
                + t.describe());
    }

    private SyscallSpec syscall() {
        long end = -1;
        if (in.peek().type() == Token.Type.ELLIPSIS) {
            in.next();
            end = time();
        }
        Token name = in.next();
        if (name.type() != Token.Type.WORD) {
            throw in.error(name, "expected a system call name but found " + name.describe());
        }
        in.expectChar('(', "'(' after " + name.text());
        List<Expr> args = new ArrayList<>();
        if (!in.peek().is(')')) {
            args.add(expression());
            while (in.peek().is(',')) {
                in.next();
                args.add(expression());
            }
        }
        in.expectChar(')', "',' or ')' in the arguments of " + name.text());
        in.expectChar('=', "'=' and the expected result after " + name.text() + "(...)");
        Expr result = expression();
        String errno = null;
        if (in.peek().type() == Token.Type.WORD) {
            errno = in.next().text();
            if (!in.peek().is('(')) {
                throw in.error(in.peek(), "expected '(' and the error text after " + errno + " but found "
                        + in.peek().describe());
            }
        }
        String note = in.peek().is('(') ? note() : null;
        return new SyscallSpec(end, name.text(), List.copyOf(args), result, errno, note);
    }

    /** {@code ( words )}: the text after a result, words only (packetdrill's {@code word_list}). */
    private String note() {
        in.next();
        StringBuilder sb = new StringBuilder();
        while (!in.peek().is(')')) {
            Token t = in.next();
            if (t.type() != Token.Type.WORD) {
                throw in.error(t, "expected words or ')' in the note after the result but found " + t.describe());
            }
            sb.append(sb.length() == 0 ? "" : " ").append(t.text());
        }
        in.next();
        return sb.toString();
    }

    /** An argument or result: {@code primary {| primary}}, or {@code WORD = expression}. */
    Expr expression() {
        Expr e = primary();
        while (in.peek().is('|')) {
            in.next();
            e = new Expr.Or(e, primary());
        }
        return e;
    }

    private Expr primary() {
        Token t = in.next();
        switch (t.type()) {
            case ELLIPSIS:
                return new Expr.Ellipsis();
            case INTEGER:
                return new Expr.Int(t.longValue(), false);
            case HEX_INTEGER:
                return new Expr.Int(t.longValue(), true);
            case STRING: {
                StringBuilder s = new StringBuilder(t.text());
                while (in.peek().type() == Token.Type.STRING) {
                    s.append(in.next().text());
                }
                boolean ellipsis = false;
                if (in.peek().type() == Token.Type.ELLIPSIS) {
                    in.next();
                    ellipsis = true;
                }
                return new Expr.Str(s.toString(), ellipsis);
            }
            case WORD:
                if (in.peek().is('(')) {
                    in.next();
                    List<Expr> args = new ArrayList<>();
                    if (!in.peek().is(')')) {
                        args.add(expression());
                        while (in.peek().is(',')) {
                            in.next();
                            args.add(expression());
                        }
                    }
                    in.expectChar(')', "')' closing " + t.text() + "(");
                    return new Expr.Call(t.text(), List.copyOf(args));
                }
                return new Expr.Word(t.text());
            case CHAR:
                if (t.is('[')) {
                    List<Expr> items = new ArrayList<>();
                    if (!in.peek().is(']')) {
                        items.add(expression());
                        while (in.peek().is(',')) {
                            in.next();
                            items.add(expression());
                        }
                    }
                    in.expectChar(']', "',' or ']' in a list");
                    return new Expr.ListExpr(List.copyOf(items));
                }
                if (t.is('{')) {
                    return struct();
                }
                break;
            default:
                break;
        }
        throw in.error(t, "expected an expression (a number, a symbol, ..., [list], {struct} or \"string\") but found "
                + t.describe());
    }

    /** After '{': fields {@code name=value}, {@code name(arg)=value} or positional values, then '}'. */
    private Expr.Struct struct() {
        List<Expr.Field> fields = new ArrayList<>();
        if (!in.peek().is('}')) {
            fields.add(field());
            while (in.peek().is(',')) {
                in.next();
                fields.add(field());
            }
        }
        in.expectChar('}', "',' or '}' in a struct");
        return new Expr.Struct(List.copyOf(fields));
    }

    private Expr.Field field() {
        Token t = in.peek();
        if (t.type() == Token.Type.WORD && in.peek(1).is('=')) {
            in.next();
            in.next();
            return new Expr.Field(t.text(), null, expression());
        }
        if (t.type() == Token.Type.WORD && in.peek(1).is('(')) {
            // name(arg)=value, as msghdr's msg_iov(1)=[...]; a call expression otherwise
            int close = in.findClosing(1);
            if (close > 0 && in.peek(close + 1).is('=')) {
                in.next();
                in.next();
                Expr arg = expression();
                in.expectChar(')', "')'");
                in.expectChar('=', "'='");
                return new Expr.Field(t.text(), arg, expression());
            }
        }
        return new Expr.Field(null, null, expression());
    }
}
