package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.socket.Socket;

/**
 * Buffer and window auto-tuning ({@code tcp_input.c}): what lets a connection with default
 * buffers fill a long fat pipe, and what {@code ss -m} shows growing.
 *
 * <ul>
 *   <li>{@code tcp_init_buffer_space}: when the connection is established, the send buffer grows
 *   to hold twice the initial window of full-sized skbs (87040 bytes for an MSS of 1448, as
 *   {@code ss -m} shows on Linux) and the window clamp is fitted to the receive buffer, keeping one
 *   segment in reserve.</li>
 *   <li>{@code tcp_grow_window}: each arriving segment whose overhead the buffer can afford raises
 *   {@code rcv_ssthresh}, the ceiling of the advertised window, by up to two MSS.</li>
 *   <li>{@code tcp_rcv_space_adjust} (dynamic right-sizing): once per receiver-measured RTT, the
 *   receive buffer grows to hold twice what the application read in the last RTT, more while the
 *   sender is still in slow start, up to {@code tcp_rmem[2]}.</li>
 *   <li>{@code tcp_new_space}: a sender whose buffer filled while the window had room grows its
 *   send buffer with the congestion window, up to {@code tcp_wmem[2]}.</li>
 * </ul>
 * SO_SNDBUF and SO_RCVBUF lock their buffer against this, as in Linux.
 */
final class TcpBuffers {
    /** {@code MAX_TCP_HEADER} on x86-64: headroom TCP reserves per skb. */
    private static final int MAX_TCP_HEADER = 320;
    /** {@code SKB_DATA_ALIGN(sizeof(struct skb_shared_info))}. */
    private static final int SHINFO = 320;
    /** {@code SKB_DATA_ALIGN(sizeof(struct sk_buff))}. */
    private static final int SKB = 256;

    private TcpBuffers() {
    }

    /** {@code tcp_win_from_space}. */
    private static int winFromSpace(int space) {
        return SynNegotiation.winFromSpace(space, TcpConstants.TCP_DEFAULT_SCALING_RATIO);
    }

    /** {@code tcp_space_from_win}: the inverse. */
    private static long spaceFromWin(long win) {
        return (win << TcpConstants.TCP_RMEM_TO_WIN_SCALE) / TcpConstants.TCP_DEFAULT_SCALING_RATIO;
    }

    /** {@code tcp_init_buffer_space}, at the end of the handshake. */
    static void initBufferSpace(TcpSock tp) {
        sndbufExpand(tp);
        tp.rcvqSpaceTime = tp.tcp.now();
        tp.rcvqSpaceSeq = tp.copiedSeq;
        int maxwin = TcpWindow.fullSpace(tp);
        if (Integer.compareUnsigned(tp.windowClamp, maxwin) >= 0) {
            tp.windowClamp = maxwin;
        }
        // force the reservation of one segment (tcp_app_win)
        if (tp.windowClamp > 2 * tp.advmss && tp.windowClamp + tp.advmss > maxwin) {
            tp.windowClamp = Math.max(2 * tp.advmss, maxwin - tp.advmss);
        }
        tp.rcvSsthresh = Math.min(tp.rcvSsthresh, tp.windowClamp);
        tp.rcvqSpace = Math.min(Math.min(tp.rcvSsthresh, tp.rcvWnd), TcpConstants.TCP_INIT_CWND * tp.advmss);
    }

    /** {@code tcp_sndbuf_expand}: room for twice the window in full-sized, unmerged skbs. */
    static void sndbufExpand(TcpSock tp) {
        int perMss = Math.max(tp.mssClamp, tp.mssCache) + MAX_TCP_HEADER + SHINFO;
        perMss = Integer.highestOneBit(perMss - 1) << 1;
        perMss += SKB;
        int nrSegs = Math.max(TcpConstants.TCP_INIT_CWND, tp.sndCwnd);
        nrSegs = Math.max(nrSegs, tp.reordering + 1);
        long sndmem = 2L * nrSegs * perMss;
        Socket sock = tp.socket();
        if (sock.sndbuf() < sndmem) {
            sock.autotune((int) Math.min(sndmem, tp.tcp.wmemMax()), 0);
        }
    }

    /**
     * {@code tcp_new_space}: after an ACK freed send-buffer space, a sender that had filled its
     * buffer while the window had room gets a larger one.
     */
    static void newSpace(TcpSock tp) {
        if (!tp.sndbufFull) {
            return;
        }
        tp.sndbufFull = false;
        if (!tp.socket().sndbufLocked() && tp.packetsInFlight() < tp.sndCwnd) {
            sndbufExpand(tp);
            tp.sndCwndStamp = tp.tcp.now();
        }
    }

    /** {@code tcp_grow_window}: an arriving segment may raise the window's ceiling. */
    static void growWindow(TcpSock tp, SkBuff skb) {
        int room = Math.min(tp.windowClamp, TcpWindow.space(tp)) - tp.rcvSsthresh;
        if (room <= 0) {
            return;
        }
        int truesize = skb.truesize();
        int len = skb.len();
        int incr;
        if (winFromSpace(truesize) <= len) {
            incr = 2 * tp.advmss;
        } else {
            incr = 0;
            int ts = winFromSpace(truesize) >> 1;
            int window = winFromSpace(tp.tcp.rmemMax()) >> 1;
            while (tp.rcvSsthresh <= window) {
                if (ts <= len) {
                    incr = 2 * tp.rcvMss;
                    break;
                }
                ts >>= 1;
                window >>= 1;
            }
        }
        if (incr != 0) {
            incr = Math.max(incr, 2 * len);
            tp.rcvSsthresh += Math.min(room, incr);
            tp.quick |= 1;
        }
    }

    /** {@code tcp_rcv_rtt_update}: the receiver's own RTT estimate (times 8), microseconds. */
    private static void rcvRttUpdate(TcpSock tp, long sampleUs, boolean winDep) {
        long est = tp.rcvRttUs;
        long m = sampleUs;
        if (est != 0) {
            if (!winDep) {
                m -= est >> 3;
                est += m;
            } else {
                m <<= 3;
                if (m < est) {
                    est = m;
                }
            }
        } else {
            est = m << 3;
        }
        tp.rcvRttUs = est;
    }

    /** {@code tcp_rcv_rtt_measure}: without timestamps, one window's worth of data per sample. */
    static void rcvRttMeasure(TcpSock tp) {
        long now = tp.tcp.now();
        if (tp.rcvRttTime != 0) {
            if (TcpSeq.before(tp.rcvNxt, tp.rcvRttSeq)) {
                return;
            }
            rcvRttUpdate(tp, Math.max((now - tp.rcvRttTime) / 1000, 1), true);
        }
        tp.rcvRttSeq = tp.rcvNxt + tp.rcvWnd;
        tp.rcvRttTime = now;
    }

    /** {@code tcp_rcv_rtt_measure_ts}: the echo of our timestamp in a full segment gives a sample. */
    static void rcvRttMeasureTs(TcpSock tp, int tsEcr, int segLen) {
        if (tsEcr == tp.rcvRttLastTsecr || tsEcr == 0) {
            return;
        }
        tp.rcvRttLastTsecr = tsEcr;
        if (segLen >= tp.rcvMss) {
            long deltaUs = (long) (tp.tcp.tsClock() - tsEcr) * 1000;
            if (deltaUs > 0) {
                rcvRttUpdate(tp, deltaUs, false);
            }
        }
    }

    /** {@code tcp_rcv_space_adjust}: after a read, dynamic right-sizing of the receive buffer. */
    static void rcvSpaceAdjust(TcpSock tp) {
        long now = tp.tcp.now();
        long timeUs = (now - tp.rcvqSpaceTime) / 1000;
        if (tp.rcvRttUs == 0 || timeUs < (tp.rcvRttUs >> 3)) {
            return;
        }
        int copied = tp.copiedSeq - tp.rcvqSpaceSeq;
        int inq = tp.rcvNxt - tp.copiedSeq;
        copied -= inq;
        if (copied > tp.rcvqSpace) {
            Socket sock = tp.socket();
            if (!sock.rcvbufLocked() && tp.rcvqSpace > 0) {
                long rcvwin = ((long) copied << 1) + 16L * tp.advmss;
                long grow = rcvwin * (copied - tp.rcvqSpace) / tp.rcvqSpace;
                rcvwin += grow << 1;
                int rcvbuf = (int) Math.min(spaceFromWin(rcvwin), tp.tcp.rmemMax());
                if (rcvbuf > sock.rcvbuf()) {
                    sock.autotune(0, rcvbuf);
                    tp.windowClamp = winFromSpace(rcvbuf);
                }
            }
            tp.rcvqSpace = copied;
        }
        tp.rcvqSpaceSeq = tp.copiedSeq;
        tp.rcvqSpaceTime = now;
    }
}
