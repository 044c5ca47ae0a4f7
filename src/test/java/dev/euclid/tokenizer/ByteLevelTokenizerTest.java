package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.TextDecoder;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level BPE (Qwen2 layout) through the synthetic 1000-token tokenizer. */
class ByteLevelTokenizerTest {
    private static final List<String> TEXTS = List.of(
            "Hello, world! The quick brown fox jumps over the lazy dog.",
            "public static void main(String[] args) {\n\tSystem.out.println(\"hi\" + 42);\n}\n",
            "x  =  1;\t\ty = [1, 2,   3]    # trailing    ",
            "   leading spaces and\n\n\nblank lines\r\n windows line end",
            "中文：今天天气很好。日本語のテキスト、한국어 텍스트",
            "emoji 😀🚀 👩‍💻 🇫🇷 👍🏽 and symbols ∑ √ ∞ ≈ € ™",
            "accents: café, naïve, Straße, niño, São Paulo, Ελληνικά, привет",
            "\n", " ", "  ", "a", "12345678901234567890", "it's they're WE'VE I'M",
            "unseen words: zyxwvut qqqq Ωμέγα ߷ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000\u0001\u007f");

    private static HfTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = HfTokenizer.fromJson(SyntheticTokenizer.byteLevelJson(1000), SyntheticTokenizer.tokenizerConfigJson());
    }

    @Test
    void shapeOfTheVocab() {
        assertEquals(1000, tokenizer.vocabSize());
        assertEquals(-1, tokenizer.bosId());
        assertEquals(999, tokenizer.eosId());
        assertEquals(SyntheticTokenizer.END_OF_TEXT, new String(tokenizer.tokenBytes(999), StandardCharsets.UTF_8));
        for (int b = 0; b < 256; b++) {
            assertArrayEquals(new byte[] {(byte) b}, tokenizer.tokenBytes(b), "byte token " + b);
        }
        assertArrayEquals(new int[0], tokenizer.encode(""), "no BOS in this layout");
    }

    @Test
    void roundTripIsExact() {
        for (String text : TEXTS) {
            int[] ids = tokenizer.encode(text);
            assertEquals(text, tokenizer.decode(ids, -1), Arrays.toString(ids));
        }
    }

    @Test
    void mergesCompressTrainingLikeText() {
        String text = "The engine schedules requests and streams tokens back to the caller.";
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length * 2 < text.length(), ids.length + " tokens for " + text.length() + " bytes");
    }

    @Test
    void streamingEqualsWholeDecodeAndNeverSplitsCharacters() {
        for (String text : TEXTS) {
            int[] ids = tokenizer.encode(text);
            TextDecoder decoder = tokenizer.decoder(-1);
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                String piece = decoder.next(id);
                Llama2cTokenizerTest.assertWholeCharacters(piece);
                streamed.append(piece);
            }
            streamed.append(decoder.flush());
            assertEquals(tokenizer.decode(ids, -1), streamed.toString());
        }
    }

    @Test
    void aCharacterSplitAcrossTokensIsHeldBack() {
        // U+1D518 is not in the corpus, so it is four byte tokens F0 9D 94 98.
        int[] ids = tokenizer.encode("𝔘");
        assertArrayEquals(new int[] {0xF0, 0x9D, 0x94, 0x98}, ids);
        TextDecoder decoder = tokenizer.decoder(-1);
        assertEquals("", decoder.next(ids[0]));
        assertEquals("", decoder.next(ids[1]));
        assertEquals("", decoder.next(ids[2]));
        assertEquals("𝔘", decoder.next(ids[3]));
        assertEquals("", decoder.next(0xF0));
        assertEquals("\uFFFD", decoder.flush(), "an unfinished character is malformed at the end");
    }

    @Test
    void specialTokenTextMapsToItsId() {
        int[] ids = tokenizer.encode("a<|endoftext|>b");
        assertArrayEquals(new int[] {'a', 999, 'b'}, ids);
        assertEquals("a<|endoftext|>b", tokenizer.decode(ids, -1));
        assertArrayEquals(new int[] {999, 999}, tokenizer.encode("<|endoftext|><|endoftext|>"));
    }

    @Test
    void preTokenizerSplitsAsTheQwen2RegexSays() throws IOException {
        JsonNode json = new ObjectMapper().readTree(SyntheticTokenizer.byteLevelJson(300));
        List<String> pieces = HfPreTokenizer.parse(json.get("pre_tokenizer")).apply("Hello world's  123", true);
        // Words keep one leading space (Ġ); of two spaces before a digit, \s+(?!\S) takes the first
        // and \s+ the second; Qwen2 splits digits one by one.
        assertEquals(List.of("Hello", "Ġworld", "'s", "Ġ", "Ġ", "1", "2", "3"), pieces);
        // Punctuation takes the newlines after it ( ?[^\s\p{L}\p{N}]+[\r\n]*).
        assertEquals(List.of("ĠHELLO", "'LL", "Ċ", "ĉ", "Ġ!?ĊĊ", "ä¸Ńæĸĩ"),
                HfPreTokenizer.parse(json.get("pre_tokenizer")).apply(" HELLO'LL\n\t !?\n\n中文", true));
    }
}
