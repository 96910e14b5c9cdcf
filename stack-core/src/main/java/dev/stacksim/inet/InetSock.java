package dev.stacksim.inet;

import static dev.stacksim.socket.SocketConstants.IP_RECVERR;
import static dev.stacksim.socket.SocketConstants.IP_TOS;
import static dev.stacksim.socket.SocketConstants.IP_TTL;
import static dev.stacksim.socket.SocketConstants.SOL_IP;

import dev.stacksim.host.Host;
import dev.stacksim.ip.Route;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Address;

/**
 * What every AF_INET socket has, whatever its protocol: Linux's {@code struct inet_sock} (the
 * addresses and ports, the IP options) with the protocol-independent calls of
 * {@code net/ipv4/af_inet.c}: {@code bind} ({@code __inet_bind}) and {@code getsockname}/
 * {@code getpeername} ({@code inet_getname}), and the SOL_IP options. UDP extends it
 * ({@code UdpSock}); TCP will.
 *
 * <h2>Two local addresses</h2>
 * {@link #rcvSaddr} ({@code inet_rcv_saddr}) is the address lookups match: 0 for a socket bound
 * to INADDR_ANY. {@link #saddr} ({@code inet_saddr}) is the source address of what it sends: the
 * same, except after binding a broadcast or multicast address (then 0: the device's address is
 * used). A datagram socket connected while bound to INADDR_ANY takes its route's source address
 * as both, so that getsockname and {@code /proc/net/udp} show it.
 *
 * <h2>bind() checks, in Linux's order</h2>
 * <ol>
 *   <li>not an AF_INET address: EAFNOSUPPORT;</li>
 *   <li>an address that is not this host's, a broadcast or a multicast one: EADDRNOTAVAIL
 *       ({@code net.ipv4.ip_nonlocal_bind} and IP_FREEBIND are not modelled);</li>
 *   <li>a port below {@code net.ipv4.ip_unprivileged_port_start} (1024) by a uid other than 0:
 *       EACCES;</li>
 *   <li>already bound (or connected): EINVAL;</li>
 *   <li>the protocol's port check ({@link #getPort}): EADDRINUSE.</li>
 * </ol>
 */
public abstract class InetSock implements ProtoOps, InetBindTable.Binder {
    /** {@code TCP_ESTABLISHED} ({@code include/net/tcp_states.h}): a connected datagram socket too. */
    public static final int TCP_ESTABLISHED = 1;
    /** {@code TCP_CLOSE}: an unconnected datagram socket, a closed stream socket. */
    public static final int TCP_CLOSE = 7;

    /** The generic socket. */
    protected final Socket sock;
    /** The host (its routes, sysctls, random stream). */
    protected final Host host;
    /** {@code inet_rcv_saddr}: the bound address lookups match; 0 for INADDR_ANY. */
    protected int rcvSaddr;
    /** {@code inet_saddr}: the source address of what is sent; 0 to let the route choose. */
    protected int saddr;
    /** {@code inet_num}: the local port; 0 while unbound. */
    protected int num;
    /** {@code inet_daddr}: the peer's address; 0 while unconnected. */
    protected int daddr;
    /** {@code inet_dport}: the peer's port; 0 while unconnected. */
    protected int dport;
    /** {@code sk_state}: {@link #TCP_CLOSE} or {@link #TCP_ESTABLISHED} for datagram sockets. */
    protected int state = TCP_CLOSE;
    /** IP_TOS. */
    protected int tos;
    /** IP_TTL ({@code uc_ttl}); -1 for {@code net.ipv4.ip_default_ttl}. */
    protected int ttl = -1;
    /** IP_RECVERR: every ICMP error becomes the socket's error. */
    protected boolean recverr;

    /** An unbound socket of {@code host}. */
    protected InetSock(Socket sock, Host host) {
        this.sock = sock;
        this.host = host;
        // The sysctls bind() reads are looked up when it runs: a lookup by name per socket created
        // cost ~5% of a connection's life, and a field each 8 bytes of every idle socket.
    }

    @Override
    public Socket socket() {
        return sock;
    }

    /** The host the socket lives on. */
    public Host host() {
        return host;
    }

    // ---------------------------------------------------------------- InetBindTable.Binder

    @Override
    public int rcvSaddr() {
        return rcvSaddr;
    }

    @Override
    public int port() {
        return num;
    }

    @Override
    public boolean reuseAddr() {
        return sock.reuseAddr();
    }

    @Override
    public boolean reusePort() {
        return sock.reusePort();
    }

    @Override
    public int uid() {
        return sock.ownerUid();
    }

    /** The source address used to send ({@code inet_saddr}); 0 when the route chooses. */
    public int saddr() {
        return saddr;
    }

    /** The peer's address, 0 when unconnected. */
    public int daddr() {
        return daddr;
    }

    /** The peer's port, 0 when unconnected. */
    public int dport() {
        return dport;
    }

    /** {@code sk_state}: {@link #TCP_CLOSE} or {@link #TCP_ESTABLISHED}. */
    public int state() {
        return state;
    }

    // ---------------------------------------------------------------- bind

    /** {@code __inet_bind}; see the class comment for the order of the checks. */
    @Override
    public int bind(SockAddr addr) {
        if (!(addr instanceof SockAddr.Inet in)) {
            return -Errno.EAFNOSUPPORT.number();
        }
        int a = in.address().toInt();
        AddressType type = addressType(a);
        if (type == AddressType.UNICAST) {
            return -Errno.EADDRNOTAVAIL.number();
        }
        int snum = in.port();
        if (snum != 0 && snum < host.sysctl().entry("net.ipv4.ip_unprivileged_port_start").intValue() && sock.ownerUid() != 0) {
            return -Errno.EACCES.number();
        }
        if (state != TCP_CLOSE || num != 0) {
            return -Errno.EINVAL.number();
        }
        rcvSaddr = a;
        saddr = type == AddressType.BROADCAST || type == AddressType.MULTICAST ? 0 : a;
        int err = getPort(snum);
        if (err != 0) {
            rcvSaddr = 0;
            saddr = 0;
            return err;
        }
        daddr = 0;
        dport = 0;
        return 0;
    }

    /**
     * The protocol's port allocation ({@code sk_prot->get_port}): takes port {@code snum}, or an
     * ephemeral one when 0, with {@link #rcvSaddr} already set; on success sets {@link #num} and
     * makes the socket findable. Returns 0 or -errno.
     */
    protected abstract int getPort(int snum);

    /**
     * {@code inet_autobind}: an unbound socket takes an ephemeral port before it connects or sends.
     * When none is free Linux answers EAGAIN at once, even on a blocking socket.
     *
     * @return 0, or -EAGAIN (with {@link Socket#doNotWait()} already said)
     */
    protected int autobind() {
        if (num != 0) {
            return 0;
        }
        if (getPort(0) != 0) {
            sock.doNotWait();
            return -Errno.EAGAIN.number();
        }
        return 0;
    }

    /** The low end of {@code net.ipv4.ip_local_port_range}. */
    protected int localPortLow() {
        return host.sysctl().entry("net.ipv4.ip_local_port_range").intValue(0);
    }

    /** The high end of {@code net.ipv4.ip_local_port_range}. */
    protected int localPortHigh() {
        return host.sysctl().entry("net.ipv4.ip_local_port_range").intValue(1);
    }

    /** What an address is to this host ({@code inet_addr_type}). */
    protected enum AddressType {
        /** One of its addresses. */
        LOCAL,
        /** A broadcast address, 255.255.255.255, or any 0.x.x.x address. */
        BROADCAST,
        /** 224.0.0.0/4. */
        MULTICAST,
        /** Anything else: somebody else's. */
        UNICAST
    }

    /** {@code inet_addr_type}: 0.x.x.x and 255.255.255.255 count as broadcast, as in Linux. */
    protected AddressType addressType(int a) {
        if ((a >>> 24) == 0 || a == Inet.INADDR_BROADCAST) {
            return AddressType.BROADCAST;
        }
        if ((a >>> 28) == 0xE) {
            return AddressType.MULTICAST;
        }
        Route r = host.routes().lookupLocal(a);
        if (r == null) {
            return AddressType.UNICAST;
        }
        return r.type() == Route.RouteType.BROADCAST ? AddressType.BROADCAST
                : r.type() == Route.RouteType.LOCAL ? AddressType.LOCAL : AddressType.UNICAST;
    }

    // ---------------------------------------------------------------- names and options

    /**
     * {@code inet_getname}: the local address (the bound one, else the source address, 0.0.0.0:0
     * when unbound), or the peer's; null (ENOTCONN) for a peer that is not connected.
     */
    @Override
    public SockAddr getname(boolean peer) {
        if (peer) {
            if (dport == 0 || state == TCP_CLOSE) {
                return null;
            }
            return SockAddr.of(Ipv4Address.of(daddr), dport);
        }
        return SockAddr.of(Ipv4Address.of(rcvSaddr != 0 ? rcvSaddr : saddr), num);
    }

    /**
     * {@code do_ip_setsockopt}: IP_TOS, IP_TTL (1..255, or -1 for the default; else EINVAL),
     * IP_RECVERR. Another SOL_IP option, or another level: ENOPROTOOPT, as {@code ip_setsockopt}.
     */
    @Override
    public int setsockopt(int level, int optname, int value) {
        if (level != SOL_IP) {
            return -Errno.ENOPROTOOPT.number();
        }
        switch (optname) {
            case IP_TOS -> tos = value & 0xFF;
            case IP_TTL -> {
                if (value < -1 || value == 0 || value > 255) {
                    return -Errno.EINVAL.number();
                }
                ttl = value;
            }
            case IP_RECVERR -> recverr = value != 0;
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    /** {@code do_ip_getsockopt}: IP_TOS, IP_TTL (the default when unset), IP_RECVERR; else ENOPROTOOPT. */
    @Override
    public int getsockopt(int level, int optname, int[] value) {
        if (level != SOL_IP) {
            return -Errno.ENOPROTOOPT.number();
        }
        switch (optname) {
            case IP_TOS -> value[0] = tos;
            case IP_TTL -> value[0] = ttl == -1 ? host.sysctl().getInt("net.ipv4.ip_default_ttl") : ttl;
            case IP_RECVERR -> value[0] = recverr ? 1 : 0;
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    /** The TTL to send with: IP_TTL, or 0 to let IP use {@code net.ipv4.ip_default_ttl}. */
    protected int sendTtl() {
        return ttl == -1 ? 0 : ttl;
    }

    /** {@code local -> peer}, as ss prints a socket. */
    protected String addresses() {
        String local = Ipv4Address.toString(rcvSaddr) + ":" + num;
        return state == TCP_ESTABLISHED ? local + " -> " + Ipv4Address.toString(daddr) + ":" + dport : local;
    }
}
