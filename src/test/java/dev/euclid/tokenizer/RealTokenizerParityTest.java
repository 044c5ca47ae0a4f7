package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Euclid's tokenizer against Hugging Face's on the tokenizer.json files of released models:
 * identical ids on the whole parity corpus (over 2 MB), the same text back from decode, and for
 * byte-level BPE the input itself (as normalized).
 */
class RealTokenizerParityTest {
    private static List<String> corpus;

    @BeforeAll
    static void buildCorpus() {
        corpus = ParityCorpus.documents();
        long bytes = ParityCorpus.utf8Bytes(corpus);
        assertTrue(bytes >= 2_000_000, "the parity corpus must hold at least 2 MB, has " + bytes + " bytes");
    }

    static List<String> tokenizers() {
        return NpmTokenizers.ALL;
    }

    @ParameterizedTest
    @MethodSource("tokenizers")
    void idsAndDecodedTextMatchHuggingFace(String name) throws IOException {
        Path file = NpmTokenizers.tokenizerJson(name);
        HfTokenizer euclid = HfTokenizer.load(file);
        List<String> docs = new ArrayList<>(corpus);
        docs.addAll(ParityCorpus.withAddedTokens(addedTokenContents(file)));
        List<String> problems = new ArrayList<>();
        long ids = 0;
        // Byte-level BPE is lossless: decode gives back the text as normalized (for most, the text itself).
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        UnaryOperator<String> lossless = root.path("decoder").path("type").asText().equals("ByteLevel")
                ? HfNormalizer.parse(root.get("normalizer")) : null;
        try (HfReference hf = new HfReference(file)) {
            for (int d = 0; d < docs.size() && problems.size() < 5; d++) {
                String doc = docs.get(d);
                int[] expected = hf.encode(doc, false);
                int[] actual = euclid.encode(doc, false);
                ids += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    problems.add(firstDifference(d, doc, expected, actual, euclid));
                    continue;
                }
                String decoded = euclid.decode(actual, -1);
                String reference = hf.decode(expected);
                if (!decoded.equals(reference)) {
                    problems.add("document " + d + ": decode differs: " + firstTextDifference(reference, decoded));
                } else if (lossless != null && !decoded.equals(lossless.apply(doc))) {
                    problems.add("document " + d + ": decode(encode(x)) is not x: "
                            + firstTextDifference(lossless.apply(doc), decoded));
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(name + ": " + problems.size() + " documents differ from Hugging Face's tokenizers:\n"
                    + String.join("\n", problems));
        }
        assertTrue(ids > 400_000, name + ": only " + ids + " ids compared");
    }

    /** add_special_tokens=True: the post-processor's template (BOS for Llama and Gemma, nothing for Qwen). */
    @ParameterizedTest
    @MethodSource("tokenizers")
    void specialTokensAreAddedAsHuggingFaceAddsThem(String name) throws IOException {
        Path file = NpmTokenizers.tokenizerJson(name);
        HfTokenizer euclid = HfTokenizer.load(file);
        List<String> texts = new ArrayList<>(List.of("", " ", "Hello", "<s>Hello", "<|begin_of_text|>Hi", "\n"));
        texts.addAll(corpus.subList(corpus.size() - 200, corpus.size()));
        try (HfReference hf = new HfReference(file)) {
            for (String text : texts) {
                int[] expected = hf.encode(text, true);
                assertArrayEquals(expected, euclid.encode(text, true), name + ": " + text);
                assertArrayEquals(expected, euclid.encode(text), name + ": encode(text) adds them too");
            }
        }
    }

    private static List<String> addedTokenContents(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> contents = new ArrayList<>();
        root.get("added_tokens").forEach(t -> contents.add(t.get("content").asText()));
        return contents;
    }

    private static String firstDifference(int d, String doc, int[] expected, int[] actual, HfTokenizer t) {
        int i = 0;
        while (i < expected.length && i < actual.length && expected[i] == actual[i]) {
            i++;
        }
        int from = Math.max(0, i - 3);
        return "document " + d + " at id " + i + ": expected " + pieces(t, expected, from, i + 4) + " got "
                + pieces(t, actual, from, i + 4) + " (text around: " + quote(t.decode(
                        Arrays.copyOfRange(expected, Math.max(0, i - 8), Math.min(expected.length, i + 8)), 0)) + ")";
    }

    private static String pieces(HfTokenizer t, int[] ids, int from, int to) {
        StringBuilder s = new StringBuilder("[");
        for (int k = from; k < Math.min(to, ids.length); k++) {
            s.append(ids[k]).append(' ').append(quote(new String(t.tokenBytes(ids[k]),
                    java.nio.charset.StandardCharsets.UTF_8))).append(k + 1 < Math.min(to, ids.length) ? ", " : "");
        }
        return s.append(']').toString();
    }

    private static String firstTextDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        return "at char " + i + " expected " + quote(expected.substring(Math.max(0, i - 10), Math.min(expected.length(), i + 10)))
                + " got " + quote(actual.substring(Math.max(0, i - 10), Math.min(actual.length(), i + 10)));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || Character.getType(cp) == Character.FORMAT || Character.isWhitespace(cp) && cp != ' ') {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
