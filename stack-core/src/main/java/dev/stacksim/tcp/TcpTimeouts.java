package dev.stacksim.tcp;

import java.util.Arrays;

/**
 * When Linux 6.x resends a SYN or a SYN-ACK, and when it gives up: the decisions of
 * {@code tcp_retransmit_timer()} / {@code tcp_write_timeout()} for a connecting socket and of
 * {@code reqsk_timer_handler()} for a request sock, as pure functions, plus the whole schedules
 * they produce.
 *
 * <h2>SYN (connect)</h2>
 * The first SYN goes out at 0 with an RTO of 1 s. Since Linux 6.5 the first
 * {@code tcp_syn_linear_timeouts} (4) resends keep that RTO; after them it doubles. The connection
 * fails with ETIMEDOUT when the timer fires after {@code tcp_syn_retries + tcp_syn_linear_timeouts}
 * resends, or once {@code tcp_model_timeout(tcp_syn_retries, 1 s)} (127 s for 6) has passed since
 * the first SYN, whichever comes first:
 * <pre>
 *   SYN  0   1   2   3   4   5   7   11   19   35   67          131 s: ETIMEDOUT (110)
 *          └─ linear, 1 s ──┘ └─ 2, 4, 8, 16, 32, 64 s ─┘
 * </pre>
 * Observed on this machine (Linux 6.18, defaults 6 and 4), a loopback connect() to a listener
 * whose accept queue was full: SYNs at 0, 1.02, 2.05, 3.07, 4.09, 5.11, 7.13, 11.19, 19.39,
 * 35.52, 67.77 s and ETIMEDOUT at 133.3 s (each timer runs a few ms late on a real kernel).
 *
 * <h2>SYN-ACK (request sock)</h2>
 * The request's timer starts at 1 s and doubles on each run ({@code reqsk_timeout}); each run
 * resends the SYN-ACK until {@code tcp_synack_retries} (5) runs have resent it, and the next run
 * drops the request:
 * <pre>
 *   SYN-ACK  0   1   3   7   15   31          63 s: request dropped
 * </pre>
 * Observed on this machine: a spoofed SYN left unanswered got its SYN-ACK at 0, 1.02, 3.04, 7.26,
 * 15.45, 31.58 s, and TcpExtTCPTimeouts counted 6 timer runs (one per run, the last one dropping it).
 * A crowded SYN queue lowers the limit for old requests, never below 2 ({@link #maxSynAckRetries}).
 *
 * <p>Every run of either timer counts {@code TCPTimeouts} ({@link ListenCounter#TCP_TIMEOUTS}): the
 * SYN timer in {@code tcp_retransmit_timer()} before it decides, the SYN-ACK timer in
 * {@code tcp_syn_ack_timeout()}, the run that gives up included.
 */
public final class TcpTimeouts {
    private TcpTimeouts() {
    }

    // ------------------------------------------------------------------------------ SYN-ACK

    /**
     * The retry limit a SYN-ACK timer run uses ({@code reqsk_timer_handler}'s pruning). When more
     * than half the queue's room is taken ({@code qlen * 2 > max(8, backlog)}), the limit drops by
     * one for each halving of the young share of the queue: it stays if {@code qlen < 2 * young},
     * else drops to {@code limit - 1} unless {@code qlen < 4 * young}, and so on, never below 2.
     * Half the queue is kept for young requests and old ones are aborted sooner.
     *
     * @param synackRetries {@code net.ipv4.tcp_synack_retries} (or the listener's {@code TCP_SYNCNT})
     * @param qlen          request socks in the SYN queue
     * @param young         of those, the young ones
     * @param maxAckBacklog the listener's backlog
     */
    public static int maxSynAckRetries(int synackRetries, int qlen, int young, int maxAckBacklog) {
        int max = synackRetries;
        if ((long) qlen << 1 > Math.max(8, maxAckBacklog)) {
            long youngTimesTwo = (long) young << 1;
            while (max > 2) {
                if (qlen < youngTimesTwo) {
                    break;
                }
                max--;
                youngTimesTwo <<= 1;
            }
        }
        return max;
    }

    /** What one run of a request's SYN-ACK timer does ({@code syn_ack_recalc}). */
    public enum SynAckAction {
        /** Resend the SYN-ACK and re-arm the timer. */
        RESEND,
        /** Re-arm the timer without resending (TCP_DEFER_ACCEPT: acked, waiting for data). */
        WAIT,
        /** Drop the request. */
        EXPIRE
    }

    /**
     * The decision of one SYN-ACK timer run ({@code syn_ack_recalc}, and in
     * {@code reqsk_timer_handler} an acked request is kept even if its resend fails).
     *
     * @param numTimeout     runs so far ({@code req->num_timeout})
     * @param maxRetries     the limit ({@link #maxSynAckRetries})
     * @param deferAccept    {@code rskq_defer_accept}: TCP_DEFER_ACCEPT in retransmissions, 0 when off
     * @param acked          the request's final ACK was seen ({@code inet_rsk(req)->acked})
     */
    public static SynAckAction synAckRecalc(int numTimeout, int maxRetries, int deferAccept, boolean acked) {
        boolean expire;
        boolean resend;
        if (deferAccept == 0) {
            expire = numTimeout >= maxRetries;
            resend = true;
        } else {
            expire = numTimeout >= maxRetries && (!acked || numTimeout >= deferAccept);
            resend = !acked || numTimeout >= deferAccept - 1;
        }
        if (expire) {
            return SynAckAction.EXPIRE;
        }
        return resend ? SynAckAction.RESEND : SynAckAction.WAIT;
    }

    /**
     * The delay until a request's next timer run after {@code numTimeout} runs
     * ({@code reqsk_timeout}): {@code min(timeout << numTimeout, TCP_RTO_MAX)}.
     *
     * @param timeout the request's initial timeout ({@code req->timeout}, 1 s)
     */
    public static long reqskTimeout(long timeout, int numTimeout) {
        if (numTimeout >= 63 || timeout > (TcpConstants.TCP_RTO_MAX >> numTimeout)) {
            return TcpConstants.TCP_RTO_MAX;
        }
        return Math.min(timeout << numTimeout, TcpConstants.TCP_RTO_MAX);
    }

    /**
     * The times, after the first SYN-ACK, at which an unanswered request resends it, with an
     * uncrowded queue: {1, 3, 7, 15, 31} s for 5 retries.
     */
    public static long[] synAckRetransmitTimes(int synackRetries) {
        return synAckSchedule(synackRetries)[0];
    }

    /** When an unanswered request is dropped, after the first SYN-ACK: 63 s for 5 retries. */
    public static long synAckExpiry(int synackRetries) {
        return synAckSchedule(synackRetries)[1][0];
    }

    private static long[][] synAckSchedule(int synackRetries) {
        long[] resends = new long[Math.max(0, synackRetries)];
        int n = 0;
        long t = TcpConstants.TCP_TIMEOUT_INIT;
        for (int numTimeout = 0; ; numTimeout++) {
            if (synAckRecalc(numTimeout, synackRetries, 0, false) == SynAckAction.EXPIRE) {
                return new long[][] {Arrays.copyOf(resends, n), {t}};
            }
            resends[n++] = t;
            t += reqskTimeout(TcpConstants.TCP_TIMEOUT_INIT, numTimeout + 1);
        }
    }

    // ---------------------------------------------------------------------------------- SYN

    /**
     * How long {@code boundary} retransmissions take with an RTO starting at {@code rtoBase} and
     * doubling up to TCP_RTO_MAX ({@code tcp_model_timeout}): {@code (2^(b+1) - 1) * rtoBase} while
     * the doubling stays under the cap ({@code b <= log2(TCP_RTO_MAX / rtoBase)}), then 120 s per
     * further retransmission. 127 s for 6 retransmissions from 1 s; 924.6 s for 15 from 200 ms.
     */
    public static long modelTimeout(int boundary, long rtoBase) {
        int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(TcpConstants.TCP_RTO_MAX / rtoBase);
        if (boundary <= linearBackoffThresh) {
            return ((2L << boundary) - 1) * rtoBase;
        }
        return ((2L << linearBackoffThresh) - 1) * rtoBase
                + (long) (boundary - linearBackoffThresh) * TcpConstants.TCP_RTO_MAX;
    }

    /**
     * True if a connection that has retransmitted {@code retransmits} times, the first
     * transmission {@code elapsed} ago, has used up {@code boundary} retransmissions' worth of time
     * ({@code retransmits_timed_out} with no user timeout). Never before the first retransmission.
     *
     * @param rtoBase 1 s ({@code tcp_timeout_init}) in SYN_SENT and SYN_RECV, else TCP_RTO_MIN
     */
    public static boolean retransmitsTimedOut(int retransmits, long elapsed, int boundary, long rtoBase) {
        if (retransmits == 0) {
            return false;
        }
        return elapsed >= modelTimeout(boundary, rtoBase);
    }

    /**
     * True if a SYN_SENT socket whose retransmission timer fired now gives up with ETIMEDOUT
     * ({@code tcp_write_timeout} in SYN_SENT): it has already resent its SYN
     * {@code synRetries + synLinearTimeouts} times, or {@link #modelTimeout}{@code (synRetries, 1 s)}
     * has passed since the first SYN.
     *
     * @param retransmits SYN resends so far ({@code icsk_retransmits})
     * @param elapsed     time since the first SYN ({@code retrans_stamp})
     */
    public static boolean synSentTimedOut(int retransmits, long elapsed, int synRetries, int synLinearTimeouts) {
        if (retransmits >= synRetries + synLinearTimeouts) {
            return true;
        }
        return retransmitsTimedOut(retransmits, elapsed, synRetries, TcpConstants.TCP_TIMEOUT_INIT);
    }

    /**
     * The RTO after a SYN resend ({@code tcp_retransmit_timer}, {@code out_reset_timer}): unchanged
     * while {@code totalRto <= synLinearTimeouts}, else doubled up to TCP_RTO_MAX.
     *
     * @param rto      the RTO before
     * @param totalRto resends so far, this one included ({@code tp->total_rto})
     */
    public static long synRtoAfterResend(long rto, int totalRto, int synLinearTimeouts) {
        if (totalRto > synLinearTimeouts) {
            return Math.min(rto << 1, TcpConstants.TCP_RTO_MAX);
        }
        return rto;
    }

    /**
     * The times after the first SYN at which an unanswered SYN is resent: {1, 2, 3, 4, 5, 7, 11,
     * 19, 35, 67} s for the defaults (6 retries, 4 linear timeouts).
     */
    public static long[] synRetransmitTimes(int synRetries, int synLinearTimeouts) {
        return synSchedule(synRetries, synLinearTimeouts)[0];
    }

    /** When an unanswered connect() fails with ETIMEDOUT, after the first SYN: 131 s for the defaults. */
    public static long synConnectTimeout(int synRetries, int synLinearTimeouts) {
        return synSchedule(synRetries, synLinearTimeouts)[1][0];
    }

    private static long[][] synSchedule(int synRetries, int synLinearTimeouts) {
        long[] resends = new long[Math.max(0, synRetries + synLinearTimeouts)];
        int n = 0;
        long rto = TcpConstants.TCP_TIMEOUT_INIT;
        long t = 0;
        for (int retransmits = 0; ; ) {
            t += rto;
            if (synSentTimedOut(retransmits, t, synRetries, synLinearTimeouts)) {
                return new long[][] {Arrays.copyOf(resends, n), {t}};
            }
            retransmits++;
            resends[n++] = t;
            rto = synRtoAfterResend(rto, retransmits, synLinearTimeouts);
        }
    }
}
