package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tokenizer.json "pre_tokenizer": steps that each cut a list of pieces into more pieces.
 * Empty pieces are dropped after every step, as Hugging Face does, so they never reach a later
 * step (which matters for ByteLevel's add_prefix_space). Each piece list also knows whether its
 * first piece begins where the caller's text begins, which Metaspace's prepend_scheme "first"
 * asks (HF checks the piece's offset in the original text).
 */
final class HfPreTokenizer {
    private static final String SUPPORTED = "supported: Sequence, Split, ByteLevel, Metaspace, Digits, "
            + "Punctuation, Whitespace, WhitespaceSplit, CharDelimiterSplit";
    /** The split ByteLevel applies when use_regex is true (GPT-2's pattern). */
    private static final Pattern GPT2_SPLIT = HfPattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    /** HF's Whitespace pre-tokenizer keeps the matches of this and drops what lies between. */
    private static final Pattern WORDS_OR_SYMBOLS = HfPattern.compile("\\w+|[^\\w\\s]+");

    /** One step: reads {@code in}, adds its pieces to {@code out}; returns out's first-piece flag. */
    @FunctionalInterface
    interface Step {
        boolean apply(List<String> in, boolean firstAtTextStart, List<String> out);
    }

    private final Step step;

    private HfPreTokenizer(Step step) {
        this.step = step;
    }

    static HfPreTokenizer parse(JsonNode node) {
        return new HfPreTokenizer(HfJson.absent(node) ? null : step(node, "pre_tokenizer"));
    }

    /**
     * The pieces of one stretch of normalized text.
     *
     * @param atTextStart whether the stretch begins where the text passed to encode begins
     */
    List<String> apply(String text, boolean atTextStart) {
        List<String> pieces = new ArrayList<>();
        if (!text.isEmpty()) {
            pieces.add(text);
        }
        return step == null ? pieces : apply(step, pieces, atTextStart);
    }

    private static List<String> apply(Step step, List<String> in, boolean atTextStart) {
        List<String> out = new ArrayList<>(in.size() * 4 + 4);
        step.apply(in, atTextStart, out);
        return out;
    }

    private static Step step(JsonNode node, String where) {
        String type = HfJson.type(node, where);
        switch (type) {
            case "Sequence":
                return sequence(node, where);
            case "Split": {
                Pattern pattern = HfPattern.parse(node.get("pattern"), where + ".pattern");
                return splitting(new HfSplit(HfSplit.regex(pattern, where),
                        HfSplit.Behavior.parse(HfJson.text(node, "behavior", where), where),
                        HfJson.flag(node, "invert", false, where)));
            }
            case "ByteLevel":
                return byteLevel(node, where);
            case "Metaspace":
                return metaspace(node, where);
            case "Digits": {
                boolean individual = HfJson.flag(node, "individual_digits", false, where);
                return splitting(new HfSplit(HfSplit.chars(UnicodeClasses::isNumeric),
                        individual ? HfSplit.Behavior.ISOLATED : HfSplit.Behavior.CONTIGUOUS, false));
            }
            case "Punctuation": {
                String behavior = HfJson.optionalText(node, "behavior", where);
                return splitting(new HfSplit(HfSplit.chars(UnicodeClasses::isPunctuation),
                        behavior == null ? HfSplit.Behavior.ISOLATED : HfSplit.Behavior.parse(behavior, where), false));
            }
            case "Whitespace":
                return splitting(new HfSplit(HfSplit.regex(WORDS_OR_SYMBOLS, where), HfSplit.Behavior.REMOVED, true));
            case "WhitespaceSplit":
                return splitting(new HfSplit(HfSplit.chars(UnicodeClasses::isWhiteSpace), HfSplit.Behavior.REMOVED, false));
            case "CharDelimiterSplit": {
                String delimiter = HfJson.text(node, "delimiter", where);
                if (delimiter.codePointCount(0, delimiter.length()) != 1) {
                    throw new IllegalArgumentException(where + ".delimiter must be one character, got \"" + delimiter + "\"");
                }
                int cp = delimiter.codePointAt(0);
                return splitting(new HfSplit(HfSplit.chars(c -> c == cp), HfSplit.Behavior.REMOVED, false));
            }
            default:
                throw HfJson.unsupported(where, "type", type, SUPPORTED);
        }
    }

    private static Step sequence(JsonNode node, String where) {
        JsonNode array = HfJson.array(node, "pretokenizers", where);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            steps.add(step(array.get(i), HfJson.element(where, "pretokenizers", i)));
        }
        return (in, firstAtTextStart, out) -> {
            List<String> pieces = in;
            boolean first = firstAtTextStart;
            for (int i = 0; i < steps.size(); i++) {
                List<String> next = i == steps.size() - 1 ? out : new ArrayList<>(pieces.size() * 4 + 4);
                first = steps.get(i).apply(pieces, first, next);
                pieces = next;
            }
            return first;
        };
    }

    private static Step splitting(HfSplit split) {
        return (in, firstAtTextStart, out) -> {
            IntList bounds = new IntList(64);
            boolean first = false;
            for (int i = 0; i < in.size(); i++) {
                boolean startsAtZero = split.split(in.get(i), bounds, out);
                if (i == 0) {
                    first = firstAtTextStart && startsAtZero;
                }
            }
            return first;
        };
    }

    private static Step byteLevel(JsonNode node, String where) {
        boolean addPrefixSpace = HfJson.flag(node, "add_prefix_space", true, where);
        boolean useRegex = HfJson.flag(node, "use_regex", true, where);
        HfSplit gpt2 = new HfSplit(HfSplit.regex(GPT2_SPLIT, where), HfSplit.Behavior.ISOLATED, false);
        return (in, firstAtTextStart, out) -> {
            IntList bounds = new IntList(64);
            int start = out.size();
            for (String piece : in) {
                // Hugging Face adds the prefix to every piece that reaches this step, not just the first.
                String prefixed = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
                if (useRegex) {
                    gpt2.split(prefixed, bounds, out);
                } else {
                    out.add(prefixed);
                }
            }
            for (int i = start; i < out.size(); i++) {
                out.set(i, ByteLevelAlphabet.encode(out.get(i)));
            }
            return firstAtTextStart;
        };
    }

    /**
     * SentencePiece's spaces: each ' ' becomes the replacement (normally "▁"), one is put in front
     * of a piece by prepend_scheme ("always", "first": only where the text starts, "never"), and
     * with split the piece is cut before every replacement.
     */
    private static Step metaspace(JsonNode node, String where) {
        String replacement = HfJson.text(node, "replacement", where);
        if (replacement.codePointCount(0, replacement.length()) != 1) {
            throw new IllegalArgumentException(where + ".replacement must be one character, got \"" + replacement + "\"");
        }
        String scheme = HfJson.optionalText(node, "prepend_scheme", where);
        if (scheme == null) { // files from before prepend_scheme: add_prefix_space true meant "always"
            scheme = HfJson.flag(node, "add_prefix_space", true, where) ? "always" : "never";
        }
        if (!scheme.equals("always") && !scheme.equals("first") && !scheme.equals("never")) {
            throw HfJson.unsupported(where, "prepend_scheme", scheme, "supported: always, first, never");
        }
        String prepend = scheme;
        boolean split = HfJson.flag(node, "split", true, where);
        int cp = replacement.codePointAt(0);
        HfSplit cutter = new HfSplit(HfSplit.chars(c -> c == cp), HfSplit.Behavior.MERGED_WITH_NEXT, false);
        return (in, firstAtTextStart, out) -> {
            IntList bounds = new IntList(64);
            for (int i = 0; i < in.size(); i++) {
                String piece = in.get(i).replace(" ", replacement);
                boolean atStart = i == 0 && firstAtTextStart;
                if (!piece.startsWith(replacement)
                        && (prepend.equals("always") || prepend.equals("first") && atStart)) {
                    piece = replacement + piece;
                }
                if (split) {
                    cutter.split(piece, bounds, out);
                } else {
                    out.add(piece);
                }
            }
            return firstAtTextStart;
        };
    }
}
