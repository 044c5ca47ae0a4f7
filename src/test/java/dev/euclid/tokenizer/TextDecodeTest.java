package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Tokenizer;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Tokenizer#decode(int[])}: the text of a sequence, special tokens left out. */
class TextDecodeTest {
    private static List<Tokenizer> stories() throws IOException {
        return List.of(Llama2cTokenizer.load(StoriesReference.dir().resolve("tok512.bin"), 512),
                HfTokenizer.load(StoriesReference.hfDir().resolve("tokenizer.json")));
    }

    @Test
    void decodingAnEncodedPromptGivesItsText() throws IOException {
        for (Tokenizer t : stories()) {
            assertEquals("Hello world", t.decode(t.encode("Hello world")), t.getClass().getSimpleName());
            assertEquals("", t.decode(t.encode("")), "BOS alone is no text");
            assertEquals("", t.decode(new int[0]));
        }
    }

    @Test
    void referenceSequencesDecodeToTheReferenceText() throws IOException {
        for (Tokenizer t : stories()) {
            for (StoriesReference run : StoriesReference.load()) {
                // The reference text is llama2.c's output after BOS: decode leaves BOS out and starts the text there.
                assertEquals(run.text(), t.decode(run.tokenIds()), run.prompt());
            }
        }
    }

    @Test
    void bosAndEosAreLeftOutWhereverTheyAre() throws IOException {
        for (Tokenizer t : stories()) {
            int[] once = t.encode("Once");
            int[] ids = {t.bosId(), once[1], t.eosId(), t.bosId(), once[1], t.eosId()};
            assertTrue(t.isSpecial(t.bosId()) && t.isSpecial(t.eosId()));
            assertFalse(t.isSpecial(once[1]));
            assertEquals("OnceOnce", t.decode(ids), "the word after each BOS starts its text");
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {once[1], 100_000}));
        }
    }

    @Test
    void hfAddedTokensFlaggedSpecialAreLeftOutOthersStay() {
        // Without tokenizer_config.json the special token is not EOS: only its "special" flag marks it.
        HfTokenizer t = HfTokenizer.fromJson(SyntheticTokenizer.byteLevelJson(1000), null);
        assertEquals(-1, t.eosId());
        int[] ids = t.encode("a" + SyntheticTokenizer.END_OF_TEXT + "b");
        assertTrue(t.isSpecial(ids[1]));
        assertEquals("ab", t.decode(ids));
        assertEquals("a" + SyntheticTokenizer.END_OF_TEXT + "b", t.decode(ids, -1), "decode(ids, previous) renders every piece");
    }
}
