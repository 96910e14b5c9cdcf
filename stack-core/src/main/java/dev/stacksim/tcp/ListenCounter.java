package dev.stacksim.tcp;

/**
 * The {@code TcpExt} counters of {@code /proc/net/netstat} that a listener's decisions bump
 * ({@link ListenAdmission}, {@link SynCookies#checkAck}), by their Linux names. A decision carries
 * them as a bit mask ({@link #bit()}) so that deciding allocates nothing; the host's MIB adds one
 * to each.
 */
public enum ListenCounter {
    /** A SYN or final ACK found the accept queue full ({@code LINUX_MIB_LISTENOVERFLOWS}). */
    LISTEN_OVERFLOWS("ListenOverflows"),
    /** Any SYN or final ACK a listener dropped ({@code LINUX_MIB_LISTENDROPS}, {@code tcp_listendrop}). */
    LISTEN_DROPS("ListenDrops"),
    /** A SYN got a cookie because the SYN queue was full or syncookies is 2 ({@code LINUX_MIB_TCPREQQFULLDOCOOKIES}). */
    TCP_REQ_Q_FULL_DO_COOKIES("TCPReqQFullDoCookies"),
    /** A SYN was dropped because the SYN queue was full and syncookies is 0 ({@code LINUX_MIB_TCPREQQFULLDROP}). */
    TCP_REQ_Q_FULL_DROP("TCPReqQFullDrop"),
    /** A SYN-ACK carrying a cookie was sent ({@code LINUX_MIB_SYNCOOKIESSENT}). */
    SYNCOOKIES_SENT("SyncookiesSent"),
    /** An ACK carried a valid cookie ({@code LINUX_MIB_SYNCOOKIESRECV}). */
    SYNCOOKIES_RECV("SyncookiesRecv"),
    /** An ACK checked as a cookie carried an invalid one ({@code LINUX_MIB_SYNCOOKIESFAILED}). */
    SYNCOOKIES_FAILED("SyncookiesFailed"),
    /** A request was reset in the handshake ({@code LINUX_MIB_EMBRYONICRSTS}). */
    EMBRYONIC_RSTS("EmbryonicRsts"),
    /** A bare ACK was set aside under TCP_DEFER_ACCEPT ({@code LINUX_MIB_TCPDEFERACCEPTDROP}). */
    TCP_DEFER_ACCEPT_DROP("TCPDeferAcceptDrop"),
    /** A retransmission timer ran, SYN-ACK timers included ({@code LINUX_MIB_TCPTIMEOUTS}). */
    TCP_TIMEOUTS("TCPTimeouts");

    private final String linuxName;

    ListenCounter(String linuxName) {
        this.linuxName = linuxName;
    }

    /** The {@code TcpExt:} counter of the same name. */
    public TcpExtMib mib() {
        return MIBS[ordinal()];
    }

    private static final TcpExtMib[] MIBS = new TcpExtMib[values().length];

    static {
        for (ListenCounter c : values()) {
            for (TcpExtMib m : TcpExtMib.values()) {
                if (m.linuxName().equals(c.linuxName)) {
                    MIBS[c.ordinal()] = m;
                }
            }
        }
    }

    /** The name {@code nstat} and {@code netstat -s} use ({@code ListenOverflows}). */
    public String linuxName() {
        return linuxName;
    }

    /** This counter's bit in a decision's counter mask. */
    public int bit() {
        return 1 << ordinal();
    }
}
