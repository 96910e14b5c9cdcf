package dev.stacksim.packetdrill;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The conformance suite: every {@code *.pkt} under {@code src/test/resources/packetdrill/} is one
 * test, run by {@link ScriptRunner} with packetdrill's defaults. A failure reads as packetdrill's
 * report ({@code name.pkt:12: error handling packet: ...}).
 */
class PacketdrillScriptsTest {
    /** Every script under a resource folder, sorted, as paths relative to it. */
    static List<Path> scripts(String folder) throws IOException, URISyntaxException {
        URL url = PacketdrillScriptsTest.class.getResource("/" + folder);
        assertNotNull(url, "no test resource folder " + folder);
        Path root = Path.of(url.toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".pkt")).sorted().collect(Collectors.toList());
        }
    }

    /** {@code p} relative to the resource folder, as the test's display name ({@code udp/peek.pkt}). */
    static String name(String folder, Path p) {
        try {
            Path root = Path.of(PacketdrillScriptsTest.class.getResource("/" + folder).toURI());
            return root.relativize(p).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScriptPasses() throws IOException, URISyntaxException {
        List<Path> all = scripts("packetdrill");
        assertFalse(all.isEmpty(), "no scripts found");
        return all.stream().map(p -> DynamicTest.dynamicTest(name("packetdrill", p), p.toUri(), () -> ScriptRunner.run(p)));
    }
}
