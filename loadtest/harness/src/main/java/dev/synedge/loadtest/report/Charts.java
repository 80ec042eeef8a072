package dev.synedge.loadtest.report;

import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.runner.RunRecord;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * The report's plots, as small PNGs: throughput relative to the baseline, latency percentiles,
 * and the targets' CPU seconds per GB of response body. Each is written only when the
 * comparison has something to show in it.
 */
public final class Charts {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 420;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Charts() {}

    /** Writes the plots into {@code dir} and returns the files written. */
    public static List<Path> write(Comparison c, List<Summary.ScenarioSummary> summaries, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> files = new ArrayList<>();
        Path throughput = dir.resolve("throughput.png");
        if (throughput(c, summaries, throughput)) {
            files.add(throughput);
        }
        Path latency = dir.resolve("latency.png");
        if (latency(c, summaries, latency)) {
            files.add(latency);
        }
        Path cpu = dir.resolve("cpu-per-gb.png");
        if (cpuPerGigabyte(c, summaries, cpu)) {
            files.add(cpu);
        }
        return files;
    }

    private static CategoryChart barChart(String title, String yTitle, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
        return chart;
    }

    /** Metric of every higher-is-better scenario as a ratio to the baseline (medians). */
    private static boolean throughput(Comparison c, List<Summary.ScenarioSummary> summaries, Path file)
            throws IOException {
        List<Summary.ScenarioSummary> shown = summaries.stream()
                .filter(s -> s.scenario().metric().higherIsBetter()).toList();
        if (shown.isEmpty()) {
            return false;
        }
        CategoryChart chart = barChart("Throughput relative to " + c.baseline() + " (median of " + c.rounds()
                + " rounds)", "× " + c.baseline(), WIDTH, HEIGHT);
        List<String> names = shown.stream().map(s -> s.scenario().name()).toList();
        for (Comparison.TargetInfo t : c.targets()) {
            List<Double> ratios = new ArrayList<>();
            for (Summary.ScenarioSummary s : shown) {
                double r = s.targets().stream().filter(x -> x.target().equals(t.target().name())).findFirst()
                        .map(x -> x.ratio().median()).orElse(Double.NaN);
                ratios.add(Double.isFinite(r) ? r : 0.0);
            }
            chart.addSeries(t.target().name(), names, ratios);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /** Latency percentiles of the latency-minded scenarios, one small chart each. */
    private static boolean latency(Comparison c, List<Summary.ScenarioSummary> summaries, Path file)
            throws IOException {
        List<Summary.ScenarioSummary> shown = summaries.stream()
                .filter(s -> s.scenario().load().mode() != Mode.IDLE && !s.scenario().metric().higherIsBetter())
                .toList();
        if (shown.isEmpty()) {
            return false;
        }
        List<CategoryChart> charts = new ArrayList<>();
        List<String> labels = List.of("p50", "p90", "p99", "p99.9");
        for (Summary.ScenarioSummary s : shown) {
            boolean ttfb = s.metric() == Figure.TTFB_P50;
            CategoryChart chart = barChart(s.scenario().name() + (ttfb ? " (time to first byte)" : " (latency)"), "ms",
                    WIDTH / 2, HEIGHT * 3 / 4);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            for (Comparison.TargetInfo t : c.targets()) {
                List<RunRecord> runs = c.runs(s.scenario().name(), t.target().name()).stream()
                        .filter(RunRecord::ok).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                List<Double> values = new ArrayList<>();
                for (double p : PERCENTILES) {
                    values.add(Stat.of(runs.stream().mapToDouble(r -> {
                        Histogram h = ttfb ? r.result().ttfb() : r.result().latency();
                        return LoadResult.millis(h, p);
                    }).toArray()).median());
                }
                chart.addSeries(t.target().name(), labels, values);
            }
            if (!chart.getSeriesMap().isEmpty()) {
                charts.add(chart);
            }
        }
        if (charts.isEmpty()) {
            return false;
        }
        writeGrid(charts, 2, file);
        return true;
    }

    /** Draws charts left to right, {@code columns} per row, on one white PNG. */
    private static void writeGrid(List<CategoryChart> charts, int columns, Path file) throws IOException {
        int cols = Math.min(columns, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        int w = charts.getFirst().getWidth();
        int h = charts.getFirst().getHeight();
        BufferedImage grid = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w, (i / cols) * h, null);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(grid, "png", file.toFile());
    }

    /** Target CPU seconds per GB of body, for scenarios whose responses are 16 KiB or more. */
    private static boolean cpuPerGigabyte(Comparison c, List<Summary.ScenarioSummary> summaries, Path file)
            throws IOException {
        List<Summary.ScenarioSummary> shown = new ArrayList<>();
        for (Summary.ScenarioSummary s : summaries) {
            if (s.scenario().load().mode() == Mode.IDLE) {
                continue;
            }
            boolean big = c.runs().stream().filter(r -> r.scenario().equals(s.scenario().name()) && r.ok()
                    && r.result().requests() > 0).anyMatch(r -> r.result().bodyBytes() / r.result().requests() >= 16384);
            boolean sampled = c.runs().stream().anyMatch(r -> r.scenario().equals(s.scenario().name()) && r.usage() != null);
            if (big && sampled) {
                shown.add(s);
            }
        }
        if (shown.isEmpty()) {
            return false;
        }
        CategoryChart chart = barChart("Target CPU seconds per GB of response body (median)", "CPU s / GB",
                WIDTH, HEIGHT);
        List<String> names = shown.stream().map(s -> s.scenario().name()).toList();
        for (Comparison.TargetInfo t : c.targets()) {
            List<Double> values = new ArrayList<>();
            for (Summary.ScenarioSummary s : shown) {
                double v = Stat.of(c.runs(s.scenario().name(), t.target().name()).stream()
                        .mapToDouble(Figure.TARGET_CPU_PER_GB::of).toArray()).median();
                values.add(Double.isFinite(v) ? v : 0.0);
            }
            chart.addSeries(t.target().name(), names, values);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
