/**
 * The host: one kernel, Linux's network namespace. A {@link dev.stacksim.host.Host} holds its
 * devices as {@link dev.stacksim.host.Interface}s ({@code lo} first), their addresses, the routing
 * and neighbour tables, the kernel parameters ({@link dev.stacksim.host.Sysctl}, by their
 * {@code sysctl} names) and the protocol counters ({@link dev.stacksim.host.Snmp}, as
 * {@code /proc/net/snmp} and {@code nstat} name them), and runs ping(8).
 *
 * <h2>The receive path</h2>
 * <pre>
 *   device (NIC, veth, lo) ──► Interface.receive            netif_receive_skb, eth_type_trans
 *        pkt_type by destination MAC; OTHERHOST dropped; Ethernet header pulled
 *        ├─ 0x0800 ──► Ipv4.rcv ──► local delivery (ICMP, UDP, TCP) │ forward │ drop
 *        ├─ 0x0806 ──► Arp.rcv  ──► answer, learn
 *        └─ other  ──► rx_nohandler, UNHANDLED_PROTO
 * </pre>
 * and the transmit path ends in {@link dev.stacksim.host.Interface#queueXmit}: the device's
 * {@link dev.stacksim.dev.Qdisc}, then {@code startXmit}.
 *
 * <h2>Building one</h2>
 * <pre>{@code
 * Host server = Host.builder(loop, pool, "server")
 *         .sysctl("net.core.somaxconn", 128)
 *         .device(nic)                          // ifindex 2, after lo
 *         .address("eth0", "10.0.0.2/24")       // + local, broadcast and connected routes, GARP
 *         .route("default via 10.0.0.254")
 *         .build();
 * }</pre>
 * The same steps exist as methods for a builder of whole networks to call:
 * {@link dev.stacksim.host.Host#addDevice}, {@link dev.stacksim.host.Host#addAddress(String, String)},
 * {@link dev.stacksim.host.Host#addRoute(String)}, {@link dev.stacksim.host.Host#sysctl(String, int...)}.
 */
package dev.stacksim.host;
