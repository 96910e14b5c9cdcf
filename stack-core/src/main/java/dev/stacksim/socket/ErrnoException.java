package dev.stacksim.socket;

/**
 * A socket call that failed with an {@link Errno}: the Java form of a C call returning -1 with
 * {@code errno} set. The message names the call with its arguments, then the errno as Linux
 * prints it: {@code bind(3, 0.0.0.0:9501): EADDRINUSE (98) Address already in use}.
 *
 * <p>Unchecked, so that a test can write a sequence of calls the way C does and assert on the
 * failures it expects ({@code assertThrows(ErrnoException.class, ...).errno()}).
 */
public final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String call;
    private final String detail;

    /**
     * @param errno the error
     * @param call  the call with its arguments, as {@code strace} would show it: {@code bind(3, 0.0.0.0:9501)}
     */
    public ErrnoException(Errno errno, String call) {
        this(errno, call, null);
    }

    /**
     * A failure with an explanation the simulator adds after Linux's text, for errors whose cause
     * is not obvious from the errno alone:
     * {@code socket(2, 1, 0): ESOCKTNOSUPPORT (94) Socket type not supported - TCP is not built yet}.
     *
     * @param detail the explanation, or null for none
     */
    public ErrnoException(Errno errno, String call, String detail) {
        super(call + ": " + errno + (detail == null ? "" : " - " + detail));
        this.errno = errno;
        this.call = call;
        this.detail = detail;
    }

    /** The error. */
    public Errno errno() {
        return errno;
    }

    /** The call that failed, with its arguments. */
    public String call() {
        return call;
    }

    /** The simulator's explanation after Linux's text, or null. */
    public String detail() {
        return detail;
    }
}
