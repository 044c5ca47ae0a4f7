package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile arguments from Java: each gets an exception that names the problem, never a crash. */
class InputAbuseTest {
    private static Engine llama2c;
    private static Engine hf;

    @BeforeAll
    static void open() {
        EngineOptions oneThread = EngineOptions.defaults().withThreads(1);
        llama2c = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"), oneThread);
        hf = Engine.open(SharedModels.models().resolve("stories260K-hf"), oneThread);
    }

    @AfterAll
    static void close() {
        if (llama2c != null) llama2c.close();
        if (hf != null) hf.close();
    }

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void tokenIdsOutsideTheVocabulary() {
        for (int bad : new int[] {-1, 512, 513, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            String msg = message(IllegalArgumentException.class,
                    () -> llama2c.generate(Request.builder().promptTokens(1, 2, bad).maxTokens(2).build()));
            assertTrue(msg.contains("token id " + bad) && msg.contains("index 2"), msg);
            msg = message(IllegalArgumentException.class, () -> llama2c.logits(1, bad));
            assertTrue(msg.contains("token id " + bad), msg);
            assertThrows(IllegalArgumentException.class, () -> llama2c.tokenizer().decode(new int[] {1, bad}, -1));
            assertThrows(IllegalArgumentException.class, () -> llama2c.tokenizer().tokenBytes(bad));
            assertThrows(IllegalArgumentException.class, () -> hf.tokenizer().decode(new int[] {bad}, -1));
        }
        // A stop id beyond the vocabulary could never match: refused by name too.
        String msg = message(IllegalArgumentException.class,
                () -> llama2c.generate(Request.builder().prompt("Once").maxTokens(3).stopTokenIds(100_000).build()));
        assertTrue(msg.contains("100000"), msg);
    }

    @Test
    void negativeAndZeroLengths() {
        for (int n : new int[] {0, -1, Integer.MIN_VALUE}) {
            String msg = message(IllegalArgumentException.class, () -> Request.builder().maxTokens(n));
            assertTrue(msg.contains("maxTokens"), msg);
        }
        assertTrue(message(IllegalArgumentException.class, () -> Request.builder().stopTokenIds(3, -4))
                .contains("-4"));
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topK(-1));
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topK(Integer.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withMaxTokensPerStep(0));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withMaxTokensPerStep(-8));
    }

    @Test
    void emptyAndNullArrays() {
        assertTrue(message(IllegalArgumentException.class, () -> Request.builder().promptTokens())
                .contains("empty"));
        assertTrue(message(IllegalArgumentException.class, () -> llama2c.logits()).contains("empty"));
        assertThrows(NullPointerException.class, () -> Request.builder().promptTokens((int[]) null));
        assertThrows(NullPointerException.class, () -> Request.builder().stopTokenIds((int[]) null));
        assertThrows(NullPointerException.class, () -> llama2c.logits((int[]) null));
        assertThrows(NullPointerException.class, () -> llama2c.generate(null));
        assertThrows(IllegalStateException.class, () -> Request.builder().maxTokens(4).build());
        assertEquals("", llama2c.tokenizer().decode(new int[0], -1));
        // "" is a valid prompt: BOS alone.
        assertArrayEquals(new int[] {1}, llama2c.tokenizer().encode(""));
        assertEquals(2, llama2c.generate(Request.of("", 2)).tokenIds().length);
    }

    @Test
    void hugeMaxTokensIsBoundedByTheContext() {
        Completion c = llama2c.generate(Request.builder().prompt("Once upon a time").maxTokens(Integer.MAX_VALUE)
                .stopTokenIds().logprobs(true).build());
        int prompt = c.promptTokenIds().length;
        assertEquals(512 - prompt + 1, c.tokenIds().length);
        assertEquals(c.tokenIds().length, c.logprobs().length);
        assertEquals(FinishReason.LENGTH, c.finishReason());
        // A prompt that fills the context exactly still gets its one sampled token.
        int[] full = new int[512];
        Arrays.fill(full, 300);
        full[0] = 1;
        assertEquals(1, llama2c.generate(Request.builder().promptTokens(full).maxTokens(Integer.MAX_VALUE).build())
                .tokenIds().length);
        int[] over = Arrays.copyOf(full, 513);
        assertTrue(message(IllegalArgumentException.class,
                () -> llama2c.generate(Request.builder().promptTokens(over).maxTokens(1).build())).contains("513"));
    }

    @Test
    void loneSurrogatesAreRejectedByName() {
        String[] bad = {"\uD800", "abc\uDC00", "\uDBFFx", "x\uDFFF\uD800", "ok \uD83D"};
        for (Engine engine : new Engine[] {llama2c, hf}) {
            for (String text : bad) {
                String msg = message(IllegalArgumentException.class, () -> engine.tokenizer().encode(text));
                assertTrue(msg.contains("lone surrogate"), msg);
                assertThrows(IllegalArgumentException.class, () -> engine.generate(Request.of(text, 2)));
            }
            // A well-formed pair is fine.
            assertTrue(engine.tokenizer().encode("smile \uD83D\uDE00").length > 1);
        }
    }

    /**
     * The same hostile inputs through {@link Engine#submit}, which never throws for a request that
     * cannot run: its handle has already failed with an IllegalArgumentException naming the
     * problem, and the engine goes on serving other requests.
     */
    @Test
    void submitFailsTheHandleOfABadRequestByName() {
        for (Engine engine : new Engine[] {llama2c, hf}) {
            assertSubmitRefused(engine, Request.builder().promptTokens(1, 600).maxTokens(2).build(), "token id 600");
            assertSubmitRefused(engine, Request.builder().promptTokens(-7).maxTokens(2).build(), "token id -7");
            assertSubmitRefused(engine, Request.of("abc\uD800", 2), "lone surrogate");
            assertSubmitRefused(engine, Request.builder().prompt("Once").maxTokens(2).stopTokenIds(512).build(), "512");
            // Huge max tokens is bounded by the context; one sample more than the default KV pool holds cannot fit.
            assertSubmitRefused(engine, Request.builder().prompt("Once").maxTokens(Integer.MAX_VALUE)
                    .samples(KvOptions.DEFAULT_BUDGET_SEQUENCES + 1).build(), "KV cache budget");
            Completion ok = engine.submit(Request.builder().prompt("Once").maxTokens(3).stopTokenIds().build())
                    .result().join().samples().get(0);
            assertEquals(3, ok.tokenIds().length, "the engine still serves requests");
        }
    }

    private static void assertSubmitRefused(Engine engine, Request request, String named) {
        RequestHandle handle = engine.submit(request);
        assertTrue(handle.result().isCompletedExceptionally(), "refused at once");
        Throwable why = assertThrows(java.util.concurrent.CompletionException.class, () -> handle.result().join()).getCause();
        assertTrue(why instanceof IllegalArgumentException && why.getMessage().contains(named), String.valueOf(why));
    }

    /** Negative and out-of-range arguments elsewhere in the public API: counts, ids, byte budgets. */
    @Test
    void otherOutOfRangeArguments() {
        for (int n : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> Request.builder().samples(n));
        }
        assertThrows(IllegalArgumentException.class, () -> Speculation.promptLookup(-1));
        assertThrows(IllegalArgumentException.class, () -> Speculation.redrafter(4, 0));
        assertThrows(IllegalArgumentException.class, () -> Speculation.redrafter(64, 2));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withSpeculativeStepTokens(0));
        assertThrows(IllegalArgumentException.class, () -> KvOptions.defaults().withBudgetBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> KvOptions.defaults().withBlockTokens(0));
        assertThrows(IllegalArgumentException.class, () -> KvOptions.defaults().withBlockTokens(-16));
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withMaxWeightBytes(-1));
        assertTrue(message(IllegalArgumentException.class, () -> llama2c.kvTokensFor(-1)).contains("-1"));
        assertEquals(0, llama2c.kvTokensFor(0));
        for (Engine engine : new Engine[] {llama2c, hf}) {
            Tokenizer t = engine.tokenizer();
            // previousId (the token before the decoded ones) must be a token or -1 (none).
            for (int bad : new int[] {-2, 512, Integer.MAX_VALUE}) {
                assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {5}, bad));
                assertThrows(IllegalArgumentException.class, () -> t.decoder(bad));
                assertThrows(IllegalArgumentException.class, () -> t.decoder(-1).next(bad));
                assertThrows(IllegalArgumentException.class, () -> t.tokenBytes(bad));
            }
            RequestHandle handle = engine.submit(Request.builder().prompt("Once").maxTokens(2).samples(2).build());
            assertThrows(IllegalArgumentException.class, () -> handle.cancel(-1));
            assertThrows(IllegalArgumentException.class, () -> handle.cancel(2));
            handle.result().join();
        }
    }

    @Test
    void nonFiniteOrOutOfRangeSampling() {
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().temperature(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().temperature(Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topP(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topP(-0.5f));
        // Extreme but legal values run.
        Request r = Request.builder().prompt("Once").maxTokens(4).sampling(Sampling.builder()
                .temperature(Float.MAX_VALUE).topK(Integer.MAX_VALUE).topP(Float.MIN_VALUE).seed(-1).build()).build();
        assertEquals(4, llama2c.generate(r).tokenIds().length, "no stop id is likely in 4 draws; at worst fewer");
    }

    /**
     * A prompt of one byte repeated 10 MB long: the tokenizers merge in O(n log n), so one 10 MB
     * prompt costs about what eight prompts of 1.25 MB cost together (1.1 times for n log n), where a
     * quadratic merge loop would cost eight times as much. The bound, 5, leaves room for the large
     * input's cache misses (its merge heap outgrows the caches; seen: 2.2 times on a busy machine,
     * 3.3 while another process benchmarked).
     */
    @Test
    void tenMegabytePromptOfOneByteTokenizesInLinearTime() {
        for (Engine engine : new Engine[] {llama2c, hf}) {
            Tokenizer tokenizer = engine.tokenizer();
            String eighth = "a".repeat(10 << 17);
            String full = "a".repeat(10 << 20);
            tokenizer.encode(full); // warm-up: JIT, and a heap grown to the larger size
            long tEighths = cpuTime(6, () -> {
                int tokens = 0;
                for (int i = 0; i < 8; i++) tokens += tokenizer.encode(eighth).length;
                return tokens;
            });
            long tFull = cpuTime(6, () -> tokenizer.encode(full).length);
            double ratio = (double) tFull / tEighths;
            System.out.printf("%s: 8 x 1.25 MB %d ms, 10 MB %d ms (user CPU time, best of 6), ratio %.2f%n",
                    engine.info().architecture(), tEighths / 1_000_000, tFull / 1_000_000, ratio);
            assertTrue(tFull < 30_000_000_000L, "10 MB took " + tFull / 1_000_000 + " ms");
            assertTrue(ratio < 5.0, "one 10 MB prompt took " + ratio + " times as long as eight of 1.25 MB");
            // The engine then refuses it by length, before any native call.
            String msg = message(IllegalArgumentException.class, () -> engine.generate(Request.of(full, 1)));
            assertTrue(msg.contains("context"), msg);
        }
    }

    /**
     * User CPU time this thread spent on the least disturbed of {@code runs} runs of {@code work}. Not
     * wall time, so other processes on a busy machine and the GC's threads do not distort the ratio;
     * not system time either, which is dominated by page faults of a heap growing to hold the larger
     * input. The minimum, not the mean: a neighbour saturating memory bandwidth slows some runs of
     * the larger input; runs take 50-600 ms, so the 10 ms clock tick of user time stays small
     * against them.
     */
    private static long cpuTime(int runs, java.util.function.IntSupplier work) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            System.gc(); // a collection of the last run's garbage must not land inside this one
            long start = cpu ? threads.getCurrentThreadUserTime() : System.nanoTime();
            assertTrue(work.getAsInt() > 1);
            best = Math.min(best, (cpu ? threads.getCurrentThreadUserTime() : System.nanoTime()) - start);
        }
        return Math.max(1, best);
    }
}
