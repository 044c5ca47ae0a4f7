package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A tokenizer.json is part of an untrusted model, and its regexes run on every prompt. A pattern
 * with catastrophic backtracking, or one whose repeated group recurses once per character, must
 * end in IllegalArgumentException quickly, not hang the caller or overflow its stack. (Before the
 * bound, the first two ran for minutes and the third threw StackOverflowError.)
 */
class HostileTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** TinyTokenizers.LLAMA3 with its Split regex replaced. */
    private static HfTokenizer withSplitRegex(String regex) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(TinyTokenizers.LLAMA3);
        ObjectNode split = (ObjectNode) root.get("pre_tokenizer").get("pretokenizers").get(0);
        ((ObjectNode) split.get("pattern")).put("Regex", regex);
        return HfTokenizer.fromJson(JSON.writeValueAsString(root), null);
    }

    /** The SentencePiece tiny tokenizer with a regex Replace normalizer. */
    private static HfTokenizer withReplaceRegex(String regex) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(TinyTokenizers.SENTENCEPIECE);
        root.set("normalizer", JSON.readTree("{\"type\": \"Replace\", \"content\": \"b\"}"));
        ((ObjectNode) root.get("normalizer")).putObject("pattern").put("Regex", regex);
        return HfTokenizer.fromJson(JSON.writeValueAsString(root), null);
    }

    @Test
    void catastrophicBacktrackingInASplitRegexIsRefused() throws Exception {
        // Nested quantifiers: O(n^5) backtracking, minutes on these 500 characters without the bound.
        HfTokenizer t = withSplitRegex("h*h*h*h*h*e");
        String prompt = "h".repeat(500) + "o";
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> t.encode(prompt)));
        assertTrue(e.getMessage().contains("pre_tokenizer.pretokenizers[0]:"), e.getMessage());
        // The same pattern on text that does not trigger backtracking still works.
        assertTrue(t.encode("hello").length > 1);
    }

    @Test
    void catastrophicBacktrackingInAReplaceRegexIsRefused() throws Exception {
        HfTokenizer t = withReplaceRegex("a*a*a*a*a*c");
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> t.encode("a".repeat(500))));
        assertTrue(e.getMessage().contains("normalizer:"), e.getMessage());
    }

    @Test
    void deeplyRecursiveGroupOnALongPromptIsRefused() throws Exception {
        HfTokenizer t = withSplitRegex("(?:h|e)+");
        String prompt = "he".repeat(2_000_000);
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IllegalArgumentException.class, () -> t.encode(prompt)));
        assertTrue(e.getMessage().contains("pre_tokenizer.pretokenizers[0]:"), e.getMessage());
    }

    @Test
    void realPretokenizerRegexesStayWithinTheBudgetOnLongInputs() throws Exception {
        HfTokenizer t = HfTokenizer.fromJson(TinyTokenizers.LLAMA3, null);
        for (String text : new String[] {" ".repeat(1 << 20), "hello ".repeat(200_000), "\n\n \t".repeat(100_000),
            "123".repeat(300_000), "'s'll".repeat(100_000)}) {
            assertTrue(t.encode(text).length > 0);
        }
        assertArrayEquals(t.encode("hello 123"), HfTokenizer.fromJson(TinyTokenizers.LLAMA3, null).encode("hello 123"));
    }
}
