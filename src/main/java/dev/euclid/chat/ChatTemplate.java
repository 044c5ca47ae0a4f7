package dev.euclid.chat;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's chat template: turns a conversation into the prompt text the model was trained on,
 * exactly as Hugging Face's {@code tokenizer.apply_chat_template(messages, tokenize=False)} does.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.fromModel(Path.of("models/Qwen2.5-0.5B-Instruct")).orElseThrow();
 * String prompt = template.render(List.of(Map.of("role", "user", "content", "What is 2+2?")), true);
 * }</pre>
 *
 * <p>The template sees what transformers passes it: {@code messages}, {@code tools} (None when
 * absent), {@code documents} (None), {@code add_generation_prompt}, the special tokens of
 * tokenizer_config.json ({@code bos_token}, {@code eos_token}, ...), the functions
 * {@code raise_exception} and {@code strftime_now}, and any extra variables the caller adds.
 * Templates are rendered by Euclid's own Jinja subset with Jinja2's semantics (see the package
 * documentation); a template error is a {@link ChatTemplateException}, never a wrong prompt. A
 * rendered prompt already holds the special tokens the template prints (e.g. {@code bos_token}):
 * transformers tokenizes it without adding special tokens again.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ChatTemplate {
    /** The variables transformers sets itself; extra context may not replace them. */
    private static final Set<String> RESERVED = Set.of("messages", "tools", "documents", "add_generation_prompt");
    /** Jinja2's sandbox refuses ranges longer than this. */
    private static final int MAX_RANGE = 100_000;

    private final String origin;
    private final Map<String, String> sources;
    private final Map<String, String> specialTokens;
    private final String selected;
    private final Map<String, List<Stmt>> parsed = new ConcurrentHashMap<>();

    /**
     * @param sources template text by name; a single template is named "default"
     * @param selected the name to always use, or null to choose as transformers does
     */
    ChatTemplate(String origin, Map<String, String> sources, Map<String, String> specialTokens, String selected) {
        this.origin = origin;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
        this.selected = selected;
        if (selected != null && !sources.containsKey(selected)) {
            throw new IllegalArgumentException(origin + ": no chat template named '" + selected + "' (it has "
                    + String.join(", ", sources.keySet()) + ")");
        }
    }

    /**
     * A template from its text, with no special tokens defined.
     *
     * @param nameForErrors how error messages name the template (e.g. the file it came from)
     * @throws ChatTemplateException if the template has a syntax error or uses unsupported constructs
     */
    public static ChatTemplate parse(String source, String nameForErrors) {
        return parse(source, nameForErrors, Map.of());
    }

    /** A template from its text, with the special tokens ({@code bos_token} → "<s>", ...) it may print. */
    public static ChatTemplate parse(String source, String nameForErrors, Map<String, String> specialTokens) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(nameForErrors, "nameForErrors");
        ChatTemplate template = new ChatTemplate(nameForErrors, Map.of("default", source), specialTokens, "default");
        template.body("default");
        return template;
    }

    /**
     * The chat template of a model: a Hugging Face folder (chat_template.jinja, or the
     * chat_template of tokenizer_config.json), its config.json, tokenizer_config.json or
     * chat_template.jinja, a GGUF file ({@code tokenizer.chat_template}) or an engine file built
     * from a Hugging Face folder.
     *
     * @return empty when the model has no chat template
     * @throws dev.euclid.ModelFormatException if a file is malformed
     * @throws java.io.UncheckedIOException if a file cannot be read
     */
    public static Optional<ChatTemplate> fromModel(Path folderOrFile) {
        return ChatTemplateFiles.fromModel(Objects.requireNonNull(folderOrFile, "folderOrFile"));
    }

    /**
     * The chat template of a tokenizer_config.json file (its {@code chat_template}: one template,
     * or a list of named ones of which transformers' choice is made at render time).
     *
     * @throws dev.euclid.ModelFormatException if the file is malformed or has no chat template
     */
    public static ChatTemplate fromTokenizerConfig(Path file) {
        return ChatTemplateFiles.fromTokenizerConfig(Objects.requireNonNull(file, "file"));
    }

    /** The template called {@code name} in a tokenizer_config.json's list of named templates. */
    public static ChatTemplate fromTokenizerConfig(Path file, String name) {
        return fromTokenizerConfig(file).named(name);
    }

    /**
     * This template set, fixed to the template called {@code name} (for a model with several
     * named templates, e.g. "tool_use" or "rag").
     *
     * @throws IllegalArgumentException if there is no template of that name
     */
    public ChatTemplate named(String name) {
        return new ChatTemplate(origin, sources, specialTokens, Objects.requireNonNull(name, "name"));
    }

    /** The names of the templates the model defines ("default" for a model with a single template). */
    public Set<String> names() {
        return sources.keySet();
    }

    /** The text of the template used when no tools are given. */
    public String source() {
        return sources.get(choose(false));
    }

    /** Where the template came from (a file), as error messages name it. */
    public String origin() {
        return origin;
    }

    /** The special tokens the template sees ({@code bos_token}, {@code eos_token}, ...). */
    public Map<String, String> specialTokens() {
        return specialTokens;
    }

    /** Renders a conversation without tools or extra variables. */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return render(messages, null, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation.
     *
     * @param messages each a map with "role" and usually "content" (and "tool_calls", "name", ...:
     *     whatever the template reads), as the OpenAI/Hugging Face message JSON has them
     * @param tools JSON-schema tool definitions, or null when the request has none (the template
     *     then sees None, as in transformers)
     * @param addGenerationPrompt end with the header of an assistant turn, for generation
     * @param extraContext further template variables (e.g. "enable_thinking" → false); they take
     *     precedence over the special tokens
     * @throws ChatTemplateException if the template raises an error for this conversation
     * @throws IllegalArgumentException if a value is not JSON-like, or extraContext tries to set
     *     messages, tools, documents or add_generation_prompt
     */
    public String render(List<? extends Map<String, ?>> messages, List<? extends Map<String, ?>> tools,
            boolean addGenerationPrompt, Map<String, ?> extraContext) {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(extraContext, "extraContext");
        for (String key : extraContext.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("extraContext may not set '" + key + "': pass it as an argument");
            }
        }
        String name = choose(tools != null);
        Scope globals = new Scope(null);
        globals.set("range", new Builtin("range", ChatTemplate::range));
        globals.set("namespace", new Builtin("namespace", ChatTemplate::namespace));
        globals.set("dict", new Builtin("dict", (args, kwargs) -> dict(args, kwargs)));
        globals.set("joiner", new Builtin("joiner", ChatTemplate::joiner));
        globals.set("raise_exception", new Builtin("raise_exception", (args, kwargs) -> {
            Object message = CallArgs.bind("raise_exception", args, kwargs, 1, "message")[0];
            throw new PyError("TemplateError", PyStr.str(message));
        }));
        globals.set("strftime_now", new Builtin("strftime_now", (args, kwargs) -> Strftime.format(ZonedDateTime.now(),
                CallArgs.string("strftime_now", CallArgs.bind("strftime_now", args, kwargs, 1, "format")[0]))));
        Scope context = new Scope(globals);
        specialTokens.forEach(context::set);
        context.set("messages", TemplateValues.fromJava(messages, "messages"));
        context.set("tools", tools == null ? null : TemplateValues.fromJava(tools, "tools"));
        context.set("documents", null);
        context.set("add_generation_prompt", addGenerationPrompt);
        for (Map.Entry<String, ?> e : extraContext.entrySet()) {
            context.set(e.getKey(), TemplateValues.fromJava(e.getValue(), e.getKey()));
        }
        return new Renderer(variantName(name)).render(body(name), context);
    }

    /** transformers' get_chat_template: the fixed name, else "tool_use" when tools are given, else "default". */
    private String choose(boolean hasTools) {
        if (selected != null) return selected;
        if (hasTools && sources.containsKey("tool_use")) return "tool_use";
        if (sources.containsKey("default")) return "default";
        throw new IllegalArgumentException(origin + " has several chat templates and none is the default: choose one"
                + " with named(...) from " + String.join(", ", sources.keySet()));
    }

    private String variantName(String name) {
        return sources.size() == 1 ? origin : origin + " (chat_template '" + name + "')";
    }

    private List<Stmt> body(String name) {
        return parsed.computeIfAbsent(name, n -> Parser.parse(sources.get(n), variantName(n)));
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) throw PyError.type("range() takes no keyword arguments");
        if (args.isEmpty() || args.size() > 3) throw PyError.type("range expected 1 to 3 arguments, got " + args.size());
        long start = args.size() == 1 ? 0 : PyOps.toLong(args.get(0));
        long stop = PyOps.toLong(args.get(args.size() == 1 ? 0 : 1));
        long step = args.size() == 3 ? PyOps.toLong(args.get(2)) : 1;
        if (step == 0) throw PyError.value("range() arg 3 must not be zero");
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= MAX_RANGE) {
                throw new PyError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE ("
                        + MAX_RANGE + ").");
            }
            out.add(i);
        }
        return out;
    }

    private static Object namespace(List<Object> args, Map<String, Object> kwargs) {
        Namespace ns = new Namespace();
        for (Map.Entry<Object, Object> e : dict(args, kwargs).entrySet()) {
            ns.attributes.put(PyStr.str(e.getKey()), e.getValue());
        }
        return ns;
    }

    /** Python's dict(mapping_or_pairs, **kwargs). */
    private static Map<Object, Object> dict(List<Object> args, Map<String, Object> kwargs) {
        if (args.size() > 1) throw PyError.type("dict expected at most 1 argument, got " + args.size());
        Map<Object, Object> out = new LinkedHashMap<>();
        if (args.size() == 1) {
            Object source = args.get(0);
            if (source instanceof Map<?, ?> map) {
                map.forEach((k, v) -> PyOps.put(out, k, v));
            } else {
                for (Object pair : PyOps.iterate(source)) {
                    List<Object> kv = PyOps.iterate(pair);
                    if (kv.size() != 2) throw PyError.value("dictionary update sequence element has length " + kv.size());
                    PyOps.put(out, kv.get(0), kv.get(1));
                }
            }
        }
        kwargs.forEach((k, v) -> PyOps.put(out, k, v));
        return out;
    }

    private static Object joiner(List<Object> args, Map<String, Object> kwargs) {
        String separator = PyStr.str(CallArgs.or(CallArgs.bind("joiner", args, kwargs, 0, "sep")[0], ", "));
        boolean[] used = {false};
        return new Builtin("joiner", (a, k) -> {
            if (used[0]) return separator;
            used[0] = true;
            return "";
        });
    }
}
