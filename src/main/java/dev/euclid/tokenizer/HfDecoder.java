package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tokenizer.json "decoder", reduced to what streaming needs: the bytes of each token on its
 * own, plus the one character that Strip removes at the start of text. Supported:
 * ByteLevel (GPT-2 / Llama 3 / Qwen2), or SentencePiece-style Replace / ByteFallback / Fuse /
 * Strip. Steps that need to see neighbouring tokens cannot stream token by token and are
 * rejected.
 */
final class HfDecoder {
    private final List<UnaryOperator<String>> replacements;
    private final boolean byteFallback;
    private final boolean byteLevel;
    private final byte[] strip; // removed once from the start of text

    private HfDecoder(List<UnaryOperator<String>> replacements, boolean byteFallback, boolean byteLevel,
            byte[] strip) {
        this.replacements = List.copyOf(replacements);
        this.byteFallback = byteFallback;
        this.byteLevel = byteLevel;
        this.strip = strip;
    }

    static HfDecoder parse(JsonNode node) {
        if (HfJson.absent(node)) {
            throw HfJson.unsupported("tokenizer without a decoder (no way to turn tokens back into text)");
        }
        List<UnaryOperator<String>> replacements = new ArrayList<>();
        boolean byteFallback = false;
        boolean byteLevel = false;
        byte[] strip = new byte[0];
        boolean fused = false;
        List<JsonNode> steps = new ArrayList<>();
        if (HfJson.type(node, "decoder").equals("Sequence")) {
            HfJson.array(node, "decoders", "decoder Sequence").forEach(steps::add);
        } else {
            steps.add(node);
        }
        for (JsonNode step : steps) {
            String type = HfJson.type(step, "decoder");
            switch (type) {
                case "ByteLevel":
                    byteLevel = true;
                    break;
                case "Replace":
                    requireBeforeFuse(fused, type);
                    replacements.add(HfPattern.replacer(step.get("pattern"),
                            HfJson.text(step, "content", "decoder Replace"), "decoder Replace"));
                    break;
                case "ByteFallback":
                    requireBeforeFuse(fused, type);
                    byteFallback = true;
                    break;
                case "Fuse":
                    fused = true;
                    break;
                case "Strip":
                    strip = parseStrip(step, fused);
                    break;
                default:
                    throw HfJson.unsupported("decoder " + type);
            }
        }
        if (byteLevel && (byteFallback || !replacements.isEmpty())) {
            throw HfJson.unsupported("decoder mixing ByteLevel with Replace or ByteFallback");
        }
        return new HfDecoder(replacements, byteFallback, byteLevel, strip);
    }

    /** The bytes a vocab token contributes to text. */
    byte[] tokenBytes(String token) {
        if (byteLevel) {
            return ByteLevelAlphabet.decode(token);
        }
        for (UnaryOperator<String> replace : replacements) {
            token = replace.apply(token);
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

    /** The first piece of text without the decoder's leading Strip character, if it has one. */
    byte[] stripStart(byte[] bytes) {
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

    private static void requireBeforeFuse(boolean fused, String type) {
        if (fused) {
            throw HfJson.unsupported("decoder " + type + " after Fuse");
        }
    }

    /**
     * After Fuse, Strip(start = 1, stop = 0) removes one leading character of the whole text;
     * without Fuse it would strip every token, and larger counts can reach into the next token.
     */
    private static byte[] parseStrip(JsonNode step, boolean fused) {
        String content = HfJson.text(step, "content", "decoder Strip");
        int start = HfJson.count(step, "start", 0, "decoder Strip");
        int stop = HfJson.count(step, "stop", 0, "decoder Strip");
        if (!fused || start > 1 || stop != 0 || content.codePointCount(0, content.length()) != 1) {
            throw HfJson.unsupported("decoder Strip(content \"" + content + "\", start " + start + ", stop "
                    + stop + ")" + (fused ? "" : " before Fuse") + "; only one leading character after Fuse");
        }
        return start == 0 ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
    }
}
