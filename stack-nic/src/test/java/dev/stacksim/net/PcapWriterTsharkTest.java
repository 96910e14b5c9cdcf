package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pcap files open cleanly in a real dissector: real frames built with the wire reprs, sent
 * through a link and captured, are read back by {@code tshark} with checksum validation on, and
 * show no malformed packet, no error and only good checksums; corrupted frames show the damage.
 * Skipped with a visible message where tshark is not installed (CI installs it).
 */
class PcapWriterTsharkTest {
    private final EventLoop loop = EventLoop.virtual(11);
    private final SkBuffPool pool = SkBuffPool.create();

    @BeforeAll
    static void requireTshark() {
        Tshark.requireOrSkip("PcapWriterTsharkTest");
    }

    @Test
    void realFramesThroughALinkDissectWithoutErrorsAndWithGoodChecksums(TestInfo info) throws Exception {
        Path dir = testDir(info);
        Path wireFile = dir.resolve("wire.pcap");
        Path rxFile = dir.resolve("rx.pcap");
        RecordingPort a = new RecordingPort(loop, "a");
        RecordingPort b = new RecordingPort(loop, "b");
        try (PcapWriter wire = PcapWriter.open(wireFile); PcapWriter rx = PcapWriter.open(rxFile)) {
            Link link = Link.builder(loop).name("tshark").bandwidth(100_000_000L).latency(Duration.ofMillis(2))
                    .build(a, Tap.wrap(b, loop, rx));
            link.capture(wire);
            for (SkBuff frame : realFrames()) {
                link.endA().transmit(frame);
            }
            loop.runUntilIdle();
        }

        for (Path file : List.of(wireFile, rxFile)) {
            List<String[]> rows = Tshark.rows(file);
            assertEquals(4, rows.size(), file + ": " + rows.size() + " frames");
            assertEquals("eth:ethertype:ip:udp:data", rows.get(0)[2]);
            assertEquals("eth:ethertype:ip:tcp", rows.get(1)[2]);
            assertEquals("eth:ethertype:ip:tcp:data", rows.get(2)[2]);
            assertEquals("eth:ethertype:arp", rows.get(3)[2]);
            for (String[] row : rows) {
                String where = file.getFileName() + " frame " + row[0] + " " + Arrays.toString(row);
                if (!row[2].endsWith("arp")) {
                    assertEquals("1", row[3], where + ": ip checksum good");
                    assertTrue(row[4].equals("1") || row[5].equals("1"), where + ": udp/tcp checksum good");
                }
                assertEquals("", row[6], where + ": not malformed");
                assertTrue(Tshark.maxSeverity(row[7]) < Tshark.PI_ERROR, where + ": no expert error");
            }
        }
        // The first frame's time in each file: first bit out at 0, last bit in at 2 ms + serialization.
        assertEquals("0.000000000", Tshark.rows(wireFile).get(0)[1]);
        long udpLen = 14 + 20 + 8 + 100;
        assertEquals(String.format("0.%09d", 2_000_000 + udpLen * 80), Tshark.rows(rxFile).get(0)[1]);
    }

    @Test
    void corruptedFramesShowBadChecksumsWhereTheBitFell(TestInfo info) throws Exception {
        Path file = testDir(info).resolve("corrupt.pcap");
        RecordingPort a = new RecordingPort(loop, "a");
        RecordingPort b = new RecordingPort(loop, "b");
        int n = 60;
        List<byte[]> sent = new ArrayList<>();
        try (PcapWriter rx = PcapWriter.open(file)) {
            Link link = Link.builder(loop).name("corrupt").latency(Duration.ofMillis(1))
                    .impairments(Impairments.builder().corruptRate(1.0).build())
                    .build(a, Tap.wrap(b, loop, rx));
            for (int i = 0; i < n; i++) {
                SkBuff frame = TestFrames.udp(pool, 41000 + i, 50000, new byte[64]);
                sent.add(frame.toByteArray());
                link.endA().transmit(frame);
            }
            loop.runUntilIdle();
        }

        List<String[]> rows = Tshark.rows(file);
        assertEquals(n, rows.size());
        int inIp = 0;
        for (int i = 0; i < n; i++) {
            byte[] want = sent.get(i);
            byte[] got = b.arrivals.get(i).bytes();
            int at = 0;
            while (want[at] == got[at]) {
                at++;
            }
            String[] row = rows.get(i);
            if (at >= 14) {
                inIp++;
                boolean caught = row[3].equals("0") || row[4].equals("0") || !row[6].isEmpty()
                        || Tshark.maxSeverity(row[7]) >= Tshark.PI_ERROR;
                assertTrue(caught, "bit flipped at byte " + at + " of frame " + (i + 1) + " went unnoticed: "
                        + Arrays.toString(row));
            }
        }
        assertTrue(inIp > n / 2, "most flips fall in the IP packet: " + inIp);
    }

    // ---------------------------------------------------------------- helpers

    private List<SkBuff> realFrames() {
        byte[] payload = "stacksim over a simulated wire, read by tshark".getBytes(StandardCharsets.US_ASCII);
        return List.of(
                TestFrames.udp(pool, 40000, 50000, Arrays.copyOf(payload, 100)),
                TestFrames.tcp(pool, TcpHeader.SYN, 0x1000_0000, 0,
                        TcpOptions.NONE.withMss(1460).withSackPermitted(true).withTimestamps(1234, 0).withWindowScale(7),
                        new byte[0]),
                TestFrames.tcp(pool, TcpHeader.ACK | TcpHeader.PSH, 0x1000_0001, 0x2000_0001, TcpOptions.NONE,
                        Arrays.copyOf(payload, 1000)),
                TestFrames.arpRequest(pool));
    }

    private static Path testDir(TestInfo info) throws IOException {
        return Files.createDirectories(Path.of("target", "pcap-tests", "PcapWriterTsharkTest",
                info.getTestMethod().orElseThrow().getName()));
    }
}
