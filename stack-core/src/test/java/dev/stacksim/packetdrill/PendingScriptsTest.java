package dev.stacksim.packetdrill;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The scripts under {@code src/test/resources/packetdrill-pending/}, which wait for the TCP state
 * machine, stay valid meanwhile: each parses, and its options are ones the runner takes.
 */
class PendingScriptsTest {
    @TestFactory
    Stream<DynamicTest> everyPendingScriptParses() throws IOException, URISyntaxException {
        return PacketdrillScriptsTest.scripts("packetdrill-pending").stream().map(p -> DynamicTest.dynamicTest(
                PacketdrillScriptsTest.name("packetdrill-pending", p), p.toUri(), () -> {
                    Script s = Script.parse(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                    ScriptConfig.defaults().with(s.name(), s.options());
                    assertFalse(s.events().isEmpty());
                }));
    }
}
