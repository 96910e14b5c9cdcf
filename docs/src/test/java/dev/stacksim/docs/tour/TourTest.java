package dev.stacksim.docs.tour;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TourTest {
    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // The congestion chapter moves thousands of segments: with PARANOID leak detection (a stack
        // trace per buffer) it would take seconds, so it runs at SIMPLE, as the bulk-transfer tests
        // do; netty still samples its buffers for leaks.
        boolean bulk = java.util.Arrays.asList(args).contains("congestion");
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        if (bulk) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        }
        try {
            int status = Tour.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(0, status);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentListsEveryChapter() {
        String out = run();
        for (Chapter c : Tour.CHAPTERS) {
            assertTrue(out.contains(c.id()), out);
        }
    }

    @Test
    void unknownChapterIsAnErrorThatListsTheChapters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(2, Tour.run(new String[] {"nope"}, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no chapter named 'nope'"));
    }

    @Test
    void everyChapterRunsPrintsFitsEightyColumnsAndIsDeterministic() {
        for (Chapter c : Tour.CHAPTERS) {
            String first = run(c.id());
            assertTrue(first.lines().count() > 5, c.id() + " printed almost nothing:\n" + first);
            first.lines().forEach(l -> assertTrue(l.length() <= 80, c.id() + ": line over 80 columns: " + l));
            assertEquals(first, run(c.id()), c.id() + " is not deterministic");
        }
    }

    @Test
    void everyChapterHasItsGuidePage() {
        for (Chapter c : Tour.CHAPTERS) {
            assertTrue(Files.exists(Path.of(c.guidePage())), "missing docs/" + c.guidePage());
        }
    }

    @Test
    void nicChapterWritesAValidSvgAndAPcap() throws Exception {
        String out = run("nic");
        assertTrue(out.contains("rx_missed_errors 21"), out);
        Path dir = Path.of("target", "tour", "nic");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("nic-ping.svg").toFile());
        byte[] pcap = Files.readAllBytes(dir.resolve("nic.pcap"));
        assertTrue(pcap.length > 24 + 16 * 40, "the capture holds the pings: " + pcap.length + " bytes");
        assertEquals((byte) 0x4d, pcap[0], "nanosecond pcap magic a1b23c4d, little-endian");
        assertEquals((byte) 0xa1, pcap[3]);
    }

    @Test
    void closeChapterShowsTheSeedsParentChildExample() {
        String out = run("close");
        assertTrue(out.contains("client sends, parent receives: \"still there?\""), out);
        assertTrue(out.contains("client recv after the child's shutdown: 0 bytes (EOF)"), out);
        assertTrue(out.contains("EPIPE (32) Broken"), out);
        assertTrue(out.contains("the first one out is the first one in: \"datagram 0\""), out);
    }

    @Test
    void skbuffChapterShowsThePayloadNeverMoving() {
        String out = run("skbuff");
        assertTrue(out.contains("| headroom 74 | eth 14 | ipv4 20 | tcp 20 | payload 5 |"), out);
        assertTrue(out.contains("push: len=20 headroom=14"), out);
        assertTrue(out.contains("outstanding=0"), out);
    }

    @Test
    void udpChapterClosesTheLossArithmeticAndContrastsAfUnix() {
        String out = run("udp");
        assertTrue(out.contains("server: recvfrom -> 5 bytes \"hello\""), out);
        assertTrue(out.contains("flags MSG_TRUNC"), out);
        assertTrue(out.matches("(?s).*20 sent - (\\d+) lost = (\\d+) echoed; \\2 - \\d+ lost = \\d+ back.*"), out);
        assertTrue(out.contains("ECONNREFUSED (111)"), out);
        assertTrue(out.contains("none lost"), out);
    }

    @Test
    void newChaptersWriteValidSvgsAndPcaps() throws Exception {
        for (String id : new String[] {"sockets", "wire", "udp", "close", "queues", "buffers", "synflood",
                "blocking", "reuse", "tcpudp", "proc", "congestion"}) {
            run(id);
            Path dir = Path.of("target", "tour", id);
            try (var files = Files.list(dir)) {
                List<Path> list = files.toList();
                assertTrue(list.stream().anyMatch(f -> f.toString().endsWith(".svg")), id + " writes an SVG");
                assertTrue(list.stream().anyMatch(f -> f.toString().endsWith(".pcap")), id + " writes a pcap");
                for (Path f : list) {
                    if (f.toString().endsWith(".svg")) {
                        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
                    } else if (f.toString().endsWith(".pcap")) {
                        byte[] pcap = Files.readAllBytes(f);
                        assertTrue(pcap.length > 24 + 16 + 54, f + " holds packets: " + pcap.length + " bytes");
                        assertEquals((byte) 0x4d, pcap[0], f + ": nanosecond pcap magic");
                    }
                }
            }
        }
    }

    @Test
    void synfloodChapterShowsCookiesLettingTheClientIn() {
        String out = run("synflood");
        assertTrue(out.contains("tcp_syncookies 0: SYN queue peak 17, now 17; client SYN_SENT"), out);
        assertTrue(out.contains("tcp_syncookies 1: SYN queue peak 17, now 17; client ESTABLISHED"), out);
        assertTrue(out.contains("tcp_syncookies 2: SYN queue peak 0, now 0; client ESTABLISHED"), out);
        assertTrue(out.contains("TcpExtSyncookiesRecv  1"), out);
    }

    @Test
    void buffersBlockingReuseAndProcChaptersShowTheirPoint() {
        String buffers = run("buffers");
        assertTrue(buffers.contains("getsockopt 16384") && buffers.contains("EAGAIN (11)"), buffers);
        assertTrue(buffers.contains("timer:(persist,"), buffers);
        String blocking = run("blocking");
        assertTrue(blocking.contains("epoll_wait(timeout 0) -> 1: fd 5 (LT"), blocking);
        String reuse = run("reuse");
        assertTrue(reuse.contains("without SO_REUSEADDR: bind(3, 0.0.0.0:8080): EADDRINUSE (98)"), reuse);
        String proc = run("proc");
        assertTrue(proc.contains("0100007F:251D 0100007F:B942 01"), proc);
        String tcpudp = run("tcpudp");
        assertTrue(tcpudp.contains("[onetwothreefourfivesix]") && tcpudp.contains("(1 lost, nothing resent)"), tcpudp);
    }

    @Test
    void congestionChapterShowsSlowStartRecoveryAndBothCurves() throws Exception {
        String out = run("congestion");
        assertTrue(out.contains("      0          10      inf           10      inf"), "IW10:\n" + out);
        assertTrue(out.contains("    200          20      inf           20      inf"), "doubling per RTT:\n" + out);
        assertTrue(out.contains("TcpExtTCPFastRetrans") && out.contains("TcpExtTCPSackRecovery"), out);
        assertTrue(out.contains("TcpExtTCPHystartDelayDetect"), out);
        assertTrue(out.contains("TcpExtTCPLossProbes") && out.contains("TcpExtTCPTimeouts"), out);
        assertTrue(out.contains("aimd45 ") && out.contains("cubic wscale:"), out);
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target", "tour", "congestion", "cwnd.svg").toFile());
        var lines = doc.getElementsByTagName("polyline");
        assertEquals(3, lines.getLength(), "reno, cubic and aimd45");
        assertEquals("reno", ((org.w3c.dom.Element) lines.item(0)).getAttribute("data-name"));
        assertEquals("cubic", ((org.w3c.dom.Element) lines.item(1)).getAttribute("data-name"));
    }
}
