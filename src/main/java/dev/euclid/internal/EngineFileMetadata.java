package dev.euclid.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.Precision;
import dev.euclid.Sampling;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

/**
 * The JSON metadata an engine file carries next to its tensors: the architecture, the tokenizer
 * (so the file is all a user ships), default stop tokens and sampling, precision and how it was built.
 */
public final class EngineFileMetadata {
    public static final String FORMAT = "euclid-engine";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineFileMetadata() {}

    public static String write(ModelSpec spec, Precision weights, Path source) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("model", JSON.valueToTree(spec.info()));
        root.put("weights", weights.wireName());
        TokenizerSource t = spec.tokenizerSource();
        ObjectNode tok = root.putObject("tokenizer");
        tok.put("kind", t.kind().name());
        tok.put("data", Base64.getEncoder().encodeToString(t.data()));
        if (t.config() != null) tok.put("config", Base64.getEncoder().encodeToString(t.config()));
        tok.put("vocab_size", t.vocabSize());
        tok.put("origin", t.origin());
        root.putPOJO("default_stop_ids", spec.defaultStopIds());
        Sampling s = spec.defaultSampling();
        root.putObject("default_sampling").put("temperature", s.temperature()).put("top_k", s.topK()).put("top_p", s.topP());
        ObjectNode build = root.putObject("build");
        build.put("source", source.toString());
        build.put("created", Instant.now().toString());
        String version = EngineFileMetadata.class.getPackage().getImplementationVersion();
        build.put("euclid_version", version == null ? "development" : version);
        return root.toString();
    }

    /** The model description without tensors: info, tokenizer and stop ids. */
    public static ModelSpec read(Path file, String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new ModelFormatException(file + ": engine metadata is not of format " + FORMAT);
            }
            if (!root.path("model").isObject()) throw new ModelFormatException(file + ": engine metadata has no model object");
            ModelInfo info = JSON.treeToValue(root.get("model"), ModelInfo.class);
            JsonNode tok = root.path("tokenizer");
            TokenizerSource source = new TokenizerSource(TokenizerSource.Kind.valueOf(tok.path("kind").asText()),
                    Base64.getDecoder().decode(tok.path("data").asText()),
                    tok.hasNonNull("config") ? Base64.getDecoder().decode(tok.get("config").asText()) : null,
                    tok.path("vocab_size").asInt(), file + " (" + tok.path("origin").asText() + ")");
            int[] stops = JSON.treeToValue(root.path("default_stop_ids"), int[].class);
            JsonNode s = root.path("default_sampling");
            Sampling sampling = s.isObject() ? Sampling.builder().temperature((float) s.path("temperature").asDouble())
                    .topK(s.path("top_k").asInt()).topP((float) s.path("top_p").asDouble(1.0)).build() : Sampling.greedy();
            return new ModelSpec(info, java.util.List.of(), source, source.load(), stops == null ? new int[0] : stops,
                    sampling);
        } catch (ModelFormatException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelFormatException(file + ": unreadable engine metadata: " + e.getMessage(), e);
        }
    }
}
