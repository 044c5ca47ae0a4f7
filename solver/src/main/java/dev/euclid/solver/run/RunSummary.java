package dev.euclid.solver.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A run's summary from its results rows: accuracy, and per problem the answer, the top votes, time
 * and tokens, as Markdown; and a PNG of seconds per problem, bars coloured by correct / wrong /
 * ungraded (drawn with Java2D, headless).
 */
public final class RunSummary {
    private static final Color CORRECT = new Color(0x2e7d32), WRONG = new Color(0xc62828), UNGRADED = new Color(0x757575);

    private RunSummary() {}

    public static String markdown(List<JsonNode> rows) {
        int graded = 0, correct = 0;
        double seconds = 0;
        long tokens = 0;
        for (JsonNode r : rows) {
            if (r.hasNonNull("correct")) {
                graded++;
                if (r.get("correct").asBoolean()) correct++;
            }
            seconds += r.path("seconds").asDouble();
            tokens += r.path("tokens").asLong();
        }
        StringBuilder md = new StringBuilder("# Solver run\n\n");
        md.append(String.format(Locale.ROOT, "- problems: %d%n- accuracy: %s%n- time: %.1f s%n- tokens: %d (%.1f tok/s)%n%n",
                rows.size(), graded == 0 ? "n/a (no expected answers)" : correct + "/" + graded
                        + String.format(Locale.ROOT, " (%.1f%%)", 100.0 * correct / graded),
                seconds, tokens, seconds > 0 ? tokens / seconds : 0.0));
        md.append("| id | answer | expected | correct | votes (top 3) | ended | seconds | tokens | code runs |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            StringBuilder votes = new StringBuilder();
            for (int i = 0; i < Math.min(3, r.path("votes").size()); i++) {
                JsonNode v = r.path("votes").get(i);
                votes.append(i > 0 ? ", " : "").append(cell(v.path("answer").asText())).append(" ×").append(v.path("count").asInt());
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f | %d | %d |%n", cell(r.path("id").asText()),
                    cell(r.path("answer").asText("—")), cell(r.path("expected").asText("—")),
                    r.hasNonNull("correct") ? (r.get("correct").asBoolean() ? "yes" : "no") : "—", votes,
                    r.path("ended").asText(), r.path("seconds").asDouble(), r.path("tokens").asLong(), r.path("code_runs").asInt()));
        }
        return md.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Writes {@code md} and {@code png}; their folders must exist. */
    public static void write(List<JsonNode> rows, Path md, Path png) throws IOException {
        Files.writeString(md, markdown(rows), StandardCharsets.UTF_8);
        ImageIO.write(chart(rows), "png", png.toFile());
    }

    static BufferedImage chart(List<JsonNode> rows) {
        int width = 900, height = 400, left = 60, bottom = 40, top = 30, right = 20;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            double max = rows.stream().mapToDouble(r -> r.path("seconds").asDouble()).max().orElse(0);
            if (max <= 0) max = 1;
            int plotW = width - left - right, plotH = height - top - bottom;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("seconds per problem (green: correct, red: wrong, grey: no expected answer)", left, 18);
            g.setStroke(new BasicStroke(1));
            g.drawLine(left, top, left, top + plotH);
            g.drawLine(left, top + plotH, left + plotW, top + plotH);
            g.drawString(String.format(Locale.ROOT, "%.1f s", max), 4, top + 10);
            g.drawString("0", left - 14, top + plotH);
            int n = Math.max(1, rows.size());
            double slot = (double) plotW / n;
            for (int i = 0; i < rows.size(); i++) {
                JsonNode r = rows.get(i);
                int h = (int) Math.round(plotH * r.path("seconds").asDouble() / max);
                g.setColor(!r.hasNonNull("correct") ? UNGRADED : r.get("correct").asBoolean() ? CORRECT : WRONG);
                int x = left + (int) Math.round(i * slot + slot * 0.1);
                g.fillRect(x, top + plotH - h, Math.max(1, (int) Math.round(slot * 0.8)), h);
            }
            g.setColor(Color.BLACK);
            g.drawString("problems in run order (" + rows.size() + ")", left + plotW / 2 - 80, height - 12);
        } finally {
            g.dispose();
        }
        return image;
    }
}
