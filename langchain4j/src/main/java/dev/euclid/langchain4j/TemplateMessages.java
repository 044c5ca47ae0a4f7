package dev.euclid.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j messages as a chat template reads them: maps with "role" and "content", as the
 * OpenAI / Hugging Face message JSON has them. Only text is supported; anything else (images,
 * tool calls and results) is refused rather than silently dropped, which would give the model a
 * different conversation than the caller wrote.
 */
final class TemplateMessages {
    private TemplateMessages() {
    }

    static List<Map<String, Object>> of(List<ChatMessage> messages) {
        List<Map<String, Object>> plain = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            plain.add(Map.of("role", role(messages.get(i), i), "content", text(messages.get(i), i)));
        }
        return plain;
    }

    private static String role(ChatMessage m, int index) {
        return switch (m.type()) {
            case SYSTEM -> "system";
            case USER -> "user";
            case AI -> "assistant";
            default -> throw new UnsupportedFeatureException("message " + index + " is a " + m.type()
                    + " message; Euclid's chat models take system, user and AI text messages only (no tools)");
        };
    }

    private static String text(ChatMessage m, int index) {
        if (m instanceof SystemMessage s) return s.text();
        if (m instanceof UserMessage u) {
            if (!u.hasSingleText()) {
                throw new UnsupportedFeatureException("message " + index
                        + " (user) has non-text or several contents; Euclid's chat models take one text per message");
            }
            return u.singleText();
        }
        AiMessage a = (AiMessage) m;
        if (a.hasToolExecutionRequests()) {
            throw new UnsupportedFeatureException("message " + index + " (AI) has tool execution requests; tools are not supported");
        }
        return a.text() == null ? "" : a.text();
    }
}
