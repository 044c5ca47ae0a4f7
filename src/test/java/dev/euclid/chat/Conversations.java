package dev.euclid.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversations every chat template is rendered with, built from parts so that each part
 * (system prompts, turn counts, tool calls with dict or string arguments, tool results, reasoning,
 * multimodal content, unicode, empty and whitespace-only content, text that looks like template
 * syntax or special tokens) meets every other.
 */
final class Conversations {
    /** One conversation, with the tool definitions it offers (null for none) and extra template variables. */
    record Conversation(String name, List<Map<String, Object>> messages, List<Map<String, Object>> tools,
            Map<String, Object> extra) {}

    static final String[] SYSTEMS = {
        "You are a helpful assistant.",
        "You are Euclid, a careful mathematician.\nAnswer briefly.\n",
        "  Reply in French. Réponds en français. 你是一个有用的助手。  ",
        "",
        "Never print {{ braces }} or {% tags %} literally; quote \"this\" and 'that' \\ carefully.",
    };

    static final String[] USER_TEXTS = {
        "Hello!",
        "What is 2+2?",
        "Solve $x^2 - 5x + 6 = 0$ and put the final answer in \\boxed{}.",
        "Write a Python function:\n```python\ndef add(a, b):\n    return a + b\n```\nExplain it.",
        "Emoji test 🤖🚀👍🏽 and flags 🇫🇷🇯🇵",
        "你好，世界！こんにちは。안녕하세요",
        "Combining marks: e\u0301 a\u0308 n\u0303, and RTL: مرحبا بالعالم",
        "   leading and trailing spaces   ",
        "Tabs\tand\nnewlines\n\n",
        "Special tokens in text: <|im_end|> <s> [INST] <|eot_id|> </s>",
        "Numbers: 1234567890, 3.14159, -0.5, 1e-7",
        "Quotes: \"double\" 'single' `back` and a backslash \\n that is not a newline",
    };

    static final String[] ASSISTANT_TEXTS = {
        "Hi! How can I help you today?",
        "2 + 2 = 4.",
        "The roots are $x = 2$ and $x = 3$, so the answer is \\boxed{2, 3}.",
        "Sure:\n\n```python\nprint('hi')\n```",
        "<think>\nThe user asks a simple question.\n</think>\n\nThe answer is 4.",
        "  Bien sûr !  ",
    };

    private Conversations() {}

    static List<Conversation> all() {
        List<Conversation> out = new ArrayList<>();
        // Single user turns, with and without each system prompt.
        for (int u = 0; u < USER_TEXTS.length; u++) {
            out.add(conversation("user-" + u, user(USER_TEXTS[u])));
        }
        for (int s = 0; s < SYSTEMS.length; s++) {
            out.add(conversation("system-" + s, system(SYSTEMS[s]), user(USER_TEXTS[(s * 3 + 1) % USER_TEXTS.length])));
        }
        // Multi-turn conversations of growing length, ending on user or assistant.
        for (int turns = 1; turns <= 4; turns++) {
            for (boolean withSystem : new boolean[] {false, true}) {
                List<Map<String, Object>> messages = new ArrayList<>();
                if (withSystem) messages.add(system(SYSTEMS[turns % SYSTEMS.length]));
                for (int t = 0; t < turns; t++) {
                    messages.add(user(USER_TEXTS[(turns * 5 + t) % USER_TEXTS.length]));
                    messages.add(assistant(ASSISTANT_TEXTS[(turns + t) % ASSISTANT_TEXTS.length]));
                }
                out.add(conversation("turns-" + turns + (withSystem ? "-system" : "") + "-ends-assistant", messages));
                List<Map<String, Object>> open = new ArrayList<>(messages);
                open.add(user(USER_TEXTS[(turns * 7) % USER_TEXTS.length]));
                out.add(conversation("turns-" + turns + (withSystem ? "-system" : "") + "-ends-user", open));
            }
        }
        // Empty and whitespace-only content, a lone system message, a conversation opened by the assistant.
        out.add(conversation("empty-user", user("")));
        out.add(conversation("whitespace-user", user(" \n\t ")));
        out.add(conversation("empty-assistant", user("Say nothing."), assistant("")));
        out.add(conversation("system-only", system(SYSTEMS[0])));
        out.add(conversation("assistant-first", assistant("I start."), user("Fine.")));
        out.add(conversation("two-systems", system(SYSTEMS[0]), system(SYSTEMS[1]), user("Hi")));
        out.add(conversation("long-user", user("Lorem ipsum dolor sit amet. ".repeat(80))));
        // Reasoning given as a separate field, as OpenAI-style servers pass it back.
        Map<String, Object> reasoned = assistant("The answer is 4.");
        reasoned.put("reasoning_content", "2 and 2 make 4.");
        out.add(conversation("reasoning-field", user("What is 2+2?"), reasoned, user("And 3+3?")));
        // Multimodal content as a list of parts.
        out.add(conversation("multimodal", message("user", List.of(part("image"), text("Describe this image.")))));
        out.add(conversation("multimodal-text-only", system(SYSTEMS[0]),
                message("user", List.of(text("First part."), text("Second part.")))));
        // Tool use: offered tools, calls with dict or JSON-string arguments, results, a final answer.
        List<Map<String, Object>> tools = tools();
        out.add(new Conversation("tools-offered", List.of(user("What's the weather in Paris?")), tools, Map.of()));
        out.add(new Conversation("tools-offered-system", List.of(system(SYSTEMS[0]), user("What's the weather in Paris?")),
                tools, Map.of()));
        for (boolean stringArguments : new boolean[] {false, true}) {
            String suffix = stringArguments ? "-string-args" : "-dict-args";
            Map<String, Object> weather = call("call12345", "get_weather",
                    map("location", "Paris, France", "unit", "celsius"), stringArguments);
            Map<String, Object> search = call("search987", "search",
                    map("query", "été à Paris 🌞", "max_results", 3L, "filters",
                            map("safe", true, "lang", null, "score", 0.75, "tags", List.of("a", "b"))), stringArguments);
            out.add(new Conversation("tool-call" + suffix, List.of(
                    user("What's the weather in Paris?"),
                    toolCalls(null, weather),
                    tool("call12345", "get_weather", "{\"temperature\": 22.5, \"unit\": \"celsius\"}"),
                    assistant("It is 22.5 °C in Paris.")), tools, Map.of()));
            out.add(new Conversation("tool-call-pending" + suffix, List.of(
                    system(SYSTEMS[0]),
                    user("Weather in Paris?"),
                    toolCalls("", weather),
                    tool("call12345", "get_weather", "Sunny, 25 degrees.")), tools, Map.of()));
            out.add(new Conversation("parallel-tool-calls" + suffix, List.of(
                    user("Weather in Paris, and search for summer events."),
                    toolCalls("Let me check both.", weather, search),
                    tool("call12345", "get_weather", "Sunny"),
                    tool("search987", "search", "[\"Fête de la musique\"]"),
                    assistant("Sunny, and the Fête de la musique is on.")), tools, Map.of()));
            out.add(new Conversation("tool-call-no-tools" + suffix, List.of(
                    user("Weather?"),
                    toolCalls(null, weather),
                    tool("call12345", "get_weather", "Rainy")), null, Map.of()));
        }
        // Template switches some models read.
        out.add(new Conversation("thinking-off", List.of(user("What is 2+2?")), null, Map.of("enable_thinking", false)));
        out.add(new Conversation("custom-date", List.of(system(SYSTEMS[0]), user("What day is it?")), null,
                Map.of("date_string", "01 Jan 2025")));
        return out;
    }

    static List<Map<String, Object>> tools() {
        Map<String, Object> weather = function("get_weather", "Get the current weather in a location.",
                map("type", "object",
                        "properties", map(
                                "location", map("type", "string", "description", "City and country, e.g. Paris, France"),
                                "unit", map("type", "string", "enum", List.of("celsius", "fahrenheit"))),
                        "required", List.of("location")));
        Map<String, Object> search = function("search", "Search the web. Results are ranked; ≤ 10 per call.",
                map("type", "object",
                        "properties", map(
                                "query", map("type", "string"),
                                "max_results", map("type", "integer", "default", 5L, "minimum", 1L),
                                "filters", map("type", "object", "description", "Optional filters.")),
                        "required", List.of("query")));
        return List.of(weather, search);
    }

    private static Map<String, Object> function(String name, String description, Map<String, Object> parameters) {
        return map("type", "function", "function", map("name", name, "description", description, "parameters", parameters));
    }

    private static Map<String, Object> call(String id, String name, Map<String, Object> arguments, boolean asString) {
        Object args = asString ? Json.write(arguments) : arguments;
        return map("id", id, "type", "function", "function", map("name", name, "arguments", args));
    }

    private static Conversation conversation(String name, Map<String, Object>... messages) {
        return conversation(name, List.of(messages));
    }

    private static Conversation conversation(String name, List<Map<String, Object>> messages) {
        return new Conversation(name, messages, null, Map.of());
    }

    static Map<String, Object> system(String content) {
        return message("system", content);
    }

    static Map<String, Object> user(String content) {
        return message("user", content);
    }

    static Map<String, Object> assistant(String content) {
        return message("assistant", content);
    }

    private static Map<String, Object> toolCalls(String content, Map<String, Object>... calls) {
        Map<String, Object> m = message("assistant", content);
        m.put("tool_calls", List.of(calls));
        return m;
    }

    private static Map<String, Object> tool(String callId, String name, String content) {
        Map<String, Object> m = message("tool", content);
        m.put("tool_call_id", callId);
        m.put("name", name);
        return m;
    }

    static Map<String, Object> message(String role, Object content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static Map<String, Object> part(String type) {
        return map("type", type);
    }

    private static Map<String, Object> text(String text) {
        return map("type", "text", "text", text);
    }

    /** A map keeping the order given (tool schemas and arguments are printed in order). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
