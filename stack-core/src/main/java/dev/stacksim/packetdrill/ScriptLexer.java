package dev.stacksim.packetdrill;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a packetdrill script into {@link Token}s, following packetdrill's {@code lexer.l}: newlines
 * are only whitespace; {@code //} and {@code /* *}{@code /} comments are skipped; at each position
 * the longest match wins and, between matches of one length, the rule packetdrill lists first
 * (float, integer, hex, word, then dotted quad). So {@code 0.1...0.2} is a float, an ellipsis and
 * a float; {@code 192.0.2.1} an address; {@code 1:1001(1000)} integers and punctuation;
 * {@code 0x802} a hex integer; {@code S.} the word {@code S} and a dot.
 */
public final class ScriptLexer {
    private final String src;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;

    private ScriptLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    /**
     * Every token of {@code src}, ending with {@link Token.Type#EOF}.
     *
     * @param file the script's name, for error messages
     * @throws ScriptParseException on an unterminated string, comment, command or code snippet
     */
    public static List<Token> tokenize(String file, String src) {
        ScriptLexer lx = new ScriptLexer(file, src);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.type() != Token.Type.EOF);
        return out;
    }

    private Token next() {
        skipBlanks();
        int startLine = line;
        int col = pos - lineStart + 1;
        if (pos >= src.length()) {
            return new Token(Token.Type.EOF, "", startLine, col);
        }
        char c = src.charAt(pos);
        if (c == '%' && peek(1) == '{') {
            int end = src.indexOf("}%", pos + 2);
            if (end < 0) {
                throw error(startLine, col, "unterminated %{ code snippet");
            }
            String code = src.substring(pos + 2, end).strip();
            advanceTo(end + 2);
            return new Token(Token.Type.CODE, code, startLine, col);
        }
        if (c == '`' || c == '"') {
            return quoted(c, startLine, col);
        }
        if (src.startsWith("...", pos)) {
            pos += 3;
            return new Token(Token.Type.ELLIPSIS, "...", startLine, col);
        }
        if (c == '-' && peek(1) == '-' && isWordChar(peek(2))) {
            int end = pos + 2;
            while (end < src.length() && isWordChar(src.charAt(end))) {
                end++;
            }
            String name = src.substring(pos + 2, end);
            pos = end;
            return new Token(Token.Type.OPTION, name, startLine, col);
        }
        if (isWordChar(c) || ((c == '-' || c == '.') && startsNumber())) {
            return numberOrWord(startLine, col);
        }
        pos++;
        return new Token(Token.Type.CHAR, String.valueOf(c), startLine, col);
    }

    /** True when a '-' or '.' at pos begins a float or integer. */
    private boolean startsNumber() {
        return floatLen(pos) > 0 || intLen(pos) > 0;
    }

    private Token numberOrWord(int startLine, int col) {
        int fl = floatLen(pos);
        int il = intLen(pos);
        int hl = hexLen(pos);
        int wl = isWordChar(src.charAt(pos)) ? wordLen(pos) : 0;
        int ql = quadLen(pos);
        int best = Math.max(Math.max(Math.max(fl, il), Math.max(hl, wl)), ql);
        Token.Type type;
        if (fl == best) {
            type = Token.Type.FLOAT;
        } else if (il == best) {
            type = Token.Type.INTEGER;
        } else if (hl == best) {
            type = Token.Type.HEX_INTEGER;
        } else if (wl == best) {
            type = Token.Type.WORD;
        } else {
            type = Token.Type.IPV4_ADDR;
        }
        String text = src.substring(pos, pos + best);
        pos += best;
        return new Token(type, text, startLine, col);
    }

    private int floatLen(int p) {
        int i = p;
        if (i < src.length() && src.charAt(i) == '-') {
            i++;
        }
        i = digits(i);
        if (i >= src.length() || src.charAt(i) != '.') {
            return 0;
        }
        int frac = digits(i + 1);
        return frac > i + 1 ? frac - p : 0;
    }

    private int intLen(int p) {
        int i = p;
        if (i < src.length() && src.charAt(i) == '-') {
            i++;
        }
        int end = digits(i);
        return end > i ? end - p : 0;
    }

    private int hexLen(int p) {
        if (!src.startsWith("0x", p)) {
            return 0;
        }
        int i = p + 2;
        while (i < src.length() && Character.digit(src.charAt(i), 16) >= 0) {
            i++;
        }
        return i > p + 2 ? i - p : 0;
    }

    private int wordLen(int p) {
        int i = p;
        while (i < src.length() && isWordChar(src.charAt(i))) {
            i++;
        }
        return i - p;
    }

    private int quadLen(int p) {
        int i = p;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= src.length() || src.charAt(i) != '.') {
                    return 0;
                }
                i++;
            }
            int end = digits(i);
            if (end == i) {
                return 0;
            }
            i = end;
        }
        return i - p;
    }

    private int digits(int i) {
        while (i < src.length() && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private Token quoted(char quote, int startLine, int col) {
        StringBuilder sb = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= src.length()) {
                throw error(startLine, col, "unterminated " + (quote == '"' ? "string" : "backquoted command"));
            }
            char ch = src.charAt(i);
            if (ch == '\\' && i + 1 < src.length()) {
                char e = src.charAt(i + 1);
                sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                i += 2;
                continue;
            }
            if (ch == quote) {
                break;
            }
            sb.append(ch);
            i++;
        }
        advanceTo(i + 1);
        return new Token(quote == '"' ? Token.Type.STRING : Token.Type.BACK_QUOTED, sb.toString(), startLine, col);
    }

    private void skipBlanks() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '/' && peek(1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error(line, pos - lineStart + 1, "unterminated /* comment");
                }
                advanceTo(end + 2);
            } else {
                return;
            }
        }
    }

    /** Moves to {@code end}, counting the newlines passed. */
    private void advanceTo(int end) {
        for (int i = pos; i < end; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        pos = end;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private ScriptParseException error(int l, int c, String msg) {
        return new ScriptParseException(file, l, c, msg);
    }
}
