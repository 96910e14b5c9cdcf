package dev.stacksim.diag;

import dev.stacksim.host.GatedPair;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code /proc/net/sockstat}: its layout, and what each count counts as sockets come and go. */
class SockstatTest {
    /** The layout with every number replaced by N, as Linux 6.18 printed it on the machine this was written on. */
    private static final String SHAPE = "sockets: used N\n"
            + "TCP: inuse N orphan N tw N alloc N mem N\n"
            + "UDP: inuse N mem N\n"
            + "UDPLITE: inuse N\n"
            + "RAW: inuse N\n"
            + "FRAG: inuse N memory N\n";

    private static String shape(String s) {
        return s.replaceAll("\\d+", "N");
    }

    @Test
    void anIdleHostPrintsLinuxsLayoutWithZeros() {
        try (GatedPair p = new GatedPair(1)) {
            assertEquals("sockets: used 0\n"
                    + "TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n"
                    + "UDP: inuse 0 mem 0\n"
                    + "UDPLITE: inuse 0\n"
                    + "RAW: inuse 0\n"
                    + "FRAG: inuse 0 memory 0\n", p.a.views().sockstat());
        }
    }

    @Test
    void layoutIsTheRunningKernelsWhenThereIsOne() throws IOException {
        Path proc = Path.of("/proc/net/sockstat");
        assumeTrue(Files.isReadable(proc), "no /proc/net/sockstat here");
        String kernel = Files.readString(proc);
        assertEquals(shape(kernel), SHAPE, "this kernel's layout changed; compare with the recorded one");
        try (GatedPair p = new GatedPair(1)) {
            assertEquals(shape(kernel), shape(p.a.views().sockstat()));
        }
    }

    @Test
    void countsFollowSocketsThroughTheirLives() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.of("0.0.0.0", 8080));
            srv.listen(lfd, 8);
            Process cli = p.a.spawn("cli");
            int c1 = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(c1, SockAddr.of("10.0.0.2", 8080));
            int c2 = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(c2, SockAddr.of("10.0.0.2", 8080));
            cli.socket(AF_INET, SOCK_STREAM, 0); // no port: alloc, not inuse
            int u1 = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.bind(u1, SockAddr.of("0.0.0.0", 5000));
            cli.socket(AF_INET, SOCK_DGRAM, 0); // unbound: used, not UDP inuse
            int s1 = srv.accept(lfd);
            int s2 = srv.accept(lfd);
            p.runMillis(10);
            assertEquals("sockets: used 5\n"
                    + "TCP: inuse 2 orphan 0 tw 0 alloc 3 mem 0\n"
                    + "UDP: inuse 1 mem 0\n", head(p.a.views().sockstat()));
            assertEquals("sockets: used 3\n"
                    + "TCP: inuse 3 orphan 0 tw 0 alloc 3 mem 0\n"
                    + "UDP: inuse 0 mem 0\n", head(p.b.views().sockstat()));

            // 3 bytes unread on the server: one page charged to its receive buffer
            cli.send(c2, new byte[] {1, 2, 3}, 0);
            p.runMillis(10);
            assertEquals("TCP: inuse 3 orphan 0 tw 0 alloc 3 mem 1", line(p.b.views().sockstat(), 1));
            srv.recv(s2, new byte[3], 0, 3, 0);
            assertEquals("TCP: inuse 3 orphan 0 tw 0 alloc 3 mem 0", line(p.b.views().sockstat(), 1));

            // the client closes first and ends in TIME_WAIT: a minisock, no longer a socket
            cli.close(c1);
            p.runMillis(10);
            srv.close(s1);
            p.runMillis(10);
            assertEquals("sockets: used 4\n"
                    + "TCP: inuse 1 orphan 0 tw 1 alloc 2 mem 0\n"
                    + "UDP: inuse 1 mem 0\n", head(p.a.views().sockstat()));

            // closed by the server, its FIN not yet acknowledged: an orphan, still in use
            srv.close(s2);
            String b = p.b.views().sockstat();
            assertEquals("sockets: used 2\n"
                    + "TCP: inuse 2 orphan 1 tw 0 alloc 2 mem 1\n"
                    + "UDP: inuse 0 mem 0\n", head(b));
        }
    }

    private static String head(String sockstat) {
        String[] l = sockstat.split("\n");
        return l[0] + "\n" + l[1] + "\n" + l[2] + "\n";
    }

    private static String line(String sockstat, int i) {
        return sockstat.split("\n")[i];
    }
}
