package dev.stacksim.tcp;

import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * What the two SYNs of a handshake settle, computed as Linux 6.x does: the MSS each end
 * advertises, the initial receive window and window scale ({@code tcp_select_initial_window}),
 * and which options both ends get to use ({@code tcp_parse_options} on a SYN,
 * {@code tcp_openreq_init}, {@code tcp_synack_options}, {@code tcp_syn_options}).
 *
 * <h2>Observed on this machine</h2>
 * <pre>
 *   route MTU  tcp_rmem[2]  SYN                              SYN-ACK
 *   65536 (lo) 33554432     win 65495 mss 65495 wscale 10    win 65483 mss 65495 wscale 10
 *   65536 (lo) 6291456      win 65495 mss 65495 wscale 7     win 65483 mss 65495 wscale 7
 *   1500       6291456      win 64240 mss 1460  wscale 7     win 65160 mss 1460  wscale 7
 * </pre>
 * (Linux 6.18, Python sockets over loopback in a network namespace; tcp_rmem[1] 131072. The
 * 6.12 default of tcp_rmem[2] is 6291456, giving wscale 7; 6.18 raised it to 32 MiB, giving 10.)
 * The SYN's window is the buffer's usable half (65536) rounded down to a multiple of the MSS;
 * the listener rounds to the MSS less the 12 bytes of timestamps, since it knows the client sent
 * them: 44 × 1460 = 64240, 45 × 1448 = 65160.
 *
 * <h2>Which options both ends use</h2>
 * An option is used only if both ends sent it: a listener answers with Window Scale, SACK-Permitted
 * and Timestamps only when the SYN had them (and its own sysctl allows them); a connecting end
 * uses what the SYN-ACK returned. The MSS to send with is the peer's MSS option, 536 when it sent
 * none, lowered by {@code TCP_MAXSEG}; segments are further limited by the path MTU and the
 * timestamps ({@link #mtuToMss}). A SYN answered with a cookie keeps its Window Scale and SACK only
 * if it had Timestamps to carry them ({@link SynCookies}).
 */
public final class SynNegotiation {
    /** The largest window a scale of 14 can express ({@code U16_MAX << TCP_MAX_WSCALE}). */
    public static final int MAX_SCALED_WINDOW = 0xFFFF << TcpConstants.TCP_MAX_WSCALE;

    private SynNegotiation() {
    }

    /**
     * The TCP sysctls that shape a handshake.
     *
     * @param tcpTimestamps                 {@code net.ipv4.tcp_timestamps}: 0 off, 1 on with random
     *                                      offsets, 2 on without
     * @param tcpSack                       {@code net.ipv4.tcp_sack}
     * @param tcpWindowScaling              {@code net.ipv4.tcp_window_scaling}
     * @param tcpRmemMax                    {@code net.ipv4.tcp_rmem[2]}
     * @param rmemMax                       {@code net.core.rmem_max}
     * @param tcpWorkaroundSignedWindows    {@code net.ipv4.tcp_workaround_signed_windows}
     */
    public record Settings(int tcpTimestamps, boolean tcpSack, boolean tcpWindowScaling, int tcpRmemMax,
                           int rmemMax, boolean tcpWorkaroundSignedWindows) {
        /** Linux 6.12's defaults: timestamps 1, SACK and window scaling on, tcp_rmem[2] 6 MiB, rmem_max 208 KiB. */
        public static final Settings LINUX_DEFAULTS = new Settings(1, true, true, 6291456, 212992, false);

        /** These settings with {@code tcp_rmem[2]} = {@code max}. */
        public Settings withTcpRmemMax(int max) {
            return new Settings(tcpTimestamps, tcpSack, tcpWindowScaling, max, rmemMax, tcpWorkaroundSignedWindows);
        }
    }

    // ---------------------------------------------------------------------------------- MSS

    /**
     * The MSS a route advertises for {@code mtu} ({@code ipv4_default_advmss}): {@code mtu - 40},
     * at least 256 ({@code min_adv_mss}), at most 65495 (65535 − 40): 1460 for 1500, 65495 for
     * loopback's 65536.
     */
    public static int defaultAdvmss(int mtu) {
        int headers = TcpConstants.TCP_HEADER_LEN + TcpConstants.IPV4_HEADER_LEN;
        int advmss = Math.max(mtu - headers, TcpConstants.DEFAULT_MIN_ADVMSS);
        return Math.min(advmss, TcpConstants.IPV4_MAX_PMTU - headers);
    }

    /** {@code mss} lowered to the socket's {@code TCP_MAXSEG} when that is set and smaller ({@code tcp_mss_clamp}). */
    public static int mssClamp(int userMss, int mss) {
        return userMss != 0 && userMss < mss ? userMss : mss;
    }

    /** The MSS option this end sends for a route of {@code mtu}: {@code mssClamp(userMss, defaultAdvmss(mtu))}. */
    public static int advertisedMss(int mtu, int userMss) {
        return mssClamp(userMss, defaultAdvmss(mtu));
    }

    /**
     * The MSS for sending over a path of {@code pmtu} ({@code tcp_mtu_to_mss}): {@code pmtu - 40},
     * no more than the peer's MSS ({@code mssClamp}), at least {@code tcp_min_snd_mss}, less the
     * options every segment carries ({@code tcpHeaderLen - 20}: 12 with timestamps).
     * 1448 for MTU 1500 with timestamps.
     */
    public static int mtuToMss(int pmtu, int mssClamp, int tcpHeaderLen, int minSndMss) {
        int mss = pmtu - TcpConstants.IPV4_HEADER_LEN - TcpConstants.TCP_HEADER_LEN;
        if (mss > mssClamp) {
            mss = mssClamp;
        }
        mss = Math.max(mss, minSndMss);
        return mss - (tcpHeaderLen - TcpConstants.TCP_HEADER_LEN);
    }

    /**
     * A segment size limited to half the largest window the peer ever offered
     * ({@code tcp_bound_to_half_wnd}; the whole window when that is at most 536), but not below
     * {@code 68 - tcpHeaderLen}. On loopback this is what {@code ss -i} shows as mss: the peer
     * offered 65536 → 32768, 65483 → 32741.
     */
    public static int boundToHalfWnd(int maxWindow, int pktSize, int tcpHeaderLen) {
        int cutoff = maxWindow > TcpConstants.TCP_MSS_DEFAULT ? maxWindow >> 1 : maxWindow;
        if (cutoff != 0 && pktSize > cutoff) {
            return Math.max(cutoff, 68 - tcpHeaderLen);
        }
        return pktSize;
    }

    // ------------------------------------------------------------------------------ windows

    /** The window a buffer of {@code space} bytes backs ({@code __tcp_win_from_space}): {@code space * ratio >> 8}. */
    public static int winFromSpace(int space, int scalingRatio) {
        return (int) (((long) space * scalingRatio) >> TcpConstants.TCP_RMEM_TO_WIN_SCALE);
    }

    /**
     * The window a fresh socket's receive buffer backs ({@code tcp_full_space} with the initial
     * scaling ratio, one half): 65536 for the default 131072-byte buffer ({@code tcp_rmem[1]}).
     */
    public static int fullSpace(int rcvbuf) {
        return winFromSpace(rcvbuf, TcpConstants.TCP_DEFAULT_SCALING_RATIO);
    }

    /**
     * The initial window and window scale of a connection.
     *
     * @param rcvWnd      the window offered in the SYN or SYN-ACK (sent as {@code min(rcvWnd, 65535)})
     * @param windowClamp the largest window ever offered
     * @param rcvWscale   the Window Scale option sent (0 when window scaling is off)
     */
    public record InitialWindow(int rcvWnd, int windowClamp, int rcvWscale) {
    }

    /**
     * The initial window and scale ({@code tcp_select_initial_window}). The window is the space
     * (at most the clamp) rounded down to a multiple of the MSS, at most 32767 when working around
     * signed-window stacks, at most {@code initRcvWnd} segments if a route sets {@code initrwnd}.
     * The scale is chosen for the largest buffer the socket could grow to, not the current one:
     * {@code log2(max(space, tcp_rmem[2], rmem_max)) - 15}, between 0 and 14. 6291456 (6 MiB)
     * gives 7, 33554432 (32 MiB) gives 10.
     *
     * @param space       usable buffer space ({@link #fullSpace})
     * @param mss         the MSS to round to
     * @param windowClamp the socket's clamp ({@code TCP_WINDOW_CLAMP}), 0 for none
     * @param wscaleOk    whether window scaling will be used (active open: the sysctl; passive:
     *                    the SYN had it)
     * @param initRcvWnd  the route's {@code initrwnd} in segments, 0 for none
     */
    public static InitialWindow selectInitialWindow(int space, int mss, int windowClamp, boolean wscaleOk,
                                                    Settings settings, int initRcvWnd) {
        long clamp = windowClamp == 0 ? MAX_SCALED_WINDOW : Integer.toUnsignedLong(windowClamp);
        long s = Math.min(clamp, Math.max(space, 0));
        if (mss > 0 && s > mss) {
            s -= s % mss;
        }
        long rcvWnd = settings.tcpWorkaroundSignedWindows() ? Math.min(s, TcpConstants.MAX_TCP_WINDOW) : s;
        if (initRcvWnd != 0) {
            rcvWnd = Math.min(rcvWnd, (long) initRcvWnd * mss);
        }
        int rcvWscale = 0;
        if (wscaleOk) {
            long ws = Math.max(s, Integer.toUnsignedLong(settings.tcpRmemMax()));
            ws = Math.max(ws, Integer.toUnsignedLong(settings.rmemMax()));
            ws = Math.min(ws, clamp);
            int log2 = 63 - Long.numberOfLeadingZeros(ws);
            rcvWscale = Math.max(0, Math.min(log2 - 15, TcpConstants.TCP_MAX_WSCALE));
        }
        long newClamp = Math.min(0xFFFFL << rcvWscale, clamp);
        return new InitialWindow((int) rcvWnd, (int) newClamp, rcvWscale);
    }

    // ------------------------------------------------------------------------------ options

    /**
     * The options of a received SYN or SYN-ACK as Linux takes them ({@code tcp_parse_options} with
     * {@code estab} false, into {@code struct tcp_options_received}).
     *
     * @param mssClamp  the MSS to send with: the peer's MSS option lowered to {@code TCP_MAXSEG},
     *                  or 536 when it sent none (or sent 0)
     * @param wscaleOk  the peer sent Window Scale and this host has window scaling on
     * @param sndWscale the peer's shift, capped at 14 (Linux logs "Illegal window scaling value")
     * @param sackOk    the peer sent SACK-Permitted and this host has SACK on
     * @param sawTstamp the peer sent Timestamps and this host has them on
     * @param tsVal     the peer's TSval when {@code sawTstamp}
     * @param tsEcr     the peer's TSecr when {@code sawTstamp}
     */
    public record ReceivedOptions(int mssClamp, boolean wscaleOk, int sndWscale, boolean sackOk,
                                  boolean sawTstamp, int tsVal, int tsEcr) {
    }

    /** Reads the options of a SYN or SYN-ACK ({@code tcp_parse_options}), gated by this host's sysctls. */
    public static ReceivedOptions parseSynOptions(TcpOptions options, Settings settings, int userMss) {
        return parseSynOptions(options.mss(), options.windowScale(), options.sackPermitted(), options.timestamps(),
                options.tsVal(), options.tsEcr(), settings, userMss);
    }

    /** {@link #parseSynOptions(TcpOptions, Settings, int)} from the fields: {@code mss} 0 or less and {@code windowScale} below 0 for absent. */
    private static ReceivedOptions parseSynOptions(int optMss, int windowScale, boolean sackPermitted,
                                                   boolean timestamps, int tsVal, int tsEcr, Settings settings,
                                                   int userMss) {
        int mssClamp = TcpConstants.TCP_MSS_DEFAULT;
        if (optMss > 0) {
            mssClamp = userMss != 0 && userMss < optMss ? userMss : optMss;
        }
        boolean wscaleOk = windowScale >= 0 && settings.tcpWindowScaling();
        int sndWscale = wscaleOk ? Math.min(windowScale, TcpConstants.TCP_MAX_WSCALE) : 0;
        boolean sackOk = sackPermitted && settings.tcpSack();
        boolean sawTstamp = timestamps && settings.tcpTimestamps() != 0;
        return new ReceivedOptions(mssClamp, wscaleOk, sndWscale, sackOk, sawTstamp,
                sawTstamp ? tsVal : 0, sawTstamp ? tsEcr : 0);
    }

    /**
     * What a handshake settled, as a request sock (and later its child) keeps it.
     *
     * @param mss         the MSS to send with ({@code req->mss}, {@code rx_opt.mss_clamp})
     * @param wscaleOk    both ends use window scaling
     * @param sndWscale   the peer's shift (0 without window scaling)
     * @param rcvWscale   this end's shift (0 without window scaling)
     * @param sackOk      both ends use SACK
     * @param tstampOk    both ends use timestamps
     * @param tsRecent    the peer's last TSval (0 without timestamps)
     * @param rcvWnd      the window this end offers in its SYN or SYN-ACK
     * @param windowClamp the largest window this end will offer
     */
    public record Negotiated(int mss, boolean wscaleOk, int sndWscale, int rcvWscale, boolean sackOk,
                             boolean tstampOk, int tsRecent, int rcvWnd, int windowClamp) {
    }

    /**
     * A listener's side of the handshake for an arriving SYN ({@code tcp_conn_request}: options
     * parsed, cleared for a cookie without timestamps, {@code tcp_openreq_init},
     * {@code tcp_openreq_init_rwin}).
     *
     * @param syn          the SYN's options
     * @param advmss       the listener's MSS for the route back ({@link #advertisedMss})
     * @param rcvbuf       the listener's {@code sk_rcvbuf} (tcp_rmem[1], 131072, unless set)
     * @param rcvbufLocked {@code SO_RCVBUF} was set ({@code SOCK_RCVBUF_LOCK})
     * @param windowClamp  the listener's {@code TCP_WINDOW_CLAMP}, 0 for none
     * @param userMss      the listener's {@code TCP_MAXSEG}, 0 for none
     * @param wantCookie   the SYN-ACK will carry a cookie
     */
    public static Negotiated passive(TcpOptions syn, Settings settings, int advmss, int rcvbuf, boolean rcvbufLocked,
                                     int windowClamp, int userMss, boolean wantCookie) {
        return passive(parseSynOptions(syn, settings, userMss), settings, advmss, rcvbuf, rcvbufLocked, windowClamp,
                userMss, wantCookie);
    }

    /**
     * {@link #passive(TcpOptions, Settings, int, int, boolean, int, int, boolean)} straight from the
     * receive path's parsed options, without a {@code TcpOptions} record per SYN.
     */
    static Negotiated passive(TcpRxOptions syn, Settings settings, int advmss, int rcvbuf, boolean rcvbufLocked,
                              int windowClamp, int userMss, boolean wantCookie) {
        return passive(parseSynOptions(syn.mss, syn.wscale, syn.sackOk, syn.sawTstamp, syn.tsVal, syn.tsEcr, settings,
                userMss), settings, advmss, rcvbuf, rcvbufLocked, windowClamp, userMss, wantCookie);
    }

    private static Negotiated passive(ReceivedOptions rx, Settings settings, int advmss, int rcvbuf,
                                      boolean rcvbufLocked, int windowClamp, int userMss, boolean wantCookie) {
        boolean wscaleOk = rx.wscaleOk();
        int sndWscale = rx.sndWscale();
        boolean sackOk = rx.sackOk();
        if (wantCookie && !rx.sawTstamp()) {
            // tcp_clear_options(): without timestamps a cookie cannot carry them.
            wscaleOk = false;
            sndWscale = 0;
            sackOk = false;
        }
        boolean tstampOk = rx.sawTstamp();
        int fullSpace = fullSpace(rcvbuf);
        int clamp = windowClamp;
        if (rcvbufLocked && (Integer.toUnsignedLong(clamp) > fullSpace || clamp == 0)) {
            clamp = fullSpace;
        }
        int mss = mssClamp(userMss, advmss) - (tstampOk ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0);
        InitialWindow w = selectInitialWindow(fullSpace, mss, clamp, wscaleOk, settings, 0);
        return new Negotiated(rx.mssClamp(), wscaleOk, sndWscale, wscaleOk ? w.rcvWscale() : 0, sackOk, tstampOk,
                rx.sawTstamp() ? rx.tsVal() : 0, w.rcvWnd(), w.windowClamp());
    }

    /**
     * The options of a listener's SYN-ACK ({@code tcp_synack_options}): always the MSS, and Window
     * Scale, Timestamps and SACK-Permitted only as negotiated.
     *
     * @param mss   the listener's MSS for the route ({@link #advertisedMss})
     * @param tsVal the TSval to send (clock + offset, or a cookie timestamp), used with timestamps
     */
    public static TcpOptions synAckOptions(RequestSock req, int mss, int tsVal) {
        TcpOptions o = TcpOptions.NONE.withMss(mss);
        if (req.wscaleOk()) {
            o = o.withWindowScale(req.rcvWscale());
        }
        if (req.tstampOk()) {
            o = o.withTimestamps(tsVal, req.tsRecent());
        }
        if (req.sackOk()) {
            o = o.withSackPermitted(true);
        }
        return o;
    }

    /** The bytes {@link #writeSynAckOptions} writes for {@code req}: what {@link #synAckOptions} would emit. */
    static int synAckOptionsLength(RequestSock req) {
        return synOptionsLength(req.tstampOk(), req.sackOk(), req.wscaleOk());
    }

    /** The bytes {@link #writeSynOptions} writes for these options. */
    static int synOptionsLength(boolean timestamps, boolean sackOk, boolean wscale) {
        return 4 + (timestamps ? 12 : sackOk ? 4 : 0) + (wscale ? 4 : 0);
    }

    /**
     * Writes the options of {@link #synAckOptions} at {@code pos} of {@code buf}, byte for byte as
     * {@code TcpOptions.emit} lays them out (Linux's {@code tcp_options_write} order: MSS;
     * SACK-Permitted folded into the timestamps' padding, or NOP NOP before either alone; NOP and
     * Window Scale), without building the record: a SYN flood answers every SYN with one.
     *
     * @return the bytes written, {@link #synAckOptionsLength}
     */
    static int writeSynAckOptions(ByteBuf buf, int pos, RequestSock req, int mss, int tsVal) {
        return writeSynOptions(buf, pos, mss, req.tstampOk(), tsVal, req.tsRecent(), req.sackOk(), req.wscaleOk(),
                req.rcvWscale());
    }

    /**
     * Writes a SYN's or SYN-ACK's options in {@code tcp_options_write}'s order (see
     * {@link #writeSynAckOptions}): what {@code TcpOptions.emit} writes for the same options,
     * without building the record.
     *
     * @return the bytes written, {@link #synOptionsLength}
     */
    static int writeSynOptions(ByteBuf buf, int pos, int mss, boolean timestamps, int tsVal, int tsEcr,
                               boolean sackOk, boolean wscale, int rcvWscale) {
        int start = pos;
        buf.setInt(pos, TcpHeader.OPT_MSS << 24 | TcpHeader.OPTLEN_MSS << 16 | (mss & 0xFFFF));
        pos += 4;
        if (timestamps) {
            int lead = sackOk ? TcpHeader.OPT_SACK_PERM << 8 | TcpHeader.OPTLEN_SACK_PERM
                    : TcpHeader.OPT_NOP << 8 | TcpHeader.OPT_NOP;
            buf.setInt(pos, lead << 16 | TcpHeader.OPT_TIMESTAMP << 8 | TcpHeader.OPTLEN_TIMESTAMP);
            buf.setLong(pos + 4, (long) tsVal << 32 | (tsEcr & 0xFFFF_FFFFL));
            pos += 12;
        } else if (sackOk) {
            buf.setInt(pos, TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_NOP << 16 | TcpHeader.OPT_SACK_PERM << 8
                    | TcpHeader.OPTLEN_SACK_PERM);
            pos += 4;
        }
        if (wscale) {
            buf.setInt(pos, TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_WINDOW << 16 | TcpHeader.OPTLEN_WINDOW << 8
                    | (rcvWscale & 0xFF));
            pos += 4;
        }
        return pos - start;
    }

    /**
     * The initial window of a connecting socket ({@code tcp_connect_init}): its full space, the
     * advertised MSS, window scaling as the sysctl says.
     */
    public static InitialWindow activeWindow(Settings settings, int advmss, int rcvbuf, boolean rcvbufLocked,
                                             int windowClamp) {
        int fullSpace = fullSpace(rcvbuf);
        int clamp = windowClamp;
        if (rcvbufLocked && (Integer.toUnsignedLong(clamp) > fullSpace || clamp == 0)) {
            clamp = fullSpace;
        }
        return selectInitialWindow(fullSpace, advmss, clamp, settings.tcpWindowScaling(), settings, 0);
    }

    /**
     * The options of a connecting socket's SYN ({@code tcp_syn_options}): the MSS, then
     * SACK-Permitted, Timestamps and Window Scale as the sysctls allow.
     *
     * @param tsVal the TSval (clock + this connection's offset)
     */
    public static TcpOptions synOptions(Settings settings, int advmss, int rcvWscale, int tsVal) {
        TcpOptions o = TcpOptions.NONE.withMss(advmss);
        if (settings.tcpTimestamps() != 0) {
            o = o.withTimestamps(tsVal, 0);
        }
        if (settings.tcpWindowScaling()) {
            o = o.withWindowScale(rcvWscale);
        }
        if (settings.tcpSack()) {
            o = o.withSackPermitted(true);
        }
        return o;
    }

    /**
     * A connecting socket's side of the handshake once the SYN-ACK arrives
     * ({@code tcp_rcv_synsent_state_process}): options the SYN-ACK returned are in use; without
     * window scaling both shifts are 0 and the clamp is at most 65535. A SYN-ACK without an MSS
     * option leaves the MSS at 536, or at {@code TCP_MAXSEG} when that was set before
     * {@code connect()} ({@code tcp_connect_init} puts it in {@code mss_clamp}).
     *
     * @param synAck the SYN-ACK's options
     * @param window the connecting socket's {@link #activeWindow}
     */
    public static Negotiated active(TcpOptions synAck, Settings settings, InitialWindow window, int userMss) {
        return active(parseSynOptions(synAck, settings, userMss), synAck.mss(), window, userMss);
    }

    /**
     * {@link #active(TcpOptions, Settings, InitialWindow, int)} straight from the receive path's
     * parsed options, without a {@code TcpOptions} record (and its lists) per connection.
     */
    static Negotiated active(TcpRxOptions synAck, Settings settings, InitialWindow window, int userMss) {
        return active(parseSynOptions(synAck.mss, synAck.wscale, synAck.sackOk, synAck.sawTstamp, synAck.tsVal,
                synAck.tsEcr, settings, userMss), synAck.mss, window, userMss);
    }

    private static Negotiated active(ReceivedOptions rx, int optMss, InitialWindow window, int userMss) {
        int mss = optMss > 0 || userMss == 0 ? rx.mssClamp() : userMss;
        int clamp = window.windowClamp();
        int rcvWscale = window.rcvWscale();
        if (!rx.wscaleOk()) {
            rcvWscale = 0;
            clamp = (int) Math.min(Integer.toUnsignedLong(clamp), 0xFFFF);
        }
        return new Negotiated(mss, rx.wscaleOk(), rx.sndWscale(), rcvWscale, rx.sackOk(), rx.sawTstamp(),
                rx.tsVal(), window.rcvWnd(), clamp);
    }
}
