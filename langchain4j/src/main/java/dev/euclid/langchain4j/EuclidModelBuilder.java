package dev.euclid.langchain4j;

import dev.euclid.Engine;
import dev.euclid.chat.ChatTemplate;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.Objects;

/**
 * What {@link EuclidChatModel} and {@link EuclidStreamingChatModel} are built from: an engine the
 * caller keeps ownership of, the chat template, default request parameters and the model name.
 *
 * @param <B> the concrete builder
 */
public abstract class EuclidModelBuilder<B extends EuclidModelBuilder<B>> {
    private Engine engine;
    private ChatTemplate chatTemplate;
    private ChatRequestParameters defaultRequestParameters = EuclidChatRequestParameters.builder().build();
    private String modelName = "euclid";

    EuclidModelBuilder() {
    }

    /**
     * The engine to generate with (required). It is borrowed: the model never closes it, so one
     * engine can back several models; close it after the last model is done with it.
     */
    public B engine(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        return self();
    }

    /** The chat template; by default the model's own ({@link Engine#chatTemplate()}). */
    public B chatTemplate(ChatTemplate chatTemplate) {
        this.chatTemplate = Objects.requireNonNull(chatTemplate, "chatTemplate");
        return self();
    }

    /**
     * Parameters for requests that leave them out ({@link EuclidChatRequestParameters} adds the seed).
     * Unset sampling parameters mean the model's default sampling.
     */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        this.defaultRequestParameters = Objects.requireNonNull(parameters, "parameters");
        return self();
    }

    /** The name responses report; default "euclid". */
    public B modelName(String modelName) {
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        return self();
    }

    ChatRequestParameters parameters() {
        return defaultRequestParameters;
    }

    Engine engine() {
        if (engine == null) throw new IllegalStateException("engine(...) is required");
        return engine;
    }

    ChatConversion conversion() {
        Engine e = engine();
        ChatTemplate template = chatTemplate != null ? chatTemplate : e.chatTemplate().orElseThrow(() ->
                new IllegalStateException("the model has no chat template; pass one with chatTemplate(ChatTemplate.parse(...))"));
        return new ChatConversion(e, template, modelName);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
