package dev.euclid;

import dev.euclid.chat.ChatTemplate;
import dev.euclid.internal.CudaFacts;
import dev.euclid.internal.DeviceSelection;
import dev.euclid.internal.KvRuntime;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.NativeStepRunner;
import dev.euclid.internal.sched.AcceptanceRule;
import dev.euclid.internal.sched.Scheduler;
import dev.euclid.internal.spec.BeamDrafter;
import dev.euclid.internal.spec.NativeDrafter;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model, ready to generate. Open one per model and share it between threads; close it to
 * free its native memory.
 *
 * <pre>{@code
 * try (Engine engine = Engine.open(Path.of("models/stories260K/stories260K.bin"))) {
 *     Completion c = engine.generate(Request.of("Once upon a time", 64));
 *     System.out.println(c.text());
 * }
 * }</pre>
 *
 * <p>Requests from any number of threads run together: one engine thread batches the next token of
 * every running sample with chunks of new prompts into each forward pass ({@link #submit}).
 *
 * <p>An engine that becomes unreachable without {@code close()} is closed by a Cleaner once its
 * submitted requests have finished (they keep it reachable, like {@code HttpClient}'s), with a
 * warning logged: its thread stops and its native memory is freed.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final NativeModel model;
    private final Tokenizer tokenizer;
    private final Sampling defaultSampling;
    private final KvRuntime runtime;
    private final RequestValidator validator;
    private final Scheduler scheduler;
    private final EngineRelease release;
    private final Cleaner.Cleanable cleanable;
    private final Path source;
    private Optional<ChatTemplate> chatTemplate; // read on first use, guarded by this
    private volatile boolean closed;
    private volatile boolean drafterLoaded;

    private Engine(NativeModel model, ModelSpec spec, EngineOptions options, Path source) {
        this.model = model;
        this.source = source;
        this.tokenizer = spec.tokenizer();
        this.defaultSampling = spec.defaultSampling();
        this.runtime = new KvRuntime(model, options);
        this.validator = new RequestValidator(tokenizer, model.info().vocabSize(), spec.defaultStopIds(), runtime);
        try {
            this.scheduler = new Scheduler(runtime, tokenizer, model.info().contextLength(), model.info().vocabSize(),
                    options.speculativeStepTokens());
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
        this.release = new EngineRelease(scheduler, runtime, model);
        this.cleanable = CLEANER.register(this, release);
    }

    /**
     * Opens an engine file, a GGUF file, a llama2.c checkpoint (tokenizer beside it) or a Hugging Face
     * model folder, with the default options.
     */
    public static Engine open(Path model) {
        return open(model, EngineOptions.defaults());
    }

    /**
     * Opens a model, detecting its format.
     *
     * @throws ModelFormatException if the files are malformed, inconsistent or unsupported
     * @throws java.io.UncheckedIOException if they cannot be read
     */
    public static Engine open(Path model, EngineOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        // Before anything is read: a device that cannot be used fails here, holding nothing.
        Device device = DeviceSelection.resolve(options.device(), CudaFacts::probe, LOG::info);
        ModelLoader.Loaded loaded = ModelLoader.open(model, options);
        ModelSpec spec = loaded.spec();
        if (spec.tokenizer().vocabSize() > spec.info().vocabSize()) {
            loaded.model().close();
            throw new ModelFormatException(model + ": tokenizer has " + spec.tokenizer().vocabSize()
                    + " tokens but the model only " + spec.info().vocabSize());
        }
        Engine engine;
        try {
            // Before the KV cache and the workspace exist: they take their memory from the model's device.
            if (device.kind() == Device.Kind.CUDA) loaded.model().useCuda(device.index());
            engine = new Engine(loaded.model(), spec, options, model);
        } catch (RuntimeException e) {
            loaded.model().close();
            throw e;
        }
        LOG.info("opened {} ({} parameters, {} weights, {} threads, on {}) in {} ms", model, spec.info().parameterCount(),
                loaded.model().weights().wireName(), loaded.model().threads(), loaded.model().device(),
                (System.nanoTime() - start) / 1_000_000);
        return engine;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The model's chat template, read from its files on first call: chat_template.jinja or
     * tokenizer_config.json beside a Hugging Face checkpoint, a GGUF's tokenizer.chat_template, or
     * the tokenizer_config.json an engine file carries. Empty when the model has none.
     *
     * @throws ModelFormatException if the files holding the template are malformed
     */
    public synchronized Optional<ChatTemplate> chatTemplate() {
        if (chatTemplate == null) chatTemplate = ChatTemplate.fromModel(source);
        return chatTemplate;
    }

    public ModelInfo info() {
        return model.info();
    }

    /** The precision the weight matrices are stored in. */
    public synchronized Precision weights() {
        return get(model::weights);
    }

    /** Weight bytes one decode step reads: with tokens/s, the memory bandwidth decode uses. */
    public synchronized long weightBytesPerToken() {
        return get(model::bytesPerToken);
    }

    /** Where the forward pass runs: "cpu", or "cuda:N (GPU name)". */
    public synchronized String device() {
        return get(model::device);
    }

    /** Kernel threads this engine runs on. */
    public synchronized int threads() {
        return get(model::threads);
    }

    /** The tokens that end generation when a request names none (e.g. BOS for llama2.c, eos_token_id for HF). */
    public int[] defaultStopTokenIds() {
        return validator.defaultStopIds();
    }

    /**
     * The sampling of requests that name none: a Hugging Face model's generation_config.json
     * (greedy unless it sets do_sample; its temperature, top_k and top_p), else greedy.
     */
    public Sampling defaultSampling() {
        return defaultSampling;
    }

    /** Runs a single-sample request to completion and returns the result. */
    public Completion generate(Request request) {
        return generate(request, null);
    }

    /** Runs a single-sample request, calling {@code listener} on this thread for every token as it is generated. */
    public Completion generate(Request request, Consumer<TokenEvent> listener) {
        Objects.requireNonNull(request, "request");
        if (request.samples() != 1) {
            throw new IllegalArgumentException("the request asks for " + request.samples() + " samples: use generateAll");
        }
        return generateAll(request, listener).samples().get(0);
    }

    /** Runs every sample of a request (they share the prompt's KV blocks). */
    public Generation generateAll(Request request) {
        return generateAll(request, null);
    }

    /**
     * Runs every sample of a request, streaming tokens (with their sample index) to {@code listener},
     * which is called on the engine's thread (keep it short; don't call the engine from it).
     */
    public Generation generateAll(Request request, Consumer<TokenEvent> listener) {
        try {
            return submit(request, listener).result().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /**
     * Queues a request and returns at once. Any number of threads may submit; every step of the
     * engine batches the next token of all running samples with chunks of new prompts. A request that
     * can never run on this model (prompt beyond the context, token ids outside the vocabulary, an
     * unknown stop token id, more KV than the budget holds) gets a handle whose result has already
     * failed with an IllegalArgumentException saying why; other requests are not affected.
     *
     * @throws IllegalStateException if the engine is closed
     */
    public RequestHandle submit(Request request) {
        return submit(request, null);
    }

    private RequestHandle submit(Request request, Consumer<TokenEvent> listener) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        RequestHandle handle = queue(request, listener);
        // The engine thread reaches this engine only through unfinished requests: this completion
        // action holds it until the result is done, so the Cleaner never closes it under a request.
        handle.result().whenComplete((g, e) -> Reference.reachabilityFence(this));
        return handle;
    }

    private RequestHandle queue(Request given, Consumer<TokenEvent> listener) {
        Request request = given.samplingGiven() ? given : given.withModelSampling(defaultSampling);
        RequestValidator.Checked checked;
        try {
            checked = validator.check(request, drafterLoaded);
        } catch (IllegalArgumentException e) {
            return Scheduler.refused(request, e);
        }
        return scheduler.submit(request, checked.prompt(), checked.stopIds(), checked.maxNew(), listener);
    }

    /** The KV cache now: blocks used, cached and free, prefix-cache hits and misses. */
    public KvStats kvStats() {
        ensureOpen();
        return call(runtime::stats);
    }

    /** Queue length, running sequences, steps, tokens/s, step time and KV use, now. */
    public EngineMetrics metrics() {
        ensureOpen();
        return call(() -> scheduler.metrics(runtime.stats()));
    }

    /** Tokens (positions) a KV budget of {@code bytes} holds for this engine's model, KV type and block size. */
    public long kvTokensFor(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("a KV budget must be >= 0 bytes, got " + bytes);
        KvStats s = kvStats();
        return bytes / (s.bytesPerToken() * s.blockTokens()) * s.blockTokens();
    }

    /**
     * Logits (vocabSize per row) after each of {@code tokens}, teacher-forced: row t scores the token
     * following tokens[0..t]. For scoring and evaluation; generation never copies logits to Java.
     */
    public float[][] logits(int... tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.length == 0) throw new IllegalArgumentException("tokens must not be empty");
        validator.checkTokens(tokens);
        return call(() -> runtime.logits(tokens));
    }

    /**
     * How likely the model finds each token of {@code tokens} after the ones before it (teacher-forced):
     * a prompt's log-probabilities, as OpenAI's {@code echo} with {@code logprobs} reports them. Values
     * come from the unmodified distribution, exactly as {@link TokenEvent#logprob()} reports a generated
     * token's. Costs one pass over the tokens, run between engine steps (other requests wait for it)
     * without the prefix cache.
     *
     * @param topLogprobs alternatives per position, 0 to {@link Request#MAX_TOP_LOGPROBS} (at most the vocabulary)
     */
    public PromptLogprobs promptLogprobs(int[] tokens, int topLogprobs) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.length == 0) throw new IllegalArgumentException("tokens must not be empty");
        int most = Math.min(Request.MAX_TOP_LOGPROBS, info().vocabSize());
        if (topLogprobs < 0 || topLogprobs > most) {
            throw new IllegalArgumentException("topLogprobs must be in [0, " + most + "], got " + topLogprobs);
        }
        validator.checkTokens(tokens);
        int[] copy = tokens.clone();
        return call(() -> runtime.promptLogprobs(copy, topLogprobs));
    }

    /** Runs a task on the engine thread; this engine stays reachable (not cleaned) until it returns. */
    private <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            return scheduler.call(task);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** A native getter; this engine stays reachable (not cleaned) until it returns. */
    private <T> T get(java.util.function.Supplier<T> getter) {
        ensureOpen();
        try {
            return getter.get();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Loads a drafter trained for this model ({@link Drafters#train}) for requests that draft with
     * {@link Speculation#redrafter}; replaces an earlier one.
     *
     * @throws ModelFormatException if the file is malformed or was trained for another model
     */
    public void loadDrafter(Path file) {
        Objects.requireNonNull(file, "file");
        ensureOpen();
        NativeDrafter drafter = NativeDrafter.open(file, model);
        NativeStepRunner kv = runtime.kv();
        try {
            useDrafter(new BeamDrafter() {
                @Override
                public void propose(int n, int[] rows, int[] tokens, int beams, int length, int[] out) {
                    drafter.propose(kv.workspace(), n, rows, tokens, beams, length, out);
                }

                @Override
                public void close() {
                    drafter.close();
                }
            });
        } catch (RuntimeException e) {
            drafter.close();
            throw e;
        }
    }

    /** Makes {@code drafter} the drafter of REDRAFTER requests (replacing and closing an earlier one). */
    void useDrafter(BeamDrafter drafter) {
        ensureOpen();
        scheduler.call(() -> {
            scheduler.useDrafter(drafter);
            return null;
        });
        drafterLoaded = true;
    }

    /** Replaces the rule that keeps or rejects drafts (tests show a wrong rule is noticed). */
    void useAcceptanceRule(AcceptanceRule rule) {
        ensureOpen();
        scheduler.call(() -> {
            scheduler.useAcceptanceRule(rule);
            return null;
        });
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("engine is closed");
    }

    /**
     * Fails running and queued requests with an IllegalStateException, stops the engine thread and
     * frees all native memory. A second call does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        release.explicit = true;
        cleanable.clean();
    }
}
