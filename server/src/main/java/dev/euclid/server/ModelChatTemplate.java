package dev.euclid.server;

import dev.euclid.chat.ChatTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Chat messages through the model's own chat template (tokenizer_config.json, chat_template.jinja,
 * GGUF), with the fields Hugging Face templates read: tool calls, tool results and the tools offered.
 */
final class ModelChatTemplate implements ChatPromptRenderer {
    private final ChatTemplate template;

    ModelChatTemplate(ChatTemplate template) {
        this.template = template;
    }

    /**
     * The Jinja source of every template the model defines: what they teach the model, the
     * tool-call syntax included (which a model with several may teach only in "tool_use").
     */
    String source() {
        return template.names().stream().map(n -> template.named(n).source()).collect(Collectors.joining("\n"));
    }

    @Override
    public String render(List<ChatMessage> messages) {
        return render(messages, null);
    }

    @Override
    public String render(List<ChatMessage> messages, List<Map<String, Object>> tools) {
        return template.render(messages.stream().map(ModelChatTemplate::plain).toList(), tools, true, Map.of());
    }

    /** The message as the OpenAI JSON has it: fields it does not carry are left out, as a client leaves them out. */
    private static Map<String, Object> plain(ChatMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", m.role());
        out.put("content", m.content());
        if (!m.toolCalls().isEmpty()) out.put("tool_calls", m.toolCalls());
        if (m.toolCallId() != null) out.put("tool_call_id", m.toolCallId());
        if (m.name() != null) out.put("name", m.name());
        return out;
    }
}
