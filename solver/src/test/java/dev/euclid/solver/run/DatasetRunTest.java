package dev.euclid.solver.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.Problem;
import dev.euclid.solver.Solver;
import dev.euclid.solver.SolverConfig;
import dev.euclid.solver.TestModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dataset runs: rows per problem, resume after a kill, reruns that change nothing, summaries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatasetRunTest {
    @TempDir
    Path dir;

    private static final SolverConfig CONFIG = SolverConfig.scTir().withSamples(4).withDepth(2).withEarlyStop(false).withSeed(77);

    private List<Problem> problems() throws IOException {
        Path file = dir.resolve("problems.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            lines.append("{\"id\": \"q").append(i).append("\", \"problem\": \"Add ").append(i).append(" and 1.\", \"answer\": \"")
                    .append(i == 5 ? 999 : i + 1).append("\"}\n");
        }
        Files.writeString(file, lines);
        return ProblemSet.read(file);
    }

    /** The rows without what depends on timing. */
    private static List<JsonNode> timeless(List<JsonNode> rows) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : rows) {
            ObjectNode c = r.deepCopy();
            c.remove(List.of("seconds", "model_idle_fraction"));
            c.withArray("samples").forEach(s -> s.withArray("steps").forEach(st -> ((ObjectNode) st).remove("code_seconds")));
            out.add(c);
        }
        return out;
    }

    private void run(Path out, int killAfter) throws IOException {
        try (TestModels.Arithmetic model = new TestModels.Arithmetic(); Solver solver = new Solver(model, model.python(), CONFIG);
             ResultsFile results = new ResultsFile(out)) {
            new DatasetRun(solver).run(problems(), results, null, p -> {
                if (p.done() == killAfter) throw new IllegalStateException("killed");
            });
        }
    }

    @Test
    void aKilledRunResumedWithTheSameCommandEndsAsAnUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole.jsonl"), killed = dir.resolve("killed.jsonl");
        run(whole, -1);
        assertThrows(IllegalStateException.class, () -> run(killed, 3));
        // the kill came while the 4th row was being written
        Files.writeString(killed, "{\"id\": \"q3\", \"answer\": \"4\", \"vo", StandardOpenOption.APPEND);
        run(killed, -1);
        List<JsonNode> expected, resumed;
        try (ResultsFile a = new ResultsFile(whole); ResultsFile b = new ResultsFile(killed)) {
            expected = a.list();
            resumed = b.list();
        }
        assertEquals(6, resumed.size());
        assertEquals(timeless(expected), timeless(resumed));
        assertEquals(5, expected.stream().filter(r -> r.get("correct").asBoolean()).count(), "q5's expected answer is wrong");
        assertEquals("1", expected.get(0).get("answer").asText());
        assertTrue(expected.get(0).get("samples").get(0).get("steps").size() >= 2, "the transcript is in the row");

        byte[] before = Files.readAllBytes(killed);
        run(killed, -1);
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(killed), "rerunning a finished run changes nothing");
    }

    @Test
    void theSummaryHasTheAccuracyAndEveryProblemAndThePngItsBars() throws IOException {
        Path out = dir.resolve("r.jsonl");
        run(out, -1);
        List<JsonNode> rows;
        try (ResultsFile f = new ResultsFile(out)) {
            rows = f.list();
        }
        Path md = dir.resolve("summary.md"), png = dir.resolve("summary.png");
        RunSummary.write(rows, md, png);
        String text = Files.readString(md);
        assertTrue(text.contains("- accuracy: 5/6 (83.3%)"), text);
        for (int i = 0; i < 6; i++) assertTrue(text.contains("| q" + i + " |"), text);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        int red = 0, green = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            int rgb = image.getRGB(x, image.getHeight() - 41) & 0xffffff;
            if (rgb == 0xc62828) red++;
            if (rgb == 0x2e7d32) green++;
        }
        assertTrue(red > 0 && green > 5 * red / 2, "bars: green " + green + ", red " + red);
    }

    @Test
    void aWholeRunBudgetGivesEachProblemItsShare() throws IOException {
        Path out = dir.resolve("b.jsonl");
        try (TestModels.Arithmetic model = new TestModels.Arithmetic(); Solver solver = new Solver(model, model.python(), CONFIG);
             ResultsFile results = new ResultsFile(out)) {
            new DatasetRun(solver).run(problems(), results, new RunBudget(Duration.ofSeconds(60), 6, null), p -> {});
            for (JsonNode r : results.list()) {
                assertTrue(r.get("budget_seconds").asDouble() >= 10.0, "at least the equal share: " + r.get("budget_seconds"));
            }
        }
    }

    @Test
    void aProblemTheModelCannotRunIsRecordedAsAnErrorAndTheRunGoesOn() throws IOException {
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, "{\"id\": \"bad\", \"problem\": \"Multiply 3 by 4.\"}\n{\"id\": \"ok\", \"problem\": \"Add 2 and 1.\", \"answer\": 3}\n");
        Path out = dir.resolve("m.jsonl");
        try (TestModels.Arithmetic model = new TestModels.Arithmetic(); Solver solver = new Solver(model, model.python(), CONFIG);
             ResultsFile results = new ResultsFile(out)) {
            new DatasetRun(solver).run(ProblemSet.read(file), results, null, p -> {});
            JsonNode bad = results.rows().get("bad");
            assertEquals("error", bad.get("ended").asText());
            assertTrue(bad.get("error").asText().contains("not an addition"), bad.toString());
            assertTrue(bad.get("answer").isNull());
            assertEquals("3", results.rows().get("ok").get("answer").asText());
        }
    }

    @Test
    void malformedProblemFilesNameTheLine() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\": 1, \"problem\": \"ok\"}\n{\"id\": 2}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProblemSet.read(bad));
        assertTrue(e.getMessage().contains("bad.jsonl:2: missing \"problem\""), e.getMessage());
        Files.writeString(bad, "{\"id\": 1, \"problem\": \"a\"}\n{\"id\": 1, \"problem\": \"b\"}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProblemSet.read(bad)).getMessage().contains("appears twice"));
    }
}
