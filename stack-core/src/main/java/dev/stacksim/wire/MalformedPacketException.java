package dev.stacksim.wire;

/**
 * A packet that failed a length or validity check, with the {@link MalformedReason} that names the
 * check and a {@code key=value} message with the numbers ({@code ipv4: ihl=4 len=20}).
 *
 * <p>Thrown only by {@code checkLen()} and {@code parse()} of the wire classes. The receive path
 * catches it, counts the drop by reason and frees the skb: it never escapes the stack. Stack traces
 * are not filled in: a flood of bad packets must cost no more than a flood of good ones.
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final MalformedReason reason;

    /**
     * @param reason  the check that failed
     * @param message what was found, as {@code key=value} pairs
     */
    public MalformedPacketException(MalformedReason reason, String message) {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    /** The check that failed. */
    public MalformedReason reason() {
        return reason;
    }
}
