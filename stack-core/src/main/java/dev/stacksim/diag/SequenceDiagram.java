package dev.stacksim.diag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A sequence diagram as a standalone SVG file: one vertical lifeline per host, time flowing down,
 * an arrow per packet from when it left to when it arrived (sloped by the time it spent on the
 * wire), a cross where a packet was dropped, notes in the margins (state changes, timers), marks
 * on a lifeline (a drop inside a host), and each event's virtual time on the left. The first
 * lane's notes stand in the left margin and every other lane's to its right, so that with two
 * hosts each one's notes are on its own side.
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
    /** Notes longer than this many characters are clipped. */
    private static final int MAX_NOTE = 60;
    /** The height of one more note beside the same lane at the same instant. */
    private static final int NOTE_LINE = 15;
    /** Where along its arrow a label may go, in order of preference. */
    private static final double[] LABEL_POSITIONS = {0.5, 0.75, 0.25, 0.9, 0.1};

    private final String title;
    private final List<String> lanes = new ArrayList<>();
    private final List<Arrow> arrows = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private final List<Note> marks = new ArrayList<>();
    /** The first lifeline's x, set by the layout of {@link #toSvg()}. */
    private int firstLaneX = MARGIN_LEFT + LANE_GAP / 4;

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

    /**
     * A mark on lane {@code lane}'s lifeline at {@code timeNanos}: a red cross with {@code text}
     * beside it, for something that went wrong inside the host (a drop).
     */
    public SequenceDiagram mark(int lane, long timeNanos, String text) {
        checkLane(lane);
        marks.add(new Note(lane, timeNanos, text));
        return this;
    }

    /** The marks drawn so far. */
    public int markCount() {
        return marks.size();
    }

    /** The notes drawn so far. */
    public int noteCount() {
        return notes.size();
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
        int leftText = 0;
        int rightText = 0;
        for (List<Note> list : List.of(notes, marks)) {
            for (Note n : list) {
                times.add(n.time);
                if (n.lane == 0 && lanes.size() > 1) {
                    leftText = Math.max(leftText, n.text.length());
                } else if (n.lane == lanes.size() - 1) {
                    rightText = Math.max(rightText, n.text.length());
                }
            }
        }
        List<Long> rows = new ArrayList<>(times);
        // Room for the first lane's notes in the left margin, the last lane's on the right.
        firstLaneX = MARGIN_LEFT + Math.max(LANE_GAP / 4, Math.min(leftText, MAX_NOTE) * CHAR_W + 24);
        int width = laneX(Math.max(0, lanes.size() - 1)) + Math.max(LANE_GAP / 4 * 3, Math.min(rightText, MAX_NOTE) * CHAR_W + 40);
        // A row grows by a line for every further note or mark beside the same lane at that instant.
        int[] ys = new int[rows.size()];
        Map<Long, Integer> stacked = new HashMap<>();
        for (List<Note> list : List.of(notes, marks)) {
            for (Note n : list) {
                stacked.merge((long) Collections.binarySearch(rows, n.time) << 32 | n.lane, 1, Integer::sum);
            }
        }
        int[] extra = new int[rows.size()];
        for (Map.Entry<Long, Integer> e : stacked.entrySet()) {
            int r = (int) (e.getKey() >>> 32);
            extra[r] = Math.max(extra[r], e.getValue() - 1);
        }
        int y = TOP + ROW;
        for (int r = 0; r < rows.size(); r++) {
            ys[r] = y;
            y += ROW + extra[r] * NOTE_LINE;
        }
        int height = y + 20;
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
            svg.append("<text x=\"8\" y=\"").append(ys[r] + 4).append("\" fill=\"#666\">")
                    .append(escape(formatTime(rows.get(r)))).append("</text>\n");
        }
        List<int[]> labels = new ArrayList<>();
        for (Arrow a : arrows) {
            int x1 = laneX(a.from);
            int y1 = ys[Collections.binarySearch(rows, a.sent)];
            int y2 = ys[Collections.binarySearch(rows, a.arrived)];
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
            String suffix = drop ? " (dropped: " + a.dropReason + ")" : "";
            String label = clip(a.label, LANE_GAP / CHAR_W + 12 - suffix.length()) + suffix;
            // Halfway along the line, unless another label is there already: then further along it
            // (two packets sent at once, one waiting for ARP, would otherwise print over each other).
            // A dropped packet's label is centred between the lanes, over its cross.
            int w = label.length() * CHAR_W;
            int xEnd = laneX(a.to);
            int lx = (x1 + xEnd) / 2;
            int ly = (y1 + y2) / 2 - 5;
            for (double t : LABEL_POSITIONS) {
                int cx = (int) (x1 + (xEnd - x1) * t);
                int cy = (int) (y1 + (y2 - y1) * t) - 5;
                if (free(labels, cx, cy, w)) {
                    lx = cx;
                    ly = cy;
                    break;
                }
            }
            labels.add(new int[] {lx, ly, w});
            svg.append("<text x=\"").append(lx).append("\" y=\"").append(ly)
                    .append("\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"4\" fill=\"")
                    .append(drop ? "#b22222" : "black").append("\">").append(escape(label)).append("</text>\n");
        }
        Map<Long, Integer> placed = new HashMap<>();
        for (Note n : notes) {
            int r = Collections.binarySearch(rows, n.time);
            int line = placed.merge((long) r << 32 | n.lane, 1, Integer::sum) - 1;
            appendNote(svg, n, ys[r] + line * NOTE_LINE, "#2e7d32");
        }
        for (Note m : marks) {
            int r = Collections.binarySearch(rows, m.time);
            int line = placed.merge((long) r << 32 | m.lane, 1, Integer::sum) - 1;
            int my = ys[r] + line * NOTE_LINE;
            svg.append("<text x=\"").append(laneX(m.lane)).append("\" y=\"").append(my + 5)
                    .append("\" text-anchor=\"middle\" fill=\"#b22222\" font-size=\"16\">X</text>\n");
            appendNote(svg, m, my, "#b22222");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** True when a label of width {@code w} centred at {@code x, y} overlaps none of {@code labels} ({x, y, w}). */
    private static boolean free(List<int[]> labels, int x, int y, int w) {
        for (int[] l : labels) {
            if (Math.abs(l[1] - y) < 13 && Math.abs(l[0] - x) < (l[2] + w) / 2) {
                return false;
            }
        }
        return true;
    }

    /** A note or a mark's text beside its lane: left of the first lane (when there are others), else right. */
    private void appendNote(StringBuilder svg, Note n, int y, String colour) {
        boolean left = n.lane == 0 && lanes.size() > 1;
        int x = left ? laneX(n.lane) - 10 : laneX(n.lane) + 10;
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y + 4).append('"')
                .append(left ? " text-anchor=\"end\"" : "").append(" fill=\"").append(colour).append("\">")
                .append(escape(clip(n.text, MAX_NOTE))).append("</text>\n");
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
        return firstLaneX + lane * LANE_GAP;
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
