/**
 * UDP ({@code net/ipv4/udp.c}): {@link dev.stacksim.udp.Udp}, one per host, holds the table of
 * bound sockets, the receive path, ICMP errors, the {@code Udp:} counters
 * ({@link dev.stacksim.udp.UdpMib}) and {@code /proc/net/udp}; {@link dev.stacksim.udp.UdpSock} is
 * one socket's {@code ProtoOps}.
 *
 * <pre>{@code
 * Process srv = server.spawn("echod");
 * int s = srv.socket(AF_INET, SOCK_DGRAM, 0);
 * srv.bind(s, SockAddr.any(7));
 * Process cli = client.spawn("echo", 1000);
 * int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
 * cli.sendto(c, "hello".getBytes(), 0, SockAddr.of("10.0.0.2", 7));   // autobinds
 * RecvFrom r = srv.recvfrom(s, buf, 0, buf.length, 0);                 // runs the simulation
 * srv.sendto(s, buf, 0, r.length(), 0, r.from());
 * }</pre>
 *
 * <p>Datagram semantics, as Linux: boundaries kept, truncation reported (MSG_TRUNC), the link's
 * losses, duplicates and reordering passed on unchanged, a full receive buffer dropping and counting
 * (RcvbufErrors), checksums verified when read (InCsumErrors), ICMP port unreachable turned into
 * ECONNREFUSED on a connected socket. See {@code docs/guide/udp.md}.
 */
package dev.stacksim.udp;
