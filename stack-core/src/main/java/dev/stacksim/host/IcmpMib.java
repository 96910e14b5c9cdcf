package dev.stacksim.host;

/**
 * The {@code Icmp:} group of {@code /proc/net/snmp} ({@code ICMP_MIB_*}), in Linux's order. The
 * per-type columns ({@code InEchos}, {@code OutDestUnreachs} ...) count the same messages as the
 * {@code IcmpMsg:} group's {@code InType8}, {@code OutType3} ...; {@link Snmp#icmpIn(int)} and
 * {@link Snmp#icmpOut(int)} count both.
 */
public enum IcmpMib implements MibField {
    /** ICMP messages received, errors included. */
    IN_MSGS("InMsgs", -1, -1),
    /** Messages dropped as malformed: short, bad checksum, broadcast echo. */
    IN_ERRORS("InErrors", -1, -1),
    /** Messages whose checksum did not verify (also in InErrors). */
    IN_CSUM_ERRORS("InCsumErrors", -1, -1),
    /** Destination unreachable received (type 3). */
    IN_DEST_UNREACHS("InDestUnreachs", 3, -1),
    /** Time exceeded received (type 11). */
    IN_TIME_EXCDS("InTimeExcds", 11, -1),
    /** Parameter problem received (type 12). */
    IN_PARM_PROBS("InParmProbs", 12, -1),
    /** Source quench received (type 4). */
    IN_SRC_QUENCHS("InSrcQuenchs", 4, -1),
    /** Redirect received (type 5). */
    IN_REDIRECTS("InRedirects", 5, -1),
    /** Echo request received (type 8). */
    IN_ECHOS("InEchos", 8, -1),
    /** Echo reply received (type 0). */
    IN_ECHO_REPS("InEchoReps", 0, -1),
    /** Timestamp request received (type 13). */
    IN_TIMESTAMPS("InTimestamps", 13, -1),
    /** Timestamp reply received (type 14). */
    IN_TIMESTAMP_REPS("InTimestampReps", 14, -1),
    /** Address mask request received (type 17). */
    IN_ADDR_MASKS("InAddrMasks", 17, -1),
    /** Address mask reply received (type 18). */
    IN_ADDR_MASK_REPS("InAddrMaskReps", 18, -1),
    /** ICMP messages sent. */
    OUT_MSGS("OutMsgs", -1, -1),
    /** Messages not sent for an error. */
    OUT_ERRORS("OutErrors", -1, -1),
    /** Errors suppressed by the host-wide rate limit (not modelled: always 0). */
    OUT_RATE_LIMIT_GLOBAL("OutRateLimitGlobal", -1, -1),
    /** Errors suppressed by the per-destination rate limit ({@code icmp_ratelimit}). */
    OUT_RATE_LIMIT_HOST("OutRateLimitHost", -1, -1),
    /** Destination unreachable sent. */
    OUT_DEST_UNREACHS("OutDestUnreachs", -1, 3),
    /** Time exceeded sent. */
    OUT_TIME_EXCDS("OutTimeExcds", -1, 11),
    /** Parameter problem sent. */
    OUT_PARM_PROBS("OutParmProbs", -1, 12),
    /** Source quench sent. */
    OUT_SRC_QUENCHS("OutSrcQuenchs", -1, 4),
    /** Redirect sent. */
    OUT_REDIRECTS("OutRedirects", -1, 5),
    /** Echo request sent. */
    OUT_ECHOS("OutEchos", -1, 8),
    /** Echo reply sent. */
    OUT_ECHO_REPS("OutEchoReps", -1, 0),
    /** Timestamp request sent. */
    OUT_TIMESTAMPS("OutTimestamps", -1, 13),
    /** Timestamp reply sent. */
    OUT_TIMESTAMP_REPS("OutTimestampReps", -1, 14),
    /** Address mask request sent. */
    OUT_ADDR_MASKS("OutAddrMasks", -1, 17),
    /** Address mask reply sent. */
    OUT_ADDR_MASK_REPS("OutAddrMaskReps", -1, 18);

    private final String linuxName;
    private final int inType;
    private final int outType;

    IcmpMib(String linuxName, int inType, int outType) {
        this.linuxName = linuxName;
        this.inType = inType;
        this.outType = outType;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }

    /** The ICMP type this column counts on input, or -1. */
    public int inType() {
        return inType;
    }

    /** The ICMP type this column counts on output, or -1. */
    public int outType() {
        return outType;
    }
}
