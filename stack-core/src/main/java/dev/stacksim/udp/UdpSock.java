package dev.stacksim.udp;

import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.MSG_OOB;
import static dev.stacksim.socket.SocketConstants.MSG_PEEK;
import static dev.stacksim.socket.SocketConstants.MSG_TRUNC;
import static dev.stacksim.socket.SocketConstants.POLLERR;
import static dev.stacksim.socket.SocketConstants.POLLHUP;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.POLLOUT;
import static dev.stacksim.socket.SocketConstants.POLLRDHUP;
import static dev.stacksim.socket.SocketConstants.POLLRDNORM;
import static dev.stacksim.socket.SocketConstants.POLLWRBAND;
import static dev.stacksim.socket.SocketConstants.POLLWRNORM;
import static dev.stacksim.socket.SocketConstants.SOL_UDP;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Interface;
import dev.stacksim.host.IpMib;
import dev.stacksim.inet.InetSock;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.ip.Route;
import dev.stacksim.ip.XmitResult;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.Socket;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.UdpHeader;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;

/**
 * A UDP socket ({@code udp_prot} behind {@code inet_dgram_ops}): datagrams with their boundaries,
 * no connection, no retransmission. What the link loses, duplicates or reorders reaches the
 * application exactly so; what does not fit the receive buffer is dropped and counted.
 *
 * <h2>Sending ({@code udp_sendmsg}), checks in Linux's order</h2>
 * <ol>
 *   <li>an unbound socket takes an ephemeral port ({@code inet_autobind}); none free: EAGAIN,
 *       at once;</li>
 *   <li>more than 65535 bytes: EMSGSIZE; MSG_OOB: EOPNOTSUPP;</li>
 *   <li>an address of another family: EAFNOSUPPORT; port 0: EINVAL; no address on an unconnected
 *       socket: EDESTADDRREQ (a connected socket may still name another destination);</li>
 *   <li>no route: ENETUNREACH ({@code IpOutNoRoutes}); a broadcast destination without
 *       SO_BROADCAST: EACCES;</li>
 *   <li>more than {@value Udp#MAX_PAYLOAD} bytes (65535 less the IPv4 and UDP headers): EMSGSIZE;</li>
 *   <li>the pending error (an ICMP error on a connected socket: ECONNREFUSED), then SHUT_WR
 *       (EPIPE, without SIGPIPE), then the send buffer: the truesize of this socket's skbs not yet
 *       transmitted must be below SO_SNDBUF, else the call waits (or EAGAIN, counting
 *       {@code SndbufErrors}).</li>
 * </ol>
 * The datagram is one skb charged to the socket, handed to {@code Ipv4.queueXmit}, which
 * fragments it when it exceeds the MTU (each fragment charged to the socket too). DF is set when
 * the datagram fits the device's MTU, as Linux does with its default IP_PMTUDISC_WANT. A
 * datagram a full device queue drops still counts as sent (Linux: SndbufErrors, and success
 * unless IP_RECVERR).
 *
 * <h2>Receiving ({@code udp_recvmsg})</h2>
 * One datagram per call. The pending error comes first; then the oldest datagram is copied, at
 * most the buffer's length: the rest is lost, MSG_TRUNC is set in the message flags, and with
 * MSG_TRUNC in the call the datagram's real length is returned. MSG_PEEK leaves it queued. The
 * sender's address comes with it. A datagram whose checksum fails is dropped here and the next one
 * tried. With nothing queued, a shut-down socket returns 0 to a caller that would wait and EAGAIN
 * to one that would not (as Linux's {@code __skb_wait_for_more_packets}).
 *
 * <h2>The receive buffer ({@code __udp_enqueue_schedule_skb})</h2>
 * A datagram is queued when the truesize already queued plus its own stays within SO_RCVBUF, or
 * when what is queued is still within it ("always allow at least one packet"): the queue can
 * exceed the limit by one datagram. Otherwise it is dropped: {@code RcvbufErrors},
 * {@code InErrors}, and the socket's {@code drops} column in /proc/net/udp.
 *
 * <h2>connect, shutdown, close</h2>
 * {@code connect} autobinds, checks the route (ENETUNREACH, EACCES for a broadcast without
 * SO_BROADCAST), takes the route's source address as the bound address if it was 0.0.0.0, and
 * sets the default destination, which alone may then send to it. {@code shutdown} sets the bits
 * on any UDP socket but answers ENOTCONN on an unconnected one ({@code inet_shutdown}); SHUT_RD
 * makes a waiting recv return 0, yet datagrams keep arriving. {@code close} frees what is queued.
 * {@code connect(AF_UNSPEC)} (disconnect) is not modelled, nor SOL_UDP options (UDP_CORK, GSO):
 * they answer ENOPROTOOPT.
 */
public final class UdpSock extends InetSock {
    private final Udp udp;
    /** Datagrams received, oldest first; data at the payload, header marks at the UDP and IP headers. */
    private final ArrayDeque<SkBuff> receiveQueue = new ArrayDeque<>();
    /** {@code sk_drops}: datagrams dropped at this socket. */
    int drops;
    /** Its SO_REUSEPORT group, or null. */
    Udp.ReuseportGroup group;
    /** The last sender returned by recvfrom: reused while the sender stays the same. */
    private SockAddr.Inet lastFrom;

    UdpSock(Udp udp, Socket sock) {
        super(sock, udp.host());
        this.udp = udp;
    }

    /** Datagrams queued. */
    public int queued() {
        return receiveQueue.size();
    }

    /** Datagrams dropped at this socket (the {@code drops} column of /proc/net/udp). */
    public int drops() {
        return drops;
    }

    /** IP_RECVERR is set. */
    boolean recverr() {
        return recverr;
    }

    // ---------------------------------------------------------------- ports

    /** {@code udp_lib_get_port}: the explicit port if no socket conflicts, or an ephemeral one. */
    @Override
    protected int getPort(int snum) {
        int port = snum;
        if (snum == 0) {
            port = udp.table.udpGetPort(this, rcvSaddr, localPortLow(), localPortHigh(), udp.portRandom);
            if (port == 0) {
                return -Errno.EADDRINUSE.number();
            }
        } else if (udp.table.inUse(this, rcvSaddr, snum)) {
            return -Errno.EADDRINUSE.number();
        }
        num = port;
        udp.hash(this);
        return 0;
    }

    // ---------------------------------------------------------------- connect

    /** {@code inet_dgram_connect} then {@code __ip4_datagram_connect}; see the class comment. */
    @Override
    public int connect(SockAddr addr, int fileFlags) {
        int e = autobind();
        if (e != 0) {
            return e;
        }
        if (!(addr instanceof SockAddr.Inet in)) {
            return -Errno.EAFNOSUPPORT.number();
        }
        int da = destination(in.address().toInt());
        Route rt = host.ip().routeOutput(da);
        if (rt == null) {
            host.snmp().ip.inc(IpMib.OUT_NO_ROUTES);
            return -Errno.ENETUNREACH.number();
        }
        if (isBroadcast(rt, da) && !sock.broadcast()) {
            return -Errno.EACCES.number();
        }
        int src = saddr != 0 ? saddr : host.ip().selectSource(rt, da);
        if (saddr == 0) {
            saddr = src;
        }
        if (rcvSaddr == 0) {
            rcvSaddr = src;
            udp.leaveGroup(this); // udp_lib_rehash: a new address leaves the group
        }
        daddr = da;
        dport = in.port();
        state = TCP_ESTABLISHED;
        if (group != null) {
            group.hasConns = true;
        }
        return 0;
    }

    /** {@code ip_route_output} with no destination: the source itself, else 127.0.0.1. */
    private int destination(int da) {
        if (da != 0) {
            return da;
        }
        return saddr != 0 ? saddr : Inet.INADDR_LOOPBACK;
    }

    private static boolean isBroadcast(Route rt, int da) {
        return da == Inet.INADDR_BROADCAST || rt.type() == Route.RouteType.BROADCAST;
    }

    @Override
    public int listen(int backlog) {
        return -Errno.EOPNOTSUPP.number();
    }

    @Override
    public int accept(Socket[] newSock) {
        return -Errno.EOPNOTSUPP.number();
    }

    @Override
    public boolean isListening() {
        return false;
    }

    // ---------------------------------------------------------------- send

    /** {@code inet_sendmsg} then {@code udp_sendmsg}; see the class comment. */
    @Override
    public int sendmsg(MsgHdr msg, int flags) {
        int e = autobind();
        if (e != 0) {
            return e;
        }
        int len = msg.len;
        if (len > 0xFFFF) {
            return -Errno.EMSGSIZE.number();
        }
        if ((flags & MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        int da;
        int dp;
        if (msg.name != null) {
            if (!(msg.name instanceof SockAddr.Inet in)) {
                return -Errno.EAFNOSUPPORT.number();
            }
            da = in.address().toInt();
            dp = in.port();
            if (dp == 0) {
                return -Errno.EINVAL.number();
            }
        } else {
            if (state != TCP_ESTABLISHED) {
                return -Errno.EDESTADDRREQ.number();
            }
            da = daddr;
            dp = dport;
        }
        da = destination(da);
        Route rt = host.ip().routeOutput(da);
        if (rt == null) {
            host.snmp().ip.inc(IpMib.OUT_NO_ROUTES);
            return -Errno.ENETUNREACH.number();
        }
        if (isBroadcast(rt, da) && !sock.broadcast()) {
            return -Errno.EACCES.number();
        }
        if (len > Udp.MAX_PAYLOAD) {
            return -Errno.EMSGSIZE.number();
        }
        // sock_alloc_send_skb: the pending error, SHUT_WR, then room in the send buffer
        int err = sock.takeError();
        if (err != 0) {
            return -err;
        }
        if ((sock.shutdownBits() & Socket.SEND_SHUTDOWN) != 0) {
            return -Errno.EPIPE.number();
        }
        if (sock.wmemAlloc() >= sock.sndbuf()) {
            if ((flags & MSG_DONTWAIT) != 0) {
                udp.mib.inc(UdpMib.SNDBUF_ERRORS);
            }
            return -Errno.EAGAIN.number();
        }
        int src = saddr != 0 ? saddr : host.ip().selectSource(rt, da);
        SkBuff skb = host.pool().alloc(Ipv4.MAX_HEADER + UdpHeader.HEADER_LEN, len);
        skb.putBytes(msg.buf, msg.off, len);
        int at = skb.push(UdpHeader.HEADER_LEN);
        skb.resetTransportHeader();
        udp.outUh.wrap(skb.buf(), at, len + UdpHeader.HEADER_LEN).setSrcPort(num).setDstPort(dp)
                .setDatagramLength(len + UdpHeader.HEADER_LEN).fillChecksum(src, da);
        HostTrace trace = host.trace();
        if (trace.enabled()) {
            trace.packet(true, "UDP", HostTrace.addr(src, num), HostTrace.addr(da, dp), "length " + len);
            trace.skbHop("udp", true, UdpHeader.HEADER_LEN, skb);
        }
        skb.setOwner(sock.wmem());
        Interface dev = rt.type() == Route.RouteType.LOCAL ? host.loopback() : host.iface(rt.ifindex());
        boolean df = dev != null && len + UdpHeader.HEADER_LEN + Ipv4Header.HEADER_LEN <= dev.mtu();
        XmitResult r = host.ip().queueXmit(skb, src, da, IpProtocol.UDP, tos, sendTtl(), df);
        switch (r) {
            case OK:
                udp.mib.inc(UdpMib.OUT_DATAGRAMS);
                return len;
            case DROP:
                // udp_send_skb: -ENOBUFS is forgiven unless IP_RECVERR
                if (recverr) {
                    return -Errno.ENOBUFS.number();
                }
                udp.mib.inc(UdpMib.SNDBUF_ERRORS);
                return len;
            case NO_ROUTE:
                return -Errno.ENETUNREACH.number();
            default:
                return -Errno.EMSGSIZE.number();
        }
    }

    // ---------------------------------------------------------------- receive

    /**
     * {@code __udp_queue_rcv_skb}: queues a datagram that found this socket (data at its UDP
     * header), or drops it when the receive buffer is full. Ownership passes.
     */
    void queueRcv(SkBuff skb) {
        long rmem = sock.rmemAlloc();
        int rcvbuf = sock.rcvbuf();
        int size = skb.truesize();
        if (rmem + size > rcvbuf && (rcvbuf > Integer.MAX_VALUE >> 1 || rmem > rcvbuf)) {
            drops++;
            udp.mib.inc(UdpMib.RCVBUF_ERRORS);
            udp.mib.inc(UdpMib.IN_ERRORS);
            skb.free(DropReason.SOCKET_RCVBUFF);
            return;
        }
        skb.pull(UdpHeader.HEADER_LEN);
        udp.host().trace().skbHop("udp", false, UdpHeader.HEADER_LEN, skb);
        skb.setOwner(sock.rmem());
        receiveQueue.add(skb);
        if (!sock.isReleased()) {
            sock.dataReady();
        }
    }

    /** {@code udp_recvmsg}; see the class comment. */
    @Override
    public int recvmsg(MsgHdr msg, int flags) {
        boolean peek = (flags & MSG_PEEK) != 0;
        while (true) {
            int err = sock.takeError();
            if (err != 0) {
                return -err;
            }
            SkBuff skb = receiveQueue.peek();
            if (skb == null) {
                boolean wouldWait = (flags & MSG_DONTWAIT) == 0;
                return wouldWait && (sock.shutdownBits() & Socket.RCV_SHUTDOWN) != 0 ? 0 : -Errno.EAGAIN.number();
            }
            if (!udp.checksumOk(skb)) {
                dropBadChecksum();
                continue;
            }
            int ulen = skb.len();
            int copied = Math.min(msg.len, ulen);
            if (copied < ulen) {
                msg.flags |= MSG_TRUNC;
            }
            skb.getBytes(skb.data(), msg.buf, msg.off, copied);
            msg.name = sender(skb);
            if (!peek) {
                udp.mib.inc(UdpMib.IN_DATAGRAMS);
                receiveQueue.poll();
                skb.consume();
            }
            return (flags & MSG_TRUNC) != 0 ? ulen : copied;
        }
    }

    /** The head datagram failed its checksum: counted and dropped ({@code csum_copy_err}). */
    private void dropBadChecksum() {
        SkBuff bad = receiveQueue.poll();
        drops++;
        udp.mib.inc(UdpMib.IN_CSUM_ERRORS);
        udp.mib.inc(UdpMib.IN_ERRORS);
        bad.free(DropReason.UDP_CSUM);
    }

    /** The sender's address from the skb's headers, reusing the last one when it is the same. */
    private SockAddr.Inet sender(SkBuff skb) {
        ByteBuf buf = skb.buf();
        int from = buf.getInt(skb.networkHeader() + Ipv4Header.SRC_ADDR_OFFSET);
        int port = buf.getUnsignedShort(skb.transportHeader() + UdpHeader.SRC_PORT_OFFSET);
        SockAddr.Inet last = lastFrom;
        if (last == null || last.port() != port || last.address().toInt() != from) {
            last = SockAddr.of(Ipv4Address.of(from), port);
            lastFrom = last;
        }
        return last;
    }

    /**
     * FIONREAD ({@code udp_ioctl} SIOCINQ, {@code first_packet_length}): the length of the next
     * datagram whose checksum holds (bad ones at the head are dropped and counted), 0 when none.
     */
    @Override
    public int inq() {
        while (true) {
            SkBuff skb = receiveQueue.peek();
            if (skb == null) {
                return 0;
            }
            if (udp.checksumOk(skb)) {
                return skb.len();
            }
            dropBadChecksum();
        }
    }

    /**
     * {@code udp_poll} over {@code datagram_poll}: POLLERR for a pending error, POLLIN with a
     * datagram queued (its checksum is not checked here), POLLRDHUP/POLLIN after SHUT_RD, POLLHUP
     * after both, POLLOUT while less than half the send buffer is in use ({@code sock_writeable}).
     */
    @Override
    public int poll() {
        int mask = 0;
        if (sock.error() != 0) {
            mask |= POLLERR;
        }
        int shut = sock.shutdownBits();
        if ((shut & Socket.RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (shut == Socket.SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if (!receiveQueue.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        }
        if (sock.wmemAlloc() < sock.sndbuf() >> 1) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    // ---------------------------------------------------------------- shutdown, close, options

    /** {@code inet_shutdown}: EINVAL for a bad {@code how}; ENOTCONN unconnected, with the bits set all the same. */
    @Override
    public int shutdown(int how) {
        int mode = how + 1;
        if ((mode & ~Socket.SHUTDOWN_MASK) != 0 || mode == 0) {
            return -Errno.EINVAL.number();
        }
        int err = state == TCP_CLOSE ? -Errno.ENOTCONN.number() : 0;
        sock.addShutdown(mode);
        sock.stateChange();
        return err;
    }

    /** {@code udp_lib_close}: out of the table, queued datagrams freed. */
    @Override
    public void release() {
        if (num != 0) {
            udp.unhash(this);
        }
        SkBuff skb;
        while ((skb = receiveQueue.poll()) != null) {
            skb.free(DropReason.SOCKET_CLOSE);
        }
        state = TCP_CLOSE;
    }

    /** SOL_UDP options are not modelled (ENOPROTOOPT); SOL_IP as {@link InetSock}. */
    @Override
    public int setsockopt(int level, int optname, int value) {
        return level == SOL_UDP ? -Errno.ENOPROTOOPT.number() : super.setsockopt(level, optname, value);
    }

    @Override
    public int getsockopt(int level, int optname, int[] value) {
        return level == SOL_UDP ? -Errno.ENOPROTOOPT.number() : super.getsockopt(level, optname, value);
    }

    @Override
    public String describeState() {
        return (state == TCP_ESTABLISHED ? "ESTAB " : num != 0 ? "UNCONN " : "unbound ") + addresses()
                + ", receive queue " + (receiveQueue.isEmpty() ? "empty" : receiveQueue.size() + " datagrams")
                + ", rcvbuf " + sock.rmemAlloc() + "/" + sock.rcvbuf() + ", sndbuf " + sock.wmemAlloc() + "/"
                + sock.sndbuf();
    }

    @Override
    public String toString() {
        return "UdpSock[" + describeState() + "]";
    }
}
