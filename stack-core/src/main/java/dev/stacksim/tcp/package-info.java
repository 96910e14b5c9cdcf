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
 * <p>Numbers quoted in the javadoc and tests as "observed" were measured on the machine this was
 * written on (Linux 6.18) with loopback connections in a private network namespace.
 */
package dev.stacksim.tcp;
