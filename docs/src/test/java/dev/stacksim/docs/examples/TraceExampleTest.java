package dev.stacksim.docs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class TraceExampleTest {
    @Test
    void theClosedPortIsTracedWrittenAsJsonLinesAndDrawn() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "examples"));
        String out = TraceExample.run(dir);
        assertTrue(out.contains("server   drop Udp.receive NO_SOCKET "), out);
        assertTrue(out.contains("client   ICMP in  10.0.0.2 > 10.0.0.1: 10.0.0.2 udp port 9 unreachable"), out);

        List<String> json = Files.readAllLines(dir.resolve("closed-port.jsonl"));
        assertTrue(json.size() > 20, "every event, rings and skb hops included: " + json.size());
        assertTrue(json.stream().allMatch(l -> l.startsWith("{\"type\":\"") && l.endsWith("}")), json.toString());
        assertTrue(json.stream().anyMatch(l -> l.contains("\"reason\":\"NO_SOCKET\"")), json.toString());

        String svg = Files.readString(dir.resolve("closed-port.svg"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        assertEquals("svg", f.newDocumentBuilder().parse(dir.resolve("closed-port.svg").toFile())
                .getDocumentElement().getLocalName());
        assertTrue(svg.contains("drop NO_SOCKET Udp.receive"), svg);
    }
}
