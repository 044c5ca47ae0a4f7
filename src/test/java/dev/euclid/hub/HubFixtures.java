package dev.euclid.hub;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.HubOptions;
import dev.euclid.Request;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The trained stories260K model as hub repositories, and options that point at a fake hub. */
final class HubFixtures {
    static final String REPO = "euclid-test/stories260K";
    static final String GGUF_REPO = "euclid-test/stories260K-GGUF";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    /** What the engine opens of the HF folder: the rest of it (README, SHA256SUMS, tok512.bin) must stay on the hub. */
    static final String[] ENGINE_FILES = {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"};

    private HubFixtures() {}

    static Path hfFolder() {
        return SharedModels.models().resolve("stories260K-hf");
    }

    static Path gguf() {
        return SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf");
    }

    /** The HF folder's files, plus a generation_config.json as real repositories carry one. */
    static Map<String, byte[]> hfRepoFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>(FakeHub.filesOf(hfFolder()));
        files.put("generation_config.json", "{\"bos_token_id\": 1, \"eos_token_id\": 2}".getBytes(StandardCharsets.UTF_8));
        files.put(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** Options for a fake hub: fast retries, a short silence timeout. */
    static HubOptions options(FakeHub hub, Path cache) {
        return new HubOptions(hub.endpoint(), null, false, cache, null, 3, Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    /** Greedy token ids for a fixed prompt: how two copies of a model are compared. */
    static int[] greedyTokens(Path model) {
        try (Engine engine = Engine.open(model)) {
            Completion c = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(24).build());
            return c.tokenIds();
        }
    }
}
