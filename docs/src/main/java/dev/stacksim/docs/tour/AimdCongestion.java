package dev.stacksim.docs.tour;

import dev.stacksim.tcp.TcpCongestionOps;
import dev.stacksim.tcp.TcpSock;

/**
 * The guide's example of a home-made congestion control: additive increase, multiplicative
 * decrease with a gentler cut than Reno's (to 4/5 of the window, not 1/2) and the same slow
 * start. TCP still finds the losses, retransmits and paces the reduction (PRR); this class only
 * says how the window grows and where it lands.
 */
// tag::aimd[]
public final class AimdCongestion implements TcpCongestionOps {
    /** The name TCP_CONGESTION and {@code ss -i} use. */
    public static final String NAME = "aimd45";

    @Override
    public String name() {
        return NAME;
    }

    /** After a loss: 4/5 of the window, at least 2 segments. */
    @Override
    public int ssthresh(TcpSock sk) {
        return Math.max(sk.sndCwnd() * 4 / 5, 2);
    }

    /** Per ACK outside a reduction: slow start below ssthresh, then one segment per window. */
    @Override
    public void congAvoid(TcpSock sk, int ack, int acked) {
        if (!sk.isCwndLimited()) {
            return;                          // an application-limited flow proves nothing
        }
        if (sk.inSlowStart()) {
            acked = sk.slowStart(acked);     // cwnd += acked, up to ssthresh; returns the rest
            if (acked == 0) {
                return;
            }
        }
        sk.congAvoidAi(sk.sndCwnd(), acked); // +1 segment per cwnd segments acked
    }
}
// end::aimd[]
