package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Builds the tokenizer.json "pre_tokenizer": a step that splits a list of pieces into more
 * pieces. Empty pieces are dropped after every step, as Hugging Face does, so they never reach
 * a later step (which matters for ByteLevel's add_prefix_space).
 */
final class HfPreTokenizer {
    /** The split ByteLevel applies when use_regex is true (GPT-2's pattern). */
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private HfPreTokenizer() {
    }

    static UnaryOperator<List<String>> parse(JsonNode node) {
        if (HfJson.absent(node)) {
            return UnaryOperator.identity();
        }
        String type = HfJson.type(node, "pre_tokenizer");
        switch (type) {
            case "Sequence": {
                List<UnaryOperator<List<String>>> steps = new ArrayList<>();
                for (JsonNode step : HfJson.array(node, "pretokenizers", "pre_tokenizer Sequence")) {
                    steps.add(parse(step));
                }
                return pieces -> {
                    for (UnaryOperator<List<String>> step : steps) {
                        pieces = step.apply(pieces);
                    }
                    return pieces;
                };
            }
            case "Split":
                return split(node);
            case "ByteLevel":
                return byteLevel(node);
            default:
                throw HfJson.unsupported("pre_tokenizer " + type);
        }
    }

    private static UnaryOperator<List<String>> split(JsonNode node) {
        Pattern pattern = HfPattern.parse(node.get("pattern"), "pre_tokenizer Split");
        String behavior = HfJson.text(node, "behavior", "pre_tokenizer Split");
        if (!behavior.equals("Isolated")) {
            throw HfJson.unsupported("pre_tokenizer Split behavior " + behavior);
        }
        if (HfJson.flag(node, "invert", false, "pre_tokenizer Split")) {
            throw HfJson.unsupported("pre_tokenizer Split with invert=true");
        }
        return pieces -> {
            List<String> out = new ArrayList<>();
            for (String piece : pieces) {
                HfPattern.isolate(pattern, piece, "pre_tokenizer Split", out);
            }
            return out;
        };
    }

    private static UnaryOperator<List<String>> byteLevel(JsonNode node) {
        boolean addPrefixSpace = HfJson.flag(node, "add_prefix_space", true, "pre_tokenizer ByteLevel");
        boolean useRegex = HfJson.flag(node, "use_regex", true, "pre_tokenizer ByteLevel");
        return pieces -> {
            List<String> split = new ArrayList<>();
            for (String piece : pieces) {
                // Hugging Face adds the prefix to every piece that reaches this step, not just the first.
                String prefixed = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
                if (useRegex) {
                    HfPattern.isolate(GPT2_SPLIT, prefixed, "pre_tokenizer ByteLevel", split);
                } else {
                    split.add(prefixed);
                }
            }
            List<String> out = new ArrayList<>(split.size());
            for (String piece : split) {
                out.add(ByteLevelAlphabet.encode(piece));
            }
            return out;
        };
    }
}
