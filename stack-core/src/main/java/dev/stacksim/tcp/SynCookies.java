package dev.stacksim.tcp;

import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;

/**
 * SYN cookies (D. J. Bernstein, 1996; RFC 4987 3.6) exactly as Linux 6.x computes them in
 * {@code net/ipv4/syncookies.c}: a listener under a SYN flood answers each SYN with a SYN-ACK whose
 * sequence number encodes what it would have kept in a request sock, and keeps nothing. The
 * client's ACK ({@code ack = cookie + 1}) brings the cookie back and the connection is rebuilt
 * from it.
 *
 * <h2>The cookie</h2>
 * <pre>
 *   count  = minutes of the clock                                   (tcp_cookie_time)
 *   cookie = H0(saddr, daddr, sport, dport, 0)  +  client ISN  +  (count &lt;&lt; 24)
 *          + ((H1(saddr, daddr, sport, dport, count) + mss index) mod 2^24)
 *
 *    31        24 23                                          0
 *   ┌────────────┬─────────────────────────────────────────────┐
 *   │ count      │ H1 + mss index (24 bits)                    │  ... before H0 + ISN is added
 *   └────────────┴─────────────────────────────────────────────┘
 * </pre>
 * {@code H0} and {@code H1} are {@code siphash_4u32(saddr, daddr, sport << 16 | dport, count)}
 * under two different secrets; the addresses and ports are those of the client's SYN (source
 * first). Checking subtracts {@code H0 + ISN}, reads {@code count} from the top byte, refuses a
 * cookie {@link #MAX_SYNCOOKIE_AGE} or more minutes old, recomputes {@code H1} for that minute and
 * subtracts it: what is left must be an index into the MSS table {536, 1300, 1440, 1460}, else the
 * cookie is forged. The ACK's {@code seq - 1} is the client's ISN and its {@code ack - 1} the cookie.
 *
 * <h2>Options in the timestamp</h2>
 * A cookie has room only for the MSS. When the client sent timestamps, the listener puts the
 * rest in the low six bits of its SYN-ACK's TSval, which the client echoes in TSecr:
 * <pre>
 *    31                          6   5     4    3  0
 *   ┌─────────────────────────────┬─────┬──────┬──────┐
 *   │ ms clock, rounded down      │ ECN │ SACK │ wscale (0xF: no window scaling) │
 *   └─────────────────────────────┴─────┴──────┴──────┘
 * </pre>
 * Without timestamps the client's window scale and SACK-permitted are lost: the cookie SYN-ACK
 * then offers only an MSS, and the connection runs without them.
 *
 * <h2>Time</h2>
 * The minute counter is virtual time in minutes. A kernel's {@code jiffies} start at five minutes
 * before wrap ({@code INITIAL_JIFFIES}), so its counter starts at a different number: only
 * differences between counters matter, and those are the same.
 */
public final class SynCookies {
    /** Bits of the cookie below the minute counter ({@code COOKIEBITS}). */
    public static final int COOKIEBITS = 24;
    /** The low 24 bits ({@code COOKIEMASK}). */
    public static final int COOKIEMASK = (1 << COOKIEBITS) - 1;
    /** A cookie is valid in the minute it was made and the next one ({@code MAX_SYNCOOKIE_AGE}). */
    public static final int MAX_SYNCOOKIE_AGE = 2;
    /** One tick of the cookie counter: a minute ({@code TCP_SYNCOOKIE_PERIOD}, 60 * HZ). */
    public static final long TCP_SYNCOOKIE_PERIOD = SimTime.seconds(60);
    /**
     * How long after its last SYN queue overflow a listener still checks ACKs for cookies
     * ({@code TCP_SYNCOOKIE_VALID}, two minutes).
     */
    public static final long TCP_SYNCOOKIE_VALID = MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD;
    /** Low bits of the cookie TSval that carry options ({@code TSBITS}). */
    public static final int TSBITS = 6;
    /** The window scale field of the cookie TSval; all ones means none ({@code TS_OPT_WSCALE_MASK}). */
    public static final int TS_OPT_WSCALE_MASK = 0xF;
    /** SACK-permitted bit of the cookie TSval ({@code TS_OPT_SACK}). */
    public static final int TS_OPT_SACK = 1 << 4;
    /** ECN bit of the cookie TSval ({@code TS_OPT_ECN}). */
    public static final int TS_OPT_ECN = 1 << 5;

    /** The MSS values a cookie can carry, sorted ({@code msstab[]}). */
    private static final int[] MSSTAB = {536, 1300, 1440, 1460};

    private final SipHash.Key secret0;
    private final SipHash.Key secret1;

    /** Cookies under two secrets ({@code syncookie_secret[2]}) drawn from {@code random}. */
    public SynCookies(SimRandom random) {
        this(SipHash.Key.random(random), SipHash.Key.random(random));
    }

    /** Cookies under the given secrets. */
    public SynCookies(SipHash.Key secret0, SipHash.Key secret1) {
        this.secret0 = secret0;
        this.secret1 = secret1;
    }

    /** Number of entries in the MSS table (4). */
    public static int mssTableSize() {
        return MSSTAB.length;
    }

    /** Entry {@code index} of the MSS table: 536, 1300, 1440 or 1460. */
    public static int mssOfIndex(int index) {
        return MSSTAB[index];
    }

    /**
     * The table index a SYN's MSS is encoded as: the largest entry not above {@code mss}, and 0
     * (536) for anything smaller ({@code __cookie_v4_init_sequence}). 1460 → 3, 1400 → 1 (1300),
     * 1000 → 0 (536), 9000 → 3.
     */
    public static int mssIndex(int mss) {
        int i = MSSTAB.length - 1;
        while (i > 0 && mss < MSSTAB[i]) {
            i--;
        }
        return i;
    }

    /** The MSS a connection made from a cookie will use for a SYN that offered {@code mss}. */
    public static int cookieMss(int mss) {
        return MSSTAB[mssIndex(mss)];
    }

    /** The minute counter at {@code nowNanos} ({@code tcp_cookie_time()}: jiffies / (60 HZ)). */
    public static int cookieTime(long nowNanos) {
        return (int) (nowNanos / TCP_SYNCOOKIE_PERIOD);
    }

    /**
     * The cookie for a SYN, to be sent as the SYN-ACK's sequence number
     * ({@code cookie_v4_init_sequence}). Addresses and ports are the SYN's, source first.
     *
     * @param saddr the SYN's source address (the client), host order
     * @param daddr the SYN's destination address (this listener)
     * @param sport the SYN's source port
     * @param dport the SYN's destination port
     * @param seq   the SYN's sequence number (the client's ISN)
     * @param mss   the MSS the SYN offered (536 when it had none); encoded as {@link #mssIndex}
     */
    public int initSequence(int saddr, int daddr, int sport, int dport, int seq, int mss, long nowNanos) {
        return secureTcpSynCookie(saddr, daddr, sport, dport, seq, mssIndex(mss), cookieTime(nowNanos));
    }

    /**
     * Checks the cookie an ACK carries ({@code __cookie_v4_check}): {@code ack - 1} is the cookie,
     * {@code seq - 1} the client's ISN. Addresses and ports are the ACK's, source first.
     *
     * @return the MSS encoded in the cookie, or 0 if the cookie is forged, altered or too old
     */
    public int check(int saddr, int daddr, int sport, int dport, int seq, int ack, long nowNanos) {
        int mssind = checkTcpSynCookie(ack - 1, saddr, daddr, sport, dport, seq - 1, cookieTime(nowNanos));
        return Integer.compareUnsigned(mssind, MSSTAB.length) < 0 ? MSSTAB[mssind] : 0;
    }

    /** The outcome of checking an ACK that matched no request sock as a cookie. */
    public enum CookieVerdict {
        /**
         * Not checked: syncookies off, not a pure ACK (no ACK flag, or RST), or no SYN queue
         * overflow in the last two minutes. The ACK goes on to the listener, which answers RST.
         */
        NOT_CHECKED,
        /** The cookie is invalid (forged, altered, too old): {@code SyncookiesFailed}; RST follows. */
        FAILED,
        /**
         * The cookie is valid ({@code SyncookiesRecv}) but its timestamp asks for an option this
         * host has switched off; the ACK is refused and the listener answers RST.
         */
        OPTIONS_REFUSED,
        /** The cookie is valid: make the connection from {@link CookieAck}. */
        VALID
    }

    /**
     * The result of checking a cookie ACK ({@code cookie_v4_check} up to
     * {@code cookie_tcp_reqsk_alloc}): what a request sock rebuilt from the cookie holds.
     *
     * @param verdict  the outcome
     * @param counters {@link ListenCounter} bits to bump ({@code SyncookiesRecv} or {@code SyncookiesFailed})
     * @param mss      the MSS from the cookie's table index (0 unless {@code verdict} is VALID or
     *                 OPTIONS_REFUSED)
     * @param options  options restored from the echoed timestamp (null unless VALID)
     * @param rcvIsn   the client's ISN, {@code seq - 1}
     * @param sntIsn   this end's ISN, the cookie, {@code ack - 1}
     * @param tsRecent the ACK's TSval when it carried timestamps, else 0
     * @param tsOff    the connection's timestamp offset as used to decode, 0 without TSecr
     */
    public record CookieAck(CookieVerdict verdict, int counters, int mss, CookieOptions options, int rcvIsn,
                            int sntIsn, int tsRecent, int tsOff) {
        /** True if {@code counter} is bumped. */
        public boolean bumps(ListenCounter counter) {
            return (counters & counter.bit()) != 0;
        }
    }

    /**
     * Checks an ACK that matched no request sock at a listener as a cookie ACK, in Linux's order
     * ({@code cookie_v4_check}, {@code cookie_tcp_check}): syncookies on and a pure ACK; a SYN queue
     * overflow in the last two minutes ({@link RequestSockQueue#synqNoRecentOverflow}); the cookie
     * itself ({@link #check}); then the options in the echoed timestamp, whose offset
     * {@code tsOff} is subtracted only when TSecr is not 0.
     *
     * @param saddr            the ACK's source address (the client)
     * @param daddr            the ACK's destination address (this listener)
     * @param sport            the ACK's source port
     * @param dport            the ACK's destination port
     * @param seq              the ACK's sequence number
     * @param ack              the ACK's acknowledgment number
     * @param flags            the ACK's TCP flags ({@code TcpHeader.ACK}, {@code TcpHeader.RST} ...)
     * @param options          the ACK's options (only Timestamps matter)
     * @param tsOff            the connection's timestamp offset:
     *                         {@code isn.tsOff(daddr, saddr, dport, sport, tcpTimestamps)}
     * @param syncookies       {@code net.ipv4.tcp_syncookies}
     * @param noRecentOverflow the listener's {@link RequestSockQueue#synqNoRecentOverflow}
     * @param settings         this host's TCP sysctls
     * @param nowNanos         virtual time
     */
    public CookieAck checkAck(int saddr, int daddr, int sport, int dport, int seq, int ack, int flags,
                              TcpOptions options, int tsOff, int syncookies, boolean noRecentOverflow,
                              SynNegotiation.Settings settings, long nowNanos) {
        if (syncookies == 0 || (flags & TcpHeader.ACK) == 0 || (flags & TcpHeader.RST) != 0 || noRecentOverflow) {
            return new CookieAck(CookieVerdict.NOT_CHECKED, 0, 0, null, seq - 1, ack - 1, 0, 0);
        }
        int mss = check(saddr, daddr, sport, dport, seq, ack, nowNanos);
        if (mss == 0) {
            return new CookieAck(CookieVerdict.FAILED, ListenCounter.SYNCOOKIES_FAILED.bit(), 0, null, seq - 1,
                    ack - 1, 0, 0);
        }
        boolean sawTstamp = options.timestamps() && settings.tcpTimestamps() != 0;
        int tsecr = sawTstamp ? options.tsEcr() : 0;
        int usedTsOff = 0;
        if (sawTstamp && tsecr != 0) {
            usedTsOff = tsOff;
            tsecr -= tsOff;
        }
        CookieOptions restored = decodeTimestamp(sawTstamp, tsecr, settings.tcpTimestamps(),
                settings.tcpSack() ? 1 : 0, settings.tcpWindowScaling() ? 1 : 0);
        int recv = ListenCounter.SYNCOOKIES_RECV.bit();
        if (restored == null) {
            return new CookieAck(CookieVerdict.OPTIONS_REFUSED, recv, mss, null, seq - 1, ack - 1, 0, usedTsOff);
        }
        return new CookieAck(CookieVerdict.VALID, recv, mss, restored, seq - 1, ack - 1,
                sawTstamp ? options.tsVal() : 0, usedTsOff);
    }

    /** {@code secure_tcp_syn_cookie()}: the cookie for minute {@code count} carrying {@code data}. */
    int secureTcpSynCookie(int saddr, int daddr, int sport, int dport, int sseq, int data, int count) {
        return cookieHash(saddr, daddr, sport, dport, 0, secret0) + sseq + (count << COOKIEBITS)
                + ((cookieHash(saddr, daddr, sport, dport, count, secret1) + data) & COOKIEMASK);
    }

    /**
     * {@code check_tcp_syn_cookie()}: the data a cookie carries if it was made this minute or the
     * one before (the age is the counter difference modulo 256), else {@code -1}. A forged cookie
     * yields a value that is almost never a valid table index.
     */
    int checkTcpSynCookie(int cookie, int saddr, int daddr, int sport, int dport, int sseq, int count) {
        cookie -= cookieHash(saddr, daddr, sport, dport, 0, secret0) + sseq;
        int diff = (count - (cookie >>> COOKIEBITS)) & (-1 >>> COOKIEBITS);
        if (diff >= MAX_SYNCOOKIE_AGE) {
            return -1;
        }
        return (cookie - cookieHash(saddr, daddr, sport, dport, count - diff, secret1)) & COOKIEMASK;
    }

    /** {@code cookie_hash()}: the low 32 bits of {@code siphash_4u32} over the wire-order tuple. */
    private static int cookieHash(int saddr, int daddr, int sport, int dport, int count, SipHash.Key key) {
        int ports = SipHash.be16(sport) << 16 | SipHash.be16(dport);
        return (int) SipHash.hash4u32(key, SipHash.be32(saddr), SipHash.be32(daddr), ports, count);
    }

    // ---------------------------------------------------------------- options in the timestamp

    /**
     * The six option bits of a cookie TSval for a SYN that offered these options
     * ({@code cookie_init_timestamp}): the window scale the client sent (0xF when it sent none),
     * SACK-permitted, and ECN.
     */
    public static int encodeOptions(boolean wscaleOk, int sndWscale, boolean sackOk, boolean ecnOk) {
        int options = wscaleOk ? sndWscale : TS_OPT_WSCALE_MASK;
        if (sackOk) {
            options |= TS_OPT_SACK;
        }
        if (ecnOk) {
            options |= TS_OPT_ECN;
        }
        return options;
    }

    /**
     * The millisecond timestamp a cookie SYN-ACK carries, before the connection's timestamp offset
     * is added ({@code cookie_init_timestamp}): the clock with its low six bits replaced by
     * {@code options}, and one 64 ms step back when that would be ahead of the clock, so that
     * later TSvals never go backwards.
     *
     * @param options  the option bits ({@link #encodeOptions})
     * @param nowNanos the TCP clock ({@code tcp_clock_ns()}: virtual time)
     */
    public static int initTimestamp(int options, long nowNanos) {
        long tsNow = nowNanos / SimTime.NANOS_PER_MILLI;
        long ts = (tsNow >>> TSBITS) << TSBITS | options;
        if (ts > tsNow) {
            ts -= 1L << TSBITS;
        }
        return (int) ts;
    }

    /**
     * The options a cookie ACK restores ({@code cookie_timestamp_decode} and
     * {@code cookie_tcp_reqsk_alloc}).
     *
     * @param tstampOk  the ACK carried timestamps: the connection uses them
     * @param sackOk    SACK-permitted was in the SYN
     * @param wscaleOk  the SYN carried window scaling
     * @param sndWscale the peer's window scale (0 when {@code wscaleOk} is false)
     * @param ecnOk     the SYN asked for ECN (the caller still checks the route allows it)
     */
    public record CookieOptions(boolean tstampOk, boolean sackOk, boolean wscaleOk, int sndWscale, boolean ecnOk) {
        /** No options at all: what an ACK without timestamps restores. */
        public static final CookieOptions NONE = new CookieOptions(false, false, false, 0, false);
    }

    /**
     * Reads the options back from a cookie ACK's TSecr ({@code cookie_timestamp_decode}). An ACK
     * without timestamps restores no options. With timestamps, a bit for a feature this host has
     * switched off makes the ACK invalid ({@code null}); Linux then treats it as a stray ACK to the
     * listener and answers RST.
     *
     * @param sawTstamp        the ACK carried a Timestamps option
     * @param tsecr            its TSecr with the connection's timestamp offset already subtracted
     *                         (Linux subtracts it only when TSecr is not 0)
     * @param tcpTimestamps    {@code net.ipv4.tcp_timestamps}
     * @param tcpSack          {@code net.ipv4.tcp_sack}
     * @param tcpWindowScaling {@code net.ipv4.tcp_window_scaling}
     * @return the options, or {@code null} if the ACK must be refused
     */
    public static CookieOptions decodeTimestamp(boolean sawTstamp, int tsecr, int tcpTimestamps, int tcpSack,
                                                int tcpWindowScaling) {
        if (!sawTstamp) {
            return CookieOptions.NONE;
        }
        if (tcpTimestamps == 0) {
            return null;
        }
        boolean sackOk = (tsecr & TS_OPT_SACK) != 0;
        if (sackOk && tcpSack == 0) {
            return null;
        }
        boolean ecnOk = (tsecr & TS_OPT_ECN) != 0;
        if ((tsecr & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK) {
            return new CookieOptions(true, sackOk, false, 0, ecnOk);
        }
        if (tcpWindowScaling == 0) {
            return null;
        }
        return new CookieOptions(true, sackOk, true, tsecr & TS_OPT_WSCALE_MASK, ecnOk);
    }
}
