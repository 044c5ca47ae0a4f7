package dev.euclid.server;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The syntax in which the server reads tool calls out of a model's answer when a chat request
 * offers tools ({@code serve --tool-call-parser}; vLLM's parsers of the same names). By default
 * the server picks the one its chat template teaches ({@link #forTemplate}).
 */
public enum ToolCallParser {
    /** {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}, as Qwen 2.5's and Hermes' templates teach. */
    HERMES("hermes", HermesToolCalls::new),
    /** The answer is {@code {"name": ..., "parameters": {...}}}, several separated by ';', as Llama 3.1-3.3's templates teach. */
    LLAMA3_JSON("llama3_json", Llama3JsonToolCalls::new),
    /** {@code [TOOL_CALLS] [{"name": ..., "arguments": {...}}]} or {@code [TOOL_CALLS]NAME[ARGS]{...}}, as Mistral's templates teach. */
    MISTRAL("mistral", MistralToolCalls::new),
    /**
     * {@code <｜tool▁calls▁begin｜>} blocks of {@code <｜tool▁call▁begin｜>} calls, as DeepSeek V3's and
     * R1's templates teach (V3.1's form is read too).
     */
    DEEPSEEK_V3("deepseek_v3", DeepSeekToolCalls::new),
    /** DeepSeek V3.1's calls ({@code NAME<｜tool▁sep｜>{...}}); the same reader as deepseek_v3, under vLLM's name. */
    DEEPSEEK_V31("deepseek_v31", DeepSeekToolCalls::new),
    /** No parsing: calls stay in the content. */
    NONE("none", null);

    private final String wireName;
    private final Supplier<ToolCallScanner> scanners;

    ToolCallParser(String wireName, Supplier<ToolCallScanner> scanners) {
        this.wireName = wireName;
        this.scanners = scanners;
    }

    /** The name the CLI and vLLM use: "hermes", "llama3_json", "mistral", "deepseek_v3", "deepseek_v31" or "none". */
    public String wireName() {
        return wireName;
    }

    /** The parser called {@code name} (see {@link #wireName()}). */
    public static ToolCallParser named(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tool call parser '" + name + "'; one of "
                        + Arrays.stream(values()).map(ToolCallParser::wireName).toList()));
    }

    /**
     * The syntax a chat template's source teaches its model: {@code <tool_call>} tags (Qwen 2.5,
     * Hermes), Llama 3.1's {@code <|python_tag|>} or its instruction to answer with a
     * {@code "parameters"} object (Llama 3.2 and 3.3 keep only that), Mistral's {@code [TOOL_CALLS]},
     * or DeepSeek's {@code <｜tool▁calls▁begin｜>} (V3.1's when its calls have no {@code ```json} fence);
     * NONE when it teaches none of them.
     */
    public static ToolCallParser forTemplate(String source) {
        if (source.contains(HermesToolCalls.OPEN)) return HERMES;
        if (source.contains(Llama3JsonToolCalls.PYTHON_TAG) || source.contains("\"parameters\": dictionary of argument name")) {
            return LLAMA3_JSON;
        }
        if (source.contains(MistralToolCalls.TOOL_CALLS)) return MISTRAL;
        if (source.contains(DeepSeekToolCalls.CALLS_BEGIN)) return source.contains("```json") ? DEEPSEEK_V3 : DEEPSEEK_V31;
        return NONE;
    }

    /** A scanner for one answer. */
    ToolCallScanner scanner() {
        if (scanners == null) throw new IllegalStateException("the parser 'none' reads no calls");
        return scanners.get();
    }
}
