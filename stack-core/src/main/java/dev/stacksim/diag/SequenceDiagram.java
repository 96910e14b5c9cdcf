package dev.stacksim.diag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * A sequence diagram as a standalone SVG file: one vertical lifeline per host, time flowing down,
 * an arrow per packet from when it left to when it arrived (sloped by the time it spent on the
 * wire), a cross where a packet was dropped, notes in the margins (state changes, timers), and
 * each event's virtual time on the left.
 *
 * <p>Time is drawn by order, not to scale: every distinct instant gets its own row, so a 60-second
 * TIME_WAIT does not push the rest off the page; the time labels keep the real values.
 *
 * <pre>{@code
 * SequenceDiagram d = new SequenceDiagram("ping over a 5 ms link");
 * int a = d.lane("client 10.0.0.1"), b = d.lane("server 10.0.0.2");
 * d.arrow(a, b, 0, 5_000_784, "ICMP echo request, seq 1");
 * d.note(b, 5_000_784, "echo reply queued");
 * Files.writeString(path, d.toSvg());
 * }</pre>
 */
public final class SequenceDiagram {
    private static final int LANE_GAP = 480;
    private static final int MARGIN_LEFT = 130;
    private static final int TOP = 70;
    private static final int ROW = 34;
    private static final int CHAR_W = 7;

    private final String title;
    private final List<String> lanes = new ArrayList<>();
    private final List<Arrow> arrows = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();

    /** An empty diagram with a title. */
    public SequenceDiagram(String title) {
        this.title = title;
    }

    /** Adds a lifeline (a host) and returns its index. */
    public int lane(String name) {
        lanes.add(name);
        return lanes.size() - 1;
    }

    /** The lifelines, left to right. */
    public List<String> lanes() {
        return List.copyOf(lanes);
    }

    /** A packet from lane {@code from} sent at {@code sentNanos} and arrived at lane {@code to} at {@code arrivedNanos}. */
    public SequenceDiagram arrow(int from, int to, long sentNanos, long arrivedNanos, String label) {
        checkLane(from);
        checkLane(to);
        if (arrivedNanos < sentNanos) {
            throw new IllegalArgumentException("arrow: arrived=" + arrivedNanos + " before sent=" + sentNanos);
        }
        arrows.add(new Arrow(from, to, sentNanos, arrivedNanos, label, null));
        return this;
    }

    /** A packet from {@code from} towards {@code to} sent at {@code sentNanos} and dropped at {@code droppedNanos}. */
    public SequenceDiagram dropped(int from, int to, long sentNanos, long droppedNanos, String label, String reason) {
        checkLane(from);
        checkLane(to);
        arrows.add(new Arrow(from, to, sentNanos, Math.max(sentNanos, droppedNanos), label, reason));
        return this;
    }

    /** A note beside lane {@code lane} at {@code timeNanos}: a state change, a timer. */
    public SequenceDiagram note(int lane, long timeNanos, String text) {
        checkLane(lane);
        notes.add(new Note(lane, timeNanos, text));
        return this;
    }

    /** The packets drawn so far. */
    public int arrowCount() {
        return arrows.size();
    }

    /** The diagram as a standalone SVG document. */
    public String toSvg() {
        TreeSet<Long> times = new TreeSet<>();
        for (Arrow a : arrows) {
            times.add(a.sent);
            times.add(a.arrived);
        }
        for (Note n : notes) {
            times.add(n.time);
        }
        List<Long> rows = new ArrayList<>(times);
        int width = MARGIN_LEFT + Math.max(1, lanes.size()) * LANE_GAP;
        int height = TOP + (rows.size() + 1) * ROW + 20;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"monospace\" font-size=\"12\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
                        + "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
                        + "fill=\"#1f4e79\"/></marker></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">").append(escape(title))
                .append("</text>\n");
        for (int i = 0; i < lanes.size(); i++) {
            int x = laneX(i);
            svg.append("<text x=\"").append(x).append("\" y=\"").append(TOP - 22)
                    .append("\" text-anchor=\"middle\" font-weight=\"bold\">").append(escape(lanes.get(i)))
                    .append("</text>\n")
                    .append("<line x1=\"").append(x).append("\" y1=\"").append(TOP - 10).append("\" x2=\"")
                    .append(x).append("\" y2=\"").append(height - 10)
                    .append("\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        }
        for (int r = 0; r < rows.size(); r++) {
            svg.append("<text x=\"8\" y=\"").append(rowY(r) + 4).append("\" fill=\"#666\">")
                    .append(escape(formatTime(rows.get(r)))).append("</text>\n");
        }
        for (Arrow a : arrows) {
            int x1 = laneX(a.from);
            int y1 = rowY(Collections.binarySearch(rows, a.sent));
            int y2 = rowY(Collections.binarySearch(rows, a.arrived));
            int x2 = laneX(a.to);
            boolean drop = a.dropReason != null;
            if (drop) {
                x2 = (x1 + x2) / 2;
            }
            svg.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2)
                    .append("\" y2=\"").append(y2).append("\" stroke=\"").append(drop ? "#b22222" : "#1f4e79")
                    .append("\" stroke-width=\"1.5\"").append(drop ? "" : " marker-end=\"url(#arrow)\"")
                    .append("/>\n");
            if (drop) {
                svg.append("<text x=\"").append(x2).append("\" y=\"").append(y2 + 5)
                        .append("\" text-anchor=\"middle\" fill=\"#b22222\" font-size=\"16\">X</text>\n");
            }
            int mid = (x1 + (drop ? x2 : laneX(a.to))) / 2;
            String suffix = drop ? " (dropped: " + a.dropReason + ")" : "";
            String label = clip(a.label, LANE_GAP / CHAR_W + 12 - suffix.length()) + suffix;
            svg.append("<text x=\"").append(mid).append("\" y=\"").append((y1 + y2) / 2 - 5)
                    .append("\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"4\" fill=\"")
                    .append(drop ? "#b22222" : "black").append("\">").append(escape(label)).append("</text>\n");
        }
        for (Note n : notes) {
            int x = laneX(n.lane) + 6;
            svg.append("<text x=\"").append(x).append("\" y=\"").append(rowY(Collections.binarySearch(rows, n.time)) + 4)
                    .append("\" fill=\"#2e7d32\">").append(escape(n.text)).append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Writes {@link #toSvg()} to {@code path}. */
    public void write(Path path) {
        try {
            Files.writeString(path, toSvg(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("sequence diagram: cannot write " + path, e);
        }
    }

    /** {@code 0}, {@code 5.000784ms}, {@code 60.000000s}: the shortest unit that keeps the value readable. */
    static String formatTime(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos < 1_000_000L) {
            return String.format("%.3fus", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format("%.6fms", nanos / 1e6);
        }
        return String.format("%.6fs", nanos / 1e9);
    }

    private int laneX(int lane) {
        return MARGIN_LEFT + LANE_GAP / 2 + lane * LANE_GAP - LANE_GAP / 4;
    }

    private static int rowY(int row) {
        return TOP + (row + 1) * ROW;
    }

    private void checkLane(int lane) {
        if (lane < 0 || lane >= lanes.size()) {
            throw new IllegalArgumentException("sequence diagram: lane=" + lane + " lanes=" + lanes.size());
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    private record Arrow(int from, int to, long sent, long arrived, String label, String dropReason) {
    }

    private record Note(int lane, long time, String text) {
    }
}
