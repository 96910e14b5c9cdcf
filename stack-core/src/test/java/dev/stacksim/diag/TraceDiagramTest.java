package dev.stacksim.diag;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TracedPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TraceDiagramTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    private static List<String> texts(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList t = doc.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < t.getLength(); i++) {
            out.add(t.item(i).getTextContent());
        }
        return out;
    }

    /** The {@code y1, y2} of every packet line (the lifelines are dashed). */
    private static List<int[]> arrowYs(Document doc) {
        List<int[]> out = new ArrayList<>();
        NodeList l = doc.getElementsByTagNameNS(SVG, "line");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (e.getAttribute("stroke-dasharray").isEmpty()) {
                out.add(new int[] {Integer.parseInt(e.getAttribute("y1")), Integer.parseInt(e.getAttribute("y2"))});
            }
        }
        return out;
    }

    private static TraceEvent.Packet sent(long t, String host, String src, String dst, String what) {
        return new TraceEvent.Packet(t, host, true, "UDP", src, dst, what);
    }

    private static TraceEvent.Packet received(long t, String host, String src, String dst, String what) {
        return new TraceEvent.Packet(t, host, false, "UDP", src, dst, what);
    }

    @Test
    void aUdpExchangeIsDrawnWithItsArpStateChangesAndItsDropAsValidSvg() throws Exception {
        try (TracedPair pair = new TracedPair(7)) {
            Process srv = pair.server.spawn("srv", 1000);
            int s = srv.socket(AF_INET, SOCK_DGRAM, 0);
            srv.bind(s, SockAddr.of("10.0.0.2", 5000));
            Process cli = pair.client.spawn("cli", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.bind(c, SockAddr.of("10.0.0.1", 4000));
            cli.sendto(c, "hello".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("10.0.0.2", 5000));
            srv.recvfrom(s, new byte[100], 0, 100, 0);
            cli.sendto(c, "x".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("10.0.0.2", 9));
            pair.loop.runFor(1_000_000);

            SequenceDiagram d = TraceDiagram.draw("UDP <echo> & a closed port", pair.rec.events(), "client", "server");
            assertEquals(List.of("client 10.0.0.1", "server 10.0.0.2"), d.lanes());
            assertEquals(5, d.arrowCount(), "ARP request and reply, two datagrams, the port unreachable");
            assertEquals(4, d.noteCount(), "client NONE->INCOMPLETE->REACHABLE, server NONE->STALE->DELAY");
            assertEquals(1, d.markCount(), "the datagram for port 9, dropped inside the server");

            Document doc = SequenceDiagramTest.parse(d.toSvg());
            assertEquals("svg", doc.getDocumentElement().getLocalName());
            List<String> texts = texts(doc);
            assertTrue(texts.contains("UDP <echo> & a closed port"), texts.toString());
            assertTrue(texts.contains("UDP 4000 > 5000: length 5"), texts.toString());
            assertTrue(texts.contains("UDP 4000 > 9: length 1"), texts.toString());
            assertTrue(texts.contains("ICMP 10.0.0.2 udp port 9 unreachable, length 37"), texts.toString());
            assertTrue(texts.contains("ARP Request who-has 10.0.0.2 tell 10.0.0.1, length 28"), texts.toString());
            assertTrue(texts.contains("ARP NONE -> INCOMPLETE"), texts.toString());
            assertTrue(texts.contains("drop NO_SOCKET Udp.receive"), texts.toString());
            for (int[] a : arrowYs(doc)) {
                assertTrue(a[0] <= a[1], "time flows down");
            }
        }
    }

    @Test
    void identicalPacketsPairFirstSentWithFirstReceived() throws Exception {
        List<TraceEvent> events = List.of(
                sent(1, "a", "10.0.0.1:1", "10.0.0.2:2", "length 1"),
                sent(2, "a", "10.0.0.1:1", "10.0.0.2:2", "length 1"),
                received(3, "b", "10.0.0.1:1", "10.0.0.2:2", "length 1"),
                received(4, "b", "10.0.0.1:1", "10.0.0.2:2", "length 1"));
        SequenceDiagram d = TraceDiagram.draw("fifo", events, "a", "b");
        List<int[]> ys = arrowYs(SequenceDiagramTest.parse(d.toSvg()));
        assertEquals(2, ys.size());
        assertTrue(ys.get(0)[0] < ys.get(1)[0] && ys.get(0)[1] < ys.get(1)[1], "the arrows do not cross");
    }

    @Test
    void aPacketNeverReceivedEndsInACrossWithTheReasonOfTheDropThatNamesIt() {
        List<TraceEvent> events = List.of(
                sent(1, "a", "10.0.0.1:1", "10.0.0.2:2", "length 1"),
                new TraceEvent.Drop(2, "a", "LinkEnd.transmit", DropReason.TCP_CSUM, "10.0.0.9:1 > 10.0.0.2:2: UDP, length 1"),
                new TraceEvent.Drop(3, "a", "LinkEnd.transmit", DropReason.LINK_LOSS, "10.0.0.1:1 > 10.0.0.2:2: UDP, length 1"),
                sent(4, "a", "10.0.0.1:1", "10.0.0.2:2", "length 2"),
                received(5, "b", "10.0.0.1:1", "10.0.0.2:2", "length 0"));
        SequenceDiagram d = TraceDiagram.draw("loss", events, "a", "b");
        String svg = d.toSvg();
        assertEquals(2, d.arrowCount(), "two crosses; the datagram received was never sent by a lane");
        assertTrue(svg.contains("UDP 1 &gt; 2: length 1 (dropped: LINK_LOSS)"), svg);
        assertTrue(svg.contains("UDP 1 &gt; 2: length 2 (dropped: not received)"), svg);
        assertEquals(1, d.markCount(), "the drop of another packet stays a mark");
        assertTrue(svg.contains(">drop TCP_CSUM LinkEnd.transmit<"), svg);
    }

    @Test
    void aBroadcastReceivedByTwoHostsDrawsTwoArrows() {
        String who = "Request who-has 10.0.0.3 tell 10.0.0.1, length 28";
        List<TraceEvent> events = List.of(
                new TraceEvent.Packet(1, "a", true, "ARP", "10.0.0.1", "10.0.0.3", who),
                new TraceEvent.Packet(2, "b", false, "ARP", "10.0.0.1", "10.0.0.3", who),
                new TraceEvent.Packet(2, "c", false, "ARP", "10.0.0.1", "10.0.0.3", who),
                new TraceEvent.StateChange(2, "elsewhere", "ARP", "x", "NONE", "STALE"));
        SequenceDiagram d = TraceDiagram.draw("broadcast", events, "a", "b", "c");
        assertEquals(2, d.arrowCount());
        assertEquals(0, d.noteCount(), "hosts not chosen are left out");
        assertEquals(List.of("a 10.0.0.1", "b", "c"), d.lanes());
    }

    @Test
    void hostsMustBeNamedOnceEach() {
        assertThrows(IllegalArgumentException.class, () -> TraceDiagram.draw("t", List.of()));
        assertThrows(IllegalArgumentException.class, () -> TraceDiagram.draw("t", List.of(), "a", "a"));
        assertFalse(TraceDiagram.draw("t", List.of(), "a").toSvg().isEmpty());
    }
}
