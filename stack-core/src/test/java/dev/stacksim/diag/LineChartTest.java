package dev.stacksim.diag;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";

    private static LineChart sawtoothAndCurve() {
        LineChart c = new LineChart("cwnd <reno> & cubic", "time (s)", "cwnd (segments)");
        int reno = c.series("reno");
        int cubic = c.series("cubic");
        for (int i = 0; i <= 40; i++) {
            double t = i * 0.1;
            c.point(reno, t, 20 + (i % 10) * 3);
            c.point(cubic, t, 40 + 10 * Math.cbrt(t - 2));
        }
        c.mark(reno, 0.9, 47).mark(reno, 1.9, 47).mark(cubic, 3.0, 50);
        c.markLegend("loss detected");
        return c;
    }

    @Test
    void producesWellFormedSvgWithOnePolylinePerSeries() throws Exception {
        LineChart c = sawtoothAndCurve();
        Document doc = SequenceDiagramTest.parse(c.toSvg());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList lines = doc.getElementsByTagNameNS(SVG_NS, "polyline");
        assertEquals(2, lines.getLength());
        Element reno = (Element) lines.item(0);
        assertEquals("reno", reno.getAttribute("data-name"));
        assertEquals(41, reno.getAttribute("points").split(" ").length, "every point is drawn");
        assertEquals("cubic", ((Element) lines.item(1)).getAttribute("data-name"));
        int marks = 0;
        NodeList paths = doc.getElementsByTagNameNS(SVG_NS, "path");
        for (int i = 0; i < paths.getLength(); i++) {
            if ("mark".equals(((Element) paths.item(i)).getAttribute("class"))) {
                marks++;
            }
        }
        assertEquals(3 + 1, marks, "three marks and the legend's");
        assertEquals(3, c.markCount(0) + c.markCount(1));
    }

    @Test
    void escapesTextAndLabelsTheLegendAndAxes() {
        String svg = sawtoothAndCurve().toSvg();
        assertTrue(svg.contains("cwnd &lt;reno&gt; &amp; cubic"), svg);
        assertTrue(svg.contains(">reno</text>") && svg.contains(">cubic</text>"));
        assertTrue(svg.contains(">loss detected</text>"));
        assertTrue(svg.contains(">time (s)</text>") && svg.contains(">cwnd (segments)</text>"));
        assertTrue(svg.contains(">4</text>") && svg.contains(">0</text>"), "x ticks at round numbers up to the last point");
        assertTrue(svg.contains(">60</text>"), "y ticks end at the next round number above the data");
    }

    @Test
    void theSamePointsGiveTheSameBytes() {
        assertEquals(sawtoothAndCurve().toSvg(), sawtoothAndCurve().toSvg());
    }

    @Test
    void anEmptyChartOrSeriesIsStillValid() throws Exception {
        LineChart c = new LineChart("nothing yet", "x", "y");
        SequenceDiagramTest.parse(c.toSvg());
        c.series("empty");
        Document doc = SequenceDiagramTest.parse(c.toSvg());
        assertEquals(0, doc.getElementsByTagNameNS(SVG_NS, "polyline").getLength());
        assertEquals(0, c.pointCount(0));
    }

    @Test
    void rejectsPointsThatAreNotFiniteAndUnknownSeries() {
        LineChart c = new LineChart("t", "x", "y");
        int s = c.series("s");
        assertThrows(IllegalArgumentException.class, () -> c.point(s, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> c.mark(s, 1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> c.point(1, 0, 0));
    }

    @Test
    void stepsAreRoundNumbers() {
        assertEquals(1.0, LineChart.niceStep(4.2), 1e-12);
        assertEquals(20.0, LineChart.niceStep(87), 1e-12);
        assertEquals(0.5, LineChart.niceStep(2.2), 1e-12);
        assertEquals(1.0, LineChart.niceStep(0), 1e-12);
    }

    @Test
    void writesAFile() throws Exception {
        Path f = Files.createTempFile("chart", ".svg");
        try {
            sawtoothAndCurve().write(f);
            SequenceDiagramTest.parse(Files.readString(f));
        } finally {
            Files.delete(f);
        }
    }
}
