package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tokenizer.json components that the npm files do not use, in the pipelines other model
 * families ship (Mistral's and newer Llama conversions' Metaspace, Falcon's Punctuation and Digits,
 * StarCoder's single digits, GPT-2's classic ByteLevel, RoBERTa's post-processor, normalizers, no
 * decoder),
 * each put into a real vocabulary and checked against Hugging Face's tokenizers on a 400 KB slice
 * of the parity corpus.
 */
class ComponentParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<String> slice;

    @BeforeAll
    static void buildSlice() {
        List<String> corpus = ParityCorpus.documents();
        slice = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i += 8) {
            slice.add(corpus.get(i));
        }
        slice.addAll(List.of("", " ", "  leading", "trailing  ", "a\u00A0b", "Hello,World!! 1234567 x"));
    }

    static Stream<Arguments> variants() {
        String sentencePiece = "llama2";
        String byteLevel = "qwen3";
        String spDecoder = "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \"▁\"},"
                + " \"content\": \" \"}, {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"},"
                + " {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]}";
        String byteLevelNoRegex = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": false}";
        return Stream.of(
                Arguments.of("metaspace-first", sentencePiece, "{\"normalizer\": null, \"pre_tokenizer\": {\"type\":"
                        + " \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"first\", \"split\": false},"
                        + " \"decoder\": " + spDecoder + "}"),
                Arguments.of("metaspace-always-split", sentencePiece, "{\"normalizer\": null, \"pre_tokenizer\":"
                        + " {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"always\", \"split\": true},"
                        + " \"decoder\": {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"always\","
                        + " \"split\": true}}"),
                Arguments.of("metaspace-never", sentencePiece, "{\"normalizer\": null, \"pre_tokenizer\": {\"type\":"
                        + " \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"never\", \"split\": true},"
                        + " \"decoder\": {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"never\","
                        + " \"split\": true}}"),
                Arguments.of("falcon-punctuation-digits", byteLevel, "{\"normalizer\": null, \"pre_tokenizer\": {\"type\":"
                        + " \"Sequence\", \"pretokenizers\": [{\"type\": \"Punctuation\", \"behavior\": \"Contiguous\"},"
                        + " {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},"
                        + " {\"type\": \"Digits\", \"individual_digits\": false}]}}"),
                Arguments.of("starcoder-digits", byteLevel, "{\"normalizer\": null, \"pre_tokenizer\": {\"type\":"
                        + " \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": true},"
                        + " {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true}]}}"),
                Arguments.of("gpt2-roberta", byteLevel, "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"ByteLevel\","
                        + " \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}, \"post_processor\": {\"type\":"
                        + " \"RobertaProcessing\", \"sep\": [\"<|im_end|>\", 151645], \"cls\": [\"<|im_start|>\", 151644],"
                        + " \"trim_offsets\": true, \"add_prefix_space\": true}}"),
                Arguments.of("normalizers-bert-processing", byteLevel, "{\"normalizer\": {\"type\": \"Sequence\","
                        + " \"normalizers\": [{\"type\": \"NFD\"}, {\"type\": \"Lowercase\"},"
                        + " {\"type\": \"Strip\", \"strip_left\": true, \"strip_right\": true}, {\"type\": \"NFKC\"}]},"
                        + " \"post_processor\": {\"type\": \"BertProcessing\", \"sep\": [\"<|im_end|>\", 151645],"
                        + " \"cls\": [\"<|im_start|>\", 151644]}}"),
                Arguments.of("split-merged-with-next", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\","
                        + " \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\s+\"}, \"behavior\":"
                        + " \"MergedWithNext\", \"invert\": false}, " + byteLevelNoRegex + "]}}"),
                Arguments.of("split-contiguous", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\","
                        + " \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\p{P}\"}, \"behavior\":"
                        + " \"Contiguous\", \"invert\": false}, " + byteLevelNoRegex + "]}}"),
                Arguments.of("split-inverted-merged-with-previous", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\","
                        + " \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\p{L}+\"}, \"behavior\":"
                        + " \"MergedWithPrevious\", \"invert\": true}, " + byteLevelNoRegex + "]}}"),
                Arguments.of("split-string-removed", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\","
                        + " \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"String\": \" \"}, \"behavior\":"
                        + " \"Removed\", \"invert\": false}, " + byteLevelNoRegex + "]}}"),
                Arguments.of("no-decoder", byteLevel, "{\"decoder\": null}"),
                Arguments.of("whitespace", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\":"
                        + " [{\"type\": \"Whitespace\"}, " + byteLevelNoRegex + "]}}"),
                Arguments.of("whitespace-split-char-delimiter", byteLevel, "{\"pre_tokenizer\": {\"type\": \"Sequence\","
                        + " \"pretokenizers\": [{\"type\": \"WhitespaceSplit\"}, {\"type\": \"CharDelimiterSplit\","
                        + " \"delimiter\": \",\"}, " + byteLevelNoRegex + "]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matchesHuggingFace(String name, String base, String changes) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(NpmTokenizers.tokenizerJson(base).toFile());
        JSON.readTree(changes).properties().forEach(e -> root.set(e.getKey(), e.getValue()));
        Path dir = Files.createDirectories(Path.of("target", "test-cache", "tokenizer-variants", name));
        Path file = dir.resolve("tokenizer.json");
        JSON.writeValue(file.toFile(), root);
        HfTokenizer euclid = HfTokenizer.load(file);
        try (HfReference hf = new HfReference(file)) {
            for (String text : slice) {
                int[] expected = hf.encode(text, false);
                assertArrayEquals(expected, euclid.encode(text, false), () -> name + ": " + text);
                assertArrayEquals(hf.encode(text, true), euclid.encode(text, true), () -> name + " with specials: " + text);
                assertEquals(hf.decode(expected), euclid.decode(expected, -1), () -> name + " decode: " + text);
            }
        }
    }
}
