package dev.stacksim.packetdrill;

/**
 * One token of a packetdrill script, as packetdrill's {@code lexer.l} cuts the text: numbers,
 * words, strings, the three quoted forms (backquoted shell lines, {@code %{ code }%}), options
 * ({@code --tolerance_usecs}), {@code ...} and single punctuation characters.
 *
 * @param type   what kind of token
 * @param text   the text it stands for: the word, the string's contents (without quotes), the
 *               option's name (without {@code --}), the character of a {@link Type#CHAR}
 * @param line   1-based line of its first character
 * @param column 1-based column of its first character
 */
public record Token(Type type, String text, int line, int column) {
    /** Token kinds. */
    public enum Type {
        /** {@code [a-zA-Z0-9_]+} that is not a number: {@code accept}, {@code S}, {@code sackOK}. */
        WORD,
        /** {@code -?[0-9]+}. */
        INTEGER,
        /** {@code 0x[0-9a-fA-F]+}. */
        HEX_INTEGER,
        /** {@code -?[0-9]*.[0-9]+}: {@code 0.100}, {@code .1}. */
        FLOAT,
        /** A dotted quad: {@code 192.0.2.1}. */
        IPV4_ADDR,
        /** A double-quoted string, unescaped. */
        STRING,
        /** A backquoted shell command line. */
        BACK_QUOTED,
        /** A {@code %{ ... }%} code snippet, trimmed. */
        CODE,
        /** {@code --name}: a command-line option written at the top of a script. */
        OPTION,
        /** {@code ...}. */
        ELLIPSIS,
        /** Any other single character: {@code < > . + * ~ : ( ) [ ] { } , = |}. */
        CHAR,
        /** The end of the script. */
        EOF
    }

    /** True for a {@link Type#CHAR} token of character {@code c}. */
    public boolean is(char c) {
        return type == Type.CHAR && text.length() == 1 && text.charAt(0) == c;
    }

    /** True for a {@link Type#WORD} token spelled {@code word}. */
    public boolean isWord(String word) {
        return type == Type.WORD && text.equals(word);
    }

    /** The value of an {@link Type#INTEGER} or {@link Type#HEX_INTEGER} token. */
    public long longValue() {
        if (type == Type.HEX_INTEGER) {
            return Long.parseUnsignedLong(text.substring(2), 16);
        }
        return Long.parseLong(text);
    }

    /** How the token reads in an error message: {@code 'accept'}, {@code '<'}, {@code end of file}. */
    public String describe() {
        switch (type) {
            case EOF:
                return "end of file";
            case STRING:
                return "\"" + text + "\"";
            case BACK_QUOTED:
                return "`" + text + "`";
            case OPTION:
                return "'--" + text + "'";
            case CODE:
                return "code snippet";
            default:
                return "'" + text + "'";
        }
    }
}
