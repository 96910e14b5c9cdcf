package dev.stacksim.tcp;

/**
 * A congestion control algorithm ({@code struct tcp_congestion_ops}): what the window does as ACKs
 * arrive, and what it becomes after a loss. TCP calls it; the algorithm changes the socket's
 * {@link TcpSock#sndCwnd() cwnd} and returns a slow-start threshold. Loss detection, fast
 * retransmit and the reduction itself (PRR, RFC 6937) stay in TCP, as in Linux.
 *
 * <p>One instance serves one socket, so an algorithm keeps its per-connection state in fields
 * (Linux's {@code icsk_ca_priv}). Register a factory with
 * {@link TcpCongestion#register(String, java.util.function.Supplier)}; a socket picks it with
 * {@code setsockopt(fd, SOL_TCP, TCP_CONGESTION, "name")}, or all new connections with
 * {@code sysctl net.ipv4.tcp_congestion_control=name}.
 *
 * <pre>{@code
 * final class Fixed implements TcpCongestionOps {          // a window of 20 segments, always
 *     public String name() { return "fixed"; }
 *     public int ssthresh(TcpSock sk) { return 20; }
 *     public void congAvoid(TcpSock sk, int ack, int acked) { sk.setSndCwnd(20); }
 * }
 * host.tcp().congestion().register("fixed", Fixed::new);
 * }</pre>
 *
 * <p>The defaults of the optional methods are Linux's ({@code tcp_reno_undo_cwnd} for
 * {@link #undoCwnd}).
 */
public interface TcpCongestionOps {
    /** The algorithm's name, as TCP_CONGESTION and {@code ss -i} show it ({@code "cubic"}). */
    String name();

    /** The connection starts (or switches to this algorithm) ({@code init}). */
    default void init(TcpSock sk) {
    }

    /** The slow-start threshold after a loss, in segments ({@code ssthresh}). */
    int ssthresh(TcpSock sk);

    /**
     * An ACK delivered {@code acked} segments while no reduction is under way: grow the window
     * ({@code cong_avoid}).
     *
     * @param ack the acknowledgment number of the ACK
     */
    void congAvoid(TcpSock sk, int ack, int acked);

    /** The congestion state is about to change to {@code state} ({@code set_state}). */
    default void setState(TcpSock sk, TcpCaState state) {
    }

    /** Something happened that the algorithm may care about ({@code cwnd_event}). */
    default void cwndEvent(TcpSock sk, TcpCaEvent event) {
    }

    /** The window to return to when a reduction is found spurious ({@code undo_cwnd}). */
    default int undoCwnd(TcpSock sk) {
        return Math.max(sk.sndCwnd(), sk.priorCwnd());
    }

    /**
     * An ACK acknowledged {@code pktsAcked} segments; {@code rttUs} is its RTT sample in
     * microseconds, or -1 when it gave none ({@code pkts_acked}).
     */
    default void pktsAcked(TcpSock sk, int pktsAcked, long rttUs) {
    }
}
