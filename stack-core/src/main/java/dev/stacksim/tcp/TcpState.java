package dev.stacksim.tcp;

/**
 * The states of a TCP socket with Linux's numbers ({@code include/net/tcp_states.h}) and the
 * three ways they are printed: {@code /proc/net/tcp} (the number in hex), {@code ss} (its own
 * names) and RFC 9293 (section 3.3.2).
 *
 * <table>
 *   <caption>The states and their names</caption>
 *   <tr><th>constant</th><th>Linux value</th><th>/proc/net/tcp st</th><th>ss</th><th>RFC 9293</th></tr>
 *   <tr><td>ESTABLISHED</td><td>1</td><td>01</td><td>ESTAB</td><td>ESTABLISHED</td></tr>
 *   <tr><td>SYN_SENT</td><td>2</td><td>02</td><td>SYN-SENT</td><td>SYN-SENT</td></tr>
 *   <tr><td>SYN_RECV</td><td>3</td><td>03</td><td>SYN-RECV</td><td>SYN-RECEIVED</td></tr>
 *   <tr><td>FIN_WAIT1</td><td>4</td><td>04</td><td>FIN-WAIT-1</td><td>FIN-WAIT-1</td></tr>
 *   <tr><td>FIN_WAIT2</td><td>5</td><td>05</td><td>FIN-WAIT-2</td><td>FIN-WAIT-2</td></tr>
 *   <tr><td>TIME_WAIT</td><td>6</td><td>06</td><td>TIME-WAIT</td><td>TIME-WAIT</td></tr>
 *   <tr><td>CLOSE</td><td>7</td><td>07</td><td>UNCONN</td><td>CLOSED</td></tr>
 *   <tr><td>CLOSE_WAIT</td><td>8</td><td>08</td><td>CLOSE-WAIT</td><td>CLOSE-WAIT</td></tr>
 *   <tr><td>LAST_ACK</td><td>9</td><td>09</td><td>LAST-ACK</td><td>LAST-ACK</td></tr>
 *   <tr><td>LISTEN</td><td>10</td><td>0A</td><td>LISTEN</td><td>LISTEN</td></tr>
 *   <tr><td>CLOSING</td><td>11</td><td>0B</td><td>CLOSING</td><td>CLOSING</td></tr>
 *   <tr><td>NEW_SYN_RECV</td><td>12</td><td>03</td><td>SYN-RECV</td><td>SYN-RECEIVED</td></tr>
 * </table>
 *
 * <h2>Two kinds of SYN-RECEIVED</h2>
 * Since Linux 4.4 a passive open does not create a socket on the SYN: it creates a small
 * <em>request sock</em> in state {@link #NEW_SYN_RECV} ({@link RequestSock}), and the full socket
 * is born on the final ACK directly in ESTABLISHED. Tools never show the number 12:
 * {@code get_openreq4()} prints request socks in {@code /proc/net/tcp} as {@code 03} (with inode 0),
 * and {@code inet_req_diag_fill()} reports them to {@code ss} as SYN_RECV. A real socket is in
 * {@link #SYN_RECV} only in TCP Fast Open (a child that may already carry data) and on a
 * simultaneous open from SYN_SENT.
 *
 * <h2>Masks</h2>
 * The kernel tests sets of states with {@code TCPF_*} bit masks
 * ({@code (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)}); {@link #flag()} is that bit,
 * and {@link #in(int)} the test.
 */
public enum TcpState {
    /** Connected: data flows both ways ({@code TCP_ESTABLISHED}). */
    ESTABLISHED(1, "ESTAB", "ESTABLISHED"),
    /** {@code connect()} sent a SYN and waits for the SYN-ACK ({@code TCP_SYN_SENT}). */
    SYN_SENT(2, "SYN-SENT", "SYN-SENT"),
    /** A full socket that received a SYN and sent its SYN-ACK: Fast Open or simultaneous open ({@code TCP_SYN_RECV}). */
    SYN_RECV(3, "SYN-RECV", "SYN-RECEIVED"),
    /** Closed by this end, its FIN not yet acknowledged ({@code TCP_FIN_WAIT1}). */
    FIN_WAIT1(4, "FIN-WAIT-1", "FIN-WAIT-1"),
    /** This end's FIN acknowledged; waiting for the peer's FIN ({@code TCP_FIN_WAIT2}). */
    FIN_WAIT2(5, "FIN-WAIT-2", "FIN-WAIT-2"),
    /** Both FINs exchanged, this end closed first; waits 2MSL (Linux: 60 s) for stray segments ({@code TCP_TIME_WAIT}). */
    TIME_WAIT(6, "TIME-WAIT", "TIME-WAIT"),
    /** No connection: new, unconnected, or finished ({@code TCP_CLOSE}). */
    CLOSE(7, "UNCONN", "CLOSED"),
    /** The peer closed (its FIN arrived); this end may still send ({@code TCP_CLOSE_WAIT}). */
    CLOSE_WAIT(8, "CLOSE-WAIT", "CLOSE-WAIT"),
    /** Closed after the peer did; waiting for the ACK of this end's FIN ({@code TCP_LAST_ACK}). */
    LAST_ACK(9, "LAST-ACK", "LAST-ACK"),
    /** Waiting for connections ({@code TCP_LISTEN}). */
    LISTEN(10, "LISTEN", "LISTEN"),
    /** Both ends closed at once: FINs crossed ({@code TCP_CLOSING}). */
    CLOSING(11, "CLOSING", "CLOSING"),
    /** A request sock: a SYN answered with a SYN-ACK, no socket yet ({@code TCP_NEW_SYN_RECV}). */
    NEW_SYN_RECV(12, "SYN-RECV", "SYN-RECEIVED");

    private static final TcpState[] BY_NUMBER = new TcpState[13];

    static {
        for (TcpState s : values()) {
            BY_NUMBER[s.number] = s;
        }
    }

    private final int number;
    private final String ssName;
    private final String rfcName;

    TcpState(int number, String ssName, String rfcName) {
        this.number = number;
        this.ssName = ssName;
        this.rfcName = rfcName;
    }

    /** Linux's value of the state ({@code TCP_ESTABLISHED} = 1 ... {@code TCP_NEW_SYN_RECV} = 12). */
    public int number() {
        return number;
    }

    /**
     * The {@code st} column of {@code /proc/net/tcp}: the state as {@code %02X}, with a request
     * sock shown as {@code 03} (SYN_RECV), as {@code get_openreq4()} prints it.
     */
    public String procHex() {
        int shown = this == NEW_SYN_RECV ? SYN_RECV.number : number;
        return shown < 10 ? "0" + shown : "0" + (char) ('A' + shown - 10);
    }

    /** The name {@code ss} prints in its State column ({@code sstate_name[]} of iproute2's {@code ss.c}). */
    public String ssName() {
        return ssName;
    }

    /** The state's name in RFC 9293 section 3.3.2 ({@code SYN-RECEIVED}, {@code CLOSED}). */
    public String rfcName() {
        return rfcName;
    }

    /** The state's {@code TCPF_*} bit: {@code 1 << number()}. */
    public int flag() {
        return 1 << number;
    }

    /** True if this state's bit is in {@code mask} ({@code (1 << sk_state) & mask}). */
    public boolean in(int mask) {
        return (flag() & mask) != 0;
    }

    /**
     * The state with Linux value {@code number}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= number <= 12}
     */
    public static TcpState ofNumber(int number) {
        if (number < 1 || number >= BY_NUMBER.length) {
            throw new IllegalArgumentException("tcp state: number=" + number + " not in 1..12");
        }
        return BY_NUMBER[number];
    }

    /** The {@code TCPF_*} mask of {@code states}: {@code mask(SYN_SENT, SYN_RECV)}. */
    public static int mask(TcpState... states) {
        int m = 0;
        for (TcpState s : states) {
            m |= s.flag();
        }
        return m;
    }
}
