package dev.stacksim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own TCP counters, read from {@code /proc} of the benchmark's network namespace, so
 * that a kernel baseline can say how many segments each operation cost (the same work as the
 * stack's?) and how many TIME_WAIT sockets it left. Linux only; null or "" elsewhere.
 */
final class KernelCounters {
    private KernelCounters() {
    }

    /** {@code Tcp: OutSegs} and {@code OutRsts} of {@code /proc/net/snmp}, or null when unreadable. */
    static long[] tcp() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                    List<String> names = List.of(lines.get(i).split(" "));
                    String[] values = lines.get(i + 1).split(" ");
                    return new long[] {Long.parseLong(values[names.indexOf("OutSegs")]),
                        Long.parseLong(values[names.indexOf("OutRsts")])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The {@code TCP:} line of {@code /proc/net/sockstat} ({@code inuse, orphan, tw, alloc, mem}). */
    static String sockstatTcp() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    return line;
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
