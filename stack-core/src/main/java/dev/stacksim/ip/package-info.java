/**
 * IPv4, ICMP and ARP ({@code net/ipv4}): the layer between the devices and the transports.
 *
 * <ul>
 *   <li>{@link dev.stacksim.ip.Ipv4}: input ({@code ip_rcv} with every header check counted,
 *       local delivery to {@link dev.stacksim.ip.IpProtocolHandler}s, forwarding with TTL and
 *       checksum update), output ({@link dev.stacksim.ip.Ipv4#queueXmit}: route, source address,
 *       header, fragmentation) and reassembly ({@link dev.stacksim.ip.Ipv4Fragments}).</li>
 *   <li>{@link dev.stacksim.ip.RoutingTable} of {@link dev.stacksim.ip.Route}s: the local and
 *       main tables, longest prefix match, {@code ip route} printing.</li>
 *   <li>{@link dev.stacksim.ip.Icmp}: echo, errors out ({@link dev.stacksim.ip.Icmp#send}, the
 *       transports' {@code icmp_send}), errors in to the quoted protocol, rate limiting (its
 *       per-destination state collected as Linux's {@code inet_peer} store is).</li>
 *   <li>{@link dev.stacksim.ip.NeighbourTable} with {@link dev.stacksim.ip.Neighbour} entries in
 *       {@link dev.stacksim.ip.NudState}s, and {@link dev.stacksim.ip.Arp} on the wire: resolution,
 *       queueing, reachability, garbage collection ({@code neigh_forced_gc}, {@code neigh_periodic_work}),
 *       {@code ip neigh} printing.</li>
 * </ul>
 *
 * <p>The classes take their {@link dev.stacksim.host.Host} as Linux's code takes its
 * {@code struct net}: for the sysctls, the counters, the devices and the other layers.
 */
package dev.stacksim.ip;
