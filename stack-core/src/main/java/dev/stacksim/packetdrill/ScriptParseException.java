package dev.stacksim.packetdrill;

/**
 * A script that cannot be parsed. The message reads as packetdrill's
 * {@code script.pkt:12: parse error at 'ack': ...} with the column added:
 * {@code script.pkt:12:9: syntax error: expected ... but found 'x'}.
 */
public final class ScriptParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    /**
     * @param file   the script's name
     * @param line   1-based line
     * @param column 1-based column
     * @param reason what is wrong
     */
    public ScriptParseException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": syntax error: " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** The script's name. */
    public String file() {
        return file;
    }

    /** The 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
