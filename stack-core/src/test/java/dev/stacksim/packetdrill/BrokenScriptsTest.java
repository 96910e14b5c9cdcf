package dev.stacksim.packetdrill;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Deliberately broken scripts under {@code src/test/resources/packetdrill-broken/}: each must fail
 * with exactly the packetdrill-style report in the {@code .report} file beside it.
 */
class BrokenScriptsTest {
    @TestFactory
    Stream<DynamicTest> everyBrokenScriptFailsWithItsReport() throws IOException, URISyntaxException {
        return PacketdrillScriptsTest.scripts("packetdrill-broken").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), p.toUri(), () -> {
                    Path report = p.resolveSibling(p.getFileName().toString().replace(".pkt", ".report"));
                    String expected = Files.readString(report, StandardCharsets.UTF_8);
                    ScriptFailure f = assertThrows(ScriptFailure.class, () -> ScriptRunner.run(p));
                    assertEquals(expected, f.getMessage());
                }));
    }
}
