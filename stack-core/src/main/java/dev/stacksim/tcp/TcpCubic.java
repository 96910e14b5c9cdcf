package dev.stacksim.tcp;

/**
 * CUBIC (RFC 9438; Linux's default, {@code net/ipv4/tcp_cubic.c}): after a loss the window grows
 * along a cubic curve in the time since the loss, flat near the window where the loss happened
 * ({@code W_max}) and steep away from it, independent of the RTT; ssthresh is 0.7 of the window
 * ({@code beta} 717/1024); fast convergence lowers {@code W_max} when a flow's share shrinks; a
 * Reno-friendly estimate keeps it at least as fast as Reno; HyStart ends slow start early when
 * ACK trains stretch or delay grows.
 *
 * <p>Linux's integer arithmetic is kept so that windows match the kernel's segment for segment,
 * with one difference: time is counted in milliseconds (HZ=1000) where a distribution kernel may
 * count in 4 ms jiffies (HZ=250). No qdisc paces (no fq), so HyStart's ACK-train threshold is
 * halved as Linux halves it for an unpaced socket, after adding {@code hystart_ack_delay} from
 * the socket's pacing rate.
 */
public final class TcpCubic implements TcpCongestionOps {
    /** CUBIC's name: {@code "cubic"}. */
    public static final String NAME = "cubic";

    private static final int BICTCP_BETA_SCALE = 1024;
    private static final int BICTCP_HZ = 10;
    private static final int HZ = 1000;
    private static final int BETA = 717;
    private static final int BIC_SCALE = 41;
    private static final int HYSTART_LOW_WINDOW = 16;
    private static final int HYSTART_ACK_DELTA_US = 2000;
    private static final int HYSTART_MIN_SAMPLES = 8;
    private static final int HYSTART_DELAY_MIN = 4000;
    private static final int HYSTART_DELAY_MAX = 16000;
    private static final int BETA_SCALE = 8 * (BICTCP_BETA_SCALE + BETA) / 3 / (BICTCP_BETA_SCALE - BETA);
    private static final long CUBE_RTT_SCALE = BIC_SCALE * 10;
    private static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / (BIC_SCALE * 10);
    /** cbrt(x) MSB values for x MSB values in [0..63] ({@code cubic_root}'s table). */
    private static final int[] CBRT = {
        0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
        157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
        200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
        231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
    };

    // struct bictcp
    private int cnt;
    private int lastMaxCwnd;
    private int lastCwnd;
    private int lastTime;
    private int bicOriginPoint;
    private int bicK;
    private int delayMin;
    private int epochStart;
    private int ackCnt;
    private int tcpCwnd;
    private int sampleCnt;
    private boolean found;
    private int roundStart;
    private int endSeq;
    private int lastAck;
    private int currRtt;

    @Override
    public String name() {
        return NAME;
    }

    private void reset() {
        cnt = 0;
        lastMaxCwnd = 0;
        lastCwnd = 0;
        lastTime = 0;
        bicOriginPoint = 0;
        bicK = 0;
        delayMin = 0;
        epochStart = 0;
        ackCnt = 0;
        tcpCwnd = 0;
        found = false;
    }

    private void hystartReset(TcpSock sk) {
        roundStart = lastAck = (int) sk.mstampMicros();
        endSeq = sk.sndNxt();
        currRtt = -1; // ~0U
        sampleCnt = 0;
    }

    @Override
    public void init(TcpSock sk) {
        reset();
        hystartReset(sk);
    }

    @Override
    public void cwndEvent(TcpSock sk, TcpCaEvent event) {
        if (event == TcpCaEvent.TX_START) {
            int now = sk.jiffies();
            int delta = now - sk.lsndtimeJiffies();
            // idle for a while: shift the epoch so that growth stays on the curve
            if (epochStart != 0 && delta > 0) {
                epochStart += delta;
                if (TcpSeq.after(epochStart, now)) {
                    epochStart = now;
                }
            }
        }
    }

    /** {@code cubic_root}: a table lookup and one Newton-Raphson step (average error 0.195%). */
    static int cubicRoot(long a) {
        int b = 64 - Long.numberOfLeadingZeros(a);
        if (b < 7) {
            return (CBRT[(int) a] + 35) >>> 6;
        }
        b = ((b * 84) >> 8) - 1;
        int shift = (int) (a >>> (b * 3));
        long x = ((long) ((CBRT[shift] + 10) << b) & 0xFFFFFFFFL) >>> 6;
        x = (2 * x + Long.divideUnsigned(a, x * (x - 1))) & 0xFFFFFFFFL;
        x = ((x * 341) & 0xFFFFFFFFL) >>> 10;
        return (int) x;
    }

    /** {@code bictcp_update}: the segments of ACK needed per window increment ({@code cnt}). */
    private void update(TcpSock sk, int cwnd, int acked) {
        ackCnt += acked;
        int now = sk.jiffies();
        if (lastCwnd == cwnd && now - lastTime <= HZ / 32) {
            return;
        }
        if (epochStart == 0 || now != lastTime) {
            lastCwnd = cwnd;
            lastTime = now;
            if (epochStart == 0) {
                epochStart = now;
                ackCnt = acked;
                tcpCwnd = cwnd;
                if (Integer.compareUnsigned(lastMaxCwnd, cwnd) <= 0) {
                    bicK = 0;
                    bicOriginPoint = cwnd;
                } else {
                    bicK = cubicRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
                    bicOriginPoint = lastMaxCwnd;
                }
            }
            long t = (now - epochStart) & 0xFFFFFFFFL;
            t += (delayMin + 999L) / 1000; // usecs_to_jiffies
            t <<= BICTCP_HZ;
            t /= HZ;
            long offs = t < bicK ? bicK - t : t - bicK;
            int delta = (int) ((CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ));
            int bicTarget = t < bicK ? bicOriginPoint - delta : bicOriginPoint + delta;
            if (Integer.compareUnsigned(bicTarget, cwnd) > 0) {
                cnt = Integer.divideUnsigned(cwnd, bicTarget - cwnd);
            } else {
                cnt = 100 * cwnd;
            }
            if (lastMaxCwnd == 0 && Integer.compareUnsigned(cnt, 20) > 0) {
                cnt = 20; // the first epoch: 5% per RTT at most
            }
        }
        // TCP friendliness
        int delta = (cwnd * BETA_SCALE) >>> 3;
        while (Integer.compareUnsigned(ackCnt, delta) > 0) {
            ackCnt -= delta;
            tcpCwnd++;
        }
        if (Integer.compareUnsigned(tcpCwnd, cwnd) > 0) {
            int maxCnt = Integer.divideUnsigned(cwnd, tcpCwnd - cwnd);
            if (Integer.compareUnsigned(cnt, maxCnt) > 0) {
                cnt = maxCnt;
            }
        }
        if (Integer.compareUnsigned(cnt, 2) < 0) {
            cnt = 2; // at most 1.5x per RTT
        }
    }

    /** {@code cubictcp_cong_avoid}. */
    @Override
    public void congAvoid(TcpSock sk, int ack, int acked) {
        if (!sk.isCwndLimited()) {
            return;
        }
        if (sk.inSlowStart()) {
            acked = sk.slowStart(acked);
            if (acked == 0) {
                return;
            }
        }
        update(sk, sk.sndCwnd(), acked);
        sk.congAvoidAi(cnt, acked);
    }

    /** {@code cubictcp_recalc_ssthresh}: W_max remembered (lowered by fast convergence), 0.7 of the window. */
    @Override
    public int ssthresh(TcpSock sk) {
        int cwnd = sk.sndCwnd();
        epochStart = 0;
        if (cwnd < lastMaxCwnd) {
            lastMaxCwnd = (cwnd * (BICTCP_BETA_SCALE + BETA)) / (2 * BICTCP_BETA_SCALE);
        } else {
            lastMaxCwnd = cwnd;
        }
        return Math.max((cwnd * BETA) / BICTCP_BETA_SCALE, 2);
    }

    @Override
    public void setState(TcpSock sk, TcpCaState state) {
        if (state == TcpCaState.LOSS) {
            reset();
            hystartReset(sk);
        }
    }

    /** {@code cubictcp_acked}: the minimum delay, and HyStart while in slow start. */
    @Override
    public void pktsAcked(TcpSock sk, int pktsAcked, long rttUs) {
        if (rttUs < 0) {
            return;
        }
        if (epochStart != 0 && sk.jiffies() - epochStart < HZ) {
            return; // samples right after a recovery are discarded
        }
        int delay = (int) Math.max(rttUs, 1);
        if (delayMin == 0 || delayMin > delay) {
            delayMin = delay;
        }
        if (!found && sk.inSlowStart()) {
            hystartUpdate(sk, delay);
        }
    }

    /** {@code hystart_ack_delay}: microseconds; {@code sk_gso_max_size} 65536 as on an Ethernet device. */
    private static int ackDelay(TcpSock sk) {
        long rate = sk.pacingRate();
        if (rate == 0) {
            return 0;
        }
        return (int) Math.min(1000L, 65536L * 4 * 1_000_000L / rate);
    }

    private void hystartUpdate(TcpSock sk, int delay) {
        if (TcpSeq.after(sk.sndUna(), endSeq)) {
            hystartReset(sk);
        }
        if (sk.sndCwnd() < HYSTART_LOW_WINDOW) {
            return;
        }
        int now = (int) sk.mstampMicros();
        if (now - lastAck <= HYSTART_ACK_DELTA_US) {
            lastAck = now;
            // the minimum delay plus hystart_ack_delay (the time 4 GSO-sized bursts take at the
            // pacing rate, at most 1 ms), halved as for an unpaced socket
            int threshold = (delayMin + ackDelay(sk)) >>> 1;
            if (now - roundStart > threshold) {
                found = true;
                sk.tcp.ext().inc(TcpExtMib.TCP_HYSTART_TRAIN_DETECT);
                sk.tcp.ext().add(TcpExtMib.TCP_HYSTART_TRAIN_CWND, sk.sndCwnd());
                sk.setSndSsthresh(sk.sndCwnd());
            }
        }
        if (Integer.compareUnsigned(currRtt, delay) > 0) {
            currRtt = delay;
        }
        if (sampleCnt < HYSTART_MIN_SAMPLES) {
            sampleCnt++;
        } else {
            int thresh = Math.min(Math.max(delayMin >>> 3, HYSTART_DELAY_MIN), HYSTART_DELAY_MAX);
            if (Integer.compareUnsigned(currRtt, delayMin + thresh) > 0) {
                found = true;
                sk.tcp.ext().inc(TcpExtMib.TCP_HYSTART_DELAY_DETECT);
                sk.tcp.ext().add(TcpExtMib.TCP_HYSTART_DELAY_CWND, sk.sndCwnd());
                sk.setSndSsthresh(sk.sndCwnd());
            }
        }
    }
}
