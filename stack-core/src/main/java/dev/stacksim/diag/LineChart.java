package dev.stacksim.diag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as a standalone SVG file, with no library behind it: one polyline per series over
 * shared axes, ticks at round numbers, a legend, and marks on a series where something happened
 * (a loss, a timeout). Made for figures sampled from a simulation, such as a congestion window
 * against virtual time: the numbers are drawn as they are, without smoothing.
 *
 * <pre>{@code
 * LineChart chart = new LineChart("cwnd over time", "time (s)", "cwnd (segments)");
 * int reno = chart.series("reno");
 * chart.point(reno, 0.0, 10).point(reno, 0.1, 20).point(reno, 0.2, 40);
 * chart.mark(reno, 0.2, 40);                       // a cross on the line: a loss
 * chart.markLegend("loss detected");
 * chart.write(Path.of("target/cwnd.svg"));
 *
 *   cwnd ▲
 *     40 ┤        ╱×        ── reno
 *     20 ┤   ╱───╯          ×  loss detected
 *      0 ┼──────────────▶ time (s)
 * }</pre>
 *
 * <p>The axes start at 0 unless a value is negative, and end at the next round number above the
 * largest value, so two charts of the same scenario compare by eye. The output depends only on
 * what was added: numbers are printed with {@link Locale#ROOT}, so the same points give the same
 * bytes on every machine.
 */
public final class LineChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 50;
    private static final int BOTTOM = 55;
    /** Colours of the series, in order; the seventh series reuses the first. */
    private static final String[] COLOURS = {"#1f4e79", "#c0504d", "#2e7d32", "#7f3f98", "#e68a00", "#4d4d4d"};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private String markLegend;

    private static final class Series {
        final String name;
        final List<double[]> points = new ArrayList<>();
        final List<double[]> marks = new ArrayList<>();

        Series(String name) {
            this.name = name;
        }
    }

    /** An empty chart with a title and the captions of its two axes. */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series (a line and its legend entry) and returns its index. */
    public int series(String name) {
        series.add(new Series(name));
        return series.size() - 1;
    }

    /**
     * Adds a point to series {@code s}; points are joined in the order they are added.
     *
     * @throws IllegalArgumentException when a coordinate is not finite, or there is no such series
     */
    public LineChart point(int s, double x, double y) {
        get(s).points.add(finite(x, y));
        return this;
    }

    /**
     * Marks {@code (x, y)} on series {@code s} with a cross in the series' colour: an event such as
     * a loss.
     *
     * @throws IllegalArgumentException when a coordinate is not finite, or there is no such series
     */
    public LineChart mark(int s, double x, double y) {
        get(s).marks.add(finite(x, y));
        return this;
    }

    /** What the crosses mean, shown in the legend; none when not set. */
    public LineChart markLegend(String text) {
        this.markLegend = text;
        return this;
    }

    /** The number of series. */
    public int seriesCount() {
        return series.size();
    }

    /** The number of points of series {@code s}. */
    public int pointCount(int s) {
        return get(s).points.size();
    }

    /** The number of marks of series {@code s}. */
    public int markCount(int s) {
        return get(s).marks.size();
    }

    private Series get(int s) {
        if (s < 0 || s >= series.size()) {
            throw new IllegalArgumentException("line chart: series=" + s + " of " + series.size());
        }
        return series.get(s);
    }

    private static double[] finite(double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("line chart: point x=" + x + " y=" + y + " is not finite");
        }
        return new double[] {x, y};
    }

    /** The chart as a standalone SVG document. */
    public String toSvg() {
        double[] xr = range(0);
        double[] yr = range(1);
        double xStep = niceStep(xr[1] - xr[0]);
        double yStep = niceStep(yr[1] - yr[0]);
        double x0 = Math.floor(xr[0] / xStep) * xStep;
        double x1 = Math.max(x0 + xStep, Math.ceil(xr[1] / xStep) * xStep);
        double y0 = Math.floor(yr[0] / yStep) * yStep;
        double y1 = Math.max(y0 + yStep, Math.ceil(yr[1] / yStep) * yStep);
        Axes a = new Axes(x0, x1, y0, y1);

        StringBuilder svg = new StringBuilder(8192);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" font-family=\"monospace\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">").append(escape(title))
                .append("</text>\n");
        // grid and ticks
        for (int i = 0; x0 + i * xStep <= x1 + xStep / 2; i++) {
            double v = x0 + i * xStep;
            String x = num(a.x(v));
            svg.append("<line x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"#e5e5e5\"/>\n")
                    .append("<text x=\"").append(x).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#444\">").append(tick(v, xStep)).append("</text>\n");
        }
        for (int i = 0; y0 + i * yStep <= y1 + yStep / 2; i++) {
            double v = y0 + i * yStep;
            String y = num(a.y(v));
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(y).append("\" stroke=\"#e5e5e5\"/>\n")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(a.y(v) + 4))
                    .append("\" text-anchor=\"end\" fill=\"#444\">").append(tick(v, yStep)).append("</text>\n");
        }
        svg.append("<path d=\"M ").append(LEFT).append(' ').append(TOP).append(" V ").append(HEIGHT - BOTTOM)
                .append(" H ").append(WIDTH - RIGHT).append("\" fill=\"none\" stroke=\"#333\"/>\n")
                .append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(HEIGHT - 15)
                .append("\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>\n")
                .append("<text x=\"18\" y=\"").append((TOP + HEIGHT - BOTTOM) / 2)
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 18 ").append((TOP + HEIGHT - BOTTOM) / 2)
                .append(")\">").append(escape(yLabel)).append("</text>\n");
        // the lines, then the marks over them
        for (int s = 0; s < series.size(); s++) {
            Series sr = series.get(s);
            if (sr.points.isEmpty()) {
                continue;
            }
            svg.append("<polyline class=\"series\" data-name=\"").append(escape(sr.name))
                    .append("\" fill=\"none\" stroke=\"").append(colour(s)).append("\" stroke-width=\"1.5\" points=\"");
            for (int i = 0; i < sr.points.size(); i++) {
                double[] p = sr.points.get(i);
                svg.append(i == 0 ? "" : " ").append(num(a.x(p[0]))).append(',').append(num(a.y(p[1])));
            }
            svg.append("\"/>\n");
        }
        for (int s = 0; s < series.size(); s++) {
            for (double[] m : series.get(s).marks) {
                svg.append(cross(a.x(m[0]), a.y(m[1]), colour(s)));
            }
        }
        // legend
        int ly = TOP + 10;
        int lx = WIDTH - RIGHT + 14;
        for (int s = 0; s < series.size(); s++) {
            svg.append("<line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 22)
                    .append("\" y2=\"").append(ly).append("\" stroke=\"").append(colour(s))
                    .append("\" stroke-width=\"2\"/>\n")
                    .append("<text x=\"").append(lx + 28).append("\" y=\"").append(ly + 4).append("\">")
                    .append(escape(series.get(s).name)).append("</text>\n");
            ly += 18;
        }
        if (markLegend != null) {
            svg.append(cross(lx + 11, ly, "#333"))
                    .append("<text x=\"").append(lx + 28).append("\" y=\"").append(ly + 4).append("\">")
                    .append(escape(markLegend)).append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Writes {@link #toSvg()} to {@code path}. */
    public void write(Path path) {
        try {
            Files.writeString(path, toSvg(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("line chart: cannot write " + path, e);
        }
    }

    /** Maps values to pixels: the plot area is [LEFT, WIDTH-RIGHT] x [TOP, HEIGHT-BOTTOM]. */
    private record Axes(double x0, double x1, double y0, double y1) {
        double x(double v) {
            return LEFT + (v - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            return HEIGHT - BOTTOM - (v - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
        }
    }

    /** The smallest and largest coordinate {@code c} (0 x, 1 y) of all points and marks, 0 included. */
    private double[] range(int c) {
        double lo = 0;
        double hi = 0;
        for (Series s : series) {
            for (List<double[]> list : List.of(s.points, s.marks)) {
                for (double[] p : list) {
                    lo = Math.min(lo, p[c]);
                    hi = Math.max(hi, p[c]);
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** A round step (1, 2 or 5 times a power of ten) giving about five intervals over {@code span}. */
    static double niceStep(double span) {
        if (span <= 0) {
            return 1;
        }
        double raw = span / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * pow;
    }

    /** A tick label with as many decimals as the step needs. */
    private static String tick(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0.0 : v);
    }

    private static String cross(double x, double y, String colour) {
        return "<path class=\"mark\" d=\"M " + num(x - 4) + ' ' + num(y - 4) + " L " + num(x + 4) + ' ' + num(y + 4)
                + " M " + num(x - 4) + ' ' + num(y + 4) + " L " + num(x + 4) + ' ' + num(y - 4)
                + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
    }

    private static String colour(int s) {
        return COLOURS[s % COLOURS.length];
    }

    /** A pixel coordinate with one decimal, the same on every machine. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
