package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written tokenizer.json files with ids worked out by hand (see the comments), and malformed ones. */
class HfTokenizerJsonTest {

    @Test
    void mergesApplyInRankOrderNotLeftToRight() {
        // Merges by rank: 0 "b c", 1 "a b", 2 "a bc", 3 "Ġ a", 4 "a a". GPT-2 regex: "abc", "Ġabab", "Ġaaa".
        //  "abc":   (b,c) rank 0 first -> a bc -> (a,bc) rank 2 -> abc                      = [6]
        //  "Ġabab": (a,b) rank 1 at 1 and 3 beat (Ġ,a) rank 3 -> Ġ ab ab; nothing merges Ġ+ab = [3, 4, 4]
        //  "Ġaaa":  (Ġ,a) rank 3 beats (a,a) rank 4 -> Ġa a a -> (a,a) -> Ġa aa           = [7, 8]
        for (String merges : new String[] {TinyTokenizers.GPT2_MERGES_AS_STRINGS, TinyTokenizers.GPT2_MERGES_AS_ARRAYS}) {
            HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.gpt2(merges), null);
            assertArrayEquals(new int[] {6, 3, 4, 4, 7, 8}, t.encode("abc abab aaa"));
            assertArrayEquals(new int[] {8, 0}, t.encode("aaa"), "equal ranks: leftmost pair first");
            assertArrayEquals(new int[0], t.encode("x"), "no vocab entry, no unk token: dropped as in HF");
            assertArrayEquals(new int[0], t.encode(""));
            assertEquals("abc abab aaa", t.decode(t.encode("abc abab aaa"), -1));
            assertEquals(9, t.vocabSize());
            assertEquals(-1, t.bosId());
            assertEquals(-1, t.eosId());
        }
    }

    @Test
    void addedTokensAreSplitOutFirst() {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.GPT2_ADDED, null);
        // "ab" | <mask> (lstrip eats the space before it) | "abc " | cab (a single word here) | " xcab"
        // where "cab" touches "x", so single_word rejects it; "Ġxcab" -> x dropped -> Ġ c ab.
        assertArrayEquals(new int[] {4, 9, 6, 3, 10, 3, 2, 4}, t.encode("ab <mask>abc cab xcab"));
        assertArrayEquals(new int[] {0, 11, 1}, t.encode("a<r>  b"), "rstrip eats the spaces after it");
        assertArrayEquals(new int[] {4, 9}, t.encode("ab  <mask>"));
        assertArrayEquals(new int[] {9, 9}, t.encode("<mask><mask>"));
        assertArrayEquals(new int[] {6, 4}, t.encode("abcab"), "single_word: inside a word it is no token");
        // "Xcc" has normalized=true: it matches the normalized text, where the normalizer turned X into a.
        assertArrayEquals(new int[] {12}, t.encode("acc"));
        assertArrayEquals(new int[] {12}, t.encode("Xcc"));
        assertArrayEquals(new int[] {12, 2}, t.encode("Xccc"));
        assertEquals("<mask>", new String(t.tokenBytes(9), StandardCharsets.UTF_8));
    }

    @Test
    void sentencePieceStyleWithUnkAndByteFallback() {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.SENTENCEPIECE, null);
        // "▁ab▁ab": (▁,a) rank 0 at 0 and 3, then (a,b) rank 1 is stale, then (▁a,b) rank 2 twice.
        assertArrayEquals(new int[] {1, 10, 10}, t.encode("ab ab"));
        assertArrayEquals(new int[] {1, 5, 3, 4}, t.encode("é"), "é is not a piece: bytes C3 A9");
        assertArrayEquals(new int[] {1, 5, 0}, t.encode("üü"), "no <0xBC>: unk, fused");
        assertArrayEquals(new int[] {1, 8, 0, 6}, t.encode("aüüa"));
        assertArrayEquals(new int[] {1}, t.encode(""), "Prepend does nothing to empty text");
        assertArrayEquals(new int[] {1, 5, 5}, t.encode(" "));
        // The text after an added token is normalized on its own, so it gets its own ▁.
        assertArrayEquals(new int[] {1, 8, 1, 5, 7}, t.encode("a<s>b"));
        assertEquals(1, t.bosId());
        assertEquals("ab ab", t.decode(new int[] {10, 10}, 1));
        assertEquals("<s> ab ab", t.decode(new int[] {1, 10, 10}, -1), "HF strips the text's first character only");
        assertEquals(" ab ab", t.decode(new int[] {10, 10}, 6), "mid-text: the space is real");
        assertEquals("é", t.decode(new int[] {3, 4}, 6));
    }

    @Test
    void regexReplaceInTheNormalizer() {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.SENTENCEPIECE.replace(
                "{\"String\": \" \"}, \"content\": \"▁\"", "{\"Regex\": \" +\"}, \"content\": \"▁\""), null);
        assertArrayEquals(new int[] {1, 10, 10}, t.encode("ab   ab"), "a run of spaces becomes one ▁");
    }

    @Test
    void llama3StyleIgnoreMergesAndTemplate() {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.LLAMA3, null);
        // "hello" is in the vocab whole (taken directly); "Ġhello" is not: Ġ h e (l,l) o.
        assertArrayEquals(new int[] {12, 6, 4, 0, 1, 5, 3}, t.encode("hello hello"));
        assertArrayEquals(new int[] {12, 10, 11}, t.encode("12345"), "digits split in threes");
        assertArrayEquals(new int[] {12}, t.encode(""));
        assertArrayEquals(new int[] {12, 12, 6}, t.encode("<|begin_of_text|>hello"));
        assertEquals(12, t.bosId());
        assertEquals("hello hello", t.decode(new int[] {6, 4, 0, 1, 5, 3}, 12));
    }

    @Test
    void specialIdsFromTokenizerConfig() {
        String json = TinyTokenizers.LLAMA3;
        HfTokenizer strings = HfTokenizer.fromJson(json,
                "{\"bos_token\": \"<|begin_of_text|>\", \"eos_token\": \"<|end_of_text|>\"}");
        assertEquals(12, strings.bosId());
        assertEquals(13, strings.eosId());
        HfTokenizer objects = HfTokenizer.fromJson(json,
                "{\"bos_token\": null, \"eos_token\": {\"content\": \"hello\", \"lstrip\": false}}");
        assertEquals(-1, objects.bosId());
        assertEquals(6, objects.eosId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HfTokenizer.fromJson(json, "{\"eos_token\": \"<|eot_id|>\"}"));
        assertTrue(e.getMessage().contains("<|eot_id|>"), e.getMessage());
    }

    @Test
    void loadReadsTheConfigBesideTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), TinyTokenizers.LLAMA3);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|end_of_text|>\"}");
        HfTokenizer t = HfTokenizer.load(dir.resolve("tokenizer.json"));
        assertEquals(12, t.bosId());
        assertEquals(13, t.eosId());
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> HfTokenizer.load(dir.resolve("tokenizer.json")));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void unsupportedComponentsAreNamed() {
        String gpt2 = TinyTokenizers.gpt2(TinyTokenizers.GPT2_MERGES_AS_STRINGS);
        assertRejected(gpt2.replace("\"type\": \"BPE\"", "\"type\": \"WordPiece\""),
                "model.type \"WordPiece\" is not supported");
        assertRejected(gpt2.replace("\"type\": \"BPE\"", "\"type\": \"Unigram\""), "model.type \"Unigram\"");
        assertRejected(gpt2.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"BertNormalizer\"}"),
                "normalizer.type \"BertNormalizer\" is not supported");
        assertRejected(gpt2.replace("\"pre_tokenizer\": {\"type\": \"ByteLevel\"", "\"pre_tokenizer\": {\"type\": \"UnicodeScripts\""),
                "pre_tokenizer.type \"UnicodeScripts\" is not supported");
        assertRejected(gpt2.replace("\"decoder\": {\"type\": \"ByteLevel\"", "\"decoder\": {\"type\": \"WordPiece\""),
                "decoder.type \"WordPiece\" is not supported");
        assertRejected(gpt2.replace("\"post_processor\": {\"type\": \"ByteLevel\"", "\"post_processor\": {\"type\": \"Foo\""),
                "post_processor.type \"Foo\" is not supported");
        assertRejected(gpt2.replace("\"dropout\": null", "\"dropout\": 0.1"), "model.dropout \"0.1\"");
        assertRejected(TinyTokenizers.LLAMA3.replace("\"Isolated\"", "\"Interleaved\""),
                "pre_tokenizer.pretokenizers[0].behavior \"Interleaved\" is not supported");
        assertRejected(TinyTokenizers.SENTENCEPIECE.replace("{\"type\": \"Fuse\"},", ""), "Strip");
    }

    @Test
    void unsupportedComponentsNameTheFileAndTheField(@TempDir Path dir) throws IOException {
        String gpt2 = TinyTokenizers.gpt2(TinyTokenizers.GPT2_MERGES_AS_STRINGS);
        String[][] cases = {
            {gpt2.replace("\"type\": \"BPE\"", "\"type\": \"Unigram\""), "model.type \"Unigram\" is not supported"},
            {gpt2.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"},"
                    + " {\"type\": \"Foo\"}]}"), "normalizer.normalizers[1].type \"Foo\" is not supported"},
            {TinyTokenizers.LLAMA3.replace("\"type\": \"Split\"", "\"type\": \"Bar\""),
                "pre_tokenizer.pretokenizers[0].type \"Bar\" is not supported"},
            {gpt2.replace("\"decoder\": {\"type\": \"ByteLevel\"", "\"decoder\": {\"type\": \"CTC\""),
                "decoder.type \"CTC\" is not supported"},
        };
        Path file = dir.resolve("tokenizer.json");
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.load(file));
            assertTrue(e.getMessage().startsWith(file + ": " + c[1] + " (supported: "), e.getMessage());
        }
    }

    @Test
    void malformedFilesAreExplained() {
        String gpt2 = TinyTokenizers.gpt2(TinyTokenizers.GPT2_MERGES_AS_STRINGS);
        assertRejected("{\"model\": [1, 2", "not valid JSON");
        assertRejected("", "JSON object");
        assertRejected("{\"decoder\": null}", "model");
        assertRejected(gpt2.replace("\"merges\": [", "\"merges\": [\"q r\", "), "\"q\", which is not in the vocab");
        assertRejected(gpt2.replace("\"merges\": [", "\"merges\": [\"a c\", "), "\"ac\", which is not in the vocab");
        assertRejected(gpt2.replace("\"merges\": [", "\"merges\": [\"abc\", "), "merges[0]");
        assertRejected(gpt2.replace("\"merges\": [", "\"merges\": [[\"a\"], "), "merges[0]");
        assertRejected(gpt2.replace("\"aa\": 8", "\"aa\": 800000000"), "800000000 is out of range");
        assertRejected(gpt2.replace("\"aa\": 8", "\"aa\": -8"), "non-negative");
        assertRejected(gpt2.replace("\"aa\": 8", "\"aa\": 7"), "vocab id 7 is used by both");
        assertRejected(gpt2.replace("\"unk_token\": null", "\"unk_token\": \"<unk>\""), "unk_token");
        assertRejected(gpt2.replace("\"vocab\": {", "\"vocab\": [").replace("\"aa\": 8}", "\"aa\": 8]"), "not valid JSON");
        assertRejected(gpt2.replace("\"merges\":", "\"merges_missing\":"), "missing field \"merges\"");
        assertRejected(TinyTokenizers.LLAMA3.replace("\"ids\": [12]", "\"ids\": [99]"), "99");
    }

    @Test
    void loneSurrogatesAndBadIdsAreRejected() {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.gpt2(TinyTokenizers.GPT2_MERGES_AS_STRINGS), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("abc\uDC00"));
        assertTrue(e.getMessage().contains("index 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.tokenBytes(9));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("vocab size 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.decoder(0).next(-1));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1}, 42));
    }

    private static void assertRejected(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfTokenizer.fromJson(json, null));
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
