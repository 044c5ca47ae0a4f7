package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds the tokenizer.json "normalizer" as a string transform applied to each text segment. */
final class HfNormalizer {
    private static final String SUPPORTED =
            "supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip";

    private HfNormalizer() {
    }

    static UnaryOperator<String> parse(JsonNode node) {
        return parse(node, "normalizer");
    }

    private static UnaryOperator<String> parse(JsonNode node, String where) {
        if (HfJson.absent(node)) {
            return UnaryOperator.identity();
        }
        String type = HfJson.type(node, where);
        switch (type) {
            case "Sequence": {
                List<UnaryOperator<String>> steps = new ArrayList<>();
                JsonNode array = HfJson.array(node, "normalizers", where);
                for (int i = 0; i < array.size(); i++) {
                    steps.add(parse(array.get(i), HfJson.element(where, "normalizers", i)));
                }
                return text -> {
                    for (UnaryOperator<String> step : steps) {
                        text = step.apply(text);
                    }
                    return text;
                };
            }
            case "Prepend": {
                String prefix = HfJson.text(node, "prepend", where);
                return text -> text.isEmpty() ? text : prefix + text; // as in HF: nothing to prefix
            }
            case "Replace":
                return HfPattern.replacer(node.get("pattern"), HfJson.text(node, "content", where), where);
            case "NFC":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFC);
            case "NFD":
                return text -> Normalizer.normalize(text, Normalizer.Form.NFD);
            case "NFKC":
                return text -> Normalizer.normalize(Unicode14.withCompatibilityForms(text), Normalizer.Form.NFKC);
            case "NFKD":
                return text -> Normalizer.normalize(Unicode14.withCompatibilityForms(text), Normalizer.Form.NFKD);
            case "Lowercase":
                return Unicode14::lowercase; // a final sigma stays σ: HF maps each character alone
            case "Strip":
                return strip(HfJson.flag(node, "strip_left", true, where), HfJson.flag(node, "strip_right", true, where));
            case "StripAccents":
                // HF decides what to strip with a Unicode 9.0 mark table; matching it would need that table.
                throw HfJson.unsupported(where, "type", type, SUPPORTED + "; StripAccents strips by Unicode 9.0's"
                        + " marks, which Euclid does not carry");
            default:
                throw HfJson.unsupported(where, "type", type, SUPPORTED);
        }
    }

    private static UnaryOperator<String> strip(boolean left, boolean right) {
        return text -> {
            int start = 0;
            int end = text.length();
            while (left && start < end && UnicodeClasses.isWhiteSpace(text.codePointAt(start))) {
                start += Character.charCount(text.codePointAt(start));
            }
            while (right && end > start && UnicodeClasses.isWhiteSpace(text.codePointBefore(end))) {
                end -= Character.charCount(text.codePointBefore(end));
            }
            return text.substring(start, end);
        };
    }
}
