package dev.euclid.server;

import java.util.List;

/**
 * The chat format used when the model ships no chat template: ChatML, as Qwen and many fine-tunes
 * are trained on. Each message becomes {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n}, and the prompt
 * ends with {@code <|im_start|>assistant\n}; {@code <|im_end|>} ends the reply.
 */
public final class ChatMlRenderer implements ChatPromptRenderer {
    private static final String END = "<|im_end|>";

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage m : messages) {
            prompt.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append(END).append('\n');
        }
        return prompt.append("<|im_start|>assistant\n").toString();
    }

    @Override
    public List<String> stopStrings() {
        return List.of(END);
    }
}
