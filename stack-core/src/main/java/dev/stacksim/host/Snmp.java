package dev.stacksim.host;

import dev.stacksim.tcp.TcpExtMib;
import dev.stacksim.tcp.TcpMib;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A host's protocol counters, grouped and named as Linux's {@code /proc/net/snmp} and
 * {@code /proc/net/netstat} show them and {@code nstat} names them ({@code IpInReceives},
 * {@code IcmpOutEchoReps}, {@code IpExtInCsumErrors}, {@code IcmpMsgInType8}).
 *
 * <pre>
 * Ip: Forwarding DefaultTTL InReceives InHdrErrors ... FragCreates OutTransmits
 * Ip: 2 64 4 0 ... 0 4
 * Icmp: InMsgs InErrors InCsumErrors InDestUnreachs ... OutAddrMaskReps
 * Icmp: 2 0 0 0 ... 0
 * IcmpMsg: InType0 InType8 OutType0 OutType8
 * IcmpMsg: 1 1 1 1
 * </pre>
 *
 * <p>Protocol code counts with one array increment: {@code snmp.ip.inc(IpMib.IN_RECEIVES)}
 * ({@code __IP_INC_STATS}). ICMP messages are counted by type with {@link #icmpIn(int)} and
 * {@link #icmpOut(int)}, which feed both the {@code IcmpMsg} group (only non-zero types are printed,
 * and the group not at all when none is) and the matching {@code Icmp} column, as Linux derives
 * those columns from the same per-type counters.
 *
 * <p>The transport issues add their groups ({@code Tcp}, {@code Udp}, {@code TcpExt}) with
 * {@link #register(MibGroup)}.
 */
public final class Snmp {
    /** The {@code Ip} group of {@code /proc/net/snmp}. */
    public final MibGroup<IpMib> ip = new MibGroup<>("Ip", MibGroup.File.SNMP, 10, IpMib.class);
    /** The {@code Icmp} group of {@code /proc/net/snmp}. */
    public final MibGroup<IcmpMib> icmp = new MibGroup<>("Icmp", MibGroup.File.SNMP, 20, IcmpMib.class);
    /** The {@code IpExt} group of {@code /proc/net/netstat}. */
    public final MibGroup<IpExtMib> ipExt = new MibGroup<>("IpExt", MibGroup.File.NETSTAT, 20, IpExtMib.class);
    /** {@code Tcp:} of {@code /proc/net/snmp}: RFC 4022's counters, with Linux's constant RTO gauges. */
    public final MibGroup<TcpMib> tcp = new MibGroup<>("Tcp", MibGroup.File.SNMP, 30, TcpMib.class);
    /** {@code TcpExt:} of {@code /proc/net/netstat}: Linux's own TCP counters (ListenOverflows …). */
    public final MibGroup<TcpExtMib> tcpExt = new MibGroup<>("TcpExt", MibGroup.File.NETSTAT, 10, TcpExtMib.class);

    private static final IcmpMib[] IN_COLUMN = new IcmpMib[256];
    private static final IcmpMib[] OUT_COLUMN = new IcmpMib[256];

    static {
        for (IcmpMib f : IcmpMib.values()) {
            if (f.inType() >= 0) {
                IN_COLUMN[f.inType()] = f;
            }
            if (f.outType() >= 0) {
                OUT_COLUMN[f.outType()] = f;
            }
        }
    }

    private final Sysctl sysctl;
    private final long[] icmpMsgIn = new long[256];
    private final long[] icmpMsgOut = new long[256];
    private final List<MibGroup<?>> groups = new ArrayList<>();

    /** Counters for a host whose gauges ({@code Forwarding}, {@code DefaultTTL}) come from {@code sysctl}. */
    public Snmp(Sysctl sysctl) {
        this.sysctl = sysctl;
        register(ip);
        register(icmp);
        register(ipExt);
        register(tcp);
        register(tcpExt);
    }

    /**
     * Adds a group (a transport layer's {@code Udp}, {@code Tcp}, {@code TcpExt}), printed in its
     * file at its {@link MibGroup#rank()} and found by {@link #get(String)}.
     *
     * @throws IllegalArgumentException when a group of that name is already registered
     */
    public <E extends Enum<E> & MibField> MibGroup<E> register(MibGroup<E> group) {
        for (MibGroup<?> g : groups) {
            if (g.name().equals(group.name())) {
                throw new IllegalArgumentException("snmp: group " + group.name() + " already registered");
            }
        }
        groups.add(group);
        groups.sort(Comparator.comparingInt(MibGroup::rank));
        return group;
    }

    /** Counts a received ICMP message of {@code type} ({@code ICMPMSGIN_INC_STATS}): IcmpMsg InTypeN and its Icmp column. */
    public void icmpIn(int type) {
        icmpMsgIn[type & 0xFF]++;
        IcmpMib column = IN_COLUMN[type & 0xFF];
        if (column != null) {
            icmp.inc(column);
        }
    }

    /** Counts a sent ICMP message of {@code type} ({@code icmp_out_count}): OutMsgs, IcmpMsg OutTypeN and its Icmp column. */
    public void icmpOut(int type) {
        icmp.inc(IcmpMib.OUT_MSGS);
        icmpMsgOut[type & 0xFF]++;
        IcmpMib column = OUT_COLUMN[type & 0xFF];
        if (column != null) {
            icmp.inc(column);
        }
    }

    /** IcmpMsg InTypeN: received ICMP messages of {@code type}. */
    public long icmpMsgIn(int type) {
        return icmpMsgIn[type & 0xFF];
    }

    /** IcmpMsg OutTypeN: sent ICMP messages of {@code type}. */
    public long icmpMsgOut(int type) {
        return icmpMsgOut[type & 0xFF];
    }

    /**
     * A counter by the name {@code nstat} prints: the group's name and the field's
     * ({@code IpInReceives}, {@code IcmpOutEchoReps}, {@code IpExtInCsumErrors},
     * {@code IcmpMsgOutType0}).
     *
     * @throws IllegalArgumentException when no group has such a counter
     */
    public long get(String nstatName) {
        refreshGauges();
        if (nstatName.startsWith("IcmpMsgInType") || nstatName.startsWith("IcmpMsgOutType")) {
            boolean in = nstatName.startsWith("IcmpMsgIn");
            try {
                int type = Integer.parseInt(nstatName.substring(in ? 13 : 14));
                if (type >= 0 && type < 256) {
                    return in ? icmpMsgIn[type] : icmpMsgOut[type];
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        // Longest group name first: "IpExt" must win over "Ip" for "IpExtInOctets".
        MibGroup<?> best = null;
        for (MibGroup<?> g : groups) {
            if (nstatName.startsWith(g.name()) && (best == null || g.name().length() > best.name().length())
                    && g.get(nstatName.substring(g.name().length())) >= 0) {
                best = g;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("snmp: no counter named " + nstatName);
        }
        return best.get(nstatName.substring(best.name().length()));
    }

    /** Every counter of every group to zero (gauges are recomputed when read). */
    public void clear() {
        for (MibGroup<?> g : groups) {
            g.clear();
        }
        java.util.Arrays.fill(icmpMsgIn, 0);
        java.util.Arrays.fill(icmpMsgOut, 0);
    }

    /** The text of {@code /proc/net/snmp}: two lines per group, IcmpMsg after Icmp. */
    public String procNetSnmp() {
        refreshGauges();
        StringBuilder sb = new StringBuilder(1024);
        for (MibGroup<?> g : groups) {
            if (g.file() == MibGroup.File.SNMP) {
                g.appendTo(sb);
                if (g == icmp) {
                    appendIcmpMsg(sb);
                }
            }
        }
        return sb.toString();
    }

    /** The text of {@code /proc/net/netstat}: two lines per group (TcpExt, IpExt). */
    public String procNetNetstat() {
        StringBuilder sb = new StringBuilder(512);
        for (MibGroup<?> g : groups) {
            if (g.file() == MibGroup.File.NETSTAT) {
                g.appendTo(sb);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return procNetSnmp();
    }

    /** Linux prints only the types seen, In before Out, and nothing when none was (icmpmsg_put). */
    private void appendIcmpMsg(StringBuilder sb) {
        StringBuilder names = new StringBuilder("IcmpMsg:");
        StringBuilder vals = new StringBuilder("IcmpMsg:");
        boolean any = false;
        for (int dir = 0; dir < 2; dir++) {
            long[] counts = dir == 0 ? icmpMsgIn : icmpMsgOut;
            for (int t = 0; t < 256; t++) {
                if (counts[t] != 0) {
                    names.append(dir == 0 ? " InType" : " OutType").append(t);
                    vals.append(' ').append(counts[t]);
                    any = true;
                }
            }
        }
        if (any) {
            sb.append(names).append('\n').append(vals).append('\n');
        }
    }

    private void refreshGauges() {
        ip.set(IpMib.FORWARDING, sysctl.getInt("net.ipv4.ip_forward") == 1 ? 1 : 2);
        ip.set(IpMib.DEFAULT_TTL, sysctl.getInt("net.ipv4.ip_default_ttl"));
        // Constants Linux prints in the Tcp group: RtoAlgorithm "other", TCP_RTO_MIN/MAX in ms, no MaxConn.
        tcp.set(TcpMib.RTO_ALGORITHM, 1);
        tcp.set(TcpMib.RTO_MIN, 200);
        tcp.set(TcpMib.RTO_MAX, 120_000);
        tcp.set(TcpMib.MAX_CONN, -1);
    }
}
