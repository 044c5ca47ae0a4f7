package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tokenizer.json pattern: {@code {"String": "..."}} (literal) or {@code {"Regex": "..."}}.
 * Hugging Face compiles regexes with Oniguruma in Unicode mode; UNICODE_CHARACTER_CLASS makes
 * Java's {@code \s}, {@code \w} and case-insensitivity follow Unicode the same way, and
 * matching on {@link Unicode14#asJava} text makes the category classes follow Unicode 14,
 * Oniguruma's version.
 *
 * <p>The regexes come from the model's files, which are untrusted, and run on every prompt. Java's
 * backtracking engine takes polynomial or exponential time on some patterns ({@code a*a*a*a*b} on
 * a few hundred characters: minutes) and recurses once per repetition of a group ({@code (?:a|b)+}
 * on a long prompt: StackOverflowError). So matching is bounded: at most {@link #STEPS_PER_CHAR}
 * character reads per input character (real pretokenizers need a handful), and a stack overflow
 * inside the matcher becomes the same IllegalArgumentException, naming the step that failed.
 */
final class HfPattern {
    /** Character reads a regex may make per character of its input (plus {@link #MIN_STEPS}). */
    static final long STEPS_PER_CHAR = 1_000;
    static final long MIN_STEPS = 1_000_000;

    private HfPattern() {
    }

    /** A Replace step: literal patterns use String.replace, which is much faster on long text. */
    static UnaryOperator<String> replacer(JsonNode pattern, String content, String where) {
        if (pattern != null && pattern.isObject() && pattern.has("String")) {
            String literal = HfJson.text(pattern, "String", where);
            return text -> text.replace(literal, content);
        }
        Pattern regex = parse(pattern, where);
        return text -> {
            IntList bounds = new IntList(16);
            findAll(regex, text, where, bounds);
            if (bounds.size() == 0) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length() + bounds.size() * content.length());
            int end = 0;
            for (int m = 0; m < bounds.size(); m += 2) {
                out.append(text, end, bounds.get(m)).append(content);
                end = bounds.get(m + 1);
            }
            return out.append(text, end, text.length()).toString();
        };
    }

    /** Appends the start and end of every match of {@code pattern} in {@code text} to {@code bounds}. */
    static void findAll(Pattern pattern, String text, String where, IntList bounds) {
        int before = bounds.size();
        try {
            Matcher m = pattern.matcher(new BoundedText(Unicode14.asJava(text), where));
            while (m.find()) {
                bounds.add(m.start());
                bounds.add(m.end());
            }
        } catch (StackOverflowError e) {
            bounds.truncate(before);
            throw tooDeep(where, text);
        }
    }

    private static IllegalArgumentException tooDeep(String where, String text) {
        return new IllegalArgumentException(where + ": the tokenizer's regex recursed too deeply on a text of "
                + text.length() + " characters (a repeated group in the model's tokenizer.json?)");
    }

    /**
     * The text a matcher reads, counting its character reads: past the budget the match is
     * abandoned with IllegalArgumentException instead of running for minutes.
     */
    private static final class BoundedText implements CharSequence {
        private final String text;
        private final String where;
        private long budget;

        BoundedText(String text, String where) {
            this.text = text;
            this.where = where;
            this.budget = MIN_STEPS + STEPS_PER_CHAR * text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new IllegalArgumentException(where + ": the tokenizer's regex needs more than "
                        + (MIN_STEPS + STEPS_PER_CHAR * text.length()) + " steps on a text of " + text.length()
                        + " characters (catastrophic backtracking in the model's tokenizer.json?)");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Compiles a regex; {@link #findAll} runs it on {@link Unicode14#asJava} text, as Oniguruma would see it. */
    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
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
            return compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": regex does not compile: " + e.getMessage(), e);
        }
    }
}
