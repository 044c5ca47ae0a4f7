package dev.euclid.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.ModelFormatException;
import dev.euclid.internal.EngineFileMetadata;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.format.GgufFile;
import dev.euclid.internal.format.GgufMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds a model's chat templates where transformers (and llama.cpp) keep them: chat_template.jinja
 * and additional_chat_templates/*.jinja (which take priority), else tokenizer_config.json's
 * {@code chat_template} (a string or a list of {name, template}); in a GGUF the
 * {@code tokenizer.chat_template[.NAME]} metadata; in an engine file the tokenizer_config.json it
 * carries. Special tokens come from the same files.
 */
final class ChatTemplateFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A tokenizer_config.json is kilobytes (a few MB with long templates); this bounds a hostile one. */
    static final long MAX_FILE_BYTES = 64L << 20;
    private static final String[] NAMED_TOKENS = {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
        "cls_token", "mask_token"};
    /** llama.cpp's metadata keys for the special token ids (gguf-py writes "seperator" as spelled here). */
    private static final Map<String, String[]> GGUF_TOKEN_KEYS = Map.of(
            "bos_token", new String[] {"tokenizer.ggml.bos_token_id"},
            "eos_token", new String[] {"tokenizer.ggml.eos_token_id"},
            "unk_token", new String[] {"tokenizer.ggml.unknown_token_id"},
            "sep_token", new String[] {"tokenizer.ggml.seperator_token_id", "tokenizer.ggml.separator_token_id"},
            "pad_token", new String[] {"tokenizer.ggml.padding_token_id"},
            "cls_token", new String[] {"tokenizer.ggml.cls_token_id"},
            "mask_token", new String[] {"tokenizer.ggml.mask_token_id"});

    private ChatTemplateFiles() {}

    static Optional<ChatTemplate> fromModel(Path path) {
        if (Files.isDirectory(path)) return folder(path);
        if (!Files.isRegularFile(path)) {
            throw new UncheckedIOException(path + ": no such model file or folder", new NoSuchFileException(path.toString()));
        }
        String name = path.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.equals("tokenizer_config.json") || name.equals("config.json") || name.equals("chat_template.jinja")) {
            return folder(path.toAbsolutePath().getParent());
        }
        if (lower.endsWith(".jinja")) return Optional.of(new ChatTemplate(path.toString(), Map.of("default", read(path)),
                Map.of(), null));
        if (lower.endsWith(".json")) return Optional.of(fromTokenizerConfig(path));
        String magic = magic(path);
        if (lower.endsWith(".gguf") || magic.startsWith("GGUF")) return gguf(path);
        if (magic.equals("EUCLIDEF")) return engineFile(path);
        return Optional.empty(); // e.g. a llama2.c checkpoint: no chat template
    }

    static ChatTemplate fromTokenizerConfig(Path file) {
        JsonNode config = parseConfig(read(file), file.toString());
        Map<String, String> templates = templates(config, file.toString());
        if (templates.isEmpty()) throw new ModelFormatException(file + ": no chat_template");
        return new ChatTemplate(templateOrigin(file.toString(), templates), templates, specialTokens(config, file.toString()),
                null);
    }

    private static Optional<ChatTemplate> folder(Path dir) {
        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? parseConfig(read(configFile), configFile.toString()) : null;
        Map<String, String> templates = new LinkedHashMap<>();
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) templates.put("default", read(jinja));
        Path extra = dir.resolve("additional_chat_templates");
        if (Files.isDirectory(extra)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(extra, "*.jinja")) {
                Map<String, String> named = new TreeMap<>();
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    named.put(n.substring(0, n.length() - ".jinja".length()), read(f));
                }
                templates.putAll(named);
            } catch (IOException e) {
                throw new UncheckedIOException(extra + ": cannot list", e);
            }
        }
        String origin;
        if (!templates.isEmpty()) {
            origin = templates.size() == 1 && templates.containsKey("default") ? jinja.toString() : dir.toString();
        } else if (config != null) {
            templates = templates(config, configFile.toString());
            origin = templateOrigin(configFile.toString(), templates);
        } else {
            return Optional.empty();
        }
        if (templates.isEmpty()) return Optional.empty();
        Map<String, String> tokens = config == null ? Map.of() : specialTokens(config, configFile.toString());
        return Optional.of(new ChatTemplate(origin, templates, tokens, null));
    }

    /**
     * How errors name a template kept in a JSON config: its line numbers count within the
     * chat_template string, not the file (a named template adds its name, see ChatTemplate).
     */
    private static String templateOrigin(String configFile, Map<String, String> templates) {
        return templates.size() == 1 ? configFile + " (chat_template)" : configFile;
    }

    /** tokenizer_config.json's chat_template: a string, a list of {name, template}, or absent/null. */
    private static Map<String, String> templates(JsonNode config, String origin) {
        JsonNode node = config.get("chat_template");
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (node.isTextual()) {
            out.put("default", node.textValue());
            return out;
        }
        if (!node.isArray()) {
            throw new ModelFormatException(origin + ": chat_template must be a string or a list of {\"name\", \"template\"},"
                    + " got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            JsonNode name = entry.get("name"), template = entry.get("template");
            if (name == null || !name.isTextual() || template == null || !template.isTextual()) {
                throw new ModelFormatException(origin + ": chat_template[" + i + "] must be {\"name\": string, \"template\":"
                        + " string}");
            }
            out.put(name.textValue(), template.textValue());
        }
        return out;
    }

    /**
     * The special tokens transformers passes to the template: the named ones, any other
     * "*_token" string, and extra_special_tokens given as a dict.
     */
    private static Map<String, String> specialTokens(JsonNode config, String origin) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : NAMED_TOKENS) putToken(out, key, config.get(key), origin, true);
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith("_token") && !out.containsKey(e.getKey())
                    && !java.util.Arrays.asList(NAMED_TOKENS).contains(e.getKey())) {
                putToken(out, e.getKey(), e.getValue(), origin, false);
            }
        }
        JsonNode extra = config.get("extra_special_tokens");
        if (extra != null && extra.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                putToken(out, e.getKey(), e.getValue(), origin, false);
            }
        }
        return out;
    }

    private static void putToken(Map<String, String> out, String key, JsonNode value, String origin, boolean strict) {
        if (value == null || value.isNull()) return;
        if (value.isTextual()) {
            out.put(key, value.textValue());
        } else if (value.isObject() && value.path("content").isTextual()) {
            out.put(key, value.get("content").textValue());
        } else if (strict) {
            throw new ModelFormatException(origin + ": " + key + " must be a string or {\"content\": ...}, got " + value);
        }
    }

    private static Optional<ChatTemplate> gguf(Path file) {
        GgufMetadata m = GgufFile.open(file).metadata();
        Map<String, String> templates = new LinkedHashMap<>();
        if (m.has("tokenizer.chat_template")) templates.put("default", m.string("tokenizer.chat_template"));
        if (m.has("tokenizer.chat_templates")) {
            for (String name : m.stringArray("tokenizer.chat_templates")) {
                String key = "tokenizer.chat_template." + name;
                if (m.has(key)) templates.put(name, m.string(key));
            }
        }
        if (templates.isEmpty()) return Optional.empty();
        Map<String, String> tokens = new LinkedHashMap<>();
        String[] vocabulary = null;
        for (String name : NAMED_TOKENS) {
            for (String key : GGUF_TOKEN_KEYS.get(name)) {
                if (!m.has(key)) continue;
                if (vocabulary == null) vocabulary = m.stringArray("tokenizer.ggml.tokens");
                long id = m.integer(key);
                if (id < 0 || id >= vocabulary.length) {
                    throw new ModelFormatException(file + ": metadata " + key + " = " + id + " is outside the "
                            + vocabulary.length + " tokens of tokenizer.ggml.tokens");
                }
                tokens.put(name, vocabulary[(int) id]);
                break;
            }
        }
        return Optional.of(new ChatTemplate(file + " (tokenizer.chat_template)", templates, tokens, null));
    }

    private static Optional<ChatTemplate> engineFile(Path file) {
        byte[] config = EngineFileMetadata.read(file, NativeModel.engineFileMetadata(file)).tokenizerSource().config();
        if (config == null) return Optional.empty();
        String origin = file + " (tokenizer_config.json)";
        JsonNode node = parseConfig(new String(config, StandardCharsets.UTF_8), origin);
        Map<String, String> templates = templates(node, origin);
        if (templates.isEmpty()) return Optional.empty();
        return Optional.of(new ChatTemplate(templateOrigin(origin, templates), templates, specialTokens(node, origin), null));
    }

    private static JsonNode parseConfig(String text, String origin) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) throw new ModelFormatException(origin + ": not a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(origin + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes is far too large for a chat template or"
                        + " tokenizer config (limit " + MAX_FILE_BYTES + ")");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ModelFormatException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private static String magic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(8), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
