package dev.stacksim.docs.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcAndSsTest {
    /**
     * The page shows the example's output after {@code <!-- output: examples/ProcAndSs.java -->};
     * it must be current. Line ends are compared without their padding, which a markdown page
     * would not keep reliably.
     */
    @Test
    void theGuidePageShowsWhatTheExamplePrints() throws IOException {
        String out = ProcAndSs.run().lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
        String page = Files.readString(Path.of("guide", "proc-and-ss.md"));
        Matcher m = Pattern.compile("<!-- output: examples/ProcAndSs.java -->\\s*\\n```text\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "no output block in proc-and-ss.md");
        assertEquals(m.group(1), out, "proc-and-ss.md shows an old output; it should read:\n" + out);
    }

    @Test
    void listenQueuesDifferBetweenSsAndNetstat() {
        String out = ProcAndSs.run();
        assertTrue(out.contains("LISTEN     2      2            0.0.0.0:8080"), out);
        assertTrue(out.contains("tcp        2      0 0.0.0.0:8080            0.0.0.0:*               LISTEN"), out);
    }
}
