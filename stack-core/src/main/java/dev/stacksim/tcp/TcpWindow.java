package dev.stacksim.tcp;

/**
 * The receive window a connection offers ({@code tcp_select_window} and its helpers in
 * {@code tcp_output.c}): what the free receive buffer backs ({@code tcp_space}), rounded to the
 * window scale, held at the peer's MSS granularity without scaling, never shrunk below what was
 * offered unless {@code net.ipv4.tcp_shrink_window} allows it, and counted as Linux counts zero
 * windows ({@code TCPWantZeroWindowAdv}, {@code TCPToZeroWindowAdv}, {@code TCPFromZeroWindowAdv}).
 */
final class TcpWindow {
    private TcpWindow() {
    }

    /** {@code tcp_receive_window}: what is left of the window last offered. */
    static int receiveWindow(TcpSock tp) {
        int win = tp.rcvWup + tp.rcvWnd - tp.rcvNxt;
        return Math.max(win, 0);
    }

    /** {@code tcp_space}: the window the free receive buffer backs. */
    static int space(TcpSock tp) {
        return SynNegotiation.winFromSpace(tp.socket().rcvbuf() - tp.socket().rmemAlloc(), TcpConstants.TCP_DEFAULT_SCALING_RATIO);
    }

    /** {@code tcp_full_space}. */
    static int fullSpace(TcpSock tp) {
        return SynNegotiation.fullSpace(tp.socket().rcvbuf());
    }

    /** {@code __tcp_select_window}: the window the buffer allows now, in bytes. */
    static int selectWindowRaw(TcpSock tp) {
        int mss = tp.rcvMss;
        int freeSpace = space(tp);
        int allowed = fullSpace(tp);
        int full = Math.min(tp.windowClamp, allowed);
        if (mss > full) {
            mss = full;
            if (mss <= 0) {
                return 0;
            }
        }
        if (tp.tcp.sysctl(Tcp.SHRINK_WINDOW) == 0 || tp.rcvWscale == 0) {
            if (freeSpace < (full >> 1)) {
                tp.quick = 0;
                freeSpace = freeSpace & ~((1 << tp.rcvWscale) - 1);
                if (freeSpace < (allowed >> 4) || freeSpace < mss) {
                    return 0;
                }
            }
        } else {
            freeSpace = freeSpace & ~((1 << tp.rcvWscale) - 1);
            if (freeSpace < (full >> 1)) {
                tp.quick = 0;
                if (freeSpace < (allowed >> 4) || freeSpace < mss) {
                    return 0;
                }
            }
        }
        if (freeSpace > tp.rcvSsthresh) {
            freeSpace = tp.rcvSsthresh;
        }
        int window;
        if (tp.rcvWscale != 0) {
            int unit = 1 << tp.rcvWscale;
            window = (freeSpace + unit - 1) & ~(unit - 1);
        } else {
            window = tp.rcvWnd;
            if (window <= freeSpace - mss || window > freeSpace) {
                window = mss > 0 ? (freeSpace / mss) * mss : freeSpace;
            } else if (mss == full && freeSpace > window + (full >> 1)) {
                window = freeSpace;
            }
        }
        return window;
    }

    /** {@code tcp_select_window}: the window field of the next segment; never shrinks the offer. */
    static int selectWindow(TcpSock tp) {
        int oldWin = tp.rcvWnd;
        int curWin = receiveWindow(tp);
        int newWin = selectWindowRaw(tp);
        if (Integer.compareUnsigned(newWin, curWin) < 0
                && (tp.tcp.sysctl(Tcp.SHRINK_WINDOW) == 0 || tp.rcvWscale == 0)) {
            if (newWin == 0) {
                tp.tcp.ext().inc(TcpExtMib.TCP_WANT_ZERO_WINDOW_ADV);
            }
            int unit = 1 << tp.rcvWscale;
            newWin = (curWin + unit - 1) & ~(unit - 1);
        }
        tp.rcvWnd = newWin;
        tp.rcvWup = tp.rcvNxt;
        newWin = (int) Math.min(Integer.toUnsignedLong(newWin), 65535L << tp.rcvWscale);
        newWin >>>= tp.rcvWscale;
        if (newWin == 0) {
            if (oldWin != 0) {
                tp.tcp.ext().inc(TcpExtMib.TCP_TO_ZERO_WINDOW_ADV);
            }
        } else if (oldWin == 0) {
            tp.tcp.ext().inc(TcpExtMib.TCP_FROM_ZERO_WINDOW_ADV);
        }
        return newWin;
    }
}
