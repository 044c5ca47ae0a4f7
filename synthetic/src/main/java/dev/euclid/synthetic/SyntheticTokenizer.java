package dev.euclid.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes a small but real byte-level BPE {@code tokenizer.json} in the Qwen2 layout (NFC, Split
 * with Qwen2's regex, ByteLevel; ByteLevel decoder; one special token), with merges trained on
 * {@link SyntheticCorpus}. Tests use it, and synthetic random-weight models get it as their
 * tokenizer. The output depends only on {@code vocabSize}.
 */
public final class SyntheticTokenizer {
    /** Qwen2's pre-tokenizer split: contractions, words, single digits, punctuation, whitespace. */
    static final String QWEN2_SPLIT_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final String END_OF_TEXT = "<|endoftext|>";
    private static final int BYTE_TOKENS = 256;

    private SyntheticTokenizer() {
    }

    /**
     * Vocabulary: ids 0..255 are the bytes, then learned merges until the corpus is exhausted or
     * {@code vocabSize - 1} tokens exist, then {@code <|extra_N|>} fillers, and last
     * {@code <|endoftext|>} (id {@code vocabSize - 1}) as an added special token.
     *
     * @param vocabSize at least 257
     */
    public static String byteLevelJson(int vocabSize) {
        if (vocabSize < BYTE_TOKENS + 1) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is below 257 (256 bytes + "
                    + END_OF_TEXT + ")");
        }
        ByteLevelBpeTrainer.Result trained = ByteLevelBpeTrainer.train(
                Normalizer.normalize(SyntheticCorpus.TEXT, Normalizer.Form.NFC),
                Pattern.compile(QWEN2_SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS), vocabSize - 1);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode special = root.putArray("added_tokens").addObject();
        special.put("id", vocabSize - 1);
        special.put("content", END_OF_TEXT);
        special.put("single_word", false);
        special.put("lstrip", false);
        special.put("rstrip", false);
        special.put("normalized", false);
        special.put("special", true);
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ArrayNode steps = preTokenizer.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", QWEN2_SPLIT_REGEX);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        byteLevel(steps.addObject());
        byteLevel(root.putObject("post_processor"));
        byteLevel(root.putObject("decoder"));
        model(root.putObject("model"), trained, vocabSize);
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree built in memory must serialize", e);
        }
    }

    /** A {@code tokenizer_config.json} to go with it: no BOS, {@code <|endoftext|>} as EOS (as Qwen2 base models). */
    public static String tokenizerConfigJson() {
        return "{\n  \"bos_token\": null,\n  \"eos_token\": \"" + END_OF_TEXT + "\"\n}\n";
    }

    private static void byteLevel(ObjectNode node) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", false);
        node.put("use_regex", false);
    }

    private static void model(ObjectNode model, ByteLevelBpeTrainer.Result trained, int vocabSize) {
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        List<byte[]> tokens = trained.tokens();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(ByteLevelSpelling.encode(tokens.get(id)), id);
        }
        // The corpus has no "<|extra_" text, so fillers cannot collide with learned tokens.
        for (int id = tokens.size(); id < vocabSize - 1; id++) {
            vocab.put("<|extra_" + (id - tokens.size()) + "|>", id);
        }
        ArrayNode merges = model.putArray("merges");
        for (int[] pair : trained.merges()) {
            merges.addArray().add(ByteLevelSpelling.encode(tokens.get(pair[0])))
                    .add(ByteLevelSpelling.encode(tokens.get(pair[1])));
        }
    }
}
