package dev.stacksim.tcp;

import dev.stacksim.host.MibField;

/** The {@code Tcp:} group of {@code /proc/net/snmp} (RFC 4022's tcp group, {@code TCP_MIB_*}), in Linux's order. */
public enum TcpMib implements MibField {
    /** The RTO algorithm: 1, "other" (Linux prints 1). */
    RTO_ALGORITHM("RtoAlgorithm"),
    /** The minimum RTO in milliseconds: 200. */
    RTO_MIN("RtoMin"),
    /** The maximum RTO in milliseconds: 120000. */
    RTO_MAX("RtoMax"),
    /** The connection limit: -1, none. */
    MAX_CONN("MaxConn"),
    /** Connections that went SYN_SENT from CLOSED (connect()). */
    ACTIVE_OPENS("ActiveOpens"),
    /** Connections that went SYN_RECV from LISTEN. */
    PASSIVE_OPENS("PassiveOpens"),
    /** Connection attempts that failed from SYN_SENT or SYN_RECV. */
    ATTEMPT_FAILS("AttemptFails"),
    /** Resets from ESTABLISHED or CLOSE_WAIT. */
    ESTAB_RESETS("EstabResets"),
    /** Connections now in ESTABLISHED or CLOSE_WAIT (a gauge). */
    CURR_ESTAB("CurrEstab"),
    /** Segments received, including those in error. */
    IN_SEGS("InSegs"),
    /** Segments sent, excluding retransmissions. */
    OUT_SEGS("OutSegs"),
    /** Segments retransmitted. */
    RETRANS_SEGS("RetransSegs"),
    /** Segments received in error (bad checksum included). */
    IN_ERRS("InErrs"),
    /** Segments sent with RST. */
    OUT_RSTS("OutRsts"),
    /** Segments received with a bad checksum. */
    IN_CSUM_ERRORS("InCsumErrors");

    private final String linuxName;

    TcpMib(String linuxName) {
        this.linuxName = linuxName;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }
}
