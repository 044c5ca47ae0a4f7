package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.ModelFormatException;
import dev.euclid.Sampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A Hugging Face {@code generation_config.json}: the stop tokens and the sampling that
 * transformers' {@code generate} uses when the caller gives none.
 *
 * @param eosIds   its eos_token_id (one id or a list), or null when it names none
 * @param sampling what generate would do: greedy unless do_sample is true, then temperature,
 *                 top_k and top_p with transformers' defaults (1.0, 50, 1.0) for absent keys
 */
record HfGenerationConfig(int[] eosIds, Sampling sampling) {
    static final String FILE = "generation_config.json";
    private static final HfGenerationConfig NONE = new HfGenerationConfig(null, Sampling.greedy());

    /** The folder's generation_config.json, or no stop ids and greedy sampling when there is none. */
    static HfGenerationConfig read(Path dir, int vocabSize) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return NONE;
        JsonNode g = HfFolderReader.readJson(file);
        if (!g.isObject()) throw new ModelFormatException(file + ": not a JSON object");
        int[] eos = g.hasNonNull("eos_token_id") ? eosIds(file, g.get("eos_token_id"), vocabSize) : null;
        return new HfGenerationConfig(eos, sampling(file, g));
    }

    private static Sampling sampling(Path file, JsonNode g) {
        JsonNode doSample = g.path("do_sample");
        if (!doSample.isMissingNode() && !doSample.isNull() && !doSample.isBoolean()) {
            throw new ModelFormatException(file + ": do_sample must be true or false, got " + doSample);
        }
        if (!doSample.asBoolean(false)) return Sampling.greedy();
        double temperature = number(file, g, "temperature", 1.0, "a number >= 0", v -> v >= 0);
        double topK = number(file, g, "top_k", 50, "a whole number >= 0", v -> v >= 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE);
        double topP = number(file, g, "top_p", 1.0, "a number in (0, 1]", v -> v > 0 && v <= 1);
        if (temperature == 0) return Sampling.greedy();
        return Sampling.builder().temperature((float) temperature).topK((int) topK).topP((float) topP).build();
    }

    /** The number at field, dflt when absent or null. */
    private static double number(Path file, JsonNode g, String field, double dflt, String what, DoublePredicate valid) {
        JsonNode n = g.path(field);
        if (n.isMissingNode() || n.isNull()) return dflt;
        if (!n.isNumber() || !valid.test(n.asDouble()) || !Float.isFinite((float) n.asDouble())) {
            throw new ModelFormatException(file + ": " + field + " must be " + what + ", got " + n);
        }
        return n.asDouble();
    }

    private static int[] eosIds(Path file, JsonNode eos, int vocabSize) {
        List<JsonNode> list = new ArrayList<>();
        if (eos.isArray()) eos.forEach(list::add);
        else list.add(eos);
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode n = list.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() >= vocabSize) {
                throw new ModelFormatException(file + ": eos_token_id must be a token id in [0, " + vocabSize
                        + ") or a list of them, got " + eos);
            }
            ids[i] = n.asInt();
        }
        return ids;
    }
}
