/**
 * AF_INET: what IPv4 sockets share whatever their transport, as Linux's
 * {@code net/ipv4/af_inet.c}, {@code inet_hashtables.c} and {@code inet_connection_sock.c} hold it.
 *
 * <ul>
 *   <li>{@link dev.stacksim.inet.InetFamily}: {@code socket(AF_INET, type, protocol)} chooses the
 *       protocol ({@code inet_create}); UDP is registered for SOCK_DGRAM by every host, TCP will
 *       register for SOCK_STREAM (until then SOCK_STREAM answers ESOCKTNOSUPPORT, saying why).</li>
 *   <li>{@link dev.stacksim.inet.InetSock}: the addresses and ports of a socket, {@code bind} with
 *       Linux's checks, {@code getsockname}/{@code getpeername}, the SOL_IP options.</li>
 *   <li>{@link dev.stacksim.inet.InetBindTable}: which socket holds which port, the
 *       SO_REUSEADDR/SO_REUSEPORT conflict rules of UDP and TCP, and the three ephemeral port
 *       searches (UDP's, TCP bind(0)'s odd-first, TCP connect's even-first).</li>
 *   <li>{@link dev.stacksim.inet.InetHash}: jhash and the 4-tuple hash SO_REUSEPORT groups use.</li>
 *   <li>{@link dev.stacksim.inet.IcmpErrConvert}: ICMP unreachable codes as errno values.</li>
 * </ul>
 *
 * <h2>For the TCP issue</h2>
 * A {@code TcpSock extends InetSock} implements {@link dev.stacksim.inet.InetSock#getPort} with a
 * {@code new InetBindTable(Rule.TCP, ...)} of its own (TCP's ports are a separate space from
 * UDP's): {@code inUse} for an explicit port, {@code findOpenPort} for bind(0) and listen's
 * autobind (exhausted: EADDRINUSE), {@code hashConnect} for connect (exhausted: EADDRNOTAVAIL),
 * overriding {@code isListening}, {@code isTimeWait} and {@code boundByConnect} so that the
 * conflict rules see its state. It registers with {@code host.inet().register(SOCK_STREAM,
 * IPPROTO_TCP, factory)} and with IP as protocol 6.
 */
package dev.stacksim.inet;
