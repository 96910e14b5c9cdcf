package dev.stacksim.bench;

import dev.stacksim.tcp.TcpMib;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpConnectBenchmarkTest {
    private static TcpConnectBenchmark.Stack stack(String path, String close) {
        TcpConnectBenchmark.Stack s = new TcpConnectBenchmark.Stack();
        s.path = path;
        s.close = close;
        s.setUp();
        return s;
    }

    @Test
    void everyPathAndCloseCompletesEachConnectionAndLeaksNothing() {
        for (String path : new String[] {"lo", "veth", "nic"}) {
            for (String close : new String[] {"rst", "fin"}) {
                TcpConnectBenchmark.Stack s = stack(path, close);
                for (int i = 0; i < 100; i++) {
                    s.connectAcceptClose();
                }
                assertEquals(100, s.clientHost.tcp().mib().get(TcpMib.ACTIVE_OPENS), path + "/" + close);
                assertEquals(100, s.serverHost.tcp().mib().get(TcpMib.PASSIVE_OPENS), path + "/" + close);
                s.tearDown(); // throws unless every connection was made and is gone
            }
        }
    }

    @Test
    void orderlyCloseLeavesOneTimeWaitPerConnectionUntilTheVirtualClockPassesSixtySeconds() {
        TcpConnectBenchmark.Stack s = stack("veth", "fin");
        for (int i = 0; i < 200; i++) {
            s.connectAcceptClose();
        }
        // 200 TIME_WAIT timers (1 s of virtual time at 5 ms a connection), besides the hosts' own
        assertTrue(s.loop.pendingEvents() >= 200, "pending=" + s.loop.pendingEvents());
        s.loop.runFor(60_000_000_000L);
        assertTrue(s.loop.pendingEvents() < 5, "pending=" + s.loop.pendingEvents());
        s.tearDown();
    }

    @Test
    void kernelBaselineMakesConnectionsOverLoopback() throws IOException {
        TcpConnectBenchmark.Kernel k = new TcpConnectBenchmark.Kernel();
        k.close = "rst";
        k.setUp();
        for (int i = 0; i < 20; i++) {
            assertTrue(k.connectAcceptClose() > 0);
        }
        assertEquals(20, k.ops);
        k.tearDown();
    }
}
