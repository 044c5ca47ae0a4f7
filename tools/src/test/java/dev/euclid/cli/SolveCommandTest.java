package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.server.EuclidServer;
import dev.euclid.server.ServerOptions;
import dev.euclid.testing.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid solve} as a user runs it, on stories260K with the chain-of-thought strategy (it writes no code). */
class SolveCommandTest {
    @TempDir
    Path dir;

    private CliRun solve(String... extra) {
        return solveWith("cot", extra);
    }

    private CliRun solveWith(String strategy, String... extra) {
        String model = SharedModels.models().resolve("stories260K/stories260K.bin").toString();
        List<String> args = new java.util.ArrayList<>(List.of("solve", "--model", model, "--threads", "2",
                "--problems", dir.resolve("p.jsonl").toString(), "--out", dir.resolve("r.jsonl").toString(),
                "--strategy", strategy, "--samples", "3", "--max-tokens", "24", "--seed", "4"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void writesARowPerProblemAndTheSummaryAndARerunChangesNothing() throws Exception {
        Files.writeString(dir.resolve("p.jsonl"), "{\"id\": \"s1\", \"problem\": \"Once upon a time\", \"answer\": \"2\"}\n"
                + "{\"id\": 7, \"problem\": \"Lily had a cat\"}\n");
        CliRun r = solve();
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("r.jsonl"));
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("s1", first.get("id").asText());
        assertTrue(first.has("answer") && first.has("votes"));
        assertEquals(3, first.get("samples").size());
        assertEquals(false, first.get("correct").asBoolean(), "stories260K boxes no answers");
        assertEquals("7", new ObjectMapper().readTree(lines.get(1)).get("id").asText());
        assertTrue(Files.readString(dir.resolve("r.md")).contains("| s1 |"));
        assertTrue(Files.size(dir.resolve("r.png")) > 0);
        assertTrue(r.err().contains("2 problems, 0/1 correct"), r.err());

        String before = Files.readString(dir.resolve("r.jsonl"));
        CliRun again = solve();
        assertEquals(0, again.code(), again.err());
        assertEquals(before, Files.readString(dir.resolve("r.jsonl")));
    }

    @Test
    void solvesThroughAnOpenAiCompatibleServerNamedByItsAddress() throws Exception {
        Files.writeString(dir.resolve("p.jsonl"), "{\"id\": \"s1\", \"problem\": \"Once upon a time\"}\n");
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        try (Engine engine = Engine.open(model, EngineOptions.defaults().withThreads(2));
             EuclidServer server = EuclidServer.start(ServerOptions.defaults("stories").withAddress("127.0.0.1", 0))) {
            server.serve(engine);
            String base = "http://127.0.0.1:" + server.address().getPort();
            CliRun r = CliRun.of("solve", "--model", base, "--problems", dir.resolve("p.jsonl").toString(),
                    "--out", dir.resolve("r.jsonl").toString(), "--strategy", "cot", "--samples", "2", "--max-tokens", "16");
            assertEquals(0, r.code(), r.err());
            JsonNode row = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("r.jsonl")).get(0));
            assertEquals(2, row.get("samples").size());
            assertTrue(row.get("tokens").asLong() > 0, "the served model (found at /v1/models) generated: " + row);
        }
    }

    @Test
    void badFlagsAreUsageErrorsNamingTheFlag() throws Exception {
        Files.writeString(dir.resolve("p.jsonl"), "{\"id\": \"s1\", \"problem\": \"Once upon a time\"}\n");
        CliRun r = solveWith("beam");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("--strategy: unknown strategy 'beam'"), r.err());
        CliRun d = solve("--time-budget", "9x");
        assertEquals(ExitCode.USAGE, d.code());
        assertTrue(d.err().contains("'9x' is not a duration"), d.err());
        CliRun tags = solveWith("nemo", "--tool-tags", "<a>,</a>");
        assertEquals(ExitCode.USAGE, tags.code());
        assertTrue(tags.err().contains("--tool-tags needs 4 non-empty tags"), tags.err());
        CliRun k = solve("--finish-after", "5");
        assertEquals(ExitCode.USAGE, k.code());
        assertTrue(k.err().contains("--finish-after must be in 1..3"), k.err());
        CliRun chat = solve("--chat");
        assertEquals(ExitCode.USAGE, chat.code());
        assertTrue(chat.err().contains("--chat: the model") && chat.err().contains("has no chat template"), chat.err());
        CliRun served = CliRun.of("solve", "--model", "http://127.0.0.1:9", "--problems", dir.resolve("p.jsonl").toString(),
                "--out", dir.resolve("r.jsonl").toString(), "--strategy", "cot", "--chat");
        assertEquals(ExitCode.USAGE, served.code());
        assertTrue(served.err().contains("--chat needs a local model"), served.err());
    }

    @Test
    void aMalformedProblemFileNamesItsLine() throws Exception {
        Files.writeString(dir.resolve("p.jsonl"), "{\"id\": \"s1\"}\n");
        CliRun r = solve();
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("p.jsonl:1: missing \"problem\""), r.err());
    }

    @Test
    void durationsAreReadAsPeopleWriteThem() {
        assertEquals(java.time.Duration.ofHours(9), DurationArgument.parse("9h"));
        assertEquals(java.time.Duration.ofMinutes(90), DurationArgument.parse("1h30m"));
        assertEquals(java.time.Duration.ofSeconds(45), DurationArgument.parse("45"));
        assertEquals(java.time.Duration.ofMillis(1500), DurationArgument.parse("1.5s"));
    }
}
