package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tokenizer.json pattern: {@code {"String": "..."}} (literal) or {@code {"Regex": "..."}}.
 * Hugging Face compiles regexes with Oniguruma in Unicode mode; UNICODE_CHARACTER_CLASS makes
 * Java's {@code \s}, {@code \w} and case-insensitivity follow Unicode the same way, and the
 * pretokenizer regexes in use (GPT-2, Llama 3, Qwen2) need nothing beyond that.
 */
final class HfPattern {
    private HfPattern() {
    }

    /** A Replace step: literal patterns use String.replace, which is much faster on long text. */
    static UnaryOperator<String> replacer(JsonNode pattern, String content, String where) {
        if (pattern != null && pattern.isObject() && pattern.has("String")) {
            String literal = HfJson.text(pattern, "String", where);
            return text -> text.replace(literal, content);
        }
        Pattern regex = parse(pattern, where);
        String replacement = Matcher.quoteReplacement(content);
        return text -> regex.matcher(text).replaceAll(replacement);
    }

    static Pattern parse(JsonNode pattern, String where) {
        if (pattern == null || !pattern.isObject()) {
            throw new IllegalArgumentException(where + ": pattern must be {\"String\": ...} or {\"Regex\": ...}");
        }
        if (pattern.has("String")) {
            return Pattern.compile(Pattern.quote(HfJson.text(pattern, "String", where)));
        }
        String regex = HfJson.text(pattern, "Regex", where);
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": regex does not compile: " + e.getMessage(), e);
        }
    }
}
