package dev.stacksim.docs.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstNetworkTest {
    @Test
    void threePingsComeBackAndTheCaptureIsWritten() throws Exception {
        Path pcap = Files.createDirectories(Path.of("target", "examples")).resolve("first.pcap");
        String out = FirstNetwork.run(pcap);
        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
        assertTrue(out.contains("10.0.0.2 dev eth0 lladdr 02:00:00:00:01:01"), out);
        assertTrue(Files.size(pcap) > 24 + 8 * 16, "a header and eight frames (ARP x2, echo x6)");
    }
}
