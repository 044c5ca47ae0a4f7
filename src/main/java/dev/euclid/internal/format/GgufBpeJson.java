package dev.euclid.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Hugging Face {@code tokenizer.json} (and {@code tokenizer_config.json}) rebuilt from a GGUF
 * byte-level BPE vocabulary ({@code tokenizer.ggml.model = gpt2}), in the shape the original
 * model's files have: BPE vocab and ranked merges, the pre-tokenizer split named by
 * {@code tokenizer.ggml.pre}, ByteLevel, and control / user-defined tokens as added tokens.
 */
record GgufBpeJson(byte[] tokenizerJson, byte[] tokenizerConfigJson) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The split regexes of Qwen2's and Llama 3's tokenizer.json; they differ only in digit runs. */
    private static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String LLAMA3_SPLIT = QWEN2_SPLIT.replace("|\\p{N}|", "|\\p{N}{1,3}|");

    static GgufBpeJson of(GgufFile gguf) {
        GgufMetadata m = gguf.metadata();
        String[] tokens = m.stringArray(GgufTokenizers.TOKENS);
        int[] types = m.has(GgufTokenizers.TYPES) ? m.intArray(GgufTokenizers.TYPES) : null;
        if (types != null && types.length != tokens.length) {
            throw GgufTokenizers.problem(gguf, GgufTokenizers.TOKENS + " and " + GgufTokenizers.TYPES + " differ in length");
        }
        String pre = m.string("tokenizer.ggml.pre", "gpt-2");
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? GgufTokenizers.NORMAL : types[id];
            if (type == GgufTokenizers.CONTROL || type == GgufTokenizers.USER_DEFINED) {
                // llama.cpp stores these as plain text, matched whole before BPE, as HF's added tokens are.
                added.addObject().put("id", id).put("content", tokens[id]).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", false)
                        .put("special", type == GgufTokenizers.CONTROL);
            } else if (!vocab.has(tokens[id])) {
                vocab.put(tokens[id], id);
            }
        }
        ArrayNode merges = model.putArray("merges");
        for (String merge : m.stringArray("tokenizer.ggml.merges")) merges.add(merge);
        preTokenizer(gguf, pre, root, model);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
        int bos = specialId(gguf, "bos", tokens.length);
        int eos = specialId(gguf, "eos", tokens.length);
        postProcessor(gguf, root, tokens, bos, eos);
        ObjectNode config = JSON.createObjectNode();
        if (bos >= 0) config.put("bos_token", tokens[bos]); else config.putNull("bos_token");
        if (eos >= 0) config.put("eos_token", tokens[eos]); else config.putNull("eos_token");
        try {
            return new GgufBpeJson(JSON.writeValueAsBytes(root), JSON.writeValueAsBytes(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree built in memory must serialize", e);
        }
    }

    /** Normalizer and pre-tokenizer as the original model's tokenizer.json has them. */
    private static void preTokenizer(GgufFile gguf, String pre, ObjectNode root, ObjectNode model) {
        ObjectNode byteLevel = JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false);
        String split;
        switch (pre) {
            case "gpt-2" -> {
                root.set("pre_tokenizer", byteLevel.put("use_regex", true)); // ByteLevel's own regex is GPT-2's
                return;
            }
            case "qwen2" -> {
                root.putObject("normalizer").put("type", "NFC");
                split = QWEN2_SPLIT;
            }
            case "llama-bpe", "llama3" -> {
                model.put("ignore_merges", true); // Llama 3 takes a pre-token found whole in the vocab as is
                split = LLAMA3_SPLIT;
            }
            default -> throw GgufTokenizers.problem(gguf, "tokenizer.ggml.pre '" + pre
                    + "' is not supported (gpt-2, llama-bpe, llama3, qwen2)");
        }
        ObjectNode sequence = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = sequence.putArray("pretokenizers");
        ObjectNode splitStep = steps.addObject().put("type", "Split");
        splitStep.putObject("pattern").put("Regex", split);
        splitStep.put("behavior", "Isolated").put("invert", false);
        steps.add(byteLevel.put("use_regex", false));
    }

    /** BOS before and EOS after the prompt, as add_bos_token / add_eos_token ask (both default false for BPE). */
    private static void postProcessor(GgufFile gguf, ObjectNode root, String[] tokens, int bos, int eos) {
        GgufMetadata m = gguf.metadata();
        boolean addBos = m.bool("tokenizer.ggml.add_bos_token", false);
        boolean addEos = m.bool("tokenizer.ggml.add_eos_token", false);
        if ((addBos && bos < 0) || (addEos && eos < 0)) {
            throw GgufTokenizers.problem(gguf, "add_bos_token/add_eos_token is set but the token id is missing");
        }
        if (!addBos && !addEos) {
            root.putNull("post_processor");
            return;
        }
        ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        ObjectNode specials = template.putObject("special_tokens");
        if (addBos) special(single, specials, tokens[bos], bos);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (addEos) special(single, specials, tokens[eos], eos);
    }

    private static void special(ArrayNode single, ObjectNode specials, String token, int id) {
        single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        ObjectNode entry = specials.putObject(token).put("id", token);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(token);
    }

    private static int specialId(GgufFile gguf, String which, int vocab) {
        String key = "tokenizer.ggml." + which + "_token_id";
        return gguf.metadata().has(key) ? GgufTokenizers.tokenId(gguf, key, vocab) : -1;
    }
}
