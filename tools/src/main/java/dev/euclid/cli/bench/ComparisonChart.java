package dev.euclid.cli.bench;

import dev.euclid.cli.bench.ComparisonSuite.Cell;
import dev.euclid.cli.bench.ComparisonSuite.Report;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * bench.png: grouped bars of tokens/s, one panel per (metric, shape) so each shape gets its own
 * scale; inside a panel, one group per thread count and one bar per contender.
 */
final class ComparisonChart {
    private static final int PANEL_WIDTH = 640, PANEL_HEIGHT = 400;
    /** Euclid in blues, llama.cpp in oranges: the pairs a ratio compares sit side by side in hue. */
    private static final Color[] COLORS = {
        new Color(0x1f4e9c), new Color(0x3b82d6), new Color(0x8fbbe8), new Color(0x2e8b57), new Color(0x66c28f),
        new Color(0xa8dcb9), new Color(0xd9541e), new Color(0xf2a25c)};

    private ComparisonChart() {}

    static void write(Report r, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> shapes = new ArrayList<>();
        for (Cell c : r.cells()) if (!shapes.contains(c.shape())) shapes.add(c.shape());
        List<CategoryChart> panels = new ArrayList<>();
        for (boolean decode : new boolean[] {true, false}) {
            for (String shape : shapes) panels.add(panel(r, shape, decode));
        }
        String name = png.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(panels, 2, shapes.size(), base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart panel(Report r, String shape, boolean decode) {
        String what = decode ? "decode, batch 1" : "prefill, " + r.options().promptTokens() + "-token prompt";
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(shape + ": " + what).yAxisTitle("tokens/s").build();
        Styler s = chart.getStyler();
        chart.getStyler().setLabelsVisible(true).setLabelsRotation(90).setLabelsPosition(0.5)
                .setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10)).setLabelsFontColorAutomaticEnabled(true);
        s.setSeriesColors(COLORS);
        s.setChartBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        // Every panel keeps its legend (below the plot), so all plots get the same height.
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setDecimalPattern("#,##0.#");
        List<String> groups = new ArrayList<>();
        for (Cell c : r.cells()) if (c.shape().equals(shape)) groups.add(c.threads() + (c.threads() == 1 ? " thread" : " threads"));
        for (Contender k : Contender.values()) {
            List<Double> values = new ArrayList<>();
            for (Cell c : r.cells()) {
                if (!c.shape().equals(shape)) continue;
                Measurement m = c.results().get(k);
                values.add(m == null ? 0.0 : decode ? m.decodeTokensPerSecond() : m.prefillTokensPerSecond());
            }
            chart.addSeries(k.label(), groups, values);
        }
        return chart;
    }
}
