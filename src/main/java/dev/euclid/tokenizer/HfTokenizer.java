package dev.euclid.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.ModelFormatException;
import dev.euclid.TextDecoder;
import dev.euclid.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face {@code tokenizer.json} BPE tokenizer, in either style that decoder-only models
 * use: byte-level (GPT-2, Llama 3, Qwen, DeepSeek, GPT-4o conversions) or SentencePiece-like ("▁"
 * for spaces by normalizer or Metaspace, byte fallback: Llama 2, Mistral, Gemma). The pipeline
 * follows the tokenizers library: split out added tokens, normalize, pre-tokenize, BPE each
 * pre-token, wrap in the post-processor's template. Components it does not implement are
 * rejected when loading, naming the field, never ignored.
 */
public final class HfTokenizer implements Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real ones are at most a few tens of MiB; a bigger file is not a tokenizer. */
    private static final long MAX_FILE_BYTES = 512L << 20;
    /** Unused ids allowed below the highest id. */
    private static final int MAX_ID_GAPS = 1 << 20;

    private final AddedTokenSplitter rawSplitter;
    private final AddedTokenSplitter normalizedSplitter;
    private final UnaryOperator<String> normalizer;
    private final HfPreTokenizer preTokenizer;
    private final HfBpeModel model;
    private final HfPromptTemplate template;
    private final HfDecoder decoder;
    private final byte[][] tokenBytes;
    /** The bytes of each token where it starts a text (the decoder's Strip or Metaspace applied). */
    private final byte[][] firstTokenBytes;
    private final int bosId;
    private final int eosId;
    private final java.util.BitSet specialIds = new java.util.BitSet();

    private HfTokenizer(JsonNode root, JsonNode config) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("tokenizer.json must hold a JSON object");
        }
        model = HfBpeModel.parse(root.get("model"));
        normalizer = HfNormalizer.parse(root.get("normalizer"));
        preTokenizer = HfPreTokenizer.parse(root.get("pre_tokenizer"));
        template = HfPromptTemplate.parse(root.get("post_processor"));
        decoder = HfDecoder.parse(root.get("decoder"));
        List<HfAddedToken> added = HfAddedToken.parseAll(root.get("added_tokens"));
        List<HfAddedToken> raw = new ArrayList<>();
        List<HfAddedToken> normalized = new ArrayList<>();
        for (HfAddedToken token : added) {
            (token.normalized() ? normalized : raw).add(token);
            if (token.special()) specialIds.set(token.id());
        }
        rawSplitter = new AddedTokenSplitter(raw, UnaryOperator.identity());
        normalizedSplitter = new AddedTokenSplitter(normalized, normalizer);
        String[] tokens = tokenStrings(model.vocab(), added);
        tokenBytes = new byte[tokens.length][];
        firstTokenBytes = new byte[tokens.length][];
        for (int id = 0; id < tokens.length; id++) {
            tokenBytes[id] = decoder.tokenBytes(tokens[id]);
            byte[] first = decoder.firstTokenBytes(tokens[id]);
            firstTokenBytes[id] = Arrays.equals(first, tokenBytes[id]) ? tokenBytes[id] : first;
        }
        for (int id : template.prefix()) {
            TokenIds.require(id, tokenBytes.length);
        }
        for (int id : template.suffix()) {
            TokenIds.require(id, tokenBytes.length);
        }
        Map<String, Integer> addedIds = new HashMap<>();
        added.forEach(t -> addedIds.put(t.content(), t.id()));
        ToIntFunction<String> idOf = s -> addedIds.getOrDefault(s, model.vocab().getOrDefault(s, -1));
        bosId = HfTokenizerConfig.specialId(config, "bos_token", idOf, template.firstPrefixId());
        eosId = HfTokenizerConfig.specialId(config, "eos_token", idOf, template.firstSuffixId());
    }

    /**
     * Loads {@code tokenizer.json}, and BOS/EOS from the {@code tokenizer_config.json} beside it
     * when there is one.
     *
     * @throws ModelFormatException naming the file, the field and the problem if it is malformed or
     *     uses a component this class does not implement
     */
    public static HfTokenizer load(Path tokenizerJson) throws IOException {
        long size = Files.size(tokenizerJson);
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException(tokenizerJson + ": " + size
                    + " bytes is far too large for a tokenizer.json (limit " + MAX_FILE_BYTES + ")");
        }
        String json = Files.readString(tokenizerJson);
        Path configPath = tokenizerJson.resolveSibling("tokenizer_config.json");
        String config = null;
        if (Files.isRegularFile(configPath)) {
            if (Files.size(configPath) > MAX_FILE_BYTES) {
                throw new ModelFormatException(configPath + ": " + Files.size(configPath)
                        + " bytes is far too large for a tokenizer_config.json (limit " + MAX_FILE_BYTES + ")");
            }
            config = Files.readString(configPath);
        }
        try {
            return fromJson(json, config);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** @param tokenizerConfigJsonOrNull the text of tokenizer_config.json, or null */
    public static HfTokenizer fromJson(String json, String tokenizerConfigJsonOrNull) {
        JsonNode root = readJson(json, "tokenizer.json");
        JsonNode config = tokenizerConfigJsonOrNull == null ? null
                : readJson(tokenizerConfigJsonOrNull, "tokenizer_config.json");
        return new HfTokenizer(root, config);
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public boolean isSpecial(int id) {
        return id == bosId || id == eosId || (id >= 0 && specialIds.get(id));
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        WellFormedText.require(text);
        IntList ids = new IntList(text.length() / 2 + 8);
        IntList scratch = new IntList(64);
        if (addSpecialTokens) {
            ids.addAll(template.prefix());
        }
        List<AddedTokenSplitter.Segment> segments = new ArrayList<>();
        rawSplitter.split(text, segments);
        List<AddedTokenSplitter.Segment> normalizedSegments = new ArrayList<>();
        boolean atTextStart = true; // segments cover the text in order, so only the first can start it
        for (AddedTokenSplitter.Segment segment : segments) {
            if (segment.isToken()) {
                ids.add(segment.id());
                atTextStart = false;
                continue;
            }
            // Each stretch between added tokens is normalized on its own, as in HF.
            normalizedSegments.clear();
            normalizedSplitter.split(normalizer.apply(segment.text()), normalizedSegments);
            for (AddedTokenSplitter.Segment part : normalizedSegments) {
                if (part.isToken()) {
                    ids.add(part.id());
                } else {
                    for (String word : preTokenizer.apply(part.text(), atTextStart)) {
                        model.encodeWord(word, scratch, ids);
                    }
                }
                atTextStart = false;
            }
        }
        if (addSpecialTokens) {
            ids.addAll(template.suffix());
        }
        return ids.toArray();
    }

    @Override
    public byte[] tokenBytes(int id) {
        TokenIds.require(id, tokenBytes.length);
        return tokenBytes[id].clone();
    }

    @Override
    public String decode(int[] ids, int previousId) {
        TokenIds.requirePrevious(previousId, tokenBytes.length);
        return PieceTextDecoder.decodeAll(pieces(previousId), ids, previousId);
    }

    @Override
    public TextDecoder decoder(int previousId) {
        TokenIds.requirePrevious(previousId, tokenBytes.length);
        return new PieceTextDecoder(pieces(previousId), previousId);
    }

    /**
     * Token bytes for one decoding run. Text starts at the run's first token if the run starts at
     * the very start or right after BOS (as in HF's decode, which skips BOS as a special token);
     * later tokens never start a text, not even after a BOS inside the run, because HF's decode
     * with special tokens kept fuses BOS's text with what follows.
     */
    private TokenPieces pieces(int startId) {
        boolean[] atTextStart = {startId == -1 || startId == bosId};
        return (previousId, id) -> {
            TokenIds.require(id, tokenBytes.length);
            byte[] bytes = atTextStart[0] ? firstTokenBytes[id] : tokenBytes[id];
            atTextStart[0] = false;
            return bytes;
        };
    }

    /**
     * The text of every id (vocab and added tokens; an added token is decoded like any other, as
     * HF does). Ids may have gaps, left empty (tiktoken conversions leave reserved ids unused), but
     * no more than {@link #MAX_ID_GAPS} of them, so a hostile id cannot make us allocate a huge table.
     */
    private static String[] tokenStrings(Map<String, Integer> vocab, List<HfAddedToken> added) {
        long defined = (long) vocab.size() + added.size();
        int maxId = -1;
        for (int id : vocab.values()) {
            maxId = Math.max(maxId, id);
        }
        for (HfAddedToken token : added) {
            maxId = Math.max(maxId, token.id());
        }
        if (maxId >= defined + MAX_ID_GAPS) {
            throw new IllegalArgumentException("token id " + maxId + " is out of range: only " + defined
                    + " tokens are defined (vocab + added_tokens), and ids may leave at most " + MAX_ID_GAPS
                    + " gaps");
        }
        String[] tokens = new String[maxId + 1];
        Arrays.fill(tokens, "");
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            tokens[e.getValue()] = e.getKey();
        }
        for (HfAddedToken token : added) {
            tokens[token.id()] = token.content();
        }
        return tokens;
    }

    private static JsonNode readJson(String json, String name) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage() + at, e);
        }
    }
}
