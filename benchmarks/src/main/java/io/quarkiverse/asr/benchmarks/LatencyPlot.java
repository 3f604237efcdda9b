package io.quarkiverse.asr.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Draws the per-word latencies of {@link LiveBenchmark} ({@code latencies.csv}: file, pace, vad, latency_s) as a PNG:
 * one row per configuration, each word a dot, a box from the 25th to the 75th percentile with the median, whiskers
 * to the 10th and 90th percentiles and the mean as a diamond. Plain Java2D on an image, so it runs headless.
 *
 * <pre>
 * java -cp ... io.quarkiverse.asr.benchmarks.LatencyPlot latencies.csv [latencies.png]
 * </pre>
 */
public final class LatencyPlot {

    /** The words of one configuration (file × pace × VAD). */
    record Series(String file, String pace, boolean vad, List<Double> latencies) {
        String label() {
            return file + " · " + pace + " · VAD " + (vad ? "on" : "off") + " (" + latencies.size() + " words)";
        }
    }

    static final int WIDTH = 1100;
    static final int RIGHT = 30;
    static final int TOP = 80;
    static final int ROW = 46;
    static final int BOTTOM = 60;
    static final Color VAD_OFF = new Color(0x1f77b4);
    static final Color VAD_ON = new Color(0xe6730a);
    private static final Color GRID = new Color(0xe0e0e0);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private LatencyPlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: LatencyPlot latencies.csv [latencies.png]");
            System.exit(2);
        }
        Path csv = Path.of(args[0]);
        Path png = args.length == 2 ? Path.of(args[1])
                : csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
        write(csv, png);
        System.out.println("latency plot: " + png);
    }

    /** Reads {@code csv} and writes its plot to {@code png}. */
    static void write(Path csv, Path png) throws IOException {
        ImageIO.write(render(read(csv)), "png", png.toFile());
    }

    /** The series of {@code csv}, in the order of their first line. */
    static List<Series> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.getFirst().equals("file,pace,vad,latency_s")) {
            throw new IllegalArgumentException(csv + ": not a latency file (header file,pace,vad,latency_s)");
        }
        Map<List<String>, Series> series = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(",", -1);
            if (fields.length != 4) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected 4 fields, got " + lines.get(i));
            }
            series.computeIfAbsent(List.of(fields[0], fields[1], fields[2]),
                    key -> new Series(fields[0], fields[1], Boolean.parseBoolean(fields[2]), new ArrayList<>()))
                    .latencies().add(Double.parseDouble(fields[3]));
        }
        return List.copyOf(series.values());
    }

    static BufferedImage render(List<Series> series) {
        int height = TOP + ROW * Math.max(1, series.size()) + BOTTOM;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setFont(LABELS);
            FontMetrics metrics = g.getFontMetrics();
            int left = 24 + series.stream().mapToInt(s -> metrics.stringWidth(s.label())).max().orElse(0);
            Axis axis = Axis.of(series.stream().flatMap(s -> s.latencies().stream())
                    .mapToDouble(Double::doubleValue).max().orElse(1), left);
            int plotBottom = height - BOTTOM;
            drawAxis(g, axis, plotBottom);
            for (int i = 0; i < series.size(); i++) {
                drawRow(g, axis, series.get(i), TOP + ROW * i + ROW / 2.0);
            }
            drawTitleAndLegend(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Latency 0 to {@code max} seconds at ticks of 1, 2 or 5 × 10^k, on {@code left..WIDTH-RIGHT}. */
    record Axis(double max, double step, int left) {
        static Axis of(double largest, int left) {
            double raw = Math.max(largest, 1e-3) / 8;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw <= magnitude ? magnitude
                    : raw <= 2 * magnitude ? 2 * magnitude : raw <= 5 * magnitude ? 5 * magnitude : 10 * magnitude;
            return new Axis(Math.ceil(Math.max(largest, 1e-3) / step) * step, step, left);
        }

        double x(double seconds) {
            return left + seconds / max * (WIDTH - left - RIGHT);
        }
    }

    private static void drawAxis(Graphics2D g, Axis axis, int plotBottom) {
        g.setFont(LABELS);
        FontMetrics metrics = g.getFontMetrics();
        for (int tick = 0; tick * axis.step() <= axis.max() + axis.step() / 1000; tick++) {
            double seconds = tick * axis.step();
            double x = axis.x(seconds);
            g.setColor(GRID);
            g.draw(new Line2D.Double(x, TOP, x, plotBottom));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(x, plotBottom, x, plotBottom + 5));
            String label = axis.step() >= 1 ? String.format(Locale.ROOT, "%.0f", seconds)
                    : String.format(Locale.ROOT, "%.1f", seconds);
            g.drawString(label, (float) (x - metrics.stringWidth(label) / 2.0), plotBottom + 20);
        }
        g.setColor(Color.DARK_GRAY);
        g.draw(new Line2D.Double(axis.left(), plotBottom, WIDTH - RIGHT, plotBottom));
        String title = "latency from the end of a word in the audio to its Final event (s)";
        g.drawString(title, axis.left() + (WIDTH - axis.left() - RIGHT - metrics.stringWidth(title)) / 2f,
                plotBottom + 44);
    }

    private static void drawRow(Graphics2D g, Axis axis, Series series, double y) {
        g.setFont(LABELS);
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(series.label(), axis.left() - 12 - metrics.stringWidth(series.label()), (float) (y + 5));
        List<Double> latencies = series.latencies();
        Color colour = series.vad() ? VAD_ON : VAD_OFF;
        // the same jitter on every run, so that reruns on the same data give the same image
        Random jitter = new Random(series.label().hashCode());
        g.setColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 90));
        for (double latency : latencies) {
            double dy = (jitter.nextDouble() - 0.5) * ROW * 0.6;
            g.fill(new Ellipse2D.Double(axis.x(latency) - 2.5, y + dy - 2.5, 5, 5));
        }
        double p10 = axis.x(Stats.percentile(latencies, 10));
        double p25 = axis.x(Stats.percentile(latencies, 25));
        double p50 = axis.x(Stats.median(latencies));
        double p75 = axis.x(Stats.percentile(latencies, 75));
        double p90 = axis.x(Stats.percentile(latencies, 90));
        double half = ROW * 0.22;
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Rectangle2D.Double(p25, y - half, Math.max(p75 - p25, 1), 2 * half));
        g.draw(new Line2D.Double(p50, y - half, p50, y + half));
        g.draw(new Line2D.Double(p10, y, p25, y));
        g.draw(new Line2D.Double(p75, y, p90, y));
        g.draw(new Line2D.Double(p10, y - half / 2, p10, y + half / 2));
        g.draw(new Line2D.Double(p90, y - half / 2, p90, y + half / 2));
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.fill(diamond(axis.x(latencies.stream().mapToDouble(Double::doubleValue).average().orElseThrow()), y, 6));
    }

    private static void drawTitleAndLegend(Graphics2D g) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Live transcription: confirmation latency per word", 20, 28);
        g.setFont(LABELS);
        FontMetrics metrics = g.getFontMetrics();
        float x = 20;
        float y = 56;
        for (Color colour : List.of(VAD_OFF, VAD_ON)) {
            g.setColor(colour);
            g.fill(new Rectangle2D.Double(x, y - 10, 12, 12));
            g.setColor(Color.BLACK);
            String label = colour == VAD_ON ? "VAD on" : "VAD off";
            g.drawString(label, x + 18, y);
            x += 18 + metrics.stringWidth(label) + 24;
        }
        g.fill(diamond(x + 6, y - 4, 6));
        String rest = "mean    box: 25th–75th percentile, line at the median    whiskers: 10th and 90th percentiles"
                + "    dots: words";
        g.drawString(rest, x + 18, y);
    }

    private static Path2D diamond(double x, double y, double r) {
        Path2D.Double shape = new Path2D.Double();
        shape.moveTo(x, y - r);
        shape.lineTo(x + r, y);
        shape.lineTo(x, y + r);
        shape.lineTo(x - r, y);
        shape.closePath();
        return shape;
    }
}
