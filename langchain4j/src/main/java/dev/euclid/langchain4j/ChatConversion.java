package dev.euclid.langchain4j;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.Tokenizer;
import dev.euclid.chat.ChatTemplate;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Arrays;

/** A LangChain4j chat request as an Euclid {@link Request}, and a {@link Completion} as a LangChain4j response. */
final class ChatConversion {
    private final Engine engine;
    private final ChatTemplate template;
    private final String modelName;

    ChatConversion(Engine engine, ChatTemplate template, String modelName) {
        this.engine = engine;
        this.template = template;
        this.modelName = modelName;
    }

    String modelName() {
        return modelName;
    }

    Request request(ChatRequest chat) {
        ChatRequestParameters p = chat.parameters();
        if (!p.toolSpecifications().isEmpty() || p.toolChoice() != null) {
            throw new UnsupportedFeatureException("tools are not supported by Euclid's chat models");
        }
        ResponseFormat format = p.responseFormat();
        if (format != null && format.type() != ResponseFormatType.TEXT) {
            throw new UnsupportedFeatureException("response format " + format.type() + " is not supported; only TEXT");
        }
        Request.Builder b = Request.builder().promptTokens(promptIds(template.render(TemplateMessages.of(chat.messages()), true)));
        if (p.maxOutputTokens() != null) b.maxTokens(p.maxOutputTokens());
        if (!p.stopSequences().isEmpty()) b.stopStrings(p.stopSequences().toArray(String[]::new));
        Long seed = p instanceof EuclidChatRequestParameters e ? e.seed() : null;
        if (p.temperature() != null || p.topP() != null || p.topK() != null || p.frequencyPenalty() != null
                || p.presencePenalty() != null || seed != null) {
            // Parameters left out keep the model's default sampling (generation_config.json), as a request without any does.
            Sampling.Builder s = engine.defaultSampling().toBuilder();
            if (p.temperature() != null) s.temperature(p.temperature().floatValue());
            if (p.topP() != null) s.topP(p.topP().floatValue());
            if (p.topK() != null) s.topK(p.topK());
            if (p.frequencyPenalty() != null) s.frequencyPenalty(p.frequencyPenalty().floatValue());
            if (p.presencePenalty() != null) s.presencePenalty(p.presencePenalty().floatValue());
            if (seed != null) s.seed(seed);
            b.sampling(s.build());
        }
        return b.build();
    }

    /**
     * The rendered prompt's ids. Templates write the special tokens they want (transformers encodes
     * their output with add_special_tokens=False), but many do not write BOS; the model still
     * expects the BOS it adds to every prompt, so it goes first unless the template already wrote it.
     */
    private int[] promptIds(String rendered) {
        Tokenizer tokenizer = engine.tokenizer();
        int[] ids = tokenizer.encode(rendered, false);
        int[] prefix = tokenizer.encode("", true);
        if (ids.length >= prefix.length && Arrays.equals(ids, 0, prefix.length, prefix, 0, prefix.length)) return ids;
        int[] withPrefix = Arrays.copyOf(prefix, prefix.length + ids.length);
        System.arraycopy(ids, 0, withPrefix, prefix.length, ids.length);
        return withPrefix;
    }

    ChatResponse response(Completion c) {
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(c.text()))
                .modelName(modelName)
                .tokenUsage(new TokenUsage(c.promptTokenIds().length, c.tokenIds().length))
                .finishReason(finishReason(c.finishReason()))
                .build();
    }

    private static FinishReason finishReason(dev.euclid.FinishReason reason) {
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            // One sample per request and no group stop: these end a sample only when asked for.
            case GROUP_STOP, CANCELLED -> FinishReason.OTHER;
        };
    }
}
