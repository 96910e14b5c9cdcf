package dev.stacksim.diag;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceDiagramTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void drawsLanesArrowsDropsAndNotesAsValidSvg() throws Exception {
        SequenceDiagram d = new SequenceDiagram("ping <over> a 5 ms link & more");
        int a = d.lane("client 10.0.0.1");
        int b = d.lane("server 10.0.0.2");
        d.arrow(a, b, 0, 5_000_784, "ICMP echo request, seq 1");
        d.arrow(b, a, 5_000_784, 10_001_568, "ICMP echo reply, seq 1");
        d.dropped(a, b, 1_000_000_000L, 1_000_000_000L, "ICMP echo request, seq 2", "LINK_LOSS");
        d.note(b, 5_000_784, "replied");

        Document doc = parse(d.toSvg());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
        assertEquals(2 + 3, lines.getLength(), "two lifelines, three packets");
        String svg = d.toSvg();
        assertTrue(svg.contains("ping &lt;over&gt; a 5 ms link &amp; more"));
        assertTrue(svg.contains("(dropped: LINK_LOSS)"));
        assertTrue(svg.contains(">5.000784ms<"), "the time of each row is labelled");
        assertTrue(svg.contains(">1.000000s<"));
        assertTrue(svg.contains(">replied<"));
        assertEquals(3, d.arrowCount());
    }

    @Test
    void timesPrintInTheShortestReadableUnit() {
        assertEquals("0", SequenceDiagram.formatTime(0));
        assertEquals("784.000us", SequenceDiagram.formatTime(784_000));
        assertEquals("5.000784ms", SequenceDiagram.formatTime(5_000_784));
        assertEquals("60.000000s", SequenceDiagram.formatTime(60_000_000_000L));
    }

    @Test
    void badLanesAndBackwardArrowsAreRefused() {
        SequenceDiagram d = new SequenceDiagram("t");
        int a = d.lane("a");
        assertEquals("sequence diagram: lane=1 lanes=1",
                assertThrows(IllegalArgumentException.class, () -> d.arrow(a, 1, 0, 1, "x")).getMessage());
        d.lane("b");
        assertThrows(IllegalArgumentException.class, () -> d.arrow(0, 1, 10, 5, "x"));
    }
}
