package dev.euclid.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.ModelFormatException;
import dev.euclid.chat.ChatTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "chat-template", mixinStandardHelpOptions = true,
        description = "Render a conversation with a model's chat template, as transformers' apply_chat_template(...,"
                + " tokenize=False) does; prints the prompt text, or {\"text\": ...} with --json.")
final class ChatTemplateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--tokenizer-config", required = true, paramLabel = "PATH",
            description = "A model folder (tokenizer_config.json / chat_template.jinja), the tokenizer_config.json itself,"
                    + " a GGUF or an engine file")
    Path config;

    @Option(names = "--messages", required = true, paramLabel = "FILE",
            description = "JSON array of messages ({\"role\": ..., \"content\": ...}), or an object with \"messages\""
                    + " (and \"tools\")")
    Path messages;

    @Option(names = "--tools", paramLabel = "FILE", description = "JSON array of tool definitions (JSON schemas)")
    Path tools;

    @Option(names = "--extra", paramLabel = "FILE",
            description = "JSON object of further template variables, e.g. {\"enable_thinking\": false}")
    Path extra;

    @Option(names = "--add-generation-prompt", description = "End with the header of an assistant turn")
    boolean addGenerationPrompt;

    @Option(names = "--template", paramLabel = "NAME", description = "Use the named template of a model that has several")
    String template;

    @Option(names = "--json", description = "Print {\"text\": ...} instead of the bare prompt")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ChatTemplate chat = ChatTemplate.fromModel(config).orElseThrow(() -> new ModelFormatException(config
                + ": no chat template (no chat_template.jinja, and no chat_template in tokenizer_config.json)"));
        if (template != null) chat = chat.named(template);
        JsonNode request = read(messages);
        JsonNode messageList = request.isObject() ? request.get("messages") : request;
        if (messageList == null || !messageList.isArray()) {
            throw new IllegalArgumentException(messages + ": expected a JSON array of messages, or an object with"
                    + " \"messages\"");
        }
        JsonNode toolList = tools != null ? read(tools) : request.isObject() ? request.get("tools") : null;
        if (toolList != null && !toolList.isNull() && !toolList.isArray()) {
            throw new IllegalArgumentException((tools != null ? tools : messages) + ": tools must be a JSON array");
        }
        JsonNode variables = extra != null ? read(extra) : null;
        if (variables != null && !variables.isObject()) throw new IllegalArgumentException(extra + ": expected a JSON object");
        String text = chat.render(list(messageList, messages), toolList == null || toolList.isNull() ? null
                : list(toolList, tools != null ? tools : messages), addGenerationPrompt,
                variables == null ? Map.of() : JSON.convertValue(variables, JSON.getTypeFactory()
                        .constructMapType(Map.class, String.class, Object.class)));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(JSON.writeValueAsString(Map.of("text", text)));
        } else {
            out.print(text);
            out.flush();
        }
        return 0;
    }

    /** A JSON array of objects, as the maps the template reads. */
    private static List<Map<String, Object>> list(JsonNode array, Path file) {
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) throw new IllegalArgumentException(file + ": item " + i + " is not a JSON object");
        }
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class,
                JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
    }

    private static JsonNode read(Path file) {
        try {
            JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (node == null) throw new IllegalArgumentException(file + ": empty file, expected JSON");
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()) + ")", e);
        }
    }
}
