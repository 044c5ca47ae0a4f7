package dev.euclid.server;

import com.sun.net.httpserver.HttpExchange;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.FinishReason;
import dev.euclid.Generation;
import dev.euclid.RequestHandle;
import dev.euclid.TokenEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * One generation request on the wire: its prompts submitted to the engine, their tokens relayed to
 * the client as they come (SSE) or collected, and the answer written. The request thread only
 * waits and writes; the engine schedules. A stream whose client has gone (a write fails) cancels
 * its engine requests, which frees their KV blocks at the next step.
 */
final class GenerationRun {
    /** A token of prompt {@code prompt}'s request, or (event null) the end of that request's stream. */
    private record Signal(int prompt, TokenEvent event, long nanos) {}

    private final Engine engine;
    private final GenerationSpec spec;
    private final HttpExchange exchange;
    private final ServerMetrics metrics;
    private final ResponseMeta meta;
    private final long arrivalNanos;
    private final int[] stopIds;
    private final List<RequestHandle> handles = new ArrayList<>();
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final StringBuilder[] streamed;
    private final ToolCallChoice[] toolCallChoices; // per streamed choice when its calls are read out; else null
    private final long[] lastTokenNanos;
    private List<List<TokenLogprob>> echoedLogprobs; // per prompt, with echo and logprobs; else null
    private int[] echoedTokenTextLength; // per prompt, the length of its tokens' texts, with echoedLogprobs
    private HttpIo.EventStream stream; // null unless streaming and the client is still there
    private volatile boolean stoppedByShutdown;

    GenerationRun(Engine engine, GenerationSpec spec, HttpExchange exchange, ServerMetrics metrics, ResponseMeta meta,
            long arrivalNanos) {
        this.engine = engine;
        this.spec = spec;
        this.exchange = exchange;
        this.metrics = metrics;
        this.meta = meta;
        this.arrivalNanos = arrivalNanos;
        this.stopIds = engine.defaultStopTokenIds();
        this.streamed = new StringBuilder[spec.choices()];
        this.lastTokenNanos = new long[spec.choices()];
        for (int i = 0; i < streamed.length; i++) streamed[i] = new StringBuilder();
        this.toolCallChoices = spec.stream() && spec.parsesToolCalls() ? new ToolCallChoice[spec.choices()] : null;
        for (int i = 0; toolCallChoices != null && i < toolCallChoices.length; i++) {
            toolCallChoices[i] = new ToolCallChoice(spec.toolCalls(), meta, i, spec.includeUsage(), engine.tokenizer());
        }
    }

    /** Submits, relays and answers; an ApiException thrown before the answer has begun is the caller's to send. */
    void run() throws IOException, InterruptedException {
        submit();
        if (spec.echo() && spec.logprobs()) scorePrompts();
        if (spec.stream()) startStream();
        try {
            relay();
        } catch (InterruptedException e) {
            cancel();
            throw e;
        }
        List<Generation> generations = new ArrayList<>();
        Throwable failure = null;
        for (RequestHandle h : handles) {
            try {
                generations.add(h.result().join());
            } catch (CompletionException e) {
                failure = e.getCause();
            } catch (CancellationException e) {
                failure = e;
            }
        }
        count(generations);
        if (failure != null) fail(failure);
        else if (spec.stream()) finishStream(generations);
        else answer(generations);
    }

    /** Cancels the engine requests (server shutdown past its deadline); the client gets a 503 or an error event. */
    void stopForShutdown() {
        stoppedByShutdown = true;
        cancel();
    }

    private void cancel() {
        for (RequestHandle h : handles) h.cancel();
    }

    private void submit() {
        for (int p = 0; p < spec.prompts().size(); p++) {
            RequestHandle h;
            try {
                h = engine.submit(spec.request(spec.prompts().get(p)));
            } catch (IllegalStateException closed) {
                cancel();
                throw unavailable();
            }
            handles.add(h);
            // A request that can never run (more KV than the budget holds, ...) fails at submit: answer 400.
            if (h.result().isCompletedExceptionally()) {
                cancel();
                Throwable why = h.result().handle((g, e) -> e instanceof CompletionException c ? c.getCause() : e).join();
                String param = spec.api() == Api.CHAT ? "messages" : spec.prompts().size() > 1 ? "prompt[" + p + "]" : "prompt";
                if (why instanceof IllegalArgumentException) throw ApiException.invalid(param, why.getMessage());
                throw serverError(why);
            }
            final int prompt = p;
            h.tokens().subscribe(new Flow.Subscriber<TokenEvent>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(TokenEvent e) {
                    signals.add(new Signal(prompt, e, System.nanoTime()));
                }

                @Override
                public void onError(Throwable t) {
                    signals.add(new Signal(prompt, null, 0));
                }

                @Override
                public void onComplete() {
                    signals.add(new Signal(prompt, null, 0));
                }
            });
        }
    }

    /**
     * The echoed prompts' log-probabilities: one teacher-forced pass over each prompt, run between the
     * engine's steps (the answer's samples are already queued).
     */
    private void scorePrompts() {
        echoedLogprobs = new ArrayList<>();
        echoedTokenTextLength = new int[spec.prompts().size()];
        try {
            for (GenerationSpec.Prompt p : spec.prompts()) {
                List<TokenLogprob> tokens = TokenLogprob.prompt(engine.promptLogprobs(p.ids(), spec.topLogprobs()));
                for (TokenLogprob t : tokens) {
                    echoedTokenTextLength[echoedLogprobs.size()] += TokenLogprob.text(engine.tokenizer(), t.id()).length();
                }
                echoedLogprobs.add(tokens);
            }
        } catch (IllegalStateException closed) {
            cancel();
            throw unavailable();
        } catch (RuntimeException e) {
            cancel();
            throw serverError(e);
        }
    }

    /** Headers and each choice's opening chunk (chat: the role; completions with echo: the prompt). */
    private void startStream() {
        metrics.response(spec.api().path, 200);
        try {
            stream = new HttpIo.EventStream(exchange);
            for (int c = 0; c < spec.choices(); c++) {
                if (spec.api() == Api.CHAT) {
                    stream.event(OpenAiJson.chunk(spec.api(), meta, c, "", true, null, 0, null, spec.includeUsage(),
                            engine.tokenizer()));
                } else if (spec.echo()) {
                    String prompt = spec.prompts().get(c / spec.n()).text();
                    List<TokenLogprob> logprobs = echoedLogprobs == null ? null : echoedLogprobs.get(c / spec.n());
                    stream.event(OpenAiJson.chunk(spec.api(), meta, c, prompt, false, logprobs, 0, null,
                            spec.includeUsage(), engine.tokenizer()));
                }
            }
        } catch (IOException gone) {
            clientGone();
        }
    }

    private void relay() throws InterruptedException {
        boolean first = true;
        for (int open = handles.size(); open > 0; ) {
            Signal s = signals.take();
            if (s.event() == null) {
                open--;
                continue;
            }
            int choice = s.prompt() * spec.n() + s.event().sample();
            if (first) metrics.timeToFirstToken.observeNanos(s.nanos() - arrivalNanos);
            first = false;
            if (lastTokenNanos[choice] != 0) metrics.interTokenLatency.observeNanos(s.nanos() - lastTokenNanos[choice]);
            lastTokenNanos[choice] = s.nanos();
            if (stream != null) send(choice, s.event());
            streamed[choice].append(s.event().text());
        }
        metrics.requestDuration.observeNanos(System.nanoTime() - arrivalNanos);
    }

    private void send(int choice, TokenEvent e) {
        List<TokenLogprob> logprobs = spec.logprobs() && !isStopToken(e.tokenId())
                ? List.of(new TokenLogprob(e.tokenId(), e.logprob(), e.topLogprobs())) : null;
        if (e.text().isEmpty() && logprobs == null) return;
        try {
            if (toolCallChoices != null) {
                for (JsonBody chunk : toolCallChoices[choice].token(e.text(), logprobs)) stream.event(chunk);
                return;
            }
            stream.event(OpenAiJson.chunk(spec.api(), meta, choice, e.text(), false, logprobs, textOffset(choice), null,
                    spec.includeUsage(), engine.tokenizer()));
        } catch (IOException gone) {
            clientGone();
        }
    }

    private void clientGone() {
        stream = null;
        metrics.disconnects.increment();
        cancel();
    }

    private void finishStream(List<Generation> generations) throws IOException {
        if (stream == null) return;
        try {
            for (int p = 0; p < generations.size(); p++) {
                List<Completion> samples = generations.get(p).samples();
                for (int i = 0; i < samples.size(); i++) {
                    int choice = p * spec.n() + i;
                    Completion c = samples.get(i);
                    // Text held back at the end (an incomplete character flushed when the sample stopped) comes last.
                    String rest = c.text().substring(Math.min(streamed[choice].length(), c.text().length()));
                    if (toolCallChoices != null) {
                        for (JsonBody chunk : toolCallChoices[choice].finish(rest, c.finishReason().wireName())) {
                            stream.event(chunk);
                        }
                        continue;
                    }
                    stream.event(OpenAiJson.chunk(spec.api(), meta, choice, rest, false, null, textOffset(choice),
                            c.finishReason().wireName(), spec.includeUsage(), engine.tokenizer()));
                }
            }
            if (spec.includeUsage()) stream.event(OpenAiJson.usageChunk(spec.api(), meta, usage(generations)));
            stream.done();
        } catch (IOException gone) {
            metrics.disconnects.increment();
        }
    }

    private void answer(List<Generation> generations) throws IOException {
        List<OpenAiJson.Choice> choices = new ArrayList<>();
        for (int p = 0; p < generations.size(); p++) {
            Generation g = generations.get(p);
            for (int i = 0; i < g.samples().size(); i++) {
                Completion c = g.samples().get(i);
                String text = spec.echo() ? spec.prompts().get(p).text() + c.text() : c.text();
                List<TokenLogprob> logprobs = spec.logprobs() ? logprobs(c) : null;
                if (echoedLogprobs != null) logprobs.addAll(0, echoedLogprobs.get(p));
                choices.add(spec.parsesToolCalls()
                        ? ToolCallChoice.whole(spec.toolCalls(), p * spec.n() + i, text, c.finishReason().wireName(), logprobs)
                        : new OpenAiJson.Choice(p * spec.n() + i, text, List.of(), c.finishReason().wireName(), logprobs, 0));
            }
        }
        metrics.response(spec.api().path, 200);
        HttpIo.sendJson(exchange, 200, OpenAiJson.response(spec.api(), meta, choices, usage(generations), engine.tokenizer()));
    }

    /** The logprobs of a finished choice; the stop token that ended it is not part of its text and is left out. */
    private List<TokenLogprob> logprobs(Completion c) {
        int[] ids = c.tokenIds();
        int count = ids.length;
        if (count > 0 && c.finishReason() == FinishReason.STOP && isStopToken(ids[count - 1])) count--;
        List<TokenLogprob> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            out.add(new TokenLogprob(ids[j], c.logprobs()[j], c.topLogprobs() == null ? List.of() : c.topLogprobs().get(j)));
        }
        return out;
    }

    private void fail(Throwable failure) throws IOException {
        ApiException error = failure instanceof CancellationException && stoppedByShutdown ? unavailable()
                : failure instanceof TimeoutException ? new ApiException(504, "timeout", failure.getMessage(), null, null)
                : failure instanceof IllegalArgumentException ? ApiException.invalid(null, failure.getMessage())
                : serverError(failure);
        if (!spec.stream()) throw error;
        if (stream == null) return;
        try {
            stream.event(OpenAiJson.error(error));
            stream.done();
        } catch (IOException gone) {
            metrics.disconnects.increment();
        }
    }

    private void count(List<Generation> generations) {
        OpenAiJson.Usage u = usage(generations);
        metrics.promptTokens.add(u.promptTokens());
        metrics.completionTokens.add(u.completionTokens());
        for (Generation g : generations) {
            Completion first = g.samples().get(0);
            metrics.prefill(first.timings().prefillTokens(), first.timings().prefillNanos());
        }
    }

    private static OpenAiJson.Usage usage(List<Generation> generations) {
        long prompt = 0, completion = 0;
        for (Generation g : generations) {
            prompt += g.promptTokenIds().length;
            for (Completion c : g.samples()) completion += c.tokenIds().length;
        }
        return new OpenAiJson.Usage(prompt, completion);
    }

    /**
     * Where the next streamed token's text starts in the choice: after the echoed prompt, whose
     * length counts its tokens' texts when they are listed (as a whole answer's offsets do, which
     * add up every listed token), and after the text streamed so far.
     */
    private int textOffset(int choice) {
        int p = choice / spec.n();
        int echo = echoedLogprobs != null ? echoedTokenTextLength[p] : spec.echo() ? spec.prompts().get(p).text().length() : 0;
        return echo + streamed[choice].length();
    }

    private boolean isStopToken(int id) {
        return Arrays.stream(stopIds).anyMatch(s -> s == id);
    }

    static ApiException unavailable() {
        return new ApiException(503, "service_unavailable", "the server is shutting down", null, null);
    }

    private static ApiException serverError(Throwable why) {
        return new ApiException(500, "server_error", "the engine failed on this request: " + why, null, null);
    }
}
