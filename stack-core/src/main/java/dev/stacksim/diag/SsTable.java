package dev.stacksim.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The column layout of iproute2's {@code ss} (6.1, {@code misc/ss.c}: {@code out},
 * {@code field_next}, {@code render_calc_width}, {@code render}) when its output is not a
 * terminal, as in {@code ss -tan | cat} or a captured string.
 *
 * <p>ss buffers every field of every line, then sizes each column to its longest field
 * ({@code max_len}) plus the column's left delimiter (one space for most; none for the first
 * visible column, the two Port columns and Process), and prints each field left- or right-aligned
 * in its width. Without a terminal there is no screen width to spread spare space over
 * ("compact output"), but every field is still padded to its column's width, the last one
 * included: lines end in spaces. Two quirks follow from the code and are reproduced:
 * <ul>
 *   <li>the last line's Process field is never flushed before rendering, so its length does not
 *       count towards the column's width (a single long {@code users:(…)} does not pad the header);</li>
 *   <li>{@code ss -i} details are not a column: they are written into the Process field after
 *       {@code "\n\t"}, so the Process column is as wide as the longest details, and every line is
 *       padded to that.</li>
 * </ul>
 */
final class SsTable {
    /** {@code enum col_id}: the columns, their alignment, left delimiter and header. */
    enum Col {
        NETID(false, "", "Netid"),
        STATE(false, " ", "State"),
        RECVQ(false, " ", "Recv-Q"),
        SENDQ(false, " ", "Send-Q"),
        ADDR(true, " ", "Local Address:"),
        SERV(false, "", "Port"),
        RADDR(true, " ", "Peer Address:"),
        RSERV(false, "", "Port"),
        PROC(false, "", "Process");

        final boolean right;
        final String ldelim;
        final String header;

        Col(boolean right, String ldelim, String header) {
            this.right = right;
            this.ldelim = ldelim;
            this.header = header;
        }
    }

    private static final Col[] COLS = Col.values();

    private final boolean[] disabled = new boolean[COLS.length];
    private final List<String[]> lines = new ArrayList<>();
    private boolean hasHeader;

    /**
     * A table; the Netid column is shown when more than one kind of socket was asked for, the
     * State column unless a single state was (both as {@code ss}'s {@code main} decides).
     */
    SsTable(boolean netid, boolean state) {
        disabled[Col.NETID.ordinal()] = !netid;
        disabled[Col.STATE.ordinal()] = !state;
    }

    /** {@code print_header}: the header line. */
    void header() {
        String[] line = newLine();
        for (Col c : COLS) {
            line[c.ordinal()] = c.header;
        }
        hasHeader = lines.size() == 1;
    }

    /** A new line; fill it with {@link #set}. */
    String[] row() {
        return newLine();
    }

    private String[] newLine() {
        String[] line = new String[COLS.length];
        Arrays.fill(line, "");
        lines.add(line);
        return line;
    }

    /** Appends {@code text} to column {@code c} of {@code line} ({@code out()} into the current field). */
    static void set(String[] line, Col c, String text) {
        line[c.ordinal()] += text;
    }

    /** {@code render}: the lines laid out, each ending in a newline; empty when there are none. */
    String render() {
        int[] maxLen = new int[COLS.length];
        for (int l = 0; l < lines.size(); l++) {
            String[] line = lines.get(l);
            for (Col c : COLS) {
                // the last line's last field is still the current, unflushed token
                if (l == lines.size() - 1 && c == Col.PROC && !(hasHeader && l == 0)) {
                    continue;
                }
                maxLen[c.ordinal()] = Math.max(maxLen[c.ordinal()], line[c.ordinal()].length());
            }
        }
        int[] width = new int[COLS.length];
        boolean first = true;
        for (Col c : COLS) {
            if (disabled[c.ordinal()]) {
                continue;
            }
            int m = maxLen[c.ordinal()];
            width[c.ordinal()] = !first && m > 0 ? m + c.ldelim.length() : m;
            if (width[c.ordinal()] > 0) {
                first = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            boolean started = false;
            for (Col c : COLS) {
                if (disabled[c.ordinal()]) {
                    continue;
                }
                int w = width[c.ordinal()];
                String token = line[c.ordinal()];
                int printed = 0;
                if (started) {
                    sb.append(c.ldelim);
                    printed = c.ldelim.length();
                }
                started = true;
                if (w > 0 && c.right) {
                    printed += spaces(sb, w - token.length() - printed);
                }
                sb.append(token);
                printed += token.length();
                if (w > 0 && !c.right) {
                    spaces(sb, w - printed);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int spaces(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
        return Math.max(n, 0);
    }
}
