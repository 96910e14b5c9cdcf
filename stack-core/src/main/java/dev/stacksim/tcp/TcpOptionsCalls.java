package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.Socket;

import static dev.stacksim.socket.SocketConstants.*;

/**
 * The SOL_TCP options ({@code do_tcp_setsockopt}, {@code do_tcp_getsockopt}) with Linux's ranges
 * and its answers for what is left unset. TCP_INFO and TCP_CONGESTION (not integers) are not
 * served here: ENOPROTOOPT.
 */
final class TcpOptionsCalls {
    private static final int MAX_TCP_KEEPIDLE = 32767;
    private static final int MAX_TCP_KEEPINTVL = 32767;
    private static final int MAX_TCP_KEEPCNT = 127;
    private static final int MAX_TCP_SYNCNT = 127;

    private TcpOptionsCalls() {
    }

    /** {@code do_tcp_setsockopt}: 0 or -errno. */
    static int set(TcpSock tp, int optname, int val) {
        switch (optname) {
            case TCP_NODELAY -> {
                tp.nodelay = val != 0;
                if (tp.nodelay) {
                    tp.tcp.output().pushPendingFrames(tp);
                }
            }
            case TCP_CORK -> {
                tp.cork = val != 0;
                if (!tp.cork) {
                    tp.tcp.output().pushPendingFrames(tp);
                }
            }
            case TCP_MAXSEG -> {
                if (val != 0 && (val < TcpConstants.TCP_MIN_MSS || val > TcpConstants.MAX_TCP_WINDOW)) {
                    return -Errno.EINVAL.number();
                }
                tp.userMss = val;
            }
            case TCP_KEEPIDLE -> {
                if (val < 1 || val > MAX_TCP_KEEPIDLE) {
                    return -Errno.EINVAL.number();
                }
                tp.keepIdle = val;
                TcpTimers.keepaliveOptionChanged(tp);
            }
            case TCP_KEEPINTVL -> {
                if (val < 1 || val > MAX_TCP_KEEPINTVL) {
                    return -Errno.EINVAL.number();
                }
                tp.keepIntvl = val;
            }
            case TCP_KEEPCNT -> {
                if (val < 1 || val > MAX_TCP_KEEPCNT) {
                    return -Errno.EINVAL.number();
                }
                tp.keepCnt = val;
            }
            case TCP_SYNCNT -> {
                if (val < 1 || val > MAX_TCP_SYNCNT) {
                    return -Errno.EINVAL.number();
                }
                tp.synRetries = val;
            }
            case TCP_LINGER2 -> {
                if (val < 0) {
                    tp.linger2 = -1;
                } else if (val > TcpConstants.TCP_FIN_TIMEOUT_MAX / TcpConstants.HZ) {
                    tp.linger2 = TcpConstants.TCP_FIN_TIMEOUT_MAX;
                } else {
                    tp.linger2 = val * TcpConstants.HZ;
                }
            }
            case TCP_DEFER_ACCEPT -> tp.deferAccept = secsToRetrans(val);
            case TCP_WINDOW_CLAMP -> {
                if (val == 0) {
                    if (tp.tstate != TcpState.CLOSE) {
                        return -Errno.EINVAL.number();
                    }
                    tp.userWindowClamp = 0;
                    tp.windowClamp = 0;
                } else {
                    int clamp = Math.max(val, Socket.SOCK_MIN_RCVBUF / 2);
                    tp.userWindowClamp = clamp;
                    tp.windowClamp = clamp;
                    if (tp.rcvSsthresh > clamp) {
                        tp.rcvSsthresh = clamp;
                    }
                }
            }
            case TCP_QUICKACK -> {
                if (val != 0) {
                    tp.pingpong = 0;
                    tp.quick = TcpConstants.TCP_MAX_QUICKACKS;
                    if ((tp.ackPending & TcpSock.ACK_SCHED) != 0) {
                        tp.tcp.output().sendAck(tp);
                    }
                } else {
                    tp.pingpong = 3;
                }
            }
            case TCP_USER_TIMEOUT -> {
                if (val < 0) {
                    return -Errno.EINVAL.number();
                }
                tp.userTimeout = val;
            }
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    /** {@code do_tcp_getsockopt}: 0 or -errno, the value in {@code out[0]}. */
    static int get(TcpSock tp, int optname, int[] out) {
        int v;
        switch (optname) {
            case TCP_NODELAY -> v = tp.nodelay ? 1 : 0;
            case TCP_CORK -> v = tp.cork ? 1 : 0;
            case TCP_MAXSEG -> v = tp.userMss != 0 && (tp.tstate == TcpState.CLOSE || tp.tstate == TcpState.LISTEN)
                    ? tp.userMss : tp.mssCache;
            case TCP_KEEPIDLE -> v = (int) (TcpTimers.keepaliveTime(tp) / TcpConstants.HZ);
            case TCP_KEEPINTVL -> v = (int) (TcpTimers.keepaliveIntvl(tp) / TcpConstants.HZ);
            case TCP_KEEPCNT -> v = TcpTimers.keepaliveProbes(tp);
            case TCP_SYNCNT -> v = tp.synRetries != 0 ? tp.synRetries : tp.tcp.sysctl(Tcp.SYN_RETRIES);
            case TCP_LINGER2 -> v = tp.linger2 < 0 ? -1 : (int) ((tp.linger2 != 0 ? tp.linger2
                    : SimTime.seconds(tp.tcp.sysctl(Tcp.FIN_TIMEOUT))) / TcpConstants.HZ);
            case TCP_DEFER_ACCEPT -> v = retransToSecs(tp.deferAccept);
            case TCP_WINDOW_CLAMP -> v = tp.windowClamp;
            case TCP_QUICKACK -> v = tp.pingpong == 0 ? 1 : 0;
            case TCP_USER_TIMEOUT -> v = tp.userTimeout;
            default -> {
                return -Errno.ENOPROTOOPT.number();
            }
        }
        out[0] = v;
        return 0;
    }

    /** {@code secs_to_retrans}: the SYN-ACK retransmissions (1 s doubling, at most 120 s) that cover {@code seconds}. */
    static int secsToRetrans(int seconds) {
        int res = 0;
        if (seconds > 0) {
            int period = 1;
            res = 1;
            while (seconds > period && res < 255) {
                res++;
                period <<= 1;
                if (period > 120) {
                    period = 120;
                }
                seconds -= period;
            }
        }
        return res;
    }

    /** {@code retrans_to_secs}: the seconds {@code retrans} retransmissions last. */
    static int retransToSecs(int retrans) {
        int period = 0;
        if (retrans > 0) {
            period = 1;
            int timeout = 1;
            while (--retrans > 0) {
                timeout <<= 1;
                if (timeout > 120) {
                    timeout = 120;
                }
                period += timeout;
            }
        }
        return period;
    }
}
