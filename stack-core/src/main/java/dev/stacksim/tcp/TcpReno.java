package dev.stacksim.tcp;

/**
 * Reno ({@code tcp_reno} in {@code tcp_cong.c}; RFC 5681): slow start up to ssthresh, then one
 * segment per window of ACKs; half the window after a loss. Linux's fallback and the simplest
 * {@link TcpCongestionOps} to read.
 */
public final class TcpReno implements TcpCongestionOps {
    /** Reno's name: {@code "reno"}. */
    public static final String NAME = "reno";

    @Override
    public String name() {
        return NAME;
    }

    /** {@code tcp_reno_ssthresh}: half the window, at least 2. */
    @Override
    public int ssthresh(TcpSock sk) {
        return Math.max(sk.sndCwnd() >>> 1, 2);
    }

    /** {@code tcp_reno_cong_avoid}. */
    @Override
    public void congAvoid(TcpSock sk, int ack, int acked) {
        if (!sk.isCwndLimited()) {
            return;
        }
        if (sk.inSlowStart()) {
            acked = sk.slowStart(acked);
            if (acked == 0) {
                return;
            }
        }
        sk.congAvoidAi(sk.sndCwnd(), acked);
    }
}
