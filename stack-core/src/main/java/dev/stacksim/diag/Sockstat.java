package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.inet.InetBindTable;
import dev.stacksim.socket.Socket;
import dev.stacksim.tcp.TcpMemory;
import dev.stacksim.tcp.TcpSock;
import dev.stacksim.udp.UdpSock;

import java.util.Set;

/**
 * {@code /proc/net/sockstat} of a host ({@code sockstat_seq_show} in {@code net/ipv4/proc.c}):
 *
 * <pre>
 * sockets: used 8
 * TCP: inuse 3 orphan 0 tw 1 alloc 4 mem 1
 * UDP: inuse 1 mem 0
 * UDPLITE: inuse 0
 * RAW: inuse 0
 * FRAG: inuse 0 memory 0
 * </pre>
 *
 * <ul>
 *   <li>{@code sockets: used}: sockets alive in the namespace, every family ({@code sock_inuse_get}:
 *       each {@code struct sock} from {@code sk_alloc} to {@code __sk_free}): the sockets the
 *       processes' descriptors refer to, plus TCP sockets with no descriptor (orphans, children
 *       waiting to be accepted). An AF_UNIX child not yet accepted is not counted (Linux counts
 *       it); Linux also counts netlink and other families this simulator does not have.</li>
 *   <li>{@code TCP:} see {@link TcpMemory.Sockstat}; {@code mem} is pages (4 KiB) of buffer memory
 *       charged, approximated per socket as receive plus send-queue bytes rounded up to pages
 *       rather than {@code sk_forward_alloc}'s reservations.</li>
 *   <li>{@code UDP: inuse} the bound UDP sockets (in the UDP table), {@code mem} the pages of
 *       their receive buffers, rounded up per socket.</li>
 *   <li>{@code UDPLITE}, {@code RAW}: not modelled, always 0.</li>
 *   <li>{@code FRAG: inuse} the IPv4 reassembly queues, {@code memory} their bytes (truesize).</li>
 * </ul>
 *
 * @param used       {@code sockets: used}
 * @param tcp        the {@code TCP:} line's counts
 * @param udpInuse   {@code UDP: inuse}
 * @param udpMem     {@code UDP: mem}, pages
 * @param fragInuse  {@code FRAG: inuse}
 * @param fragMemory {@code FRAG: memory}, bytes
 */
public record Sockstat(int used, TcpMemory.Sockstat tcp, int udpInuse, long udpMem, int fragInuse, long fragMemory) {
    /** Reads the counts of {@code host}: O(sockets) (a walk of the sockets and descriptors). */
    public static Sockstat of(Host host) {
        Set<Socket> held = SocketMemory.heldSockets(host);
        Set<TcpSock> tcpHeld = TcpMemory.tcpSockets(held);
        TcpMemory.Sockstat tcp = TcpMemory.sockstat(host.tcp(), tcpHeld);
        InetBindTable udp = host.udp().table();
        long udpMem = 0;
        for (int slot = 0; slot < udp.slots(); slot++) {
            for (int i = 0; i < udp.chainLength(slot); i++) {
                UdpSock sk = (UdpSock) udp.binder(slot, i);
                udpMem += (sk.socket().rmemAlloc() + TcpMemory.PAGE_SIZE - 1) / TcpMemory.PAGE_SIZE;
            }
        }
        int used = held.size() - tcpHeld.size() + tcp.alloc();
        return new Sockstat(used, tcp, udp.size(), udpMem, host.ip().fragments().queueCount(),
                host.ip().fragments().memBytes());
    }

    /** The file as {@code cat /proc/net/sockstat} prints it. */
    public String render() {
        return "sockets: used " + used + "\n"
                + "TCP: inuse " + tcp.inuse() + " orphan " + tcp.orphan() + " tw " + tcp.tw() + " alloc " + tcp.alloc()
                + " mem " + tcp.mem() + "\n"
                + "UDP: inuse " + udpInuse + " mem " + udpMem + "\n"
                + "UDPLITE: inuse 0\n"
                + "RAW: inuse 0\n"
                + "FRAG: inuse " + fragInuse + " memory " + fragMemory + "\n";
    }
}
