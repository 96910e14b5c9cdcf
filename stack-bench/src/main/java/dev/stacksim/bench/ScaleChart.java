package dev.stacksim.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the scaling curves of {@code docs/performance.md} as a small SVG line chart: cost per
 * operation (ns, log scale) against the number of idle connections (log scale), one line per
 * series, with the 2x band above each series' smallest point dashed. Hand-written SVG: no
 * library, the same bytes for the same figures.
 *
 * <pre>
 * java -cp stack-bench/target/benchmarks.jar dev.stacksim.bench.ScaleChart docs/scale.svg \
 *     "exchange=1000:9800,100000:10100,1000000:11800" "connectClose=1000:21000,..."
 * </pre>
 */
public final class ScaleChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int LEFT = 70;
    static final int RIGHT = 150;
    static final int TOP = 40;
    static final int BOTTOM = 50;
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private ScaleChart() {
    }

    /** One line: a name and its (connections, ns/op) points. */
    record Series(String name, double[] x, double[] y) {
        static Series parse(String spec) {
            int eq = spec.indexOf('=');
            String[] pts = spec.substring(eq + 1).split(",");
            double[] x = new double[pts.length];
            double[] y = new double[pts.length];
            for (int i = 0; i < pts.length; i++) {
                String[] p = pts[i].split(":");
                x[i] = Double.parseDouble(p[0]);
                y[i] = Double.parseDouble(p[1]);
            }
            return new Series(spec.substring(0, eq), x, y);
        }
    }

    /** Writes the chart of {@code args[1..]} (series as {@code name=x:y,x:y}) to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        List<Series> series = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            series.add(Series.parse(args[i]));
        }
        Files.writeString(Path.of(args[0]), svg("Cost per operation among N idle connections", series),
                StandardCharsets.UTF_8);
    }

    /** The SVG document. */
    static String svg(String title, List<Series> series) {
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMin = Math.min(yMin, s.y()[i]);
                yMax = Math.max(yMax, Math.max(s.y()[i], 2 * s.y()[0]));
            }
        }
        double lx0 = Math.floor(Math.log10(xMin));
        double lx1 = Math.ceil(Math.log10(xMax));
        double ly0 = Math.floor(Math.log10(yMin));
        double ly1 = Math.ceil(Math.log10(yMax));
        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, title));
        // grid and labels, one per decade
        for (double d = lx0; d <= lx1; d++) {
            double px = LEFT + (d - lx0) / (lx1 - lx0) * pw;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    px, TOP, px, TOP + ph));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
                    TOP + ph + 18, count(Math.pow(10, d))));
        }
        for (double d = ly0; d <= ly1; d++) {
            double py = TOP + ph - (d - ly0) / (ly1 - ly0) * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, py, LEFT + pw, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    py + 4, nanos(Math.pow(10, d))));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">idle connections"
                + " (log)</text>%n", LEFT + pw / 2, HEIGHT - 10));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">time per operation (log)</text>%n", TOP + ph / 2, TOP + ph / 2));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double px = LEFT + (Math.log10(s.x()[i]) - lx0) / (lx1 - lx0) * pw;
                double py = TOP + ph - (Math.log10(s.y()[i]) - ly0) / (ly1 - ly0) * ph;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py,
                        colour));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", pts.toString().trim(), colour));
            double band = TOP + ph - (Math.log10(2 * s.y()[0]) - ly0) / (ly1 - ly0) * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-dasharray=\"4 4\"/>%n", LEFT, band, LEFT + pw, band, colour));
            int ly = TOP + 14 + 20 * k;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", LEFT + pw + 12, ly - 4, LEFT + pw + 32, ly - 4, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + pw + 36, ly, s.name()));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666\">dashed: 2x at 1k</text>%n",
                LEFT + pw + 12, TOP + 14 + 20 * series.size()));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String nanos(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.0f ms", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.0f µs", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", v);
    }

    private static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
