package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tokenizer.json BPE model: vocab, ranked merges and the fallbacks for characters that are
 * not in the vocab. Encodes one pre-token ("word") at a time as Hugging Face's BPE does: one
 * symbol per character, then merges by rank (lowest first, ties leftmost).
 */
final class HfBpeModel {
    private static final String WHERE = "model";

    private final Map<String, Integer> vocab;
    private final PairTable merges;
    /** Ids of single-character tokens below U+10000 (-1: none), so the common case needs no map. */
    private final int[] bmpIds = new int[0x10000];
    private final Map<Integer, Integer> supplementaryIds = new HashMap<>();
    private final boolean byteFallback;
    private final int[] byteIds = new int[256]; // "<0xXX>" tokens, -1 where missing
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;

    private HfBpeModel(JsonNode model) {
        vocab = parseVocab(HfJson.required(model, "vocab", WHERE));
        merges = parseMerges(HfJson.array(model, "merges", WHERE));
        byteFallback = HfJson.flag(model, "byte_fallback", false, WHERE);
        fuseUnk = HfJson.flag(model, "fuse_unk", false, WHERE);
        ignoreMerges = HfJson.flag(model, "ignore_merges", false, WHERE);
        String unk = HfJson.optionalText(model, "unk_token", WHERE);
        if (unk != null && !vocab.containsKey(unk)) {
            throw new IllegalArgumentException(WHERE + ": unk_token \"" + unk + "\" is not in the vocab");
        }
        unkId = unk == null ? -1 : vocab.get(unk);
        JsonNode dropout = model.get("dropout");
        if (!HfJson.absent(dropout) && dropout.asDouble() != 0.0) {
            throw HfJson.unsupported(WHERE, "dropout", dropout.toString(), "only null or 0: encoding must be deterministic");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            String value = HfJson.optionalText(model, affix, WHERE);
            if (value != null && !value.isEmpty()) {
                throw HfJson.unsupported(WHERE, affix, value, "only empty or null");
            }
        }
        Arrays.fill(bmpIds, -1);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            if (token.length() == 1) {
                bmpIds[token.charAt(0)] = e.getValue();
            } else if (token.length() == 2 && token.codePointCount(0, 2) == 1) {
                supplementaryIds.put(token.codePointAt(0), e.getValue());
            }
        }
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);
        }
    }

    static HfBpeModel parse(JsonNode model) {
        if (HfJson.absent(model)) {
            throw new IllegalArgumentException("missing field \"model\"");
        }
        // Old files omit "type"; Hugging Face then recognises BPE by its merges.
        String type = model.has("type") ? HfJson.type(model, WHERE) : model.has("merges") ? "BPE" : "unknown";
        if (!type.equals("BPE")) {
            throw HfJson.unsupported(WHERE, "type", type, "supported: BPE");
        }
        return new HfBpeModel(model);
    }

    Map<String, Integer> vocab() {
        return vocab;
    }

    /**
     * Appends the ids of one pre-token to {@code out}.
     *
     * @param scratch reusable buffer for the symbols being merged
     */
    void encodeWord(String word, IntList scratch, IntList out) {
        if (ignoreMerges) {
            Integer whole = vocab.get(word); // Llama 3: a pre-token in the vocab is taken as is
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        scratch.truncate(0);
        boolean afterUnk = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            int id = cp < 0x10000 ? bmpIds[cp] : supplementaryIds.getOrDefault(cp, -1);
            if (id >= 0) {
                scratch.add(id);
                afterUnk = false;
            } else if (byteFallback && addBytes(cp, scratch)) {
                afterUnk = false;
            } else if (unkId >= 0) {
                if (!(fuseUnk && afterUnk)) {
                    scratch.add(unkId);
                }
                afterUnk = true;
            } // with neither fallback nor unk token, HF drops the character
        }
        int count = BpeMerger.merge(scratch.array(), scratch.size(), merges::get);
        for (int i = 0; i < count; i++) {
            out.add(scratch.get(i));
        }
    }

    /** SentencePiece byte fallback: the character's UTF-8 bytes as {@code <0xXX>} tokens, if all exist. */
    private boolean addBytes(int cp, IntList symbols) {
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : utf8) {
            symbols.add(byteIds[b & 0xFF]);
        }
        return true;
    }

    private static Map<String, Integer> parseVocab(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(WHERE + ": \"vocab\" must be an object of token -> id");
        }
        Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
        Map<Integer, String> tokensById = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            int id = HfJson.tokenId(e.getValue(), WHERE + " vocab \"" + e.getKey() + "\"");
            String other = tokensById.putIfAbsent(id, e.getKey());
            if (other != null) {
                throw new IllegalArgumentException(WHERE + ": vocab id " + id + " is used by both \""
                        + other + "\" and \"" + e.getKey() + "\"");
            }
            vocab.put(e.getKey(), id);
        }
        return vocab;
    }

    /** Merge i has priority i; a repeated pair keeps its last rank, as HF's merge map does. */
    private PairTable parseMerges(JsonNode array) {
        PairTable table = new PairTable(array.size());
        for (int rank = 0; rank < array.size(); rank++) {
            JsonNode merge = array.get(rank);
            String left;
            String right;
            if (merge.isTextual()) {
                String line = merge.textValue();
                int space = line.indexOf(' ');
                if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw new IllegalArgumentException(WHERE + ": merges[" + rank + "] \"" + line
                            + "\" is not two tokens separated by one space");
                }
                left = line.substring(0, space);
                right = line.substring(space + 1);
            } else if (merge.isArray() && merge.size() == 2 && merge.get(0).isTextual() && merge.get(1).isTextual()) {
                left = merge.get(0).textValue();
                right = merge.get(1).textValue();
            } else {
                throw new IllegalArgumentException(
                        WHERE + ": merges[" + rank + "] must be \"a b\" or [\"a\", \"b\"], got " + merge);
            }
            table.put(idOf(left, rank), idOf(right, rank), BpeMerger.rule(rank, idOf(left + right, rank)));
        }
        return table;
    }

    private int idOf(String token, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(WHERE + ": merges[" + rank + "] names \"" + token
                    + "\", which is not in the vocab");
        }
        return id;
    }
}
