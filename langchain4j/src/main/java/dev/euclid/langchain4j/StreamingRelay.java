package dev.euclid.langchain4j;

import dev.euclid.RequestHandle;
import dev.euclid.TokenEvent;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

/**
 * Passes one request's token stream to a LangChain4j handler: each token's text as a partial
 * response, then the complete response once the request's result is in, or the failure. Also the
 * handle through which the handler cancels the request.
 */
final class StreamingRelay implements Flow.Subscriber<TokenEvent>, StreamingHandle {
    private final RequestHandle request;
    private final StreamingChatResponseHandler handler;
    private final ChatConversion conversion;
    private final PartialResponseContext context = new PartialResponseContext(this);
    private volatile boolean cancelled;
    /** Set once the handler has been told the request's end (complete or error), so it hears it once. */
    private volatile boolean ended;

    StreamingRelay(RequestHandle request, StreamingChatResponseHandler handler, ChatConversion conversion) {
        this.request = request;
        this.handler = handler;
        this.conversion = conversion;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(TokenEvent event) {
        // Empty while a character's bytes are split across tokens: the text comes with a later token.
        if (cancelled || ended || event.text().isEmpty()) return;
        try {
            handler.onPartialResponse(new PartialResponse(event.text()), context);
        } catch (RuntimeException e) {
            // A failing handler ends the request: generating on for nobody would only hold KV blocks.
            request.cancel();
            fail(e);
        }
    }

    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    @Override
    public void onComplete() {
        // The token stream ends just before the result completes; wait for the result, not the stream.
        request.result().whenComplete((generation, error) -> {
            if (error != null) {
                fail(error);
                return;
            }
            if (cancelled || ended) return;
            ended = true;
            handler.onCompleteResponse(conversion.response(generation.samples().get(0)));
        });
    }

    private void fail(Throwable error) {
        if (cancelled || ended) return;
        ended = true;
        handler.onError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
    }

    @Override
    public void cancel() {
        cancelled = true;
        request.cancel();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }
}
