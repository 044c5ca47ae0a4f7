package dev.euclid.solver.model;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.Sampling;
import dev.euclid.Speculation;
import dev.euclid.Tokenizer;
import dev.euclid.chat.ChatTemplate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The solver's model in-process: a problem's first turns are ONE request of n samples, so they
 * share the prompt's KV blocks and decode in one batch; each continuation is a request of its own
 * built with {@code continueFrom}, whose earlier tokens' KV comes from the prefix cache, so only
 * the tool output is computed. The engine decodes every other sample while one waits for its code.
 * With a chat template, the prompt is the user's message and the template's text, special tokens
 * included, is the model's prompt (nothing is added to it again, as transformers tokenizes a
 * rendered chat).
 */
public final class EngineBackend implements ModelBackend {
    private final Engine engine;
    private final Tokenizer tokenizer;
    private final int contextLength;
    private final Speculation speculation;
    private final ChatTemplate chat; // null: the prompt is the model's text as it is

    /** Drives {@code engine}, which the caller keeps and closes, without speculative decoding. */
    public EngineBackend(Engine engine) {
        this(engine, Speculation.off());
    }

    /** Drives {@code engine}; every turn drafts with {@code speculation} (lossless: the same text). */
    public EngineBackend(Engine engine, Speculation speculation) {
        this(engine, speculation, null);
    }

    /**
     * Drives {@code engine}; with {@code chat} non-null each problem's prompt is asked as the user
     * message of that chat template (a chat model's own: {@code engine.chatTemplate()}).
     */
    public EngineBackend(Engine engine, Speculation speculation, ChatTemplate chat) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.speculation = Objects.requireNonNull(speculation, "speculation");
        this.chat = chat;
        this.tokenizer = engine.tokenizer();
        this.contextLength = engine.info().contextLength();
    }

    @Override
    public SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener) {
        Objects.requireNonNull(listener, "listener");
        int[] ids = chat == null ? tokenizer.encode(prompt)
                : tokenizer.encode(chat.render(List.of(Map.of("role", "user", "content", prompt)), true), false);
        FirstTurns group = new FirstTurns(samples, this::toTurn, listener);
        Request.Builder b = request(decoding, seed, ids.length).samples(samples).groupStop(group::sampleEnded);
        Request request = (chat == null ? b.prompt(prompt) : b.promptTokens(ids)).build();
        RequestHandle handle = engine.submit(request);
        group.attach(handle);
        return group;
    }

    @Override
    public PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed) {
        if (!(previous.continuation() instanceof Completion done)) {
            throw new IllegalArgumentException("not a turn of this engine backend: " + previous);
        }
        int[] tail = appended.isEmpty() ? new int[0] : tokenizer.encode(appended, false);
        int context = done.promptTokenIds().length + done.tokenIds().length + tail.length;
        if (context >= contextLength) {
            // Nothing more fits: the sample ends here, as it would at the context's end.
            Turn full = new Turn("", null, Turn.End.LENGTH, 0, context, null);
            return PendingTurn.of(CompletableFuture.completedFuture(full), () -> {});
        }
        RequestHandle handle = engine.submit(request(decoding, seed, context).continueFrom(done, tail).build());
        CompletableFuture<Turn> turn = handle.result().handle((g, e) -> {
            if (e == null) return toTurn(g.samples().get(0));
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CancellationException) return new Turn("", null, Turn.End.STOPPED, 0, context, null);
            throw new CompletionException(cause);
        });
        return PendingTurn.of(turn, handle::cancel); // frees the blocks at the next step; the turn reports STOPPED
    }

    @Override
    public double recentTokensPerSecond() {
        return engine.metrics().recentTokensPerSecond();
    }

    private Request.Builder request(Decoding d, long seed, int contextTokens) {
        int room = Math.max(1, Math.min(d.maxTokens(), contextLength - contextTokens));
        return Request.builder().maxTokens(room).speculation(speculation)
                .sampling(Sampling.builder().temperature(d.temperature()).topP(d.topP()).seed(seed).build())
                .stopStrings(d.stops().toArray(String[]::new));
    }

    /** A completion as a turn: at a stop string the text is every generated token's text, the match included. */
    private Turn toTurn(Completion c) {
        int[] prompt = c.promptTokenIds();
        Turn.End end = switch (c.finishReason()) {
            case STOP -> c.stopString() != null ? Turn.End.STOP_STRING : Turn.End.END_OF_TEXT;
            case LENGTH -> Turn.End.LENGTH;
            case GROUP_STOP, CANCELLED -> Turn.End.STOPPED;
        };
        String text = c.stopString() != null ? tokenizer.decode(c.tokenIds(), prompt[prompt.length - 1]) : c.text();
        return new Turn(text, c.stopString(), end, c.tokenIds().length, prompt.length, c);
    }
}
