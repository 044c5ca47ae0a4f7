package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Java strings can hold unpaired surrogates; UTF-8, which Hugging Face's tokenizers work on, cannot.
 * Python's tokenizers refuse such a str (it cannot be converted to Rust's UTF-8 String), and Euclid
 * does the same, naming the position. DJL's JNI binding instead decodes the string's modified
 * UTF-8 lossily once it holds a lone surrogate: every surrogate code unit, paired ones too, turns
 * into three U+FFFD (so an emoji elsewhere in the text becomes six). That is an accident of the
 * binding, not Hugging Face's behaviour; a caller who wants it does the replacement first, and then
 * Euclid's ids are DJL's.
 */
class LoneSurrogateTest {
    private static final String[] TEXTS = {"a\uD800b", "\uDC00", "end\uD83D", "\uDE00\uD83D", "ok \uD83D\uDE00 \uDFFF x"};

    @Test
    void loneSurrogatesAreRefusedNamingWhere() throws IOException {
        HfTokenizer qwen = HfTokenizer.load(NpmTokenizers.tokenizerJson("qwen3"));
        for (String text : TEXTS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> qwen.encode(text, false));
            int at = firstLoneSurrogate(text);
            assertEquals(String.format("text has a lone surrogate U+%04X at index %d; it cannot be encoded as UTF-8",
                    (int) text.charAt(at), at), e.getMessage());
        }
    }

    @Test
    void replacingThemAsDjlDoesGivesDjlsIds() throws IOException {
        for (String name : new String[] {"qwen3", "llama2"}) {
            Path file = NpmTokenizers.tokenizerJson(name);
            HfTokenizer euclid = HfTokenizer.load(file);
            try (HfReference hf = new HfReference(file)) {
                for (String text : TEXTS) {
                    String replaced = asDjlSeesIt(text);
                    assertArrayEquals(hf.encode(text, false), hf.encode(replaced, false), "DJL's reading of " + name);
                    assertArrayEquals(hf.encode(text, false), euclid.encode(replaced, false), name);
                }
            }
        }
    }

    private static int firstLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String asDjlSeesIt(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(Character.isSurrogate(c) ? "\uFFFD\uFFFD\uFFFD" : String.valueOf(c));
        }
        return out.toString();
    }
}
