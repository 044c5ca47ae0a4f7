package dev.euclid.langchain4j;

import dev.euclid.Engine;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * An Euclid {@link Engine} as a LangChain4j {@link ChatModel}: the conversation goes through the
 * chat template, the reply is generated in-process (blocking the caller; concurrent callers batch
 * together in the engine). The engine is borrowed: close it yourself after the model is done.
 *
 * <pre>{@code
 * ChatModel model = EuclidChatModel.builder().engine(engine).build();
 * String answer = model.chat("What is 2+2?");
 * }</pre>
 */
public final class EuclidChatModel extends EuclidModelBase implements ChatModel {
    private EuclidChatModel(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return conversion.response(engine.generate(conversion.request(request)));
    }

    public static final class Builder extends EuclidModelBuilder<Builder> {
        private Builder() {
        }

        /** @throws IllegalStateException without an engine, or when neither the model nor the builder has a chat template */
        public EuclidChatModel build() {
            return new EuclidChatModel(this);
        }
    }
}
