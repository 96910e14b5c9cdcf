package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stacksim.sim.SimTime;
import org.junit.jupiter.api.Test;

class TcpConstantsTest {
    @Test
    void timersAreLinuxsInNanoseconds() {
        assertEquals(SimTime.seconds(1), TcpConstants.TCP_TIMEOUT_INIT);
        assertEquals(SimTime.seconds(3), TcpConstants.TCP_TIMEOUT_FALLBACK);
        assertEquals(SimTime.millis(200), TcpConstants.TCP_RTO_MIN);
        assertEquals(SimTime.seconds(120), TcpConstants.TCP_RTO_MAX);
        assertEquals(SimTime.seconds(60), TcpConstants.TCP_TIMEWAIT_LEN);
        assertEquals(SimTime.seconds(60), TcpConstants.TCP_FIN_TIMEOUT);
        assertEquals(SimTime.millis(40), TcpConstants.TCP_DELACK_MIN);
        assertEquals(SimTime.millis(40), TcpConstants.TCP_ATO_MIN);
        assertEquals(SimTime.millis(200), TcpConstants.TCP_DELACK_MAX);
        assertEquals(SimTime.seconds(7200), TcpConstants.TCP_KEEPALIVE_TIME);
    }

    @Test
    void sysctlDefaultsAreLinuxs() {
        // /proc/sys/net/ipv4 on this machine: tcp_syn_retries 6, tcp_syn_linear_timeouts 4,
        // tcp_synack_retries 5.
        assertEquals(6, TcpConstants.TCP_SYN_RETRIES);
        assertEquals(4, TcpConstants.TCP_SYN_LINEAR_TIMEOUTS);
        assertEquals(5, TcpConstants.TCP_SYNACK_RETRIES);
        assertEquals(15, TcpConstants.TCP_RETR2);
    }

    @Test
    void sizesAreLinuxs() {
        assertEquals(536, TcpConstants.TCP_MSS_DEFAULT);
        assertEquals(14, TcpConstants.TCP_MAX_WSCALE);
        assertEquals(10, TcpConstants.TCP_INIT_CWND);
        assertEquals(128, TcpConstants.TCP_DEFAULT_SCALING_RATIO);
        assertEquals(1073725440, SynNegotiation.MAX_SCALED_WINDOW);
    }
}
