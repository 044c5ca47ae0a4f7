package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the tokenizer.json "post_processor" adds around a single sequence: the ids of the special
 * tokens before and after the text (e.g. Llama's {@code <s>} before it). Only the "single"
 * template matters here; pair templates are for two-text inputs, which a prompt never is.
 */
record HfPromptTemplate(int[] prefix, int[] suffix) {
    private static final HfPromptTemplate NONE = new HfPromptTemplate(new int[0], new int[0]);

    static HfPromptTemplate parse(JsonNode node) {
        return parse(node, "post_processor");
    }

    private static HfPromptTemplate parse(JsonNode node, String where) {
        if (HfJson.absent(node)) {
            return NONE;
        }
        String type = HfJson.type(node, where);
        switch (type) {
            case "ByteLevel":
                return NONE; // only adjusts offsets
            case "TemplateProcessing":
                return template(node, where);
            case "RobertaProcessing":
            case "BertProcessing":
                return new HfPromptTemplate(new int[] {specialPair(node, "cls", where)},
                        new int[] {specialPair(node, "sep", where)});
            case "Sequence": {
                // Each processor wraps the output of the one before it.
                HfPromptTemplate combined = NONE;
                JsonNode steps = HfJson.array(node, "processors", where);
                for (int i = 0; i < steps.size(); i++) {
                    HfPromptTemplate inner = parse(steps.get(i), HfJson.element(where, "processors", i));
                    combined = new HfPromptTemplate(concat(inner.prefix, combined.prefix),
                            concat(combined.suffix, inner.suffix));
                }
                return combined;
            }
            default:
                throw HfJson.unsupported(where, "type", type,
                        "supported: TemplateProcessing, RobertaProcessing, BertProcessing, ByteLevel, Sequence");
        }
    }

    /** Roberta/BertProcessing name their tokens as {@code "cls": ["<s>", 0]}. */
    private static int specialPair(JsonNode node, String field, String where) {
        JsonNode pair = HfJson.array(node, field, where);
        if (pair.size() != 2 || !pair.get(0).isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be [\"token\", id], got " + pair);
        }
        return HfJson.tokenId(pair.get(1), where + "." + field);
    }

    private static HfPromptTemplate template(JsonNode node, String where) {
        JsonNode specials = HfJson.required(node, "special_tokens", where);
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        int sequences = 0;
        for (JsonNode item : HfJson.array(node, "single", where)) {
            if (item.has("Sequence")) {
                sequences++;
            } else if (item.has("SpecialToken")) {
                String name = HfJson.text(item.get("SpecialToken"), "id", where + ".single SpecialToken");
                JsonNode special = specials.get(name);
                if (HfJson.absent(special)) {
                    throw new IllegalArgumentException(
                            where + ": special token \"" + name + "\" is not in special_tokens");
                }
                for (JsonNode id : HfJson.array(special, "ids", where + " special token \"" + name + "\"")) {
                    (sequences == 0 ? before : after).add(HfJson.tokenId(id, where + " \"" + name + "\""));
                }
            } else {
                throw new IllegalArgumentException(where + ": unknown template item " + item);
            }
        }
        if (sequences != 1) {
            throw new IllegalArgumentException(
                    where + ": the single template must hold the text exactly once, found " + sequences);
        }
        return new HfPromptTemplate(toArray(before), toArray(after));
    }

    /** The first id added before the text, or -1: where tokenizer_config.json is silent, that is BOS. */
    int firstPrefixId() {
        return prefix.length > 0 ? prefix[0] : -1;
    }

    /** The first id added after the text, or -1: where tokenizer_config.json is silent, that is EOS. */
    int firstSuffixId() {
        return suffix.length > 0 ? suffix[0] : -1;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
