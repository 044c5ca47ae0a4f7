package dev.euclid.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.EngineBuilder;
import dev.euclid.ModelFormatException;
import dev.euclid.Precision;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a model's chat template is found, with transformers' precedence (chat_template.jinja and
 * additional_chat_templates/ over tokenizer_config.json), its named templates and special tokens,
 * engine files carrying it, and clear errors for malformed files.
 */
class ChatTemplateFilesTest {
    private static final List<Map<String, Object>> HELLO = List.of(Conversations.user("Hello"));
    private static final String ECHO = "{{ bos_token }}{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}"
            + "{% if add_generation_prompt %}>{% endif %}{{ eos_token }}";

    @TempDir Path tmp;

    private Path config(String json) throws IOException {
        Files.writeString(tmp.resolve("tokenizer_config.json"), json);
        return tmp.resolve("tokenizer_config.json");
    }

    @Test
    void specialTokensComeFromTheConfigInEitherSpelling() throws IOException {
        config("{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\", \"lstrip\": false}, \"eos_token\": \"</s>\","
                + " \"pad_token\": null, \"image_token\": \"<img>\", \"add_bos_token\": true,"
                + " \"extra_special_tokens\": {\"audio_token\": \"<aud>\"}, \"chat_template\": " + Json.write(ECHO) + "}");
        ChatTemplate t = ChatTemplate.fromModel(tmp).orElseThrow();
        assertEquals("<s>[user:Hello]></s>", t.render(HELLO, true));
        assertEquals(Map.of("bos_token", "<s>", "eos_token", "</s>", "image_token", "<img>", "audio_token", "<aud>"),
                t.specialTokens());
        assertEquals(tmp.resolve("tokenizer_config.json") + " (chat_template)", t.origin());
    }

    @Test
    void chatTemplateJinjaTakesPriorityOverTheConfig() throws IOException {
        config("{\"eos_token\": \"</s>\", \"chat_template\": \"from config\"}");
        Files.writeString(tmp.resolve("chat_template.jinja"), "from jinja {{ eos_token }}\n");
        ChatTemplate t = ChatTemplate.fromModel(tmp).orElseThrow();
        assertEquals("from jinja </s>", t.render(HELLO, false));
        assertEquals(t.render(HELLO, false), ChatTemplate.fromModel(tmp.resolve("config.json.missing").getParent()
                .resolve("tokenizer_config.json")).orElseThrow().render(HELLO, false));
        assertEquals("from config", ChatTemplate.fromTokenizerConfig(tmp.resolve("tokenizer_config.json")).render(HELLO, false));
    }

    @Test
    void namedTemplatesFollowTransformersChoice() throws IOException {
        config("{\"chat_template\": [{\"name\": \"default\", \"template\": \"D\"}, {\"name\": \"tool_use\", \"template\":"
                + " \"T{{ tools | length }}\"}, {\"name\": \"rag\", \"template\": \"R\"}]}");
        ChatTemplate t = ChatTemplate.fromTokenizerConfig(tmp.resolve("tokenizer_config.json"));
        assertEquals(List.of("default", "tool_use", "rag"), List.copyOf(t.names()));
        assertEquals("D", t.render(HELLO, false));
        assertEquals("T1", t.render(HELLO, Conversations.tools().subList(0, 1), false, Map.of()));
        assertEquals("R", ChatTemplate.fromTokenizerConfig(tmp.resolve("tokenizer_config.json"), "rag").render(HELLO, false));
        assertEquals("D", t.named("default").render(HELLO, Conversations.tools(), false, Map.of()));
    }

    @Test
    void additionalChatTemplatesReplaceTheConfigsTemplates() throws IOException {
        config("{\"chat_template\": \"config\"}");
        Files.createDirectories(tmp.resolve("additional_chat_templates"));
        Files.writeString(tmp.resolve("additional_chat_templates/tool_use.jinja"), "extra tool_use");
        Files.writeString(tmp.resolve("chat_template.jinja"), "jinja default");
        ChatTemplate t = ChatTemplate.fromModel(tmp).orElseThrow();
        assertEquals("jinja default", t.render(HELLO, false));
        assertEquals("extra tool_use", t.render(HELLO, List.of(), false, Map.of()));
    }

    @Test
    void aModelWithoutTemplateHasNone() throws IOException {
        config("{\"bos_token\": \"<s>\"}");
        assertEquals(Optional.empty(), ChatTemplate.fromModel(tmp));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ChatTemplate.fromTokenizerConfig(tmp.resolve("tokenizer_config.json")));
        assertEquals(tmp.resolve("tokenizer_config.json") + ": no chat_template", e.getMessage());
        assertEquals(Optional.empty(), ChatTemplate.fromModel(SharedModels.models().resolve("stories260K/stories260K.bin")));
        assertEquals(Optional.empty(), ChatTemplate.fromModel(SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf")));
    }

    @Test
    void malformedConfigsNameTheFileAndField() throws IOException {
        Path file = config("{\"chat_template\": 42}");
        ModelFormatException type = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(tmp));
        assertEquals(file + ": chat_template must be a string or a list of {\"name\", \"template\"}, got number",
                type.getMessage());
        config("{\"chat_template\": [{\"name\": \"default\"}]}");
        ModelFormatException entry = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(tmp));
        assertEquals(file + ": chat_template[0] must be {\"name\": string, \"template\": string}", entry.getMessage());
        config("{\"bos_token\": 7, \"chat_template\": \"x\"}");
        ModelFormatException token = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(tmp));
        assertEquals(file + ": bos_token must be a string or {\"content\": ...}, got 7", token.getMessage());
        config("{\"chat_template\": \"x\",\n  oops}");
        ModelFormatException json = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(tmp));
        assertTrue(json.getMessage().startsWith(file + ": not valid JSON (line 2)"), json.getMessage());
        Files.write(file, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        ModelFormatException utf8 = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(tmp));
        assertEquals(file + ": not valid UTF-8 text", utf8.getMessage());
        assertThrows(UncheckedIOException.class, () -> ChatTemplate.fromModel(tmp.resolve("absent")));
    }

    @Test
    void aTemplateErrorNamesTheFileItCameFrom() throws IOException {
        Files.writeString(tmp.resolve("chat_template.jinja"), "ok\n{{ messages | nosuchfilter }}");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.fromModel(tmp).orElseThrow().render(HELLO, false));
        assertEquals(tmp.resolve("chat_template.jinja").toString(), e.templateName());
        assertEquals(2, e.line());
    }

    /** An HF folder, the engine file built from it, and Engine.chatTemplate() on both give the same prompt. */
    @Test
    void engineFilesCarryTheTemplateOfTheirCheckpoint() throws IOException {
        Path hf = SharedModels.models().resolve("stories260K-hf");
        Path folder = Files.createDirectories(tmp.resolve("model"));
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(hf.resolve(name), folder.resolve(name));
        }
        Files.writeString(folder.resolve("tokenizer_config.json"), Files.readString(hf.resolve("tokenizer_config.json"))
                .replaceFirst("\\{", "{\"chat_template\": " + Json.write(ECHO) + ","));
        Path engineFile = EngineBuilder.from(folder).weights(Precision.FP32).build(tmp.resolve("model.euclid"));
        String expected = "<s>[user:Hello]></s>";
        assertEquals(expected, ChatTemplate.fromModel(engineFile).orElseThrow().render(HELLO, true));
        try (Engine fromFolder = Engine.open(folder); Engine fromEngineFile = Engine.open(engineFile)) {
            assertEquals(expected, fromFolder.chatTemplate().orElseThrow().render(HELLO, true));
            assertEquals(expected, fromEngineFile.chatTemplate().orElseThrow().render(HELLO, true));
        }
        try (Engine stories = Engine.open(SharedModels.models().resolve("stories260K-hf"))) {
            assertFalse(stories.chatTemplate().isPresent());
        }
    }
}
