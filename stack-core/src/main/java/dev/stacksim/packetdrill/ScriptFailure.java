package dev.stacksim.packetdrill;

/**
 * A script that ran and failed, reported as packetdrill reports it: the script, the line of the
 * event that failed, and what went wrong, in packetdrill's words:
 *
 * <pre>
 * listen.pkt:12: error handling packet: live packet field tcp_ack_seq: expected: 1 (0x1) vs actual: 2 (0x2)
 * script packet:  0.100000 S. 0:0(0) ack 1 &lt;...&gt;
 * actual packet:  0.100000 S. 0:0(0) ack 2 win 65535 &lt;mss 1460,nop,wscale 7&gt;
 * </pre>
 *
 * {@code timing error: expected outbound packet at 0.100000 sec but happened at 0.200000 sec;
 * tolerance 0.004000 sec}, {@code runtime error in connect call: Expected result 0 but got -1 with
 * errno 111 (Connection refused)} and so on.
 */
public final class ScriptFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String detail;

    /**
     * @param file   the script's name
     * @param line   the 1-based line of the event that failed (0: the script as a whole)
     * @param detail the message after {@code file:line: }
     */
    public ScriptFailure(String file, int line, String detail) {
        super(file + ":" + line + ": " + detail);
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    /** The script's name. */
    public String file() {
        return file;
    }

    /** The line of the event that failed. */
    public int line() {
        return line;
    }

    /** The message without {@code file:line: }. */
    public String detail() {
        return detail;
    }
}
