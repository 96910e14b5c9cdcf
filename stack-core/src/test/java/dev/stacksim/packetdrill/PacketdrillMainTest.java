package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketdrillMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PacketdrillMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws URISyntaxException {
        return Path.of(PacketdrillMainTest.class.getResource("/" + name).toURI()).toString();
    }

    @Test
    void aPassingScriptPrintsItsTraceThenPass() throws URISyntaxException {
        assertEquals(0, run(resource("packetdrill/udp/peek.pkt")));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  0.100000 [ 7] < udp (64)   192.0.2.1:8080 > 192.168.0.1:8080\n"), text);
        assertTrue(text.endsWith("PASS peek.pkt\n"), text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailingScriptPrintsThePacketdrillReportAndExitsWithOne() throws URISyntaxException {
        assertEquals(1, run("--quiet", resource("packetdrill-broken/wrong-ttl.pkt")));
        assertEquals("FAIL wrong-ttl.pkt\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "wrong-ttl.pkt:6: error handling packet: live packet field ttl: expected: 32 (0x20) vs actual: 64"), err.toString());
    }

    @Test
    void optionsOnTheCommandLineApplyBeforeTheScripts() throws URISyntaxException {
        assertEquals(0, run("--quiet", "--tolerance_usecs=60000", resource("packetdrill-broken/late-packet.pkt")));
        assertEquals(2, run());
    }
}
