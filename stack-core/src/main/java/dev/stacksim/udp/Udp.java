package dev.stacksim.udp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.IcmpMib;
import dev.stacksim.host.MibGroup;
import dev.stacksim.inet.IcmpErrConvert;
import dev.stacksim.inet.InetBindTable;
import dev.stacksim.inet.InetHash;
import dev.stacksim.inet.InetSock;
import dev.stacksim.ip.IpProtocolHandler;
import dev.stacksim.sim.SimRandom;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.Socket;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP on one host ({@code net/ipv4/udp.c}): the table of bound sockets, the receive path from IP
 * ({@code udp_rcv}), ICMP errors ({@code udp_err}), the {@code Udp:} counters and
 * {@code /proc/net/udp}. The sockets themselves are {@link UdpSock}s; the host creates one
 * {@code Udp}, registers it with IP for protocol 17 and with AF_INET for SOCK_DGRAM.
 *
 * <h2>Receiving ({@code __udp4_lib_rcv})</h2>
 * <pre>
 *   shorter than 8 bytes, or a length field above the data or below 8   InErrors, drop
 *   (data beyond the length field is trimmed)
 *   broadcast destination ─► every matching socket gets a copy; none: IgnoredMulti
 *   lookup ─► socket found: its receive queue (SO_RCVBUF full: RcvbufErrors + InErrors, drop)
 *          └► none: checksum wrong? InCsumErrors + InErrors : NoPorts + ICMP port unreachable
 * </pre>
 * The checksum of a datagram that found its socket is verified when the application reads it,
 * as Linux does (it verifies while copying): a corrupted datagram is counted
 * (InCsumErrors, InErrors) and skipped by recv, and InDatagrams counts datagrams read, not
 * datagrams arrived. A zero checksum field means the sender computed none; it is accepted.
 *
 * <h2>Lookup ({@code __udp4_lib_lookup})</h2>
 * First among the sockets bound to the destination address itself, then among those bound to
 * 0.0.0.0. Within each, a socket scores 2, plus 4 if connected to the source address, plus 4 if
 * connected to the source port; one connected elsewhere does not match. The best score wins; among
 * equals the newest socket. A connected datagram thus beats a merely bound one, and the last of two
 * SO_REUSEADDR sockets takes everything. A socket with SO_REUSEPORT stands for its group: the
 * member is chosen by a keyed hash of the 4-tuple ({@code reuseport_select_sock}), so each flow
 * sticks to one member; connected members are skipped. (BPF selection and SO_INCOMING_CPU are
 * not modelled.)
 *
 * <h2>ICMP errors ({@code __udp4_lib_err})</h2>
 * The quoted datagram finds the socket that sent it. Port unreachable and the other hard codes of
 * {@link IcmpErrConvert} become the socket's pending error only if it is connected; the next
 * send or recv returns it (ECONNREFUSED) and SO_ERROR reads it. An unconnected socket ignores
 * them, unless it set IP_RECVERR (then every error is reported; the error queue itself,
 * MSG_ERRQUEUE, is not modelled). An error no socket claims counts as {@code Icmp: InErrors}.
 *
 * <p>Not modelled: UDP-Lite (its {@code UdpLite:} counters stay 0), GRO/GSO, encapsulation
 * sockets, {@code udp_mem} pressure (MemErrors stays 0), multicast membership, the loop-back copy
 * of a broadcast this host sends.
 */
public final class Udp implements IpProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Udp.class);

    /**
     * Chains of the port table: Linux sizes {@code udp_table} by memory ({@code uhash_entries});
     * a machine with 16-32 GB boots with "UDP hash table entries: 16384".
     */
    public static final int UDP_HTABLE_SIZE = 16384;
    /** The most data one datagram carries: 65535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int MAX_PAYLOAD = 65507;

    /** The header of /proc/net/udp ({@code udp4_seq_show}), before padding. */
    public static final String PROC_HEADER = "   sl  local_address rem_address   st tx_queue "
            + "rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";
    /** Every line of /proc/net/udp is padded with spaces to this width ({@code seq_setwidth(seq, 127)}). */
    public static final int PROC_WIDTH = 127;

    private final Host host;
    final MibGroup<UdpMib> mib;
    final InetBindTable table;
    /** The stream ephemeral ports are drawn from ({@code get_random_u32} in {@code udp_lib_get_port}). */
    final SimRandom portRandom;
    /** {@code udp_ehash_secret + net_hash_mix}: the key of the SO_REUSEPORT hash. */
    private final int ehashSecret;
    /** The input path's view; the loop runs one packet at a time. */
    private final UdpHeader uh = new UdpHeader();
    /** The output path's view, used by {@link UdpSock#sendmsg}. */
    final UdpHeader outUh = new UdpHeader();

    /** UDP for {@code host}: registers the {@code Udp} and {@code UdpLite} groups of /proc/net/snmp. */
    public Udp(Host host) {
        this.host = host;
        SimRandom r = host.random().fork("udp");
        this.table = new InetBindTable(InetBindTable.Rule.UDP, UDP_HTABLE_SIZE, r.nextInt());
        this.ehashSecret = r.nextInt();
        this.portRandom = r.fork("ports");
        this.mib = host.snmp().register(new MibGroup<>("Udp", MibGroup.File.SNMP, 40, UdpMib.class));
        host.snmp().register(new MibGroup<>("UdpLite", MibGroup.File.SNMP, 50, UdpMib.class));
    }

    /** The host. */
    public Host host() {
        return host;
    }

    /** A new UDP socket on {@code sock}: what AF_INET's SOCK_DGRAM entry creates. */
    public UdpSock create(Socket sock) {
        return new UdpSock(this, sock);
    }

    /** The {@code Udp:} counters. */
    public MibGroup<UdpMib> mib() {
        return mib;
    }

    /** The bound sockets by port ({@code udp_table}). */
    public InetBindTable table() {
        return table;
    }

    // ---------------------------------------------------------------- receive

    /** {@code __udp4_lib_rcv}: see the class comment. The skb's data is at the UDP header. */
    @Override
    public void receive(SkBuff skb) {
        int len = skb.len();
        if (len < UdpHeader.HEADER_LEN) {
            inError(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        ByteBuf buf = skb.buf();
        int th = skb.data();
        int ulen = buf.getUnsignedShort(th + UdpHeader.LENGTH_OFFSET);
        if (ulen > len || ulen < UdpHeader.HEADER_LEN) {
            inError(skb, DropReason.PKT_TOO_SMALL);
            return;
        }
        if (ulen < len) {
            skb.trim(ulen);
        }
        int nh = skb.networkHeader();
        int saddr = buf.getInt(nh + Ipv4Header.SRC_ADDR_OFFSET);
        int daddr = buf.getInt(nh + Ipv4Header.DST_ADDR_OFFSET);
        int sport = buf.getUnsignedShort(th + UdpHeader.SRC_PORT_OFFSET);
        int dport = buf.getUnsignedShort(th + UdpHeader.DST_PORT_OFFSET);
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] udp_rcv {}:{} > {}:{} len {}", host.name(), Ipv4Address.toString(saddr), sport,
                    Ipv4Address.toString(daddr), dport, ulen - UdpHeader.HEADER_LEN);
        }
        HostTrace trace = host.trace();
        if (trace.enabled()) {
            trace.packet(false, "UDP", HostTrace.addr(saddr, sport), HostTrace.addr(daddr, dport),
                    "length " + (ulen - UdpHeader.HEADER_LEN));
        }
        if (host.routes().isBroadcast(daddr) || (daddr >>> 28) == 0xE) {
            mcastDeliver(skb, saddr, sport, daddr, dport);
            return;
        }
        UdpSock sk = lookup(saddr, sport, daddr, dport);
        if (sk != null) {
            sk.queueRcv(skb);
            return;
        }
        if (!checksumOk(skb)) {
            mib.inc(UdpMib.IN_CSUM_ERRORS);
            inError(skb, DropReason.UDP_CSUM);
            return;
        }
        mib.inc(UdpMib.NO_PORTS);
        host.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0);
        skb.free(DropReason.NO_SOCKET);
    }

    private void inError(SkBuff skb, DropReason reason) {
        mib.inc(UdpMib.IN_ERRORS);
        if (LOG.isTraceEnabled()) {
            LOG.trace("[{}] udp_rcv drop {}", host.name(), reason);
        }
        skb.free(reason);
    }

    /**
     * {@code __udp4_lib_mcast_deliver}: a copy (a clone) to every socket on the port that the
     * datagram fits, in chain order, the original to the first; nobody: IgnoredMulti, no ICMP.
     */
    private void mcastDeliver(SkBuff skb, int saddr, int sport, int daddr, int dport) {
        int slot = table.slot(dport);
        UdpSock first = null;
        for (int i = 0; i < table.chainLength(slot); i++) {
            UdpSock sk = (UdpSock) table.binder(slot, i);
            if (!isMcastSock(sk, saddr, sport, daddr, dport)) {
                continue;
            }
            if (first == null) {
                first = sk;
                continue;
            }
            sk.queueRcv(skb.clone());
        }
        if (first != null) {
            first.queueRcv(skb);
        } else {
            mib.inc(UdpMib.IGNORED_MULTI);
            skb.free(DropReason.NO_SOCKET);
        }
    }

    /** {@code __udp_is_mcast_sock}. */
    private static boolean isMcastSock(UdpSock sk, int saddr, int sport, int daddr, int dport) {
        return sk.port() == dport && (sk.daddr() == 0 || sk.daddr() == saddr) && (sk.dport() == 0 || sk.dport() == sport)
                && (sk.rcvSaddr() == 0 || sk.rcvSaddr() == daddr);
    }

    /**
     * The socket a datagram from {@code saddr:sport} to {@code daddr:dport} goes to, or null
     * ({@code __udp4_lib_lookup}): the sockets bound to {@code daddr} first, then the wildcard ones.
     */
    public UdpSock lookup(int saddr, int sport, int daddr, int dport) {
        UdpSock result = lookup2(saddr, sport, daddr, dport);
        if (result != null || daddr == 0) {
            return result;
        }
        return lookup2(saddr, sport, 0, dport);
    }

    /** {@code udp4_lib_lookup2} over the sockets bound to {@code target}, newest first. */
    private UdpSock lookup2(int saddr, int sport, int target, int hnum) {
        int slot = table.slot(hnum);
        UdpSock result = null;
        int badness = 0;
        for (int i = 0; i < table.chainLength(slot); i++) {
            UdpSock sk = (UdpSock) table.binder(slot, i);
            int score = computeScore(sk, saddr, sport, target, hnum);
            if (score <= badness) {
                continue;
            }
            badness = score;
            if (sk.state() == InetSock.TCP_ESTABLISHED || sk.group == null) {
                result = sk;
                continue;
            }
            UdpSock chosen = sk.group.select(InetHash.ehashfn(target, hnum, saddr, sport, ehashSecret));
            if (chosen == null) {
                result = sk;
                continue;
            }
            result = chosen;
            if (!sk.group.hasConns) {
                return result;
            }
            // a group with connected members falls back to scoring: the chosen one must beat the rest
            int rescore = computeScore(chosen, saddr, sport, target, hnum);
            if (rescore > badness) {
                badness = rescore;
            }
        }
        return result;
    }

    /** {@code compute_score}: -1 for no match, else 2 + 4 per connected field that matches. */
    private static int computeScore(UdpSock sk, int saddr, int sport, int target, int hnum) {
        if (sk.port() != hnum || sk.rcvSaddr() != target) {
            return -1;
        }
        int score = 2;
        if (sk.daddr() != 0) {
            if (sk.daddr() != saddr) {
                return -1;
            }
            score += 4;
        }
        if (sk.dport() != 0) {
            if (sk.dport() != sport) {
                return -1;
            }
            score += 4;
        }
        return score;
    }

    /**
     * Whether a queued or arriving datagram's checksum verifies ({@code udp_lib_checksum_complete});
     * a zero field means none was sent. The skb's transport header mark finds the UDP header, its
     * network header mark the addresses; its data may start at the header or after it.
     */
    boolean checksumOk(SkBuff skb) {
        ByteBuf buf = skb.buf();
        int th = skb.transportHeader();
        int ulen = buf.getUnsignedShort(th + UdpHeader.LENGTH_OFFSET);
        if (buf.getUnsignedShort(th + UdpHeader.CHECKSUM_OFFSET) == UdpHeader.NO_CHECKSUM) {
            return true;
        }
        int nh = skb.networkHeader();
        return uh.wrap(buf, th, ulen).verifyChecksum(buf.getInt(nh + Ipv4Header.SRC_ADDR_OFFSET),
                buf.getInt(nh + Ipv4Header.DST_ADDR_OFFSET));
    }

    // ---------------------------------------------------------------- ICMP errors

    /**
     * {@code __udp4_lib_err}: the skb's data is at the quoted IPv4 header of a datagram this host
     * sent; see the class comment.
     */
    @Override
    public void error(SkBuff skb, int type, int code, int info) {
        ByteBuf buf = skb.buf();
        int q = skb.data();
        int ihl = (buf.getUnsignedByte(q) & 0x0F) * 4;
        int ourAddr = buf.getInt(q + Ipv4Header.SRC_ADDR_OFFSET);
        int peerAddr = buf.getInt(q + Ipv4Header.DST_ADDR_OFFSET);
        int ourPort = buf.getUnsignedShort(q + ihl + UdpHeader.SRC_PORT_OFFSET);
        int peerPort = buf.getUnsignedShort(q + ihl + UdpHeader.DST_PORT_OFFSET);
        UdpSock sk = lookup(peerAddr, peerPort, ourAddr, ourPort);
        if (sk == null) {
            host.snmp().icmp.inc(IcmpMib.IN_ERRORS);
            return;
        }
        Errno err;
        boolean hard;
        switch (type) {
            case IcmpType.SOURCE_QUENCH:
                return;
            case IcmpType.PARAMETERPROB:
                err = Errno.EPROTO;
                hard = true;
                break;
            case IcmpType.DEST_UNREACH:
                if (code == IcmpCode.FRAG_NEEDED) {
                    // path MTU discovery is not modelled; IP_PMTUDISC_WANT (the default) reports it
                    err = Errno.EMSGSIZE;
                    hard = true;
                } else {
                    err = IcmpErrConvert.errno(code);
                    hard = IcmpErrConvert.fatal(code);
                }
                break;
            case IcmpType.TIME_EXCEEDED:
            default:
                err = Errno.EHOSTUNREACH;
                hard = false;
                break;
        }
        if (!sk.recverr() && (!hard || sk.state() != InetSock.TCP_ESTABLISHED)) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] udp_err {}:{} type {} code {}: {}", host.name(), Ipv4Address.toString(ourAddr), ourPort,
                    type, code, err);
        }
        sk.socket().setError(err);
    }

    // ---------------------------------------------------------------- the table

    /** {@code udp_lib_get_port}'s "found" step: into the table, and into a reuseport group. */
    void hash(UdpSock sk) {
        if (sk.reusePort()) {
            int slot = table.slot(sk.port());
            ReuseportGroup group = null;
            for (int i = 0; i < table.chainLength(slot); i++) {
                UdpSock sk2 = (UdpSock) table.binder(slot, i);
                if (sk2 != sk && sk2.port() == sk.port() && sk2.reusePort() && sk2.uid() == sk.uid()
                        && sk2.rcvSaddr() == sk.rcvSaddr()) {
                    if (sk2.group == null) {
                        sk2.group = new ReuseportGroup();
                        sk2.group.add(sk2);
                    }
                    group = sk2.group;
                    break;
                }
            }
            if (group == null) {
                group = new ReuseportGroup();
            }
            group.add(sk);
            sk.group = group;
        }
        table.add(sk);
    }

    /** {@code udp_lib_unhash}. */
    void unhash(UdpSock sk) {
        leaveGroup(sk);
        table.remove(sk);
    }

    /** {@code reuseport_detach_sock}: also when a wildcard-bound member connects ({@code udp_lib_rehash}). */
    void leaveGroup(UdpSock sk) {
        if (sk.group != null) {
            sk.group.remove(sk);
            sk.group = null;
        }
    }

    /** A SO_REUSEPORT group ({@code struct sock_reuseport}): its members in join order. */
    static final class ReuseportGroup {
        private UdpSock[] socks = new UdpSock[4];
        private int num;
        /** Some member connected ({@code reuseport_has_conns}): lookups score the chosen one. */
        boolean hasConns;

        void add(UdpSock sk) {
            if (num == socks.length) {
                socks = java.util.Arrays.copyOf(socks, num * 2);
            }
            socks[num++] = sk;
        }

        /** The last member takes the leaver's place, as {@code __reuseport_detach_sock} does. */
        void remove(UdpSock sk) {
            for (int i = 0; i < num; i++) {
                if (socks[i] == sk) {
                    socks[i] = socks[--num];
                    socks[num] = null;
                    return;
                }
            }
        }

        /** {@code reuseport_select_sock_by_hash}: from the scaled hash on, the first unconnected member. */
        UdpSock select(int hash) {
            if (num == 0) {
                return null;
            }
            int i = InetHash.reciprocalScale(hash, num);
            int j = i;
            do {
                if (socks[i].state() != InetSock.TCP_ESTABLISHED) {
                    return socks[i];
                }
                if (++i >= num) {
                    i = 0;
                }
            } while (i != j);
            return null;
        }

        int size() {
            return num;
        }
    }

    // ---------------------------------------------------------------- /proc/net/udp

    /**
     * {@code cat /proc/net/udp}: the header and one line per bound socket, by hash chain ({@code sl})
     * and newest first within a chain, each padded to 127 columns, in {@code udp4_format_sock}'s
     * format. Addresses are the network-order u32 printed by a little-endian host
     * ({@code 0100007F} for 127.0.0.1), ports host-order hex; {@code st} is 07 (CLOSE) for an
     * unconnected socket and 01 (ESTABLISHED) for a connected one; {@code tx_queue} and
     * {@code rx_queue} are the bytes (truesize) charged to the send and receive buffers; the
     * pointer prints as zeros, as for a reader without CAP_SYSLOG; {@code ref} is 2 (the file and
     * the table); {@code drops} counts datagrams dropped at this socket (buffer full, bad checksum).
     */
    public String procNetUdp() {
        StringBuilder sb = new StringBuilder(256);
        pad(sb.append(PROC_HEADER), 0);
        for (int slot = 0; slot < table.slots(); slot++) {
            for (int i = 0; i < table.chainLength(slot); i++) {
                UdpSock sk = (UdpSock) table.binder(slot, i);
                int start = sb.length();
                Socket s = sk.socket();
                sb.append(String.format("%5d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d",
                        slot, Inet.htonl(sk.rcvSaddr()), sk.port(), Inet.htonl(sk.daddr()), sk.dport(), sk.state(),
                        s.wmemAlloc(), s.rmemAlloc(), 0, 0, 0, sk.uid(), 0, s.inode(), 2, "0000000000000000",
                        sk.drops));
                pad(sb, start);
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int lineStart) {
        while (sb.length() - lineStart < PROC_WIDTH) {
            sb.append(' ');
        }
        sb.append('\n');
    }

    @Override
    public String toString() {
        return "Udp[" + host.name() + " sockets=" + table.size() + "]";
    }
}
