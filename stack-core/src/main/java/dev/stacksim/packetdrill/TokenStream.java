package dev.stacksim.packetdrill;

import java.util.List;

/** The parsers' cursor over a script's tokens, with lookahead and positioned errors. */
final class TokenStream {
    private final String file;
    private final List<Token> tokens;
    private int pos;

    TokenStream(String file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    String file() {
        return file;
    }

    Token peek() {
        return tokens.get(pos);
    }

    /** The token {@code ahead} places after the next one (0 is the next), or EOF. */
    Token peek(int ahead) {
        int i = Math.min(pos + ahead, tokens.size() - 1);
        return tokens.get(i);
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.type() != Token.Type.EOF) {
            pos++;
        }
        return t;
    }

    /** Consumes the character {@code c} or fails, saying what was {@code expected}. */
    Token expectChar(char c, String expected) {
        Token t = next();
        if (!t.is(c)) {
            throw error(t, "expected " + expected + " but found " + t.describe());
        }
        return t;
    }

    /** Consumes the word {@code w} or fails. */
    Token expectWord(String w, String expected) {
        Token t = next();
        if (!t.isWord(w)) {
            throw error(t, "expected " + expected + " but found " + t.describe());
        }
        return t;
    }

    /** Consumes an integer (decimal or hex) in {@code [min, max]} or fails, naming {@code what}. */
    long expectInt(String what, long min, long max) {
        Token t = next();
        if (t.type() != Token.Type.INTEGER && t.type() != Token.Type.HEX_INTEGER) {
            throw error(t, "expected " + what + " but found " + t.describe());
        }
        long v;
        try {
            v = t.longValue();
        } catch (NumberFormatException e) {
            throw error(t, what.replaceFirst("^an? ", "") + " out of range");
        }
        if (v < min || v > max) {
            throw error(t, what.replaceFirst("^an? ", "") + " out of range");
        }
        return v;
    }

    /**
     * The lookahead index of the ')' closing the '(' at lookahead {@code open}, or -1 when the
     * script ends first.
     */
    int findClosing(int open) {
        int depth = 0;
        for (int i = open; pos + i < tokens.size(); i++) {
            Token t = tokens.get(pos + i);
            if (t.is('(')) {
                depth++;
            } else if (t.is(')') && --depth == 0) {
                return i;
            } else if (t.type() == Token.Type.EOF) {
                return -1;
            }
        }
        return -1;
    }

    ScriptParseException error(Token at, String message) {
        return new ScriptParseException(file, at.line(), at.column(), message);
    }
}
