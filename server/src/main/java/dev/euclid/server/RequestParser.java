package dev.euclid.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.Speculation;
import dev.euclid.Tokenizer;
import dev.euclid.chat.ChatTemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the OpenAI fields of a completions or chat request into a {@link GenerationSpec}: each
 * field checked for its type and range (a 400 names it), fields this server does not know ignored.
 * Vendor extras: {@code priority} (higher runs first and is preempted last), {@code timeout} (seconds
 * the request may take, queueing included; past it the request fails with 504), {@code ignore_eos}
 * (as in vLLM and llama.cpp: the stop token does not end the answer, for benchmarks), {@code top_k},
 * {@code min_p}, {@code repetition_penalty}, and speculative decoding with {@code speculative}
 * ("off", "lookup" or "redrafter"; default: the server's), {@code draft_tokens} and {@code draft_beams}.
 * A chat request's {@code tools} and {@code tool_choice} decide whether tool calls are read out of
 * its answer.
 */
final class RequestParser {
    /** Choices (prompts x n) one request may ask for: far more than any client needs, small enough to bound a request. */
    static final int MAX_CHOICES = 128;
    /** Most stop strings per request (OpenAI allows 4). */
    static final int MAX_STOPS = 16;
    /** Most alternatives per token in logprobs (OpenAI's limit, the engine's too); a smaller vocabulary gives all it has. */
    static final int MAX_TOP_LOGPROBS = Request.MAX_TOP_LOGPROBS;
    /** Completions' max_tokens when none is given, as in OpenAI's API. */
    static final int DEFAULT_COMPLETION_TOKENS = 16;

    private final Engine engine;
    private final String modelName;
    private final ChatPromptRenderer chat;
    private final Speculation defaultSpeculation;
    private final ToolCallParser toolCalls;

    RequestParser(Engine engine, String modelName, ChatPromptRenderer chat, Speculation defaultSpeculation,
            ToolCallParser toolCalls) {
        this.engine = engine;
        this.modelName = modelName;
        this.chat = chat;
        this.defaultSpeculation = defaultSpeculation;
        this.toolCalls = toolCalls;
    }

    GenerationSpec parse(Api api, JsonNode body) {
        JsonFields f = JsonFields.of(body, "");
        String model = f.string("model", modelName);
        if (!model.equals(modelName)) {
            throw new ApiException(404, "invalid_request_error", "the model '" + model + "' does not exist; this server"
                    + " serves '" + modelName + "'", "model", "model_not_found");
        }
        List<String> stops = new ArrayList<>(stopStrings(f));
        List<GenerationSpec.Prompt> prompts;
        int maxTokens, topLogprobs;
        boolean echo = false;
        ToolCallParser calls = ToolCallParser.NONE;
        if (api == Api.COMPLETIONS) {
            prompts = completionPrompts(f);
            maxTokens = f.integer("max_tokens", DEFAULT_COMPLETION_TOKENS, 1, Integer.MAX_VALUE);
            topLogprobs = Math.min(f.integer("logprobs", -1, 0, MAX_TOP_LOGPROBS), engine.info().vocabSize());
            echo = f.bool("echo", false);
        } else {
            prompts = List.of(chatPrompt(f));
            if (allowsCalls(f) && f.has("tools") && !f.raw("tools").isEmpty()) calls = toolCalls;
            for (String s : chat.stopStrings()) if (!stops.contains(s)) stops.add(s);
            String name = f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
            maxTokens = f.integer(name, engine.info().contextLength(), 1, Integer.MAX_VALUE);
            boolean logprobs = f.bool("logprobs", false);
            int top = f.integer("top_logprobs", 0, 0, MAX_TOP_LOGPROBS);
            if (top > 0 && !logprobs) throw ApiException.invalid("top_logprobs", "'top_logprobs' needs 'logprobs': true");
            topLogprobs = logprobs ? Math.min(top, engine.info().vocabSize()) : -1;
        }
        int n = f.integer("n", 1, 1, MAX_CHOICES);
        if ((long) n * prompts.size() > MAX_CHOICES) {
            throw ApiException.invalid("n", "the request asks for " + n * prompts.size() + " choices (" + prompts.size()
                    + " prompts x n = " + n + "); this server answers at most " + MAX_CHOICES + " per request");
        }
        boolean stream = f.bool("stream", false);
        boolean includeUsage = stream && f.has("stream_options")
                && JsonFields.of(f.raw("stream_options"), "stream_options").bool("include_usage", false);
        int priority = f.integer("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        double timeout = f.number("timeout", 0, 0, 1e9);
        if (f.has("timeout") && timeout == 0) throw ApiException.invalid("timeout", "'timeout' must be > 0 seconds, got 0");
        return new GenerationSpec(api, prompts, maxTokens, sampling(f), n, List.copyOf(stops), stream, includeUsage,
                topLogprobs, echo, priority, speculation(f), timeout == 0 ? null : Duration.ofNanos((long) (timeout * 1e9)),
                f.bool("ignore_eos", false), calls);
    }

    /**
     * {@code tool_choice}: "none", "auto", "required" or {@code {"type": "function", "function":
     * {"name": ...}}}; absent means "auto". Calls are read out of the answer for all but "none";
     * "required" and a named function do not constrain decoding: the model's template already asks
     * for calls in its own syntax.
     */
    private static boolean allowsCalls(JsonFields f) {
        JsonNode choice = f.raw("tool_choice");
        if (choice == null) return true;
        if (choice.isTextual() && List.of("none", "auto", "required").contains(choice.textValue())) {
            return !choice.textValue().equals("none");
        }
        if (choice.isObject()) {
            JsonFields function = JsonFields.of(JsonFields.of(choice, "tool_choice").raw("function"), "tool_choice.function");
            if (function.string("name", null) != null) return true;
            throw ApiException.invalid(function.param("name"), "'" + function.param("name") + "' is required");
        }
        throw ApiException.invalid("tool_choice", "'tool_choice' must be \"none\", \"auto\", \"required\" or"
                + " {\"type\": \"function\", \"function\": {\"name\": ...}}, got " + (choice.isTextual()
                ? "\"" + choice.textValue() + "\"" : JsonFields.kind(choice)));
    }

    private List<GenerationSpec.Prompt> completionPrompts(JsonFields f) {
        JsonNode p = f.raw("prompt");
        if (p == null) throw ApiException.invalid("prompt", "'prompt' is required (a string, or an array of token ids)");
        if (p.isTextual()) return List.of(textPrompt(p.textValue(), "prompt"));
        if (!p.isArray() || p.isEmpty()) {
            throw ApiException.invalid("prompt", "'prompt' must be a string, an array of strings, an array of token"
                    + " ids or an array of such arrays, got " + (p.isArray() ? "an empty array" : JsonFields.kind(p)));
        }
        if (p.get(0).isNumber()) return List.of(tokenPrompt(p, "prompt"));
        List<GenerationSpec.Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            JsonNode e = p.get(i);
            String param = "prompt[" + i + "]";
            if (e.isTextual()) prompts.add(textPrompt(e.textValue(), param));
            else if (e.isArray() && !e.isEmpty()) prompts.add(tokenPrompt(e, param));
            else throw ApiException.invalid(param, "'" + param + "' must be a string or a non-empty array of token ids,"
                    + " got " + (e.isArray() ? "an empty array" : JsonFields.kind(e)));
        }
        return prompts;
    }

    private GenerationSpec.Prompt textPrompt(String text, String param) {
        return checked(new GenerationSpec.Prompt(engine.tokenizer().encode(text), text), param);
    }

    private GenerationSpec.Prompt tokenPrompt(JsonNode array, String param) {
        int vocab = engine.info().vocabSize();
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = JsonFields.intValue(array.get(i), param + "[" + i + "]", 0, vocab - 1);
        Tokenizer tokenizer = engine.tokenizer();
        return checked(new GenerationSpec.Prompt(ids, tokenizer.decode(ids, -1)), param);
    }

    /** A prompt longer than the model's context can never run: say so, with both numbers. */
    private GenerationSpec.Prompt checked(GenerationSpec.Prompt prompt, String param) {
        int context = engine.info().contextLength();
        if (prompt.ids().length > context) {
            throw ApiException.invalid(param, "the prompt has " + prompt.ids().length + " tokens but this model's context"
                    + " holds " + context + " tokens", "context_length_exceeded");
        }
        if (prompt.ids().length == 0) {
            throw ApiException.invalid(param, "the prompt encodes to no tokens and this model has no BOS token");
        }
        return prompt;
    }

    /** The conversation through the chat template; a template that refuses it (raise_exception, ...) is a 400. */
    private GenerationSpec.Prompt chatPrompt(JsonFields f) {
        List<ChatMessage> messages = ChatRequest.messages(f);
        List<Map<String, Object>> tools = ChatRequest.tools(f);
        String prompt;
        try {
            prompt = chat.render(messages, tools);
        } catch (ChatTemplateException e) {
            throw ApiException.invalid("messages", "the model's chat template refused the conversation: " + e.getMessage());
        }
        return textPrompt(prompt, "messages");
    }

    private static List<String> stopStrings(JsonFields f) {
        JsonNode s = f.raw("stop");
        if (s == null) return List.of();
        List<JsonNode> items = new ArrayList<>();
        if (s.isArray()) s.forEach(items::add);
        else items.add(s);
        if (items.size() > MAX_STOPS) {
            throw ApiException.invalid("stop", "'stop' has " + items.size() + " strings; at most " + MAX_STOPS);
        }
        List<String> stops = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw ApiException.invalid("stop", "'stop' must be a non-empty string or an array of them, got "
                        + (item.isTextual() ? "an empty string" : JsonFields.kind(item)));
            }
            stops.add(item.textValue());
        }
        return stops;
    }

    private static Sampling sampling(JsonFields f) {
        Sampling.Builder b = Sampling.builder()
                .temperature((float) f.number("temperature", 1.0, 0, Float.MAX_VALUE))
                .minP((float) f.number("min_p", 0, 0, 1))
                .presencePenalty((float) f.number("presence_penalty", 0, -2, 2))
                .frequencyPenalty((float) f.number("frequency_penalty", 0, -2, 2))
                // Without a seed, requests differ, as with OpenAI's API; with one, they repeat exactly.
                .seed(f.longInteger("seed", java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        double topP = f.number("top_p", 1, 0, 1);
        if (topP == 0) throw ApiException.invalid("top_p", "'top_p' must be in (0, 1], got 0");
        b.topP((float) topP);
        int topK = f.integer("top_k", 0, -1, Integer.MAX_VALUE);
        b.topK(Math.max(0, topK)); // -1 is "off" in vLLM's API, 0 in Euclid's
        double repetition = f.number("repetition_penalty", 1, 0, Float.MAX_VALUE);
        if (repetition == 0) throw ApiException.invalid("repetition_penalty", "'repetition_penalty' must be > 0, got 0");
        return b.repetitionPenalty((float) repetition).build();
    }

    /** The request's drafting; without "speculative", the server's default (serve --speculative). */
    private Speculation speculation(JsonFields f) {
        if (!f.has("speculative")) return defaultSpeculation;
        String kind = f.string("speculative", "off");
        return switch (kind) {
            case "off" -> Speculation.off();
            case "lookup" -> Speculation.promptLookup(f.integer("draft_tokens", 4, 1, 63));
            case "redrafter" -> Speculation.redrafter(f.integer("draft_tokens", 4, 1, 63), f.integer("draft_beams", 4, 1, 64));
            default -> throw ApiException.invalid("speculative", "'speculative' must be \"off\", \"lookup\" or"
                    + " \"redrafter\", got \"" + kind + "\"");
        };
    }
}
