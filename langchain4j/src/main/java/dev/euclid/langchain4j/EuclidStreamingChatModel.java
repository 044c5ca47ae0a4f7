package dev.euclid.langchain4j;

import dev.euclid.Engine;
import dev.euclid.RequestHandle;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * An Euclid {@link Engine} as a LangChain4j {@link StreamingChatModel}. {@code chat} returns at once;
 * the handler gets the reply's text as it is generated, then the complete response (text, token
 * usage, finish reason), or an error. Callbacks run on the common fork-join pool, one at a time and
 * in order, never on the engine's thread. Cancelling through the partial response's
 * {@code streamingHandle()} stops the request at the engine's next step and frees its KV blocks;
 * the handler then hears nothing more. The engine is borrowed: close it yourself.
 */
public final class EuclidStreamingChatModel extends EuclidModelBase implements StreamingChatModel {
    private EuclidStreamingChatModel(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bad requests (unsupported messages, invalid parameters, a prompt too long) reach {@code handler.onError}. */
    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        RequestHandle handle;
        try {
            handle = engine.submit(conversion.request(request));
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        handle.tokens().subscribe(new StreamingRelay(handle, handler, conversion));
    }

    public static final class Builder extends EuclidModelBuilder<Builder> {
        private Builder() {
        }

        /** @throws IllegalStateException without an engine, or when neither the model nor the builder has a chat template */
        public EuclidStreamingChatModel build() {
            return new EuclidStreamingChatModel(this);
        }
    }
}
