package dev.stacksim.socket;

/**
 * The value of {@code SO_LINGER}: {@code struct linger { int l_onoff; int l_linger; }}.
 *
 * <p>With {@code onoff} set, {@code close()} of a TCP socket waits up to {@code linger} seconds for
 * unsent data to go; {@code {1, 0}} aborts the connection with a RST instead of a FIN (LINUX-FACTS,
 * {@code __tcp_close}). Linux stores any non-zero {@code l_onoff} as 1, and so does
 * {@link Process#getsockoptLinger}.
 *
 * @param onoff  non-zero: linger on close
 * @param linger seconds to linger
 */
public record Linger(int onoff, int linger) {
    /** {@code {0, 0}}: the default, close() returns at once and the kernel sends what is left. */
    public static final Linger OFF = new Linger(0, 0);

    /** {@code {onoff=1, linger=0}}, as packetdrill prints it. */
    @Override
    public String toString() {
        return "{onoff=" + onoff + ", linger=" + linger + "}";
    }
}
