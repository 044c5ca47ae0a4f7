package dev.euclid.server;

import java.util.List;
import java.util.Map;

/**
 * Turns a conversation into the prompt text the model continues: what a model's chat template
 * does. The server encodes the returned text with the model's tokenizer (special tokens such as
 * {@code <|im_start|>} become their ids when the tokenizer knows them).
 */
public interface ChatPromptRenderer {
    /** The prompt for {@code messages}, ending where the assistant's reply begins. */
    String render(List<ChatMessage> messages);

    /**
     * The prompt for {@code messages} when the request offers {@code tools} (OpenAI's tool
     * definitions, {@code {"type": "function", "function": {...}}}; null when it offers none). A
     * renderer that has no way to show tools renders the messages alone (the default).
     */
    default String render(List<ChatMessage> messages, List<Map<String, Object>> tools) {
        return render(messages);
    }

    /**
     * Texts that end the assistant's turn when the model writes them as text rather than as its stop
     * token (e.g. ChatML's {@code <|im_end|>} for a tokenizer without that special token).
     */
    default List<String> stopStrings() {
        return List.of();
    }
}
