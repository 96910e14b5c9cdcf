package dev.stacksim.docs.examples;

import dev.stacksim.tun.PrivateNetns;
import dev.stacksim.tun.TunBridge;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TUN chapter's example runs as the chapter says, in a network namespace of its own: the
 * kernel's ping, nc, curl, tcpdump and ss reach the simulated server. Skipped, saying why, without
 * root, {@code /dev/net/tun} or socat (the tests of {@code dev.stacksim.tun} check it all in depth).
 */
class TunServerTest {
    @Test
    @Timeout(60)
    void theKernelsToolsReachTheSimulatedServer() {
        Optional<String> why = PrivateNetns.unavailableReason().or(TunBridge::unavailableReason);
        if (why.isPresent()) {
            System.err.println("TunServerTest SKIPPED: " + why.get());
        }
        Assumptions.assumeTrue(why.isEmpty(), () -> "TUN example skipped: " + why.get());

        PrivateNetns.Result r = PrivateNetns.runJava(TunServer.class.getName(), List.of(), List.of("--demo"),
                Duration.ofSeconds(45));
        String out = r.output();
        assertTrue(r.ok(), out);
        assertTrue(out.contains("2 packets transmitted, 2 received, 0% packet loss"), out);
        assertTrue(out.contains("$ printf 'hello, echo\\n' | nc -N 10.9.0.2 7\nhello, echo\n"), out);
        assertTrue(out.matches("(?s).*IP 10\\.9\\.0\\.1\\.\\d+ > 10\\.9\\.0\\.2\\.7: Flags \\[S\\].*"), out);
        assertTrue(out.matches("(?s).*IP 10\\.9\\.0\\.2\\.7 > 10\\.9\\.0\\.1\\.\\d+: Flags \\[S\\.\\].*"), out);
        assertTrue(out.contains("hello from the simulated host 10.9.0.2"), out);
        assertTrue(out.matches("(?s).*ESTAB\\s+0\\s+0\\s+10\\.9\\.0\\.2:80\\s+10\\.9\\.0\\.1:\\d+.*"), "the page's ss: " + out);
        assertTrue(out.matches("(?s).*TIME-WAIT\\s+0\\s+0\\s+10\\.9\\.0\\.1:\\d+\\s+10\\.9\\.0\\.2:7.*"), "kernel ss: " + out);
    }
}
