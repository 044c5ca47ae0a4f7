package dev.euclid.server;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a chat request, as a chat template sees it.
 *
 * @param role "system", "developer", "user", "assistant" or "tool"
 * @param content the message text (an array of text parts is joined; "" when absent, e.g. an
 *     assistant turn that only calls tools)
 * @param toolCalls an assistant turn's tool calls as OpenAI's JSON has them ({@code id},
 *     {@code type}, {@code function: {name, arguments}}), with {@code arguments} given as a JSON
 *     string decoded to an object, as vLLM passes them to templates; empty when none
 * @param toolCallId a tool result's {@code tool_call_id}, or null
 * @param name the message's {@code name} (a tool result's function name), or null
 */
public record ChatMessage(String role, String content, List<Map<String, Object>> toolCalls, String toolCallId,
        String name) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = List.copyOf(toolCalls);
    }

    /** A message with text only. */
    public ChatMessage(String role, String content) {
        this(role, content, List.of(), null, null);
    }
}
