package dev.euclid.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.HubException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which files of a repository the engine opens, so that nothing else is fetched: a Hugging Face
 * folder's config, tokenizer, generation config and weights (the single file, else the shard
 * index and the shards it names, as {@code HfFolderReader} reads them), or one GGUF file.
 */
final class EngineFiles {
    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String SINGLE_WEIGHTS = "model.safetensors";
    static final String WEIGHT_INDEX = "model.safetensors.index.json";
    /** Fetched when the repository has them: stop ids, sampling defaults, special tokens, chat template. */
    static final List<String> OPTIONAL = List.of("generation_config.json", "tokenizer_config.json",
            "special_tokens_map.json", "chat_template.jinja");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineFiles() {}

    /**
     * @param files what to fetch first, in order
     * @param weightIndex the shard index among them, whose shards come next; or null
     * @param gguf the one GGUF file (then the only file); or null
     */
    record Selection(List<String> files, String weightIndex, String gguf) {}

    /**
     * Chooses among {@code available} (paths in the repository or snapshot); {@code where} names it
     * in errors, which list what is missing.
     */
    static Selection select(Collection<String> available, String ggufPattern, String where) {
        List<String> ggufs = available.stream().filter(p -> p.toLowerCase(Locale.ROOT).endsWith(".gguf")).sorted().toList();
        if (ggufPattern != null) return selectGguf(ggufs, new RepoGlob(ggufPattern), where);
        List<String> missing = new ArrayList<>();
        for (String required : List.of(CONFIG, TOKENIZER)) if (!available.contains(required)) missing.add(required);
        String weights = available.contains(SINGLE_WEIGHTS) ? SINGLE_WEIGHTS : available.contains(WEIGHT_INDEX) ? WEIGHT_INDEX : null;
        if (weights == null) missing.add(SINGLE_WEIGHTS + " (or " + WEIGHT_INDEX + ")");
        if (!missing.isEmpty()) {
            String gguf = ggufs.isEmpty() ? "" : "; it has GGUF files (" + String.join(", ", ggufs)
                    + "): choose one with hf:ORG/NAME@REVISION#PATTERN, e.g. #*Q8_0.gguf";
            throw new HubException(where + " lacks " + String.join(", ", missing) + gguf);
        }
        List<String> files = new ArrayList<>(List.of(CONFIG, TOKENIZER));
        for (String optional : OPTIONAL) if (available.contains(optional)) files.add(optional);
        files.add(weights);
        return new Selection(files, weights.equals(WEIGHT_INDEX) ? weights : null, null);
    }

    /** The shard files an index's {@code weight_map} names, each once, in order of first mention. */
    static List<String> shards(Path index, String where) {
        JsonNode map;
        try {
            map = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new HubException(where + ": " + WEIGHT_INDEX + " is not readable JSON: " + e.getMessage(), e);
        }
        if (!map.isObject() || map.isEmpty()) throw new HubException(where + ": " + WEIGHT_INDEX + " has no \"weight_map\" object");
        Set<String> shards = new LinkedHashSet<>();
        for (JsonNode shard : map) {
            String name = shard.asText("");
            // Shards sit beside the index, as HfFolderReader requires: a path would escape the folder.
            if (!shard.isTextual() || !RepoFile.isSafePath(name) || name.contains("/")) {
                throw new HubException(where + ": " + WEIGHT_INDEX + " names shard " + shard + ", not a file beside it");
            }
            shards.add(name);
        }
        return List.copyOf(shards);
    }

    private static Selection selectGguf(List<String> ggufs, RepoGlob pattern, String where) {
        List<String> matches = ggufs.stream().filter(pattern::matches).toList();
        if (matches.size() == 1) return new Selection(matches, null, matches.get(0));
        String all = ggufs.isEmpty() ? "it has no .gguf file" : "its GGUF files are " + String.join(", ", ggufs);
        if (matches.isEmpty()) throw new HubException(where + ": no GGUF file matches '" + pattern + "'; " + all);
        throw new HubException(where + ": '" + pattern + "' matches " + matches.size() + " GGUF files ("
                + String.join(", ", matches) + "); make the pattern match one");
    }
}
