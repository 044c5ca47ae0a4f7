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
        if (HfJson.absent(node)) {
            return NONE;
        }
        String type = HfJson.type(node, "post_processor");
        switch (type) {
            case "ByteLevel":
                return NONE; // only adjusts offsets
            case "TemplateProcessing":
                return template(node);
            case "Sequence": {
                // Each processor wraps the output of the one before it.
                HfPromptTemplate combined = NONE;
                for (JsonNode step : HfJson.array(node, "processors", "post_processor Sequence")) {
                    HfPromptTemplate inner = parse(step);
                    combined = new HfPromptTemplate(concat(inner.prefix, combined.prefix),
                            concat(combined.suffix, inner.suffix));
                }
                return combined;
            }
            default:
                throw HfJson.unsupported("post_processor " + type);
        }
    }

    private static HfPromptTemplate template(JsonNode node) {
        String where = "post_processor TemplateProcessing";
        JsonNode specials = HfJson.required(node, "special_tokens", where);
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        int sequences = 0;
        for (JsonNode item : HfJson.array(node, "single", where)) {
            if (item.has("Sequence")) {
                sequences++;
            } else if (item.has("SpecialToken")) {
                String name = HfJson.text(item.get("SpecialToken"), "id", where + " SpecialToken");
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
