package dev.stacksim.net;

import dev.stacksim.host.Host;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpExtMib;
import dev.stacksim.tcp.TcpMib;
import dev.stacksim.tcp.TcpProc;
import dev.stacksim.tcp.TcpSock;
import dev.stacksim.tcp.TcpSockInfo;
import dev.stacksim.tcp.TcpState;
import io.netty.util.ResourceLeakDetector;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.POLLOUT;
import static dev.stacksim.socket.SocketConstants.SHUT_WR;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_RCVBUF;
import static dev.stacksim.socket.SocketConstants.SO_SNDBUF;

/**
 * One bulk transfer between two hosts of a {@link Network}, the harness of the "Must
 * show": client 10.0.0.1 connects to server 10.0.0.2 over one link, writes {@code bytes} of
 * pseudo-random content (a xorshift stream from {@code contentSeed}, not from the simulation's
 * seed, so the content does not change the run), the server reads everything up to the FIN, both
 * sides hash what they saw with SHA-256, and both close. One test thread plays both programs with
 * non-blocking sockets: it writes and reads whatever the sockets allow, then runs the loop until
 * one of them is ready again, so the programs are infinitely fast and only the network sets the
 * pace.
 *
 * <p>The skb pool runs without per-skb allocation tracking and netty at {@code SIMPLE} for the
 * run (PARANOID costs a stack trace per buffer: a 100 MB run would take minutes); the exact
 * outstanding-skb count that {@code LeakCheckExtension} checks after each test is kept.
 */
final class BulkTransfer {
    /** Server port. */
    static final int PORT = 5001;
    /** Size of the application's read and write calls. */
    static final int CHUNK = 64 * 1024;

    /**
     * What to run.
     *
     * @param seed        the simulation seed (ISNs, losses, ...)
     * @param bytes       bytes the client sends
     * @param bandwidth   link rate, bit/s (0 infinite)
     * @param latency     one-way propagation delay
     * @param impairments both directions
     * @param sndbuf      the client's SO_SNDBUF, 0 for the default
     * @param rcvbuf      the server's SO_RCVBUF (set on the listener, inherited), 0 for the default
     * @param partitionAt virtual time after the connection is up when the link goes down, or null
     * @param partitionFor how long it stays down
     * @param sampleAfter  when, after the connection is up, to note the bytes read so far (for a
     *                     goodput after slow start), or null
     */
    record Config(long seed, long bytes, long bandwidth, Duration latency, Impairments impairments, int sndbuf,
                  int rcvbuf, Duration partitionAt, Duration partitionFor, Duration sampleAfter) {
        static Config of(long seed, long bytes, long bandwidth, Duration latency) {
            return new Config(seed, bytes, bandwidth, latency, Impairments.NONE, 0, 0, null, null, null);
        }

        Config sampleAfter(Duration d) {
            return new Config(seed, bytes, bandwidth, latency, impairments, sndbuf, rcvbuf, partitionAt, partitionFor, d);
        }

        Config impairments(Impairments i) {
            return new Config(seed, bytes, bandwidth, latency, i, sndbuf, rcvbuf, partitionAt, partitionFor, sampleAfter);
        }

        Config buffers(int snd, int rcv) {
            return new Config(seed, bytes, bandwidth, latency, impairments, snd, rcv, partitionAt, partitionFor, sampleAfter);
        }

        Config partition(Duration at, Duration length) {
            return new Config(seed, bytes, bandwidth, latency, impairments, sndbuf, rcvbuf, at, length, sampleAfter);
        }

        Config bytes(long n) {
            return new Config(seed, n, bandwidth, latency, impairments, sndbuf, rcvbuf, partitionAt, partitionFor, sampleAfter);
        }

        Config seed(long s) {
            return new Config(s, bytes, bandwidth, latency, impairments, sndbuf, rcvbuf, partitionAt, partitionFor, sampleAfter);
        }
    }

    /**
     * What happened.
     *
     * @param sentSha        SHA-256 of what the client wrote
     * @param receivedSha    SHA-256 of what the server read
     * @param received       bytes the server read
     * @param connectedAt    virtual time the client's connect completed, ns
     * @param doneAt         virtual time the server read the FIN (end of file), ns
     * @param events         events the loop ran until both sides closed
     * @param wallNanos      wall-clock time of the whole run
     * @param clientState    the client's end of the connection at the end: TIME_WAIT (its minisock) or CLOSE
     * @param serverState    the server socket's state at the end
     * @param retransSegs    the client's Tcp RetransSegs
     * @param timeouts       the client's TcpExt TCPTimeouts
     * @param outRsts        OutRsts of both hosts
     * @param csumErrors     the receiving host's Tcp InCsumErrors
     * @param clientCsumErrors the sending host's Tcp InCsumErrors (corrupted ACKs)
     * @param linkDrops      frames the link lost, both directions (loss and partition)
     * @param mss            the client's MSS
     * @param srttMicros     the client's smoothed RTT at the end
     * @param toServer       the link's counters, client to server
     * @param toClient       the link's counters, server to client
     * @param sampleAt       virtual time of the goodput sample ({@link Config#sampleAfter}), ns; -1 for none
     * @param sampleReceived bytes the server had read at {@code sampleAt}
     */
    record Result(String sentSha, String receivedSha, long received, long connectedAt, long doneAt, long events,
                  long wallNanos, TcpState clientState, TcpState serverState, long retransSegs, long timeouts,
                  long outRsts, long csumErrors, long clientCsumErrors, long linkDrops, int mss, long srttMicros,
                  LinkStats toServer, LinkStats toClient, long sampleAt, long sampleReceived) {
        /** Virtual seconds from connected to end of file. */
        double seconds() {
            return (doneAt - connectedAt) / 1e9;
        }

        /** Goodput in bit/s of virtual time, connect to end of file. */
        double goodputBps() {
            return received * 8 / seconds();
        }

        /** Goodput in bit/s of virtual time from the sample to end of file: the steady state after slow start. */
        double steadyGoodputBps() {
            return (received - sampleReceived) * 8 / ((doneAt - sampleAt) / 1e9);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d bytes in %.3f s virtual = %.2f Mbit/s; wall %.2f s, %d events; retrans %d, RTOs %d,"
                            + " csum errors %d/%d, link drops %d, mss %d, srtt %d us",
                    received, seconds(), goodputBps() / 1e6, wallNanos / 1e9, events, retransSegs, timeouts,
                    csumErrors, clientCsumErrors, linkDrops, mss, srttMicros);
        }
    }

    private BulkTransfer() {
    }

    /** Runs {@code c}; see the class comment. */
    static Result run(Config c) {
        return run(c, net -> { }, null);
    }

    /**
     * Runs {@code c}, with {@code setup} called on the network before the hosts connect (to attach a
     * trace recorder) and {@code onConnected} (may be null) once both sockets exist.
     */
    static Result run(Config c, Consumer<Network> setup, Consumer<Network> onConnected) {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        long wall0 = System.nanoTime();
        try (Network net = Network.builder().seed(c.seed()).eventLimit(Long.MAX_VALUE).build()) {
            int bigBuf = Math.max(c.sndbuf(), c.rcvbuf());
            Network.HostBuilder sb = net.host("server").ip("10.0.0.2/24");
            Network.HostBuilder cb = net.host("client").ip("10.0.0.1/24");
            if (bigBuf > 0) {
                // SO_SNDBUF/SO_RCVBUF are capped by wmem_max/rmem_max before Linux doubles them
                for (Network.HostBuilder hb : new Network.HostBuilder[] {sb, cb}) {
                    hb.sysctl("net.core.rmem_max", bigBuf).sysctl("net.core.wmem_max", bigBuf);
                }
            }
            Host server = sb.build();
            Host client = cb.build();
            NetworkLink link = net.link(client, server).bandwidth(c.bandwidth()).latency(c.latency())
                    .impairments(c.impairments());
            setup.accept(net);

            Process srv = server.spawn("sink");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            if (c.rcvbuf() > 0) {
                srv.setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, c.rcvbuf());
            }
            srv.bind(lfd, SockAddr.any(PORT));
            srv.listen(lfd, 16);
            Process cli = client.spawn("source");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            if (c.sndbuf() > 0) {
                cli.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, c.sndbuf());
            }
            cli.connect(fd, SockAddr.of("10.0.0.2", PORT));
            long connectedAt = net.loop().now();
            int conn = srv.accept(lfd);
            srv.close(lfd);
            if (c.partitionAt() != null) {
                net.loop().schedule(c.partitionAt(), () -> link.link().setUp(false));
                net.loop().schedule(c.partitionAt().plus(c.partitionFor()), () -> link.link().setUp(true));
            }
            if (onConnected != null) {
                onConnected.accept(net);
            }
            TcpSock cs = (TcpSock) cli.sockfdLookup(fd).ops();
            TcpSock ss = (TcpSock) srv.sockfdLookup(conn).ops();

            MessageDigest sent = sha256();
            MessageDigest got = sha256();
            Xorshift content = new Xorshift(c.seed() * 0x9E3779B97F4A7C15L + 1);
            byte[] out = new byte[CHUNK];
            int outOff = 0;
            int outLen = 0;
            byte[] in = new byte[CHUNK];
            long written = 0;
            long received = 0;
            long doneAt = -1;
            long sampleAt = -1;
            long sampleReceived = 0;
            long sampleTime = c.sampleAfter() == null ? Long.MAX_VALUE : connectedAt + c.sampleAfter().toNanos();
            boolean clientShut = false;
            boolean serverClosed = false;
            while (!serverClosed) {
                boolean progress = false;
                while (written < c.bytes() && (cs.poll() & POLLOUT) != 0) {
                    if (outLen == 0) {
                        outLen = (int) Math.min(CHUNK, c.bytes() - written);
                        content.fill(out, outLen);
                        sent.update(out, 0, outLen);
                        outOff = 0;
                    }
                    int n = cli.send(fd, out, outOff, outLen, MSG_DONTWAIT);
                    written += n;
                    outOff += n;
                    outLen -= n;
                    progress = true;
                }
                if (written == c.bytes() && !clientShut) {
                    // FIN after the last byte; the socket stays open (not orphaned) until the
                    // server's FIN, as a program that waits for the peer's EOF before close()
                    cli.shutdown(fd, SHUT_WR);
                    clientShut = true;
                    progress = true;
                }
                if (sampleAt < 0 && net.loop().now() >= sampleTime) {
                    sampleAt = net.loop().now();
                    sampleReceived = received;
                }
                while ((ss.poll() & POLLIN) != 0) {
                    int n = srv.recv(conn, in, 0, in.length, MSG_DONTWAIT);
                    progress = true;
                    if (n == 0) {
                        doneAt = net.loop().now();
                        srv.close(conn);
                        serverClosed = true;
                        break;
                    }
                    got.update(in, 0, n);
                    received += n;
                }
                if (!progress) {
                    boolean wantOut = written < c.bytes();
                    var outcome = net.runUntil(() -> (ss.poll() & POLLIN) != 0 || (wantOut && (cs.poll() & POLLOUT) != 0));
                    if ((ss.poll() & POLLIN) == 0 && !(wantOut && (cs.poll() & POLLOUT) != 0)) {
                        throw new AssertionError("bulk transfer stalled: " + outcome + " at " + SimTime.format(net.loop().now())
                                + " written=" + written + " received=" + received + "\n" + server.ss("-tani") + client.ss("-tani"));
                    }
                }
            }
            // the client reads the server's FIN (end of file) and closes
            net.runUntil(() -> (cs.poll() & POLLIN) != 0);
            if (cli.recv(fd, in, 0, in.length, MSG_DONTWAIT) != 0) {
                throw new AssertionError("client: data or no EOF after the server closed");
            }
            cli.close(fd);
            net.runUntil(() -> ss.tcpState() == TcpState.CLOSE && cs.tcpState() == TcpState.CLOSE);
            // the client's socket is gone; what is left of the connection is a TIME_WAIT minisock
            TcpState clientEnd = TcpProc.sockets(client.tcp()).stream()
                    .filter(i -> i.kind() == TcpSockInfo.Kind.TIME_WAIT && i.remotePort() == PORT)
                    .map(TcpSockInfo::state).findFirst().orElse(cs.tcpState());
            long events = net.loop().eventCount();
            long drops = link.link().endA().stats().lossDrops() + link.link().endB().stats().lossDrops()
                    + link.link().endA().stats().downDrops() + link.link().endB().stats().downDrops();
            return new Result(hex(sent), hex(got), received, connectedAt, doneAt, events, System.nanoTime() - wall0,
                    clientEnd, ss.tcpState(), client.snmp().tcp.get(TcpMib.RETRANS_SEGS),
                    client.snmp().tcpExt.get(TcpExtMib.TCP_TIMEOUTS),
                    client.snmp().tcp.get(TcpMib.OUT_RSTS) + server.snmp().tcp.get(TcpMib.OUT_RSTS),
                    server.snmp().tcp.get(TcpMib.IN_CSUM_ERRORS), client.snmp().tcp.get(TcpMib.IN_CSUM_ERRORS),
                    drops, cs.mss(), cs.srttMicros(), link.link().endA().stats(), link.link().endB().stats(),
                    sampleAt, sampleReceived);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** The content: xorshift64*, eight bytes per step. */
    static final class Xorshift {
        private long x;

        Xorshift(long seed) {
            this.x = seed == 0 ? 1 : seed;
        }

        void fill(byte[] b, int len) {
            for (int i = 0; i < len; i += 8) {
                x ^= x >>> 12;
                x ^= x << 25;
                x ^= x >>> 27;
                long v = x * 0x2545F4914F6CDD1DL;
                for (int j = 0; j < 8 && i + j < len; j++) {
                    b[i + j] = (byte) (v >>> (8 * j));
                }
            }
        }
    }
}
