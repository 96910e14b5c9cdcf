package dev.stacksim.host;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One group of counters as Linux prints it: a header line of names and a line of values, both
 * starting with the group's name ({@code Ip: Forwarding DefaultTTL InReceives ...}). The fields
 * are an enum implementing {@link MibField}; the values are a {@code long[]} indexed by ordinal,
 * so counting is one array increment ({@code __IP_INC_STATS}).
 *
 * <p>A transport layer adds its group ({@code Udp}, {@code Tcp}, {@code TcpExt}) with
 * {@link Snmp#register(MibGroup)}; {@link #rank()} places it among the others as Linux orders
 * them in its file.
 *
 * @param <E> the enum of the group's fields
 */
public final class MibGroup<E extends Enum<E> & MibField> {
    /** Which file a group is printed in. */
    public enum File {
        /** {@code /proc/net/snmp}: the RFC MIB groups (Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite). */
        SNMP,
        /** {@code /proc/net/netstat}: Linux's extensions (TcpExt, IpExt). */
        NETSTAT
    }

    private final String name;
    private final File file;
    private final int rank;
    private final E[] fields;
    private final long[] values;

    /**
     * A group of counters, all zero.
     *
     * @param name the group's name as Linux prints it ({@code Ip}, {@code TcpExt})
     * @param file the file it is printed in
     * @param rank its place in the file: Linux's order is Ip 10, Icmp 20, (IcmpMsg), Tcp 30, Udp 40,
     *             UdpLite 50 in {@code snmp}; TcpExt 10, IpExt 20 in {@code netstat}
     * @param type the enum of its fields, in print order
     */
    public MibGroup(String name, File file, int rank, Class<E> type) {
        this.name = name;
        this.file = file;
        this.rank = rank;
        this.fields = type.getEnumConstants();
        this.values = new long[fields.length];
    }

    /** The group's name: {@code Ip}. */
    public String name() {
        return name;
    }

    /** The file the group is printed in. */
    public File file() {
        return file;
    }

    /** Its place in the file (smaller first). */
    public int rank() {
        return rank;
    }

    /** The fields in print order. */
    public List<E> fields() {
        return Collections.unmodifiableList(Arrays.asList(fields));
    }

    /** Adds one to {@code field}. */
    public void inc(E field) {
        values[field.ordinal()]++;
    }

    /** Adds {@code delta} to {@code field} (octet counters). */
    public void add(E field, long delta) {
        values[field.ordinal()] += delta;
    }

    /** Sets {@code field}: for gauges such as {@code Ip: Forwarding}. */
    public void set(E field, long value) {
        values[field.ordinal()] = value;
    }

    /** The value of {@code field}. */
    public long get(E field) {
        return values[field.ordinal()];
    }

    /**
     * The value of the field Linux names {@code linuxName} ({@code InReceives}), or -1 when the
     * group has no such field.
     */
    public long get(String linuxName) {
        for (E f : fields) {
            if (f.linuxName().equals(linuxName)) {
                return values[f.ordinal()];
            }
        }
        return -1;
    }

    /** Sets every counter to zero. */
    public void clear() {
        Arrays.fill(values, 0);
    }

    /** Appends the group's two lines, as Linux prints them. */
    void appendTo(StringBuilder sb) {
        sb.append(name).append(':');
        for (E f : fields) {
            sb.append(' ').append(f.linuxName());
        }
        sb.append('\n').append(name).append(':');
        for (long v : values) {
            sb.append(' ').append(v);
        }
        sb.append('\n');
    }

    /** The two lines of {@code /proc/net/snmp} for this group. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }
}
