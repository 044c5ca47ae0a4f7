package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tokenizer.json "decoder", reduced to what streaming needs: the bytes of each token on its
 * own, and of the token that starts a text, where SentencePiece-style decoders drop the leading
 * space (Strip after Fuse removes one character of the whole text, Metaspace drops the first
 * token's "▁"s). Supported: ByteLevel (GPT-2 / Llama 3 / Qwen2), or Replace / ByteFallback /
 * Fuse / Strip / Metaspace, or none (HF then joins the tokens with spaces). Steps that need to see
 * neighbouring tokens cannot stream token by token and are rejected.
 */
final class HfDecoder {
    private static final String SUPPORTED = "supported: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence";

    private final List<UnaryOperator<String>> replacements;
    private final boolean byteFallback;
    private final boolean byteLevel;
    private final byte[] strip; // removed once from the start of text
    private final String metaspace; // Metaspace's replacement character, or null
    private final boolean metaspaceDropsFirst; // prepend_scheme is not "never": the first token loses its "▁"s
    private final boolean joinWithSpaces; // no decoder: HF joins the tokens' text with single spaces

    private HfDecoder(List<UnaryOperator<String>> replacements, boolean byteFallback, boolean byteLevel,
            byte[] strip, String metaspace, boolean metaspaceDropsFirst, boolean joinWithSpaces) {
        this.replacements = List.copyOf(replacements);
        this.byteFallback = byteFallback;
        this.byteLevel = byteLevel;
        this.strip = strip;
        this.metaspace = metaspace;
        this.metaspaceDropsFirst = metaspaceDropsFirst;
        this.joinWithSpaces = joinWithSpaces;
    }

    static HfDecoder parse(JsonNode node) {
        if (HfJson.absent(node)) {
            return new HfDecoder(List.of(), false, false, new byte[0], null, false, true);
        }
        List<UnaryOperator<String>> replacements = new ArrayList<>();
        boolean byteFallback = false;
        boolean byteLevel = false;
        byte[] strip = new byte[0];
        String metaspace = null;
        boolean metaspaceDropsFirst = false;
        boolean fused = false;
        List<JsonNode> steps = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        if (HfJson.type(node, "decoder").equals("Sequence")) {
            JsonNode array = HfJson.array(node, "decoders", "decoder");
            for (int i = 0; i < array.size(); i++) {
                steps.add(array.get(i));
                paths.add(HfJson.element("decoder", "decoders", i));
            }
        } else {
            steps.add(node);
            paths.add("decoder");
        }
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String where = paths.get(i);
            String type = HfJson.type(step, where);
            switch (type) {
                case "ByteLevel":
                    byteLevel = true;
                    break;
                case "Replace":
                    requireBeforeFuse(fused, where);
                    replacements.add(HfPattern.replacer(step.get("pattern"),
                            HfJson.text(step, "content", where), where));
                    break;
                case "ByteFallback":
                    requireBeforeFuse(fused, where);
                    byteFallback = true;
                    break;
                case "Fuse":
                    fused = true;
                    break;
                case "Strip":
                    strip = parseStrip(step, fused, where);
                    break;
                case "Metaspace": {
                    requireBeforeFuse(fused, where);
                    metaspace = HfJson.text(step, "replacement", where);
                    String scheme = HfJson.optionalText(step, "prepend_scheme", where);
                    metaspaceDropsFirst = scheme == null ? HfJson.flag(step, "add_prefix_space", true, where)
                            : !scheme.equals("never");
                    break;
                }
                default:
                    throw HfJson.unsupported(where, "type", type, SUPPORTED);
            }
        }
        if (byteLevel && (byteFallback || !replacements.isEmpty() || metaspace != null)) {
            throw new IllegalArgumentException("decoder: ByteLevel mixed with Replace, ByteFallback or Metaspace"
                    + " is not supported");
        }
        return new HfDecoder(replacements, byteFallback, byteLevel, strip, metaspace, metaspaceDropsFirst, false);
    }

    /** The bytes a token contributes to text. */
    byte[] tokenBytes(String token) {
        return bytes(token, false);
    }

    /** The bytes a token contributes when it is the first of a text. */
    byte[] firstTokenBytes(String token) {
        return stripStart(bytes(token, true));
    }

    private byte[] bytes(String token, boolean first) {
        if (joinWithSpaces) {
            return (first ? token : " " + token).getBytes(StandardCharsets.UTF_8);
        }
        if (byteLevel) {
            return ByteLevelAlphabet.decode(token);
        }
        for (UnaryOperator<String> replace : replacements) {
            token = replace.apply(token);
        }
        if (metaspace != null) {
            token = token.replace(metaspace, first && metaspaceDropsFirst ? "" : " ");
        }
        if (byteFallback && token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
            int hi = Character.digit(token.charAt(3), 16);
            int lo = Character.digit(token.charAt(4), 16);
            if (hi >= 0 && lo >= 0) {
                return new byte[] {(byte) (hi * 16 + lo)};
            }
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] stripStart(byte[] bytes) {
        if (strip.length == 0 || bytes.length < strip.length) {
            return bytes;
        }
        for (int i = 0; i < strip.length; i++) {
            if (bytes[i] != strip[i]) {
                return bytes;
            }
        }
        return Arrays.copyOfRange(bytes, strip.length, bytes.length);
    }

    private static void requireBeforeFuse(boolean fused, String where) {
        if (fused) {
            throw new IllegalArgumentException(where + " after Fuse is not supported (it would need the whole text)");
        }
    }

    /**
     * After Fuse, Strip(start = 1, stop = 0) removes one leading character of the whole text;
     * without Fuse it would strip every token, and larger counts can reach into the next token.
     */
    private static byte[] parseStrip(JsonNode step, boolean fused, String where) {
        String content = HfJson.text(step, "content", where);
        int start = HfJson.count(step, "start", 0, where);
        int stop = HfJson.count(step, "stop", 0, where);
        if (!fused || start > 1 || stop != 0 || content.codePointCount(0, content.length()) != 1) {
            throw new IllegalArgumentException(where + ": Strip(content \"" + content + "\", start " + start + ", stop "
                    + stop + ")" + (fused ? "" : " before Fuse") + " is not supported; only one leading character"
                    + " after Fuse");
        }
        return start == 0 ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
    }
}
