package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.TextDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stories260K vocabulary as a SentencePiece-style tokenizer.json must behave like llama2.c's tokenizer.bin. */
class HfTokenizerStoriesTest {
    private static HfTokenizer hf;
    private static Llama2cTokenizer llama2c;

    @BeforeAll
    static void load() throws IOException {
        hf = HfTokenizer.load(StoriesReference.hfDir().resolve("tokenizer.json"));
        llama2c = Llama2cTokenizer.load(StoriesReference.dir().resolve("tok512.bin"), 512);
    }

    @Test
    void specialIdsComeFromTokenizerConfig() {
        assertEquals(512, hf.vocabSize());
        assertEquals(1, hf.bosId());
        assertEquals(2, hf.eosId());
    }

    @Test
    void withoutConfigBosComesFromTheTemplate() throws IOException {
        HfTokenizer bare = HfTokenizer.fromJson(Files.readString(StoriesReference.hfDir().resolve("tokenizer.json")), null);
        assertEquals(1, bare.bosId());
        assertEquals(-1, bare.eosId());
    }

    @Test
    void referencePromptsGiveReferenceIds() throws IOException {
        for (StoriesReference run : StoriesReference.load()) {
            assertArrayEquals(run.promptIds(), hf.encode(run.prompt()), run.prompt());
        }
        assertArrayEquals(new int[] {1}, hf.encode(""));
    }

    @Test
    void encodesLikeLlama2c() throws IOException {
        List<String> texts = new ArrayList<>(List.of("é😀 naïve", "Hello\nworld", "  two leading spaces",
                "trailing ", "Tom's \"big\" day: 3 cats, 12 dogs!", "ünïcödé — “quotes” … €5", "a", " ", "\t"));
        for (StoriesReference run : StoriesReference.load()) {
            texts.add(run.prompt());
            texts.add(run.text());
        }
        for (String text : texts) {
            assertArrayEquals(llama2c.encode(text), hf.encode(text), text);
        }
    }

    @Test
    void decodingAgreesWithLlama2cAndTheReference() throws IOException {
        for (StoriesReference run : StoriesReference.load()) {
            assertEquals(run.text(), hf.decode(run.afterBos(), hf.bosId()));
            // From the start of text BOS shows as its content, and as in HF's decode (special tokens
            // kept) the Strip applies to the whole text's first character, which is BOS's.
            assertEquals("<s> " + run.text(), hf.decode(run.tokenIds(), -1));
            TextDecoder decoder = hf.decoder(hf.bosId());
            StringBuilder streamed = new StringBuilder();
            for (int id : run.afterBos()) {
                streamed.append(decoder.next(id));
            }
            assertEquals(run.text(), streamed.append(decoder.flush()).toString());
        }
    }

    @Test
    void byteFallbackRoundTripsThroughTheStream() {
        String text = "é😀 naïve";
        int[] ids = hf.encode(text);
        TextDecoder decoder = hf.decoder(ids[0]);
        StringBuilder streamed = new StringBuilder();
        for (int i = 1; i < ids.length; i++) {
            String piece = decoder.next(ids[i]);
            Llama2cTokenizerTest.assertWholeCharacters(piece);
            streamed.append(piece);
        }
        assertEquals(text, streamed.append(decoder.flush()).toString());
    }

    @Test
    void tokenBytesMatchLlama2cExceptSpecialTokens() {
        for (int id = 3; id < 512; id++) {
            assertArrayEquals(llama2c.tokenBytes(id), hf.tokenBytes(id), "id " + id);
        }
        assertEquals("<s>", new String(hf.tokenBytes(1), StandardCharsets.UTF_8));
    }
}
