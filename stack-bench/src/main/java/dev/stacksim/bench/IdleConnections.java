package dev.stacksim.bench;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.VethPair;
import dev.stacksim.diag.SocketMemory;
import dev.stacksim.diag.Sockstat;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_KEEPALIVE;

/**
 * Two hosts on a zero-delay veth pair, {@code client} (10.0.0.1/24) and {@code server}
 * (10.0.0.2/24), with {@code n} idle established connections between them, each with
 * SO_KEEPALIVE on the client's end so that every connection has a timer pending in the loop
 * (2 hours away) as a long-lived Linux connection with keepalive has.
 *
 * <h2>How a million fit in the port space</h2>
 * One client address has at most ~64k ports per destination. The idle connections come from
 * {@link #ADDRESSES} extra client addresses (10.0.0.11 and up) with ports bound explicitly from
 * {@link #FIRST_PORT} up, all below {@code ip_local_port_range} (32768-60999), to server port 80:
 * a port that {@code bind()} took is one {@code connect()}'s search skips (Linux's
 * {@code __inet_hash_connect} skips buckets with {@code fastreuse >= 0}), so keeping them out of
 * the ephemeral range leaves that range free for the connections a benchmark opens from
 * 10.0.0.1. Each connection is made with a blocking {@code connect()}, which runs the loop
 * through the handshake, and a blocking {@code accept()}, which finds the child queued: no
 * exception, no polling.
 */
final class IdleConnections implements AutoCloseable {
    /** Extra client addresses the idle connections come from. */
    static final int ADDRESSES = 32;
    /** The first port the idle connections bind; they use ports up to 32767. */
    static final int FIRST_PORT = 1024;
    static final int PORTS_PER_ADDRESS = 32768 - FIRST_PORT;
    /** The server port of the idle connections. */
    static final int IDLE_PORT = 80;

    final EventLoop loop;
    final SkBuffPool pool;
    final Host client;
    final Host server;
    final Process cli;
    final Process srv;
    final int idleListener;
    final int n;
    /** Wall-clock nanoseconds the {@code n} connections took to make. */
    final long buildNanos;

    IdleConnections(int n) {
        if (n > ADDRESSES * PORTS_PER_ADDRESS) {
            throw new IllegalArgumentException("IdleConnections: n=" + n + " max=" + ADDRESSES * PORTS_PER_ADDRESS);
        }
        this.n = n;
        loop = EventLoop.builder().seed(1).eventLimit(Long.MAX_VALUE).build();
        pool = SkBuffPool.builder().trackAllocations(false).build();
        VethPair veth = VethPair.create("eth0", 0x0200_0000_0001L, "eth0", 0x0200_0000_0002L);
        client = Host.builder(loop, pool, "client").device(veth.first()).address("eth0", "10.0.0.1/24").build();
        server = Host.builder(loop, pool, "server").device(veth.second()).address("eth0", "10.0.0.2/24").build();
        for (int i = 0; i < ADDRESSES; i++) {
            client.addAddress("eth0", "10.0.0." + (11 + i) + "/24");
        }
        srv = server.spawn("server");
        cli = client.spawn("client");
        srv.setRlimitNofile(n + 1024);
        cli.setRlimitNofile(n + 1024);
        idleListener = srv.socket(AF_INET, SOCK_STREAM, 0);
        srv.bind(idleListener, SockAddr.of("0.0.0.0", IDLE_PORT));
        srv.listen(idleListener, 4096);
        SockAddr.Inet dst = SockAddr.of("10.0.0.2", IDLE_PORT);
        SockAddr.Inet[] from = new SockAddr.Inet[ADDRESSES];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.bind(fd, SockAddr.of("10.0.0." + (11 + i % ADDRESSES), FIRST_PORT + i / ADDRESSES));
            cli.connect(fd, dst);
            cli.setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            srv.accept(idleListener);
        }
        loop.runFor(1_000_000_000L); // the last delayed ACKs go: idle
        buildNanos = System.nanoTime() - t0;
    }

    /** Heap used after full collections, bytes. */
    static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (u >= used) {
                return Math.min(u, used);
            }
            used = u;
        }
        return used;
    }

    /** One line: n, build time, rate, pending events, the server's sockstat TCP line. */
    String summary() {
        String ss = Sockstat.of(server).render().split("\n")[1];
        return String.format(Locale.ROOT, "idle=%d built in %.1f s (%.0f connections/s) pending events=%d server %s",
                n, buildNanos / 1e9, n / (buildNanos / 1e9), loop.pendingEvents(), ss);
    }

    /** The memory report of the client and the server. */
    String memory() {
        return "client:\n" + SocketMemory.of(client).render() + "\nserver:\n" + SocketMemory.of(server).render();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        loop.close();
        pool.close();
    }
}
