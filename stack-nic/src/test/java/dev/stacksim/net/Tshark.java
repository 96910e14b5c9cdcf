package dev.stacksim.net;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs Wireshark's dissectors over a pcap file: tests use it to show that every capture opens
 * cleanly, with checksum validation on. Where tshark is missing a test is skipped with a visible
 * message (CI installs it).
 */
final class Tshark {
    /** Wireshark's PI_ERROR expert severity. */
    static final long PI_ERROR = 0x0080_0000L;
    private static final String[] CHECKSUMS = {
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"};
    private static Boolean available;

    private Tshark() {
    }

    /** Skips the calling test, saying so on stderr, unless tshark runs here. */
    static void requireOrSkip(String test) {
        if (available == null) {
            boolean ok;
            try {
                Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            available = ok;
        }
        if (!available) {
            System.err.println("*** " + test + " SKIPPED: tshark is not installed (apt-get install tshark) ***");
        }
        Assumptions.assumeTrue(available, "tshark is not installed");
    }

    /**
     * One row per frame: number, epoch time, protocols, ip/udp/tcp checksum status (1 good, 0 bad,
     * empty when absent), malformed, expert severities.
     */
    static List<String[]> rows(Path file) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(List.of(CHECKSUMS));
        cmd.addAll(List.of("-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.protocols",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "tcp.checksum.status",
                "-e", "_ws.malformed", "-e", "_ws.expert.severity"));
        Path err = file.resolveSibling(file.getFileName() + ".stderr");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, p.exitValue(), "tshark exit: " + Files.readString(err));
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                String[] row = Arrays.copyOf(line.split("\\|", -1), 8);
                for (int i = 0; i < row.length; i++) {
                    if (row[i] == null) {
                        row[i] = "";
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The highest expert severity in a row's comma-separated list; 0 when none. */
    static long maxSeverity(String severities) {
        long max = 0;
        for (String s : severities.split(",")) {
            if (!s.isEmpty()) {
                max = Math.max(max, Long.parseLong(s.trim()));
            }
        }
        return max;
    }

    /**
     * Asserts that every frame of {@code file} dissects without a malformed packet or an
     * error-level expert finding and that every IP, UDP and TCP checksum present is good.
     *
     * @return the number of frames
     */
    static int assertClean(Path file) throws IOException, InterruptedException {
        List<String[]> rows = rows(file);
        for (String[] row : rows) {
            String where = file.getFileName() + " frame " + row[0] + " " + Arrays.toString(row);
            assertTrue(!row[3].equals("0") && !row[4].equals("0") && !row[5].equals("0"), where + ": bad checksum");
            assertEquals("", row[6], where + ": malformed");
            assertTrue(maxSeverity(row[7]) < PI_ERROR, where + ": expert error");
        }
        return rows.size();
    }
}
