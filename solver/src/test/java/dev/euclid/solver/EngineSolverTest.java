package dev.euclid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.Speculation;
import dev.euclid.chat.ChatTemplate;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.solver.answer.AnswerExtractor;
import dev.euclid.solver.answer.AnswerFormat;
import dev.euclid.solver.answer.VoteTable;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The solver on the real engine with stories260K: stop strings, continuations that keep their KV, group stop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineSolverTest {
    static final Problem STORY = new Problem("story-1", "Once upon a time", null);
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = openStories260K();
    }

    @AfterAll
    static void close() {
        if (engine != null) engine.close();
    }

    static Engine openStories260K() {
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        return Engine.open(model, EngineOptions.defaults().withThreads(2).withKv(KvOptions.defaults().withBudgetBytes(32L << 20)));
    }

    /** Sentences as tool calls, one answer-free story per sample. */
    static SolverConfig sentences(int samples, int depth) {
        return SolverConfig.scTir().withSamples(samples).withDepth(depth).withTools(new SentenceCalls())
                .withPrompt(new PromptTemplate("{problem}")).withAnswers(AnswerFormat.any()).withEarlyStop(false)
                .withSampling(0.8f, 0.95f).withMaxTokensPerTurn(60).withSeed(5);
    }

    @Test
    void turnsEndAtTheStopStringAndContinuationsReuseTheirKv() {
        KvStats before = engine.kvStats();
        Solution s;
        try (ScriptedExecutor python = new ScriptedExecutor(1);
             Solver solver = new Solver(new EngineBackend(engine), python, sentences(1, 3))) {
            s = solver.solve(STORY).join();
        }
        KvStats after = engine.kvStats();
        SampleTranscript t = s.samples().get(0);
        assertTrue(t.codeRuns() >= 1, "stories260K ends a sentence within 60 tokens: " + t);
        int continuedFrom = 0; // tokens before each continuation's appended text
        int tokensSoFar = engine.tokenizer().encode(STORY.text()).length;
        for (Step step : t.steps()) {
            tokensSoFar += step.tokens();
            if (step.appended() != null) {
                assertTrue(step.text().endsWith("."), "a turn ends at its stop string: " + step.text());
                assertEquals("print(" + step.text().strip().split("\\s+").length + ")", step.code());
                assertEquals(ExecutionResult.Status.OK, step.result().status());
                continuedFrom += tokensSoFar / after.blockTokens() * after.blockTokens();
                tokensSoFar += engine.tokenizer().encode(step.appended(), false).length;
            }
        }
        long hits = after.prefixHitTokens() - before.prefixHitTokens();
        // Every continuation finds the full blocks of what came before it in the prefix cache.
        assertTrue(hits >= continuedFrom, "prefix hits " + hits + ", full blocks before continuations " + continuedFrom);
        assertTrue(hits > 0);
        assertEquals(0, after.usedBlocks(), "every turn's blocks are freed");
    }

    @Test
    void theSameSeedsGiveTheSameTranscripts() {
        List<String> first = texts(sentences(4, 2)), second = texts(sentences(4, 2));
        assertEquals(first, second);
        assertEquals(4, first.stream().distinct().count(), "samples differ: seed + sample");
    }

    @Test
    void speculativeDecodingChangesNothingInTheTranscripts() {
        assertEquals(texts(sentences(3, 2)), texts(sentences(3, 2), new EngineBackend(engine, Speculation.promptLookup(3))));
    }

    private static List<String> texts(SolverConfig config) {
        return texts(config, new EngineBackend(engine));
    }

    private static List<String> texts(SolverConfig config, EngineBackend backend) {
        try (ScriptedExecutor python = new ScriptedExecutor(1); Solver solver = new Solver(backend, python, config)) {
            return solver.solve(STORY).join().samples().stream()
                    .map(t -> t.steps().stream().map(st -> st.text() + (st.appended() == null ? "" : st.appended())).reduce("", String::concat))
                    .toList();
        }
    }

    @Test
    void withAChatTemplateTheProblemIsTheUsersMessageAndNothingIsAddedToTheRenderedPrompt() {
        ChatTemplate chat = ChatTemplate.parse("{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
                + "{% if add_generation_prompt %}[assistant]{% endif %}", "test template");
        SolverConfig greedy = SolverConfig.chainOfThought().withSamples(1).withPrompt(new PromptTemplate("{problem}"))
                .withAnswers(AnswerFormat.any()).withSampling(0f, 1f).withMaxTokensPerTurn(30);
        String firstTurn;
        try (Solver solver = new Solver(new EngineBackend(engine, Speculation.off(), chat), null, greedy)) {
            firstTurn = solver.solve(STORY).join().samples().get(0).steps().get(0).text();
        }
        // The rendered chat, tokenized as transformers does (no BOS added): the model's whole prompt.
        int[] prompt = engine.tokenizer().encode("[user] " + STORY.text() + "\n[assistant]", false);
        String expected = engine.generate(Request.builder().promptTokens(prompt).maxTokens(30).build()).text();
        assertEquals(expected, firstTurn);
    }

    @Test
    void aDecidedVoteStopsTheRestThroughTheGroupStopAndTheWinnerIsTheFullRunsWinner() {
        // stories260K states no answers, so the "answer" here is a story's first word: stories mostly go on alike.
        AnswerExtractor firstWord = text -> java.util.Arrays.stream(text.split("[^A-Za-z]+")).filter(w -> !w.isEmpty()).findFirst();
        SolverConfig config = SolverConfig.chainOfThought().withSamples(12).withPrompt(new PromptTemplate("{problem}"))
                .withAnswers(AnswerFormat.any()).withMaxTokensPerTurn(300).withSeed(21);
        Solution full, early;
        try (Solver solver = new Solver(new EngineBackend(engine), null, config.withEarlyStop(false), firstWord)) {
            full = solver.solve(STORY).join();
        }
        try (Solver solver = new Solver(new EngineBackend(engine), null, config, firstWord)) {
            early = solver.solve(STORY).join();
        }
        assertEquals(Solution.Ended.ALL_FINISHED, full.ended());
        assertEquals(Solution.Ended.DECIDED, early.ended(), "votes " + full.votes());
        assertEquals(full.answer(), early.answer());
        VoteTable.Entry leader = early.votes().get(0);
        int outstanding = (int) early.samples().stream().filter(t -> t.finish() == SampleTranscript.Finish.STOPPED).count();
        assertTrue(outstanding > 0);
        double runnerUp = early.votes().size() > 1 ? early.votes().get(1).weight() : 0;
        assertTrue(leader.weight() > runnerUp + outstanding, "the leader could no longer be overtaken: " + early.votes());
        // How far a stopped sample got depends on when the stop reached the engine: only that it is its full run's start is fixed.
        for (int i = 0; i < 12; i++) {
            SampleTranscript e = early.samples().get(i);
            if (e.finish() != SampleTranscript.Finish.STOPPED) continue;
            assertTrue(full.samples().get(i).steps().get(0).text().startsWith(e.steps().get(0).text()), "sample " + i);
        }
        assertEquals(0, engine.kvStats().usedBlocks(), "the stopped samples' blocks are free");
    }

    @Test
    void greedySamplesWithEqualTokensAreEachReportedOnce() {
        // Greedy: every sample writes the same tokens and ends in the same step, so the first turns'
        // finishes cannot be told apart by their tokens; each must still be reported exactly once.
        List<String> texts = texts(sentences(3, 2).withSampling(0f, 1f));
        assertEquals(3, texts.size());
        assertEquals(1, texts.stream().distinct().count(), texts.toString());
    }

    @Test
    void enoughFinishedSamplesStopTheRestThroughTheGroupStopAndFreeTheirBlocks() {
        SolverConfig all = SolverConfig.chainOfThought().withSamples(8).withPrompt(new PromptTemplate("{problem}"))
                .withAnswers(AnswerFormat.any()).withEarlyStop(false).withMaxTokensPerTurn(400).withSeed(9);
        Solution full, early;
        try (Solver solver = new Solver(new EngineBackend(engine), null, all)) {
            full = solver.solve(STORY).join();
        }
        try (Solver solver = new Solver(new EngineBackend(engine), null, all.withFinishAfter(2))) {
            early = solver.solve(STORY).join();
        }
        assertEquals(Solution.Ended.ALL_FINISHED, full.ended());
        assertEquals(Solution.Ended.ENOUGH_FINISHED, early.ended());
        assertEquals(0, engine.kvStats().usedBlocks());
        int stopped = 0, cutShort = 0;
        for (int i = 0; i < 8; i++) {
            SampleTranscript e = early.samples().get(i), f = full.samples().get(i);
            String fullText = f.steps().get(0).text(), earlyText = e.steps().get(0).text();
            if (e.finish() == SampleTranscript.Finish.STOPPED) {
                stopped++;
                // One that ended on its own before the stop reached the engine counts as stopped too (it no longer votes).
                if (e.tokens() < f.tokens()) cutShort++;
                assertTrue(fullText.startsWith(earlyText), "a stopped sample has the first tokens of its full run");
            } else {
                assertEquals(fullText, earlyText, "the same seed gives the same story, sample " + i);
            }
        }
        assertTrue(stopped >= 1 && stopped <= 6, "stopped " + stopped);
        assertTrue(cutShort >= 1, "stories of up to 400 tokens do not all end within the stop's few steps");
        assertTrue(early.tokens() < full.tokens());
    }
}
