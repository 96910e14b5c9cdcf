package dev.stacksim.tcp;

import dev.stacksim.diag.HeapLayout;
import dev.stacksim.diag.SocketMemory;
import dev.stacksim.diag.Sockstat;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.Socket;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue #9: 100,000 idle established connections between two hosts, and the memory the stack
 * says they take ({@code /proc/net/sockstat}, {@link SocketMemory}) next to what the JVM says
 * (heap used after a full GC, and its class histogram). Not timed: it checks counts and bytes.
 */
class TcpScaleTest {
    static final int CONNECTIONS = 100_000;
    /** Server ports: one client address has ~64k ephemeral ports per destination. */
    static final int PORTS = 4;
    /** Issue #9: an idle established socket costs at most this much heap beyond its (empty) buffers. */
    static final long BUDGET_PER_SOCKET = 2048;

    @Test
    void hundredThousandIdleConnectionsAreAccountedForAndFitTheBudget() throws Exception {
        try (TcpLab lab = new TcpLab(9, true)) {
            lab.a.sysctl("net.ipv4.ip_local_port_range", 1024, 65535);
            Process srv = lab.b.spawn("srv");
            Process cli = lab.a.spawn("cli");
            srv.setRlimitNofile(CONNECTIONS + 64);
            cli.setRlimitNofile(CONNECTIONS + 64);
            int[] lfd = new int[PORTS];
            for (int p = 0; p < PORTS; p++) {
                lfd[p] = lab.listen(srv, 80 + p, 4096);
            }
            long before = heapUsedAfterGc();
            for (int i = 0; i < CONNECTIONS; i++) {
                // blocking calls: connect runs the loop through the handshake, accept finds the child queued
                int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.connect(fd, TcpLab.addr("10.0.0.2", 80 + i % PORTS));
                srv.accept(lfd[i % PORTS]);
            }
            lab.run(1_000_000_000L); // delayed ACKs and the like settle: idle
            long after = heapUsedAfterGc();

            // the stack's own accounting: /proc/net/sockstat
            Sockstat a = Sockstat.of(lab.a);
            Sockstat b = Sockstat.of(lab.b);
            assertEquals("sockets: used 100000\nTCP: inuse 100000 orphan 0 tw 0 alloc 100000 mem 0\n",
                    a.render().substring(0, a.render().indexOf("UDP")));
            assertEquals("sockets: used 100004\nTCP: inuse 100004 orphan 0 tw 0 alloc 100004 mem 0\n",
                    b.render().substring(0, b.render().indexOf("UDP")));
            assertEquals(0, lab.pool.outstanding(), "idle: no skb is held anywhere");

            // the memory report: all established, no buffer memory, within the budget
            SocketMemory ma = SocketMemory.of(lab.a);
            SocketMemory mb = SocketMemory.of(lab.b);
            System.out.println("client " + lab.a.name() + ":\n" + ma.render());
            SocketMemory.Row ea = ma.row("TCP ESTABLISHED");
            SocketMemory.Row eb = mb.row("TCP ESTABLISHED");
            assertEquals(CONNECTIONS, ea.count());
            assertEquals(CONNECTIONS, eb.count());
            assertEquals(0, ea.rmemBytes() + ea.wmemBytes() + ea.skbs() + eb.rmemBytes() + eb.wmemBytes() + eb.skbs());
            assertTrue(ea.heapEach() <= BUDGET_PER_SOCKET, () -> "client socket estimate " + ea.heapEach());
            assertTrue(eb.heapEach() <= BUDGET_PER_SOCKET, () -> "server socket estimate " + eb.heapEach());

            // the JVM's view: heap grown per socket, after full GCs, everything still reachable
            long estimated = ma.total().heapBytes() + mb.total().heapBytes();
            double measuredEach = (after - before) / (2.0 * CONNECTIONS);
            System.out.printf("heap: measured %.0f B per socket, estimated %.0f B per socket (%d sockets)%n",
                    measuredEach, estimated / (2.0 * CONNECTIONS), 2 * CONNECTIONS);
            assertTrue(measuredEach <= BUDGET_PER_SOCKET, () -> "measured " + measuredEach + " B per socket");
            assertEquals(1.0, (after - before) / (double) estimated, 0.25,
                    "the report's estimate is within 25% of the heap the connections took");

            // the model's sizes are the JVM's, class by class, where the histogram can be had
            Map<String, long[]> histogram = classHistogram();
            if (!histogram.isEmpty()) {
                for (Class<?> c : new Class<?>[] {TcpSock.class, Socket.class, TcpCubic.class,
                    dev.stacksim.socket.WaitQueue.class, dev.stacksim.sim.Timer.class}) {
                    long[] h = histogram.get(c.getName());
                    assertNotNull(h, c.getName());
                    assertEquals(HeapLayout.instanceSize(c), h[1] / h[0], c.getName());
                }
                long[] tcpSocks = histogram.get(TcpSock.class.getName());
                assertEquals(2L * CONNECTIONS + PORTS, tcpSocks[0], "TcpSock instances alive");
            }
        }
    }

    /** Heap used after full collections (the JVM may defer one: a few, until it stops falling). */
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

    /**
     * {@code jcmd <pid> GC.class_histogram} in-process (the DiagnosticCommand MBean of HotSpot):
     * class name to {instances, bytes}; empty on a JVM without it.
     */
    static Map<String, long[]> classHistogram() {
        Map<String, long[]> out = new HashMap<>();
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
                    .matcher(text.toString());
            while (m.find()) {
                out.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        } catch (Exception | LinkageError e) {
            return Map.of();
        }
        return out;
    }
}
