package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.testing.SyntheticHfFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configs Euclid cannot honour are refused with a ModelFormatException naming the file and the
 * field: unknown or malformed rope_scaling, missing required RoPE fields, unsupported keys, and
 * a malformed generation_config.json.
 */
class HfConfigBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    private static Path base;

    @BeforeAll
    static void writeModel() throws IOException {
        base = SyntheticHfFolder.write(tmp.resolve("base"), ModelShape.named("tiny"), 3, DType.F32, 1, Map.of(), false);
    }

    /** config.json edits (a JSON object merged into the config) and what the message must say. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"foo\", \"factor\": 2}}",
                        "config.json: rope_scaling.rope_type \"foo\" is not supported (supported: default, linear, "
                                + "dynamic, llama3, yarn)"),
                Arguments.of("{\"rope_scaling\": {\"type\": \"longrope\", \"factor\": 2}}",
                        "config.json: rope_scaling.rope_type \"longrope\" is not supported"),
                Arguments.of("{\"rope_parameters\": {\"rope_type\": \"su\"}}",
                        "config.json: rope_parameters.rope_type \"su\" is not supported"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"linear\"}}",
                        "config.json: rope_scaling.factor is missing (required for rope_type \"linear\")"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"yarn\", \"original_max_position_embeddings\": 32}}",
                        "config.json: rope_scaling.factor is missing (required for rope_type \"yarn\")"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"high_freq_factor\": 4}}",
                        "config.json: rope_scaling.low_freq_factor is missing (required for rope_type \"llama3\")"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 1}}",
                        "config.json: rope_scaling.high_freq_factor is missing (required for rope_type \"llama3\")"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 4,"
                        + " \"high_freq_factor\": 1}}",
                        "config.json: rope_scaling.high_freq_factor (1.0) must be greater than low_freq_factor (4.0)"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": \"x\"}}",
                        "config.json: rope_scaling.factor must be a number >= 1, got \"x\""),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 0.5}}",
                        "config.json: rope_scaling.factor must be a number >= 1, got 0.5"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"beta_fast\": \"fast\"}}",
                        "config.json: rope_scaling.beta_fast must be a number > 0, got \"fast\""),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4,"
                        + " \"original_max_position_embeddings\": -1}}",
                        "config.json: rope_scaling.original_max_position_embeddings must be a positive integer, got -1"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"truncate\": \"no\"}}",
                        "config.json: rope_scaling.truncate must be true or false, got \"no\""),
                Arguments.of("{\"rope_scaling\": \"yarn\"}", "config.json: rope_scaling must be an object, got \"yarn\""),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": 3}}",
                        "config.json: rope_scaling.rope_type must be a string, got 3"),
                Arguments.of("{\"rope_theta\": \"big\"}", "config.json: rope_theta must be a positive number, got \"big\""),
                Arguments.of("{\"partial_rotary_factor\": 0.5}",
                        "config.json: partial_rotary_factor 0.5 is not supported (Llama, Mistral and Qwen2 rotate whole"
                                + " heads: only 1.0)"),
                Arguments.of("{\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2, \"partial_rotary_factor\": 0.25}}",
                        "config.json: partial_rotary_factor 0.25 is not supported"),
                Arguments.of("{\"mlp_bias\": true}", "config.json: mlp_bias = true is not supported"),
                Arguments.of("{\"tie_word_embeddings\": \"yes\"}",
                        "config.json: tie_word_embeddings must be true or false, got \"yes\""),
                Arguments.of("{\"architectures\": [\"MistralForCausalLM\"], \"attention_bias\": true}",
                        "config.json: attention_bias = true is not supported for MistralForCausalLM"),
                // attention_bias promises q/k/v/o biases; this checkpoint has none.
                Arguments.of("{\"attention_bias\": true}", "missing tensor model.layers.0.self_attn.q_proj.bias"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsRefusedNamingTheField(String edit, String expected) throws IOException {
        Path dir = copy("config");
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        config.setAll((ObjectNode) JSON.readTree(edit));
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        assertRefused(dir, expected);
    }

    /** generation_config.json contents and what the message must say. */
    static Stream<Arguments> badGenerationConfigs() {
        return Stream.of(
                Arguments.of("{\"eos_token_id\": [2, 999]}",
                        "generation_config.json: eos_token_id must be a token id in [0, 300) or a list of them, got [2,999]"),
                Arguments.of("{\"eos_token_id\": 2.5}", "generation_config.json: eos_token_id must be a token id"),
                Arguments.of("{\"do_sample\": \"yes\"}", "generation_config.json: do_sample must be true or false, got \"yes\""),
                Arguments.of("{\"do_sample\": true, \"top_p\": 2}",
                        "generation_config.json: top_p must be a number in (0, 1], got 2"),
                Arguments.of("{\"do_sample\": true, \"temperature\": \"hot\"}",
                        "generation_config.json: temperature must be a number >= 0, got \"hot\""),
                Arguments.of("{\"do_sample\": true, \"top_k\": 2.5}",
                        "generation_config.json: top_k must be a whole number >= 0, got 2.5"),
                Arguments.of("[1, 2]", "generation_config.json: not a JSON object"),
                Arguments.of("{\"do_sample\": tru", "generation_config.json: not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGenerationConfigs")
    void badGenerationConfigIsRefusedNamingTheField(String content, String expected) throws IOException {
        Path dir = copy("generation");
        Files.writeString(dir.resolve("generation_config.json"), content);
        assertRefused(dir, expected);
    }

    private static void assertRefused(Path dir, String expected) {
        long before = Diagnostics.nativeBytesInUse();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Engine.open(dir).close());
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
        assertTrue(Diagnostics.nativeBytesInUse() == before, "native memory released");
    }

    private static Path copy(String name) throws IOException {
        Path dir = Files.createTempDirectory(tmp, name);
        try (var files = Files.list(base)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }
}
