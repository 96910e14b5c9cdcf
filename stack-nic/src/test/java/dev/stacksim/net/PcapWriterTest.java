package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapWriterTest {
    /** magic a1b23c4d, 2.4, thiszone 0, sigfigs 0, snaplen 262144, LINKTYPE_ETHERNET: all little-endian. */
    static final byte[] GLOBAL_HEADER = bytes(
            0x4d, 0x3c, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00);

    private final SkBuffPool pool = SkBuffPool.create();

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void globalHeaderIsNanosecondPcapVersion24Ethernet() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter.open(out).close();

        assertArrayEquals(GLOBAL_HEADER, out.toByteArray());
    }

    @Test
    void recordHeaderCarriesVirtualTimeAndLengthsFollowedByTheFrame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkBuff frame = TestFrames.numbered(pool, 60, 0x01020304);
        try (PcapWriter pcap = PcapWriter.open(out)) {
            pcap.write(frame, 1_500_000_007L);
            assertEquals(1, pcap.packets());
            assertEquals(60, pcap.bytes());
        }
        byte[] file = out.toByteArray();
        assertEquals(24 + 16 + 60, file.length);
        assertArrayEquals(bytes(
                0x01, 0x00, 0x00, 0x00,         // ts_sec 1
                0x07, 0x65, 0xcd, 0x1d,         // ts_nsec 500000007 = 0x1dcd6507
                0x3c, 0x00, 0x00, 0x00,         // incl_len 60
                0x3c, 0x00, 0x00, 0x00),        // orig_len 60
                Arrays.copyOfRange(file, 24, 40));
        assertArrayEquals(frame.toByteArray(), Arrays.copyOfRange(file, 40, 100));
        assertEquals(1, frame.refCnt(), "the writer neither retains nor releases the skb");
        frame.consume();
    }

    @Test
    void snaplenCutsTheRecordButKeepsTheOriginalLength() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkBuff frame = TestFrames.numbered(pool, 1500, 1);
        try (PcapWriter pcap = PcapWriter.builder().snaplen(96).open(out)) {
            pcap.capture(frame, 0);
        }
        byte[] file = out.toByteArray();
        assertArrayEquals(bytes(0x60, 0x00, 0x00, 0x00), Arrays.copyOfRange(file, 16, 20), "snaplen 96 in the header");
        assertArrayEquals(bytes(0x60, 0x00, 0x00, 0x00, 0xdc, 0x05, 0x00, 0x00), Arrays.copyOfRange(file, 32, 40),
                "incl_len 96, orig_len 1500");
        assertEquals(24 + 16 + 96, file.length);
        frame.consume();
    }

    @Test
    void timeOriginShiftsEveryTimestamp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkBuff frame = TestFrames.numbered(pool, 60, 1);
        try (PcapWriter pcap = PcapWriter.builder().timeOrigin(Instant.ofEpochSecond(1_700_000_000L, 5)).open(out)) {
            pcap.write(frame, 2_000_000_000L);
        }
        byte[] file = out.toByteArray();
        // 1700000002 = 0x6553f102, 5 ns
        assertArrayEquals(bytes(0x02, 0xf1, 0x53, 0x65, 0x05, 0x00, 0x00, 0x00), Arrays.copyOfRange(file, 24, 32));
        frame.consume();
    }

    @Test
    void writeAfterCloseThrowsAndCloseIsIdempotent() {
        boolean[] closed = new boolean[1];
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        PcapWriter pcap = PcapWriter.open(sink);
        pcap.close();
        pcap.close();
        assertTrue(closed[0], "close closes the stream");
        SkBuff frame = TestFrames.numbered(pool, 60, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pcap.write(frame, 0));
        assertEquals("pcap: write after close packets=0", e.getMessage());
        frame.consume();
    }

    @Test
    void outputIsBufferedUntilFlush() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkBuff frame = TestFrames.numbered(pool, 60, 1);
        PcapWriter pcap = PcapWriter.open(out);
        pcap.write(frame, 0);
        assertEquals(0, out.size(), "buffered");
        pcap.flush();
        assertEquals(100, out.size());
        pcap.close();
        frame.consume();
    }

    @Test
    void ioErrorsSurfaceUnchecked() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        PcapWriter pcap = PcapWriter.builder().open(broken);
        assertThrows(UncheckedIOException.class, pcap::flush);
    }

    @Test
    void negativeTimeAndBadSnaplenAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PcapWriter.builder().snaplen(0));
        SkBuff frame = TestFrames.numbered(pool, 60, 1);
        try (PcapWriter pcap = PcapWriter.open(new ByteArrayOutputStream())) {
            assertThrows(IllegalArgumentException.class, () -> pcap.write(frame, -1));
        }
        frame.consume();
    }

    @Test
    void openPathCreatesTheFile() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "pcap-tests", "PcapWriterTest"));
        Path file = dir.resolve("open.pcap");
        SkBuff frame = TestFrames.numbered(pool, 60, 1);
        try (PcapWriter pcap = PcapWriter.open(file)) {
            pcap.write(frame, 0);
        }
        byte[] written = Files.readAllBytes(file);
        assertArrayEquals(GLOBAL_HEADER, Arrays.copyOf(written, 24));
        assertEquals(100, written.length);
        frame.consume();
    }
}
