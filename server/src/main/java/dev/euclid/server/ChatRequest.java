package dev.euclid.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the conversation of a chat request: {@code messages} (role, text content, and the fields
 * tool use adds: {@code tool_calls}, {@code tool_call_id}, {@code name}) and the {@code tools}
 * offered, each checked for its type (a 400 names the field). Tool calls and tools become the
 * plain maps and lists Hugging Face chat templates read.
 */
final class ChatRequest {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private ChatRequest() {}

    static List<ChatMessage> messages(JsonFields f) {
        JsonNode list = f.raw("messages");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array of messages, got "
                    + (list != null && list.isArray() ? "an empty array" : JsonFields.kind(list)));
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonFields m = JsonFields.of(list.get(i), "messages[" + i + "]");
            String role = m.string("role", null);
            if (role == null || !ROLES.contains(role)) {
                throw ApiException.invalid(m.param("role"), "'" + m.param("role") + "' must be one of " + ROLES.stream()
                        .sorted().toList() + ", got " + (role == null ? "nothing" : "'" + role + "'"));
            }
            messages.add(new ChatMessage(role, content(m), toolCalls(m), m.string("tool_call_id", null),
                    m.string("name", null)));
        }
        return messages;
    }

    /** The tool definitions offered, as given, or null when the request offers none. */
    static List<Map<String, Object>> tools(JsonFields f) {
        JsonNode tools = f.raw("tools");
        if (tools == null) return null;
        return objects(tools, "tools");
    }

    /** A message's text: a string, or an array of {"type":"text","text":...} parts joined. */
    private static String content(JsonFields m) {
        JsonNode c = m.raw("content");
        String param = m.param("content");
        if (c == null) return ""; // an assistant turn that only called tools
        if (c.isTextual()) return c.textValue();
        if (!c.isArray()) throw ApiException.invalid(param, "'" + param + "' must be a string or an array of text parts,"
                + " got " + JsonFields.kind(c));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonFields part = JsonFields.of(c.get(i), param + "[" + i + "]");
            String type = part.string("type", null);
            if (!"text".equals(type)) {
                throw ApiException.invalid(part.param("type"), "only text content parts are supported, got type "
                        + (type == null ? "nothing" : "'" + type + "'"));
            }
            String t = part.string("text", null);
            if (t == null) throw ApiException.invalid(part.param("text"), "'" + part.param("text") + "' is required");
            text.append(t);
        }
        return text.toString();
    }

    /**
     * An assistant turn's tool calls. OpenAI sends each call's {@code function.arguments} as a JSON
     * string; templates such as Llama 3.1's print it with {@code tojson}, so, as vLLM does, a string
     * holding a JSON object is decoded to that object (other strings stay as they are).
     */
    private static List<Map<String, Object>> toolCalls(JsonFields m) {
        JsonNode calls = m.raw("tool_calls");
        if (calls == null) return List.of();
        List<Map<String, Object>> out = objects(calls, m.param("tool_calls"));
        for (Map<String, Object> call : out) {
            if (call.get("function") instanceof Map<?, ?> function && function.get("arguments") instanceof String json) {
                Map<String, Object> decoded = new LinkedHashMap<>(cast(function));
                decoded.put("arguments", decodedObject(json));
                call.put("function", decoded);
            }
        }
        return out;
    }

    private static Object decodedObject(String json) {
        try {
            JsonNode parsed = PLAIN.readTree(json);
            return parsed != null && parsed.isObject() ? PLAIN.convertValue(parsed, OBJECT) : json;
        } catch (JsonProcessingException notJson) {
            return json;
        }
    }

    /** An array of JSON objects as plain maps (lists, strings, numbers, booleans and nulls inside). */
    private static List<Map<String, Object>> objects(JsonNode array, String param) {
        if (!array.isArray()) {
            throw ApiException.invalid(param, "'" + param + "' must be an array of objects, got " + JsonFields.kind(array));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (!e.isObject()) {
                throw ApiException.invalid(param + "[" + i + "]", "'" + param + "[" + i + "]' must be an object, got "
                        + JsonFields.kind(e));
            }
            out.add(PLAIN.convertValue(e, OBJECT));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
