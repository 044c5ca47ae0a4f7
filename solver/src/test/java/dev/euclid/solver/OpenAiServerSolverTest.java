package dev.euclid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.server.EuclidServer;
import dev.euclid.server.ServerOptions;
import dev.euclid.solver.answer.AnswerFormat;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.solver.model.OpenAiBackend;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The solver through the OpenAI-compatible client path, against a real euclid serve over stories260K. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenAiServerSolverTest {
    private static Engine engine;
    private static EuclidServer server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        engine = EngineSolverTest.openStories260K();
        server = EuclidServer.start(ServerOptions.defaults("stories260K").withAddress("127.0.0.1", 0)
                .withShutdownGrace(Duration.ofSeconds(5)));
        server.serve(engine);
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (engine != null) engine.close();
    }

    private static OpenAiBackend client(SolverConfig config) {
        return new OpenAiBackend(base, "stories260K", null, config.tools(), Duration.ofSeconds(60));
    }

    @Test
    void firstTurnsOverHttpAreTheEnginesOwnSamples() {
        // Same prompt, seeds seed + i, temperature and top-p: the server draws what the engine draws.
        SolverConfig cot = SolverConfig.chainOfThought().withSamples(4).withPrompt(new PromptTemplate("{problem}"))
                .withAnswers(AnswerFormat.any()).withEarlyStop(false).withMaxTokensPerTurn(80).withSeed(3);
        List<String> overHttp, inProcess;
        try (Solver solver = new Solver(client(cot), null, cot)) {
            overHttp = firstTexts(solver.solve(EngineSolverTest.STORY).join());
        }
        try (Solver solver = new Solver(new EngineBackend(engine), null, cot)) {
            inProcess = firstTexts(solver.solve(EngineSolverTest.STORY).join());
        }
        assertEquals(inProcess, overHttp);
        assertEquals(4, overHttp.stream().distinct().count());
    }

    private static List<String> firstTexts(Solution s) {
        return s.samples().stream().map(t -> t.steps().get(0).text()).toList();
    }

    @Test
    void toolCallsOverHttpStopAtTheStopStringAndContinueWithTheOutput() {
        SolverConfig config = EngineSolverTest.sentences(3, 2);
        Solution s;
        try (ScriptedExecutor python = new ScriptedExecutor(1); Solver solver = new Solver(client(config), python, config)) {
            s = solver.solve(EngineSolverTest.STORY).join();
        }
        int runs = 0;
        for (SampleTranscript t : s.samples()) {
            for (Step step : t.steps()) {
                if (step.code() == null) continue;
                assertTrue(step.text().endsWith("."), "the inferred stop string is put back: " + step.text());
                if (step.result() != null) runs++;
            }
        }
        assertTrue(runs >= 3, "every sample reaches a sentence end within 60 tokens: " + runs);
    }

    @Test
    void aServerErrorFailsTheProblemWithTheServersMessage() {
        SolverConfig config = EngineSolverTest.sentences(1, 1);
        OpenAiBackend wrongModel = new OpenAiBackend(base, "no-such-model", null, config.tools(), Duration.ofSeconds(30));
        try (ScriptedExecutor python = new ScriptedExecutor(1); Solver solver = new Solver(wrongModel, python, config)) {
            CompletionException e = assertThrows(CompletionException.class, () -> solver.solve(EngineSolverTest.STORY).join());
            assertTrue(e.getCause().getMessage().contains("HTTP 4"), e.getCause().getMessage());
        }
    }
}
