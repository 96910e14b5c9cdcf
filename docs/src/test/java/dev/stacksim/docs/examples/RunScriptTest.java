package dev.stacksim.docs.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RunScriptTest {
    @Test
    void theTraceShowsThePacketsAndTheBrokenLineFailsWithAReport() {
        String out = RunScript.run();
        assertTrue(out.contains("  0.100000 [ 6] < udp (100)   192.0.2.1:8080 > 192.168.0.1:8080"), out);
        assertTrue(out.endsWith("echo.pkt:5: error handling packet: live packet payload: expected 10 bytes vs actual"
                + " 20 bytes\nscript packet:  0.000000 udp (10)\nactual packet:  0.000000 udp (20)"), out);
    }
}
