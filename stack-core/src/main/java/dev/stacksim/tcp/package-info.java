/**
 * TCP, as Linux 6.x does it. This package starts with the self-contained pieces the connection
 * state machine is built on, each a mirror of named kernel functions and each exact to the
 * kernel's numbers:
 *
 * <table>
 *   <caption>Foundations and their kernel counterparts</caption>
 *   <tr><th>class</th><th>models</th><th>Linux</th></tr>
 *   <tr><td>{@link dev.stacksim.tcp.TcpSeq}</td><td>sequence number comparison across the wrap</td>
 *       <td>{@code before()}, {@code after()}, {@code between()}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.TcpState}</td><td>the states, their numbers and printed names</td>
 *       <td>{@code tcp_states.h}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.SipHash}, {@link dev.stacksim.tcp.IsnGenerator}</td>
 *       <td>initial sequence numbers and timestamp offsets (RFC 6528)</td><td>{@code secure_seq.c}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.SynCookies}</td><td>SYN cookies and options in timestamps</td>
 *       <td>{@code syncookies.c}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.RequestSock}, {@link dev.stacksim.tcp.RequestSockQueue},
 *       {@link dev.stacksim.tcp.AcceptQueue}</td><td>half-open connections and the two listen queues</td>
 *       <td>{@code request_sock.h}, {@code inet_connection_sock.c}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.ListenAdmission}, {@link dev.stacksim.tcp.ListenCounter}</td>
 *       <td>what a listener does with a SYN and a final ACK, and what it counts</td>
 *       <td>{@code tcp_conn_request()}, {@code tcp_check_req()}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.TcpTimeouts}, {@link dev.stacksim.tcp.TcpConstants}</td>
 *       <td>SYN and SYN-ACK retransmission schedules, RTO and timer constants</td>
 *       <td>{@code tcp_timer.c}, {@code reqsk_timer_handler()}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.SynNegotiation}</td><td>MSS, window, window scale and options of a handshake</td>
 *       <td>{@code tcp_select_initial_window()}, {@code tcp_openreq_init_rwin()}</td></tr>
 * </table>
 *
 * <p>The state machine is built on them, split as the kernel splits it:
 *
 * <table>
 *   <caption>The state machine and its kernel counterparts</caption>
 *   <tr><th>class</th><th>models</th><th>Linux</th></tr>
 *   <tr><td>{@link dev.stacksim.tcp.Tcp}</td><td>per-host tables (bind, established, listeners), connect,
 *       listen, close, reuseport selectors</td><td>{@code tcp_ipv4.c}, {@code inet_hashtables.c}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.TcpSock}, {@code TcpCalls}</td><td>the socket and its TCB; the socket
 *       calls (connect, send, recv, shutdown, poll)</td><td>{@code tcp.c}, {@code af_inet.c}</td></tr>
 *   <tr><td>{@code TcpInput}, {@code TcpValidate}, {@code TcpAck}, {@code TcpData}</td><td>segments arriving:
 *       demultiplexing, RFC 5961 checks, ACKs, data and FIN</td><td>{@code tcp_v4_rcv}, {@code tcp_input.c}</td></tr>
 *   <tr><td>{@code TcpMinisocks}, {@code TcpTimewaitSock}</td><td>TIME_WAIT and orphaned FIN_WAIT2</td>
 *       <td>{@code tcp_minisocks.c}</td></tr>
 *   <tr><td>{@code TcpListener}</td><td>SYN and accept queues, cookies, the final ACK, reuseport groups</td>
 *       <td>{@code tcp_conn_request}, {@code tcp_check_req}, {@code sock_reuseport.c}</td></tr>
 *   <tr><td>{@code TcpOutput}, {@code TcpWindow}, {@code TcpRetransmit}, {@code TcpTimers}</td>
 *       <td>segments leaving, the window offered, retransmission, timers</td>
 *       <td>{@code tcp_output.c}, {@code tcp_timer.c}</td></tr>
 *   <tr><td>{@code TcpReplies}</td><td>RSTs, minisock ACKs and SYN-ACKs sent without a full socket</td>
 *       <td>{@code tcp_v4_send_reset}, {@code tcp_v4_send_ack}, {@code tcp_v4_send_synack}</td></tr>
 * </table>
 *
 * <p>Data transfer, reliability and congestion control:
 *
 * <table>
 *   <caption>Data transfer and its kernel counterparts</caption>
 *   <tr><th>class</th><th>models</th><th>Linux</th></tr>
 *   <tr><td>{@code TcpSack}</td><td>SACK blocks sent (with D-SACK) and the sender's scoreboard</td>
 *       <td>{@code tcp_sack_new_ofo_skb}, {@code tcp_dsack_set}, {@code tcp_sacktag_write_queue}</td></tr>
 *   <tr><td>{@code TcpRecovery}</td><td>the Open/Disorder/CWR/Recovery/Loss state machine: fast
 *       retransmit, NewReno, PRR, undo, F-RTO, the RTO's Loss state</td>
 *       <td>{@code tcp_fastretrans_alert}, {@code tcp_enter_loss}, {@code tcp_cwnd_reduction}</td></tr>
 *   <tr><td>{@code TcpRack}, {@code TcpTlp}</td><td>RACK loss detection and tail loss probes (RFC 8985)</td>
 *       <td>{@code tcp_recovery.c}, {@code tcp_schedule_loss_probe}, {@code tcp_send_loss_probe}</td></tr>
 *   <tr><td>{@link dev.stacksim.tcp.TcpCongestionOps}, {@link dev.stacksim.tcp.TcpCongestion},
 *       {@link dev.stacksim.tcp.TcpReno}, {@link dev.stacksim.tcp.TcpCubic}</td><td>congestion control
 *       behind an interface, the registry and TCP_CONGESTION, Reno and CUBIC</td>
 *       <td>{@code tcp_cong.c}, {@code tcp_cubic.c}</td></tr>
 *   <tr><td>{@code TcpBuffers}</td><td>send-buffer growth, receive-window growth, receive-buffer
 *       auto-tuning</td><td>{@code tcp_sndbuf_expand}, {@code tcp_grow_window}, {@code tcp_rcv_space_adjust}</td></tr>
 * </table>
 *
 * <p>Not modelled: urgent data (MSG_OOB sends and receives nothing special: recv with MSG_OOB is
 * EINVAL), ECN, TSO/GSO and GRO (every segment is its own skb), pacing, MTU probing, TCP Fast
 * Open, and BBR.
 *
 * <p>The scenario tests beside them ({@code TcpHandshakeTest}, {@code TcpListenQueueTest},
 * {@code TcpSynFloodTest}, {@code TcpReuseportTest}, {@code TcpCloseTest}, {@code TcpResetTest},
 * {@code TcpTimeWaitTest}, {@code TcpRetransmitTest}) show each behaviour on the wire; the
 * packetdrill scripts under {@code src/test/resources/packetdrill/tcp/} pin them to Linux.
 *
 * <p>Numbers quoted in the javadoc and tests as "observed" were measured on the machine this was
 * written on (Linux 6.18) with loopback connections in a private network namespace.
 */
package dev.stacksim.tcp;
