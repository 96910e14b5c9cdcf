package dev.stacksim.packetdrill;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts under {@code src/test/resources/packetdrill-pending/}: Linux-validated expectations the
 * stack does not meet yet. They are not run (that is {@link PacketdrillScriptsTest}'s folder
 * only); this only keeps them parseable and each with the {@code .report} of its last failure.
 */
class PendingScriptsTest {
    @TestFactory
    Stream<DynamicTest> everyPendingScriptParsesAndHasItsReport() throws IOException, URISyntaxException {
        return PacketdrillScriptsTest.scripts("packetdrill-pending").stream().map(p -> DynamicTest.dynamicTest(
                PacketdrillScriptsTest.name("packetdrill-pending", p), p.toUri(), () -> {
                    Path report = p.resolveSibling(p.getFileName().toString().replace(".pkt", ".report"));
                    assertTrue(Files.isRegularFile(report), "no report beside " + p.getFileName());
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    assertDoesNotThrow(() -> Script.parse(p.getFileName().toString(), text));
                }));
    }
}
