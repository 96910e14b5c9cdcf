package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.sim.SimTime;
import dev.stacksim.tcp.TcpTimeouts.SynAckAction;
import org.junit.jupiter.api.Test;

class TcpTimeoutsTest {
    private static long[] seconds(long... s) {
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = SimTime.seconds(s[i]);
        }
        return out;
    }

    @Test
    void synAckIsResentAt1_3_7_15_31AndDroppedAt63() {
        // Observed on Linux 6.18 (tcp_synack_retries 5): SYN-ACKs at 0, 1.02, 3.04, 7.26, 15.45,
        // 31.58 s and six TCPTimeouts by 66 s.
        assertArrayEquals(seconds(1, 3, 7, 15, 31), TcpTimeouts.synAckRetransmitTimes(5));
        assertEquals(SimTime.seconds(63), TcpTimeouts.synAckExpiry(5));
    }

    @Test
    void synAckScheduleFollowsTcpSynackRetries() {
        assertArrayEquals(seconds(1, 3), TcpTimeouts.synAckRetransmitTimes(2));
        assertEquals(SimTime.seconds(7), TcpTimeouts.synAckExpiry(2));
        assertArrayEquals(new long[0], TcpTimeouts.synAckRetransmitTimes(0));
        assertEquals(SimTime.seconds(1), TcpTimeouts.synAckExpiry(0));
        // Intervals double up to TCP_RTO_MAX: 64 s, then 120 s.
        assertArrayEquals(seconds(1, 3, 7, 15, 31, 63, 127, 247, 367), TcpTimeouts.synAckRetransmitTimes(9));
    }

    @Test
    void reqskTimeoutDoublesAndCapsAtRtoMax() {
        long init = TcpConstants.TCP_TIMEOUT_INIT;
        assertEquals(SimTime.seconds(1), TcpTimeouts.reqskTimeout(init, 0));
        assertEquals(SimTime.seconds(32), TcpTimeouts.reqskTimeout(init, 5));
        assertEquals(SimTime.seconds(64), TcpTimeouts.reqskTimeout(init, 6));
        assertEquals(SimTime.seconds(120), TcpTimeouts.reqskTimeout(init, 7));
        assertEquals(SimTime.seconds(120), TcpTimeouts.reqskTimeout(init, 127));
    }

    @Test
    void uncrowdedQueueKeepsTheConfiguredRetries() {
        // qlen * 2 > max(8, backlog) is false.
        assertEquals(5, TcpTimeouts.maxSynAckRetries(5, 64, 0, 128));
        assertEquals(5, TcpTimeouts.maxSynAckRetries(5, 4, 0, 2), "max(8, backlog): 8 is not > 8");
    }

    @Test
    void crowdedQueueLowersRetriesAsTheYoungShareHalves() {
        // qlen 65 of backlog 128: crowded.
        assertEquals(5, TcpTimeouts.maxSynAckRetries(5, 65, 33, 128), "65 < 2 * 33");
        assertEquals(4, TcpTimeouts.maxSynAckRetries(5, 65, 32, 128), "65 >= 64, 65 < 128");
        assertEquals(3, TcpTimeouts.maxSynAckRetries(5, 65, 10, 128), "65 >= 20, >= 40, < 80");
        assertEquals(2, TcpTimeouts.maxSynAckRetries(5, 65, 0, 128), "never below 2");
        assertEquals(2, TcpTimeouts.maxSynAckRetries(2, 65, 0, 128));
        assertEquals(1, TcpTimeouts.maxSynAckRetries(1, 65, 0, 128), "a limit below 2 is not raised");
        assertEquals(2, TcpTimeouts.maxSynAckRetries(5, 5, 0, 2), "small backlogs use 8");
    }

    @Test
    void synAckRecalcExpiresAtTheLimitAndOtherwiseResends() {
        assertEquals(SynAckAction.RESEND, TcpTimeouts.synAckRecalc(0, 5, 0, false));
        assertEquals(SynAckAction.RESEND, TcpTimeouts.synAckRecalc(4, 5, 0, true), "acked requests keep resending");
        assertEquals(SynAckAction.EXPIRE, TcpTimeouts.synAckRecalc(5, 5, 0, true));
    }

    @Test
    void deferAcceptWaitsQuietlyForDataAfterAnAck() {
        assertEquals(SynAckAction.WAIT, TcpTimeouts.synAckRecalc(0, 5, 3, true));
        assertEquals(SynAckAction.RESEND, TcpTimeouts.synAckRecalc(2, 5, 3, true), "last chance before the end");
        assertEquals(SynAckAction.RESEND, TcpTimeouts.synAckRecalc(0, 5, 3, false));
        assertEquals(SynAckAction.RESEND, TcpTimeouts.synAckRecalc(2, 2, 3, true), "acked outlives the limit");
        assertEquals(SynAckAction.EXPIRE, TcpTimeouts.synAckRecalc(3, 2, 3, true));
        assertEquals(SynAckAction.EXPIRE, TcpTimeouts.synAckRecalc(2, 2, 3, false));
    }

    @Test
    void synIsResentLinearlyThenExponentiallyAndConnectTimesOutAt131() {
        // Observed on Linux 6.18 (tcp_syn_retries 6, tcp_syn_linear_timeouts 4): SYNs at 0, 1.02,
        // 2.05, 3.07, 4.09, 5.11, 7.13, 11.19, 19.39, 35.52, 67.77 s; ETIMEDOUT at 133.3 s.
        assertArrayEquals(seconds(1, 2, 3, 4, 5, 7, 11, 19, 35, 67), TcpTimeouts.synRetransmitTimes(6, 4));
        assertEquals(SimTime.seconds(131), TcpTimeouts.synConnectTimeout(6, 4));
    }

    @Test
    void withoutLinearTimeoutsTheClassic127SecondsReturn() {
        assertArrayEquals(seconds(1, 3, 7, 15, 31, 63), TcpTimeouts.synRetransmitTimes(6, 0));
        assertEquals(SimTime.seconds(127), TcpTimeouts.synConnectTimeout(6, 0));
    }

    @Test
    void moreSynRetriesHitTheRtoMaxCap() {
        assertArrayEquals(seconds(1, 2, 3, 4, 5, 7, 11, 19, 35, 67, 131, 251), TcpTimeouts.synRetransmitTimes(8, 4));
        assertEquals(SimTime.seconds(371), TcpTimeouts.synConnectTimeout(8, 4));
    }

    @Test
    void fewSynRetriesAreCutShortByTheModelTimeout() {
        // tcp_syn_retries 1: the model allows (2^2 - 1) s = 3 s, before the linear resends run out.
        assertArrayEquals(seconds(1, 2), TcpTimeouts.synRetransmitTimes(1, 4));
        assertEquals(SimTime.seconds(3), TcpTimeouts.synConnectTimeout(1, 4));
        assertArrayEquals(seconds(1, 2, 3, 4, 5), TcpTimeouts.synRetransmitTimes(2, 4));
        assertEquals(SimTime.seconds(7), TcpTimeouts.synConnectTimeout(2, 4));
    }

    @Test
    void modelTimeoutDoublesUntilTheCapThenAdds120PerRetry() {
        assertEquals(SimTime.seconds(127), TcpTimeouts.modelTimeout(6, TcpConstants.TCP_TIMEOUT_INIT));
        assertEquals(SimTime.seconds(367), TcpTimeouts.modelTimeout(8, TcpConstants.TCP_TIMEOUT_INIT));
        // tcp_retries2 15 from TCP_RTO_MIN: the well-known 924.6 s.
        assertEquals(SimTime.millis(924_600), TcpTimeouts.modelTimeout(15, TcpConstants.TCP_RTO_MIN));
        assertEquals(SimTime.millis(200), TcpTimeouts.modelTimeout(0, TcpConstants.TCP_RTO_MIN));
    }

    @Test
    void retransmitsTimedOutNeedsARetransmissionFirst() {
        assertFalse(TcpTimeouts.retransmitsTimedOut(0, SimTime.seconds(1000), 6, TcpConstants.TCP_TIMEOUT_INIT));
        assertTrue(TcpTimeouts.retransmitsTimedOut(1, SimTime.seconds(127), 6, TcpConstants.TCP_TIMEOUT_INIT));
        assertFalse(TcpTimeouts.retransmitsTimedOut(1, SimTime.seconds(127) - 1, 6, TcpConstants.TCP_TIMEOUT_INIT));
    }

    @Test
    void synSentGivesUpOnCountOrTime() {
        assertTrue(TcpTimeouts.synSentTimedOut(10, SimTime.seconds(10), 6, 4));
        assertFalse(TcpTimeouts.synSentTimedOut(9, SimTime.seconds(67), 6, 4));
        assertTrue(TcpTimeouts.synSentTimedOut(9, SimTime.seconds(127), 6, 4));
    }

    @Test
    void synRtoStaysLinearForTheFirstResendsThenDoublesToTheCap() {
        long rto = TcpConstants.TCP_TIMEOUT_INIT;
        assertEquals(rto, TcpTimeouts.synRtoAfterResend(rto, 4, 4));
        assertEquals(2 * rto, TcpTimeouts.synRtoAfterResend(rto, 5, 4));
        assertEquals(TcpConstants.TCP_RTO_MAX, TcpTimeouts.synRtoAfterResend(SimTime.seconds(64), 11, 4));
    }
}
