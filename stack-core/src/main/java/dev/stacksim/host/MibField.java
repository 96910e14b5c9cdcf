package dev.stacksim.host;

/**
 * A counter of one MIB group, with the name Linux prints for it in the group's header line of
 * {@code /proc/net/snmp} or {@code /proc/net/netstat} ({@code InReceives}); {@code nstat} prefixes
 * the group's name ({@code IpInReceives}). Implemented by the enum of each group
 * ({@link IpMib}, {@link IcmpMib}, {@link IpExtMib}, and the transport groups to come), whose
 * ordinals index the group's counters.
 */
public interface MibField {
    /** The counter's name as Linux prints it in its group: {@code InReceives}, {@code OutEchoReps}. */
    String linuxName();
}
