package dev.stacksim.tcp;

import dev.stacksim.sim.SimRandom;

/**
 * Initial sequence numbers (RFC 6528) and per-connection timestamp offsets (RFC 7323 5.4), made as
 * Linux 6.x makes them in {@code secure_tcp_seq_and_ts_off()} ({@code net/core/secure_seq.c}).
 *
 * <h2>One keyed hash, two numbers</h2>
 * RFC 6528 asks for {@code ISN = M + F(localip, localport, remoteip, remoteport, secretkey)}: a
 * clock {@code M} so that a new incarnation of a connection starts above the old one, plus a
 * keyed hash so that an off-path attacker cannot guess it. Linux computes one 64-bit SipHash of
 * the 4-tuple under a per-boot secret ({@code net_secret}) and splits it:
 * <pre>
 *   hash64 = siphash_3u32(saddr, daddr, sport &lt;&lt; 16 | dport, net_secret)   (wire-order values)
 *   ┌──────────── bits 63..32 ────────────┬──────────── bits 31..0 ─────────────┐
 *   │ ts_off  (0 unless tcp_timestamps=1) │ seq hash                             │
 *   └─────────────────────────────────────┴──────────────────────────────────────┘
 *   ISN = seq hash + (realtime_ns &gt;&gt; 6)      (seq_scale: a 64 ns tick, wrapping every 274 s)
 * </pre>
 * The addresses and ports are the sender's view: for {@code connect()} local then remote, and for
 * a SYN arriving at a listener the SYN's destination then its source
 * ({@code tcp_v4_init_seq_and_ts_off()}), so both are "this host's address first".
 *
 * <p>The timestamp offset is added to every TSval the connection sends, so that two connections
 * do not reveal one shared clock. On this machine (Linux 6.18) the two ends of a loopback
 * connection, 127.0.0.1 both, send TSvals about two billion apart in the same millisecond: the
 * ports are in the hash, as in this combined version. (Mainline 6.12.0 still hashed only the
 * two addresses for the offset, under a second secret; the Debian 6.12.117 source and 6.18 use
 * this form.)
 *
 * <h2>Determinism</h2>
 * The secret is two draws from the {@link SimRandom} given at construction (fork one per host:
 * {@code hostRandom.fork("net_secret")}), so a seed fixes every ISN. The clock term takes virtual
 * time; a kernel uses {@code ktime_get_real_ns()}, the wall clock since 1970, which shifts every
 * ISN by the same amount and changes nothing else.
 */
public final class IsnGenerator {
    private final SipHash.Key netSecret;

    /** A generator whose secret ({@code net_secret}) is drawn from {@code random}. */
    public IsnGenerator(SimRandom random) {
        this(SipHash.Key.random(random));
    }

    /** A generator with the given secret (tests, or a secret shared with other hashes). */
    public IsnGenerator(SipHash.Key netSecret) {
        this.netSecret = netSecret;
    }

    /** The secret, {@code net_secret}. */
    public SipHash.Key secret() {
        return netSecret;
    }

    /**
     * The 64-bit keyed hash of a 4-tuple before any clock is added: the low half is the sequence
     * hash, the high half the timestamp offset ({@code union tcp_seq_and_ts_off}).
     *
     * @param saddr this host's address, host order ({@code 0x0a000001} for 10.0.0.1)
     * @param daddr the peer's address, host order
     * @param sport this host's port
     * @param dport the peer's port
     */
    public long hash(int saddr, int daddr, int sport, int dport) {
        int ports = SipHash.be16(sport) << 16 | SipHash.be16(dport);
        return SipHash.hash3u32(netSecret, SipHash.be32(saddr), SipHash.be32(daddr), ports);
    }

    /**
     * The initial sequence number for a connection from {@code saddr:sport} to {@code daddr:dport}
     * at time {@code nowNanos}: {@code secure_tcp_seq()}, the hash's low half plus
     * {@code nowNanos >> 6} ({@code seq_scale()}).
     */
    public int secureSeq(int saddr, int daddr, int sport, int dport, long nowNanos) {
        return (int) hash(saddr, daddr, sport, dport) + seqScale(nowNanos);
    }

    /**
     * The timestamp offset of the connection ({@code tcp_sock.tsoffset}, {@code treq->ts_off}):
     * the hash's high half when {@code net.ipv4.tcp_timestamps} is 1, else 0 (the value 2 asks for
     * timestamps without random offsets).
     */
    public int tsOff(int saddr, int daddr, int sport, int dport, int tcpTimestamps) {
        if (tcpTimestamps != 1) {
            return 0;
        }
        return (int) (hash(saddr, daddr, sport, dport) >>> 32);
    }

    /**
     * The clock term of an ISN at {@code nowNanos}: one step every 64 ns, so the counter wraps
     * 2<sup>32</sup> every 274.9 s, more than one MSL (RFC 6528 3 asks for a 4 µs tick; 64 ns
     * keeps up with 10 Gb/s and faster links).
     */
    public static int seqScale(long nowNanos) {
        return (int) (nowNanos >>> 6);
    }
}
