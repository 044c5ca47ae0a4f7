package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import dev.euclid.tokenizer.HfReference;
import dev.euclid.tokenizer.NpmTokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid tokenize} against Hugging Face's tokenizers on the same files. */
class TokenizeCommandTest {
    private static final String TEXT = "<|im_start|>user\nSolve $x^2 - 5x + 6 = 0$ for x 12345678.\n"
            + "def f(a, b):\n\treturn a  +  b   \n\n東京は日本の首都です。 👨‍👩‍👧‍👦 e\u0301 <s>  trailing  ";

    private static int[] ids(CliRun r) throws IOException {
        assertEquals(0, r.code(), r.err());
        JsonNode ids = new ObjectMapper().readTree(r.out()).get("ids");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i).intValue();
        }
        return out;
    }

    @Test
    void idsAreHuggingFacesWithAndWithoutSpecialTokens(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("prompt.txt"), TEXT);
        for (String name : new String[] {"qwen3", "llama2", "llama3_1"}) {
            Path json = NpmTokenizers.tokenizerJson(name);
            try (HfReference hf = new HfReference(json)) {
                assertArrayEquals(hf.encode(TEXT, false),
                        ids(CliRun.of("tokenize", "--tokenizer", json.toString(), "--text-file", text.toString(), "--json")),
                        name);
                // The folder holding tokenizer.json is the same tokenizer; the flag adds BOS where the model has one.
                int[] withSpecials = ids(CliRun.of("tokenize", "--tokenizer", json.getParent().toString(),
                        "--text-file", text.toString(), "--add-special-tokens", "--json"));
                assertArrayEquals(hf.encode(TEXT, true), withSpecials, name);
            }
        }
    }

    @Test
    void llama2cTokenizerAndModelFilesGiveTheSameIdsAsTheirTokenizerJson(@TempDir Path dir) throws IOException {
        String story = "Once upon a time, there was a little girl named Lily. She loved to play outside.";
        Path text = Files.writeString(dir.resolve("story.txt"), story);
        Path models = SharedModels.models();
        int[] expected;
        try (HfReference hf = new HfReference(models.resolve("stories260K-hf/tokenizer.json"))) {
            expected = hf.encode(story, true);
        }
        for (Path source : new Path[] {models.resolve("stories260K/tok512.bin"), models.resolve("stories260K/stories260K.bin"),
            models.resolve("stories260K-gguf/stories260K-f32.gguf"), models.resolve("stories260K-hf")}) {
            assertArrayEquals(expected, ids(CliRun.of("tokenize", "--tokenizer", source.toString(), "--text-file",
                    text.toString(), "--add-special-tokens", "--json")), source.toString());
        }
        CliRun plain = CliRun.of("tokenize", "--tokenizer", models.resolve("stories260K/tok512.bin").toString(),
                "--text-file", text.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(expected.length - 1, plain.out().strip().split(" ").length, "no BOS without the flag");
    }

    @Test
    void badInputIsOneErrorLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "hello");
        Path missing = dir.resolve("nope.json");
        CliRun r = CliRun.of("tokenize", "--tokenizer", missing.toString(), "--text-file", text.toString(), "--json");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(missing.toString()), r.err());

        String json = Files.readString(NpmTokenizers.tokenizerJson("qwen3"));
        Path bad = Files.writeString(dir.resolve("tokenizer.json"),
                json.replaceFirst("\"normalizer\":\\s*\\{\\s*\"type\":\\s*\"NFC\"", "\"normalizer\": {\"type\": \"Foo\""));
        r = CliRun.of("tokenize", "--tokenizer", bad.toString(), "--text-file", text.toString(), "--json");
        assertEquals(1, r.code());
        assertEquals("error: " + bad + ": normalizer.type \"Foo\" is not supported (supported: Sequence, Prepend, "
                + "Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)", r.err().strip());

        Path latin1 = Files.write(dir.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        r = CliRun.of("tokenize", "--tokenizer", NpmTokenizers.tokenizerJson("qwen3").toString(), "--text-file",
                latin1.toString(), "--json");
        assertEquals(1, r.code());
        assertEquals("error: " + latin1 + ": not valid UTF-8 at byte 3", r.err().strip());
    }
}
