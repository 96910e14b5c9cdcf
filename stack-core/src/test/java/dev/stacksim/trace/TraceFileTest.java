package dev.stacksim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {
    private static final TraceEvent DROP =
            new TraceEvent.Drop(5_000_784L, "server", "Udp.receive", DropReason.NO_SOCKET, "10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1");
    private static final TraceEvent HOP = new TraceEvent.SkbHop(5_000_784L, "server", "eth", false, 14, 16, 28);

    @Test
    void textLinesAreTheEventsFormatted() throws IOException {
        StringWriter out = new StringWriter();
        try (TraceFile f = new TraceFile(out, TraceFile.Format.TEXT)) {
            f.onEvent(DROP);
            f.onEvent(HOP);
            assertEquals(2, f.written());
        }
        assertEquals("0.005000784s server   drop Udp.receive NO_SOCKET 10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1\n"
                + "0.005000784s server   skb eth pull 14 -> data=16 len=28\n", out.toString());
    }

    @Test
    void jsonLinesAreOneObjectPerEvent() throws IOException {
        StringWriter out = new StringWriter();
        try (TraceFile f = new TraceFile(out, TraceFile.Format.JSON)) {
            f.onEvent(DROP);
            f.onEvent(HOP);
        }
        assertEquals("{\"type\":\"Drop\",\"time\":5000784,\"host\":\"server\",\"where\":\"Udp.receive\","
                + "\"reason\":\"NO_SOCKET\",\"what\":\"10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1\"}\n"
                + "{\"type\":\"SkbHop\",\"time\":5000784,\"host\":\"server\",\"layer\":\"eth\",\"push\":false,"
                + "\"header\":14,\"data\":16,\"len\":28}\n", out.toString());
    }

    @Test
    void aWholeRunGoesToAFileThatIsFlushedOnClose(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("ping.trace");
        try (TracedPair pair = new TracedPair(7); TraceFile f = TraceFile.open(path, TraceFile.Format.TEXT)) {
            pair.tracer.addListener(f);
            pair.client.ping("10.0.0.2", 1);
            pair.tracer.removeListener(f);
        }
        List<String> lines = Files.readAllLines(path);
        assertTrue(lines.size() > 10, lines.toString());
        assertTrue(lines.get(0).contains(" client   ICMP out 10.0.0.1 > 10.0.0.2: echo request, id "), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("server   ICMP in  10.0.0.1 > 10.0.0.2: echo request")), lines.toString());
    }

    @Test
    void aFailedWriteNeverThrowsIntoTheStackButCloseReportsIt() {
        IOException disk = new IOException("disk full");
        Writer broken = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw disk;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        TraceFile f = new TraceFile(broken, TraceFile.Format.JSON);
        f.onEvent(DROP);
        f.onEvent(HOP);
        assertEquals(0, f.written());
        assertSame(disk, assertThrows(IOException.class, f::close));
    }

    @Test
    void eventsAfterCloseAreIgnored() throws IOException {
        StringWriter out = new StringWriter();
        TraceFile f = new TraceFile(out, TraceFile.Format.TEXT);
        f.close();
        f.onEvent(DROP);
        assertEquals("", out.toString());
        f.close();
    }
}
