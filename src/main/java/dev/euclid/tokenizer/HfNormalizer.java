package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds the tokenizer.json "normalizer" as a string transform applied to each text segment. */
final class HfNormalizer {
    private HfNormalizer() {
    }

    static UnaryOperator<String> parse(JsonNode node) {
        if (HfJson.absent(node)) {
            return UnaryOperator.identity();
        }
        String type = HfJson.type(node, "normalizer");
        switch (type) {
            case "Sequence": {
                List<UnaryOperator<String>> steps = new ArrayList<>();
                for (JsonNode step : HfJson.array(node, "normalizers", "normalizer Sequence")) {
                    steps.add(parse(step));
                }
                return text -> {
                    for (UnaryOperator<String> step : steps) {
                        text = step.apply(text);
                    }
                    return text;
                };
            }
            case "Prepend": {
                String prefix = HfJson.text(node, "prepend", "normalizer Prepend");
                return text -> text.isEmpty() ? text : prefix + text; // as in HF: nothing to prefix
            }
            case "Replace": {
                return HfPattern.replacer(node.get("pattern"), HfJson.text(node, "content", "normalizer Replace"),
                        "normalizer Replace");
            }
            case "NFC":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFC);
            case "NFD":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFD);
            case "NFKC":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFKC);
            case "NFKD":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFKD);
            default:
                throw HfJson.unsupported("normalizer " + type);
        }
    }
}
