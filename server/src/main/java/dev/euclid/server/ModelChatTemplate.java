package dev.euclid.server;

import dev.euclid.chat.ChatTemplate;
import java.util.List;
import java.util.Map;

/** Chat messages through the model's own chat template (tokenizer_config.json, chat_template.jinja, GGUF). */
final class ModelChatTemplate implements ChatPromptRenderer {
    private final ChatTemplate template;

    ModelChatTemplate(ChatTemplate template) {
        this.template = template;
    }

    @Override
    public String render(List<ChatMessage> messages) {
        List<Map<String, Object>> plain = messages.stream()
                .<Map<String, Object>>map(m -> Map.of("role", m.role(), "content", m.content()))
                .toList();
        return template.render(plain, true);
    }
}
