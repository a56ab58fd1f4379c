package io.dpuvpc.simulator.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as one inline SVG element: a title, a legend, axes with tick labels and titles, and
 * one polyline per series. Hand-made because the report must be a single self-contained HTML file
 * and the project takes no charting dependency.
 *
 * <p>Ticks are 1-2-5 steps on a linear axis and powers of ten on a logarithmic x axis (points at or
 * below zero cannot be placed there and are left out). A one-point series is drawn as a dot, since
 * a polyline of one point draws nothing; a degenerate range (one x, or a flat line) is widened so
 * the data sits inside the axes rather than dividing by zero. With no point at all the axes say
 * "no data".
 */
public final class SvgLineChart {

    /** One line; {@code x} and {@code y} of the same length; non-finite points are left out. */
    public record Series(String name, double[] x, double[] y, String color, boolean dashed) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x for " + y.length + " y");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 360;
    private static final int LEFT = 72;
    private static final int RIGHT = 24;
    private static final int TOP = 56;
    private static final int BOTTOM = 52;
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private double[] fixedY;

    public SvgLineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Adds a solid line in the next palette colour. */
    public SvgLineChart line(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, PALETTE[series.size() % PALETTE.length], false));
    }

    public SvgLineChart add(Series s) {
        series.add(s);
        return this;
    }

    public SvgLineChart logX(boolean logX) {
        this.logX = logX;
        return this;
    }

    /** Fixes the y axis (a fraction's 0 to 1) instead of fitting it to the data. */
    public SvgLineChart yRange(double min, double max) {
        fixedY = new double[] {min, max};
        return this;
    }

    public String svg() {
        double[] xs = extent(true);
        double[] ys = fixedY != null ? fixedY.clone() : extent(false);
        boolean empty = xs == null;
        if (empty) {
            xs = logX ? new double[] {1, 10} : new double[] {0, 1};
            ys = fixedY != null ? ys : new double[] {0, 1};
        }
        List<Double> xTicks;
        if (logX) {
            xs = new double[] {Math.pow(10, Math.floor(Math.log10(xs[0]))), Math.pow(10, Math.ceil(Math.log10(xs[1])))};
            if (xs[0] == xs[1]) {
                xs[1] = xs[0] * 10;
            }
            xTicks = logTicks(xs[0], xs[1]);
        } else {
            xs = widen(xs);
            xTicks = linearTicks(xs[0], xs[1]);
            xs = new double[] {Math.min(xs[0], xTicks.get(0)), Math.max(xs[1], xTicks.get(xTicks.size() - 1))};
        }
        ys = widen(ys);
        List<Double> yTicks = linearTicks(ys[0], ys[1]);
        if (fixedY == null) {
            ys = new double[] {Math.min(ys[0], yTicks.get(0)), Math.max(ys[1], yTicks.get(yTicks.size() - 1))};
        }
        Scale sx = new Scale(xs[0], xs[1], LEFT, WIDTH - RIGHT, logX);
        Scale sy = new Scale(ys[0], ys[1], HEIGHT - BOTTOM, TOP, false);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" "
            + "font-weight=\"bold\">%s</text>%n", WIDTH / 2, escape(title)));
        axes(svg, sx, sy, xTicks, yTicks);
        if (empty) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">no data</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, (TOP + HEIGHT - BOTTOM) / 2));
        }
        int legendX = LEFT;
        for (Series s : series) {
            plot(svg, s, sx, sy);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"38\" x2=\"%d\" y2=\"38\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                + "<text x=\"%d\" y=\"42\">%s</text>%n", legendX, legendX + 18, escape(s.color()), dash(s), legendX + 22,
                escape(s.name())));
            legendX += 34 + 7 * s.name().length();
        }
        return svg.append("</svg>\n").toString();
    }

    private void axes(StringBuilder svg, Scale sx, Scale sy, List<Double> xTicks, List<Double> yTicks) {
        double bottom = HEIGHT - BOTTOM;
        for (double t : xTicks) {
            double px = sx.at(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, bottom, px, bottom + 16,
                escape(tickLabel(t))));
        }
        for (double t : yTicks) {
            double py = sy.at(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, WIDTH - RIGHT, py, LEFT - 6, py + 4,
                escape(tickLabel(t))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, escape(xTitle)));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
            (TOP + HEIGHT - BOTTOM) / 2, escape(yTitle)));
    }

    private void plot(StringBuilder svg, Series s, Scale sx, Scale sy) {
        StringBuilder points = new StringBuilder();
        int count = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (placeable(s.x()[i], true) && placeable(s.y()[i], false)) {
                points.append(count++ == 0 ? "" : " ")
                    .append(String.format(Locale.ROOT, "%.1f,%.1f", sx.at(s.x()[i]), sy.at(s.y()[i])));
            }
        }
        if (count == 1) {
            String[] xy = points.toString().split(",");
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>%n", xy[0], xy[1],
                escape(s.color())));
        } else if (count > 1) {
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s points=\"%s\"/>%n",
                escape(s.color()), dash(s), points));
        }
    }

    private static String dash(Series s) {
        return s.dashed() ? " stroke-dasharray=\"6 4\"" : "";
    }

    private boolean placeable(double v, boolean isX) {
        return Double.isFinite(v) && !(isX && logX && v <= 0);
    }

    /** {min, max} over every placeable point of every series, or null when there is none. */
    private double[] extent(boolean isX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (placeable(s.x()[i], true) && placeable(s.y()[i], false)) {
                    double v = isX ? s.x()[i] : s.y()[i];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min > max ? null : new double[] {min, max};
    }

    private static double[] widen(double[] range) {
        if (range[0] < range[1]) {
            return range;
        }
        double pad = range[0] == 0 ? 1 : Math.abs(range[0]) * 0.1;
        return new double[] {range[0] - pad, range[1] + pad};
    }

    /** 1-2-5 steps covering {@code [min, max]}: about six ticks, the first at or below min, the last at or above max. */
    static List<Double> linearTicks(double min, double max) {
        double step = niceStep((max - min) / 5);
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.floor(min / step + 1e-9);
        long last = (long) Math.ceil(max / step - 1e-9);
        for (long i = first; i <= last; i++) {
            // Rounded so that 0.1 + 0.2 shows as 0.3, not 0.30000000000000004.
            ticks.add(new BigDecimal(i * step).round(new MathContext(10)).doubleValue());
        }
        return ticks;
    }

    /** The powers of ten from {@code min} to {@code max}, both powers of ten. */
    static List<Double> logTicks(double min, double max) {
        List<Double> ticks = new ArrayList<>();
        for (int e = (int) Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) {
            ticks.add(Double.parseDouble("1e" + e));
        }
        return ticks;
    }

    private static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** Short tick text: 1,500 as 1.5k, 2,000,000 as 2M, 0.001 as 0.001. */
    static String tickLabel(double v) {
        double abs = Math.abs(v);
        if (abs >= 1e9) {
            return Numbers.plain(v / 1e9) + "G";
        }
        if (abs >= 1e6) {
            return Numbers.plain(v / 1e6) + "M";
        }
        if (abs >= 1e4) {
            return Numbers.plain(v / 1e3) + "k";
        }
        return Numbers.plain(v);
    }

    /** Escapes text for XML and HTML content and attribute values alike. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private record Scale(double min, double max, double from, double to, boolean log) {
        double at(double v) {
            double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : (v - min) / (max - min);
            return from + f * (to - from);
        }
    }
}
