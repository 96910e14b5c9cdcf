package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;

/**
 * TCP's fixed numbers as Linux 6.x defines them in {@code include/net/tcp.h} and
 * {@code include/uapi/linux/tcp.h}, and the defaults of the TCP sysctls ({@code tcp_sk_init()}).
 * Durations are virtual nanoseconds; the kernel's are jiffies, written as multiples of {@code HZ}
 * (one second).
 *
 * <table>
 *   <caption>Timers</caption>
 *   <tr><th>constant</th><th>value</th><th>what it times</th></tr>
 *   <tr><td>TCP_TIMEOUT_INIT</td><td>1 s</td><td>first RTO, SYN and SYN-ACK (RFC 6298 2.1)</td></tr>
 *   <tr><td>TCP_TIMEOUT_FALLBACK</td><td>3 s</td><td>RTO after a handshake with retransmissions (RFC 1122)</td></tr>
 *   <tr><td>TCP_RTO_MIN / TCP_RTO_MAX</td><td>200 ms / 120 s</td><td>bounds of the RTO</td></tr>
 *   <tr><td>TCP_TIMEWAIT_LEN</td><td>60 s</td><td>TIME_WAIT</td></tr>
 *   <tr><td>TCP_FIN_TIMEOUT</td><td>60 s</td><td>orphaned FIN_WAIT2 ({@code tcp_fin_timeout})</td></tr>
 *   <tr><td>TCP_DELACK_MIN / TCP_DELACK_MAX</td><td>40 ms / 200 ms</td><td>delayed ACK</td></tr>
 * </table>
 */
public final class TcpConstants {
    private TcpConstants() {
    }

    /** One second: what the kernel writes as {@code HZ} jiffies. */
    public static final long HZ = SimTime.seconds(1);

    /** Initial retransmission timeout of SYN and SYN-ACK, RFC 6298 2.1 ({@code TCP_TIMEOUT_INIT}): 1 s. */
    public static final long TCP_TIMEOUT_INIT = SimTime.seconds(1);
    /** {@code TCP_TIMEOUT_MIN}: 2 jiffies, the retry after an ACK a SYN_SENT socket did not expect. */
    public static final long TCP_TIMEOUT_MIN = SimTime.millis(2);
    /**
     * RTO used for the first data when the handshake had to be retransmitted and gave no RTT
     * sample: the old RFC 1122 initial value ({@code TCP_TIMEOUT_FALLBACK}): 3 s.
     */
    public static final long TCP_TIMEOUT_FALLBACK = SimTime.seconds(3);
    /** Smallest RTO ({@code TCP_RTO_MIN}): 200 ms. */
    public static final long TCP_RTO_MIN = SimTime.millis(200);
    /** Largest RTO, also the cap of every backoff ({@code TCP_RTO_MAX}): 120 s. */
    public static final long TCP_RTO_MAX = SimTime.seconds(120);
    /** How long a TIME_WAIT socket lives ({@code TCP_TIMEWAIT_LEN}): 60 s. */
    public static final long TCP_TIMEWAIT_LEN = SimTime.seconds(60);
    /** Default {@code net.ipv4.tcp_fin_timeout}, the orphaned FIN_WAIT2 lifetime ({@code TCP_FIN_TIMEOUT}): 60 s. */
    public static final long TCP_FIN_TIMEOUT = TCP_TIMEWAIT_LEN;
    /** Largest {@code TCP_LINGER2} value ({@code TCP_FIN_TIMEOUT_MAX}): 120 s. */
    public static final long TCP_FIN_TIMEOUT_MAX = SimTime.seconds(120);
    /** Longest an ACK is delayed ({@code TCP_DELACK_MAX}): 200 ms. */
    public static final long TCP_DELACK_MAX = SimTime.millis(200);
    /** Shortest delayed-ACK timeout ({@code TCP_DELACK_MIN}, HZ/25): 40 ms. */
    public static final long TCP_DELACK_MIN = SimTime.millis(40);
    /** Smallest ACK timeout estimate, the ATO ({@code TCP_ATO_MIN}, HZ/25): 40 ms. */
    public static final long TCP_ATO_MIN = SimTime.millis(40);
    /** Retry interval when a retransmission fails for local congestion ({@code TCP_RESOURCE_PROBE_INTERVAL}): 500 ms. */
    public static final long TCP_RESOURCE_PROBE_INTERVAL = SimTime.millis(500);
    /** Idle time before the first keepalive probe ({@code TCP_KEEPALIVE_TIME}): 2 hours. */
    public static final long TCP_KEEPALIVE_TIME = SimTime.seconds(2 * 60 * 60);
    /** Interval between keepalive probes ({@code TCP_KEEPALIVE_INTVL}): 75 s. */
    public static final long TCP_KEEPALIVE_INTVL = SimTime.seconds(75);
    /** Unanswered keepalive probes before the connection is dropped ({@code TCP_KEEPALIVE_PROBES}). */
    public static final int TCP_KEEPALIVE_PROBES = 9;

    /** Default {@code net.ipv4.tcp_syn_retries} ({@code TCP_SYN_RETRIES}). */
    public static final int TCP_SYN_RETRIES = 6;
    /** Default {@code net.ipv4.tcp_synack_retries} ({@code TCP_SYNACK_RETRIES}). */
    public static final int TCP_SYNACK_RETRIES = 5;
    /** Default {@code net.ipv4.tcp_syn_linear_timeouts} (Linux 6.5+): SYN resends before backoff starts. */
    public static final int TCP_SYN_LINEAR_TIMEOUTS = 4;
    /** Default {@code net.ipv4.tcp_retries1} ({@code TCP_RETR1}): retransmissions before the route is re-checked. */
    public static final int TCP_RETR1 = 3;
    /** Default {@code net.ipv4.tcp_retries2} ({@code TCP_RETR2}): retransmissions before an established connection gives up. */
    public static final int TCP_RETR2 = 15;

    /** Initial congestion window, segments (RFC 6928, {@code TCP_INIT_CWND}). */
    public static final int TCP_INIT_CWND = 10;
    /** MSS assumed when the peer sends no MSS option (RFC 1122, {@code TCP_MSS_DEFAULT}): 536. */
    public static final int TCP_MSS_DEFAULT = 536;
    /** Smallest MSS accepted from a user or a route ({@code TCP_MIN_MSS}): 88. */
    public static final int TCP_MIN_MSS = 88;
    /** Default {@code net.ipv4.tcp_min_snd_mss} ({@code TCP_MIN_SND_MSS}): 48. */
    public static final int TCP_MIN_SND_MSS = 48;
    /** Smallest MSS a route advertises ({@code DEFAULT_MIN_ADVMSS}, {@code net.ipv4.route.min_adv_mss}): 256. */
    public static final int DEFAULT_MIN_ADVMSS = 256;
    /** Largest IPv4 path MTU ({@code IPV4_MAX_PMTU}): 65535. */
    public static final int IPV4_MAX_PMTU = 65535;
    /** Largest window offered without scaling when working around signed-window stacks ({@code MAX_TCP_WINDOW}). */
    public static final int MAX_TCP_WINDOW = 32767;
    /** Largest window scale shift, RFC 7323 2.3 ({@code TCP_MAX_WSCALE}): 14. */
    public static final int TCP_MAX_WSCALE = 14;
    /** Room for options in a TCP header ({@code MAX_TCP_OPTION_SPACE}): 40. */
    public static final int MAX_TCP_OPTION_SPACE = 40;
    /** Bytes the Timestamps option takes with its two NOPs ({@code TCPOLEN_TSTAMP_ALIGNED}): 12. */
    public static final int TCPOLEN_TSTAMP_ALIGNED = 12;
    /** The TCP header without options: 20. */
    public static final int TCP_HEADER_LEN = 20;
    /** The IPv4 header without options: 20. */
    public static final int IPV4_HEADER_LEN = 20;
    /** Duplicate ACKs that start fast retransmit ({@code TCP_FASTRETRANS_THRESH}). */
    public static final int TCP_FASTRETRANS_THRESH = 3;
    /** ACKs sent at once after the handshake or idle, quickack mode ({@code TCP_MAX_QUICKACKS}). */
    public static final int TCP_MAX_QUICKACKS = 16;
    /** {@code tcp_win_from_space} shift: windows are {@code space * scaling_ratio >> 8} ({@code TCP_RMEM_TO_WIN_SCALE}). */
    public static final int TCP_RMEM_TO_WIN_SCALE = 8;
    /** Initial {@code scaling_ratio}, 50% of the buffer counted as window ({@code TCP_DEFAULT_SCALING_RATIO}): 128. */
    public static final int TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);
}
