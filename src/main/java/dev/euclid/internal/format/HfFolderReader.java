package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.Tokenizer;
import dev.euclid.internal.CanonicalTensors;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.TensorLocation;
import dev.euclid.internal.TokenizerSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face model folder: {@code config.json}, {@code model.safetensors} or a sharded
 * {@code model.safetensors.index.json}, {@code tokenizer.json} and, when present,
 * {@code generation_config.json} (default stop tokens and sampling).
 */
public final class HfFolderReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_TOKENIZER_BYTES = 512L << 20;
    /**
     * config.json, tokenizer_config.json and the shard index are kilobytes (a few MB with a long
     * chat template); this bounds what a hostile one makes us read into the heap.
     */
    static final long MAX_JSON_BYTES = 64L << 20;
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LAYER_NAMES = Map.ofEntries(
            Map.entry("input_layernorm.weight", "attention_norm"),
            Map.entry("self_attn.q_proj.weight", "wq"),
            Map.entry("self_attn.k_proj.weight", "wk"),
            Map.entry("self_attn.v_proj.weight", "wv"),
            Map.entry("self_attn.o_proj.weight", "wo"),
            Map.entry("self_attn.q_proj.bias", "bq"),
            Map.entry("self_attn.k_proj.bias", "bk"),
            Map.entry("self_attn.v_proj.bias", "bv"),
            Map.entry("self_attn.o_proj.bias", "bo"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm"),
            Map.entry("mlp.gate_proj.weight", "w1"),
            Map.entry("mlp.down_proj.weight", "w2"),
            Map.entry("mlp.up_proj.weight", "w3"));

    private HfFolderReader() {}

    public static boolean looksLike(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("config.json"));
    }

    public static ModelSpec read(Path dir) {
        Path configFile = dir.resolve("config.json");
        JsonNode config = readJson(configFile);
        ModelInfo info = HfConfig.parse(configFile, config);
        List<TensorLocation> tensors = tensors(dir, info);
        Path tokFile = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokFile)) throw new ModelFormatException(dir + ": no tokenizer.json");
        TokenizerSource source = tokenizerSource(tokFile, info.vocabSize());
        HfGenerationConfig generation = HfGenerationConfig.read(dir, info.vocabSize());
        Tokenizer tokenizer = source.load();
        // As transformers: generation_config's eos_token_id, else config.json's, else the tokenizer's.
        int[] stops = generation.eosIds() != null ? generation.eosIds() : HfConfig.eosIds(config);
        if (stops.length == 0 && tokenizer.eosId() >= 0) stops = new int[] {tokenizer.eosId()};
        return new ModelSpec(info, tensors, source, tokenizer, stops, generation.sampling());
    }

    private static TokenizerSource tokenizerSource(Path tokFile, int vocabSize) {
        Path configFile = tokFile.resolveSibling("tokenizer_config.json");
        try {
            if (Files.size(tokFile) > MAX_TOKENIZER_BYTES) {
                throw new ModelFormatException(tokFile + ": far too large for a tokenizer.json");
            }
            byte[] config = Files.isRegularFile(configFile) ? readBounded(configFile) : null;
            return new TokenizerSource(TokenizerSource.Kind.HF_JSON, Files.readAllBytes(tokFile), config, vocabSize,
                    tokFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(tokFile + ": cannot read", e);
        }
    }

    private static List<TensorLocation> tensors(Path dir, ModelInfo info) {
        Map<String, TensorLocation> byCanonical = new LinkedHashMap<>();
        for (SafetensorsFile file : shards(dir)) {
            for (SafetensorsFile.Entry e : file.entries().values()) {
                String canonical = canonicalName(e.name(), info);
                if (canonical == null) continue; // e.g. rotary inv_freq buffers: recomputed by the engine
                byCanonical.put(canonical, new TensorLocation(canonical, e.name(), file.file(), e.dtype(), e.offset(),
                        e.byteLength(), e.shape()));
            }
        }
        List<TensorLocation> ordered = new ArrayList<>();
        for (String name : CanonicalTensors.required(info)) {
            TensorLocation t = byCanonical.get(name);
            if (t == null) throw new ModelFormatException(dir + ": missing tensor " + sourceName(name));
            ordered.add(t);
        }
        return ordered;
    }

    /** The engine's name for a checkpoint tensor, or null for tensors the engine does not use. */
    private static String canonicalName(String name, ModelInfo info) {
        switch (name) {
            case "model.embed_tokens.weight": return "tok_embeddings";
            case "model.norm.weight": return "norm";
            case "lm_head.weight": return info.tiedEmbeddings() ? null : "output";
            default:
                Matcher m = LAYER.matcher(name);
                if (!m.matches()) return null;
                String suffix = LAYER_NAMES.get(m.group(2));
                return suffix == null ? null : "layers." + m.group(1) + "." + suffix;
        }
    }

    private static String sourceName(String canonical) {
        if (canonical.equals("tok_embeddings")) return "model.embed_tokens.weight";
        if (canonical.equals("norm")) return "model.norm.weight";
        if (canonical.equals("output")) return "lm_head.weight";
        int dot = canonical.indexOf('.', "layers.".length());
        String suffix = canonical.substring(dot + 1);
        for (Map.Entry<String, String> e : LAYER_NAMES.entrySet()) {
            if (e.getValue().equals(suffix)) return "model." + canonical.substring(0, dot) + "." + e.getKey();
        }
        return canonical;
    }

    private static List<SafetensorsFile> shards(Path dir) {
        Path single = dir.resolve("model.safetensors");
        if (Files.isRegularFile(single)) return List.of(SafetensorsFile.open(single));
        Path index = dir.resolve("model.safetensors.index.json");
        if (!Files.isRegularFile(index)) {
            throw new ModelFormatException(dir + ": neither model.safetensors nor model.safetensors.index.json");
        }
        JsonNode map = readJson(index).path("weight_map");
        if (!map.isObject()) throw new ModelFormatException(index + ": no weight_map object");
        Path base = dir.toAbsolutePath().normalize();
        TreeSet<String> files = new TreeSet<>();
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
            String f = it.next().asText("");
            if (f.isEmpty() || !base.equals(base.resolve(f).normalize().getParent())) {
                throw new ModelFormatException(index + ": shard name '" + f + "' must be a file in the model folder");
            }
            files.add(f);
        }
        List<SafetensorsFile> out = new ArrayList<>();
        for (String f : files) out.add(SafetensorsFile.open(dir.resolve(f)));
        return out;
    }

    /** The bytes of a small JSON side file, refusing one larger than {@link #MAX_JSON_BYTES}. */
    static byte[] readBounded(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new ModelFormatException(file + ": " + size + " bytes is far too large for this JSON file (limit "
                    + MAX_JSON_BYTES + ")");
        }
        return Files.readAllBytes(file);
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(readBounded(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
