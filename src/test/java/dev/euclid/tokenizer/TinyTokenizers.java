package dev.euclid.tokenizer;

/**
 * Hand-written tokenizer.json files small enough to work out their ids by hand; the expected
 * ids in the tests are derived in comments there, independently of the implementation.
 */
final class TinyTokenizers {
    private TinyTokenizers() {
    }

    /** GPT-2 style: ByteLevel pre-tokenizer with its own regex, five ranked merges. */
    static String gpt2(String merges) {
        return """
                {
                  "version": "1.0",
                  "added_tokens": [],
                  "normalizer": null,
                  "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                  "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                  "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                  "model": {
                    "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                    "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                    "vocab": {"a": 0, "b": 1, "c": 2, "Ġ": 3, "ab": 4, "bc": 5, "abc": 6, "Ġa": 7, "aa": 8},
                    "merges": %s
                  }
                }
                """.formatted(merges);
    }

    static final String GPT2_MERGES_AS_STRINGS = "[\"b c\", \"a b\", \"a bc\", \"Ġ a\", \"a a\"]";
    static final String GPT2_MERGES_AS_ARRAYS = "[[\"b\", \"c\"], [\"a\", \"b\"], [\"a\", \"bc\"], [\"Ġ\", \"a\"], [\"a\", \"a\"]]";

    /** {@link #gpt2} plus added tokens exercising lstrip, rstrip, single_word and normalized matching. */
    static final String GPT2_ADDED = gpt2(GPT2_MERGES_AS_STRINGS)
            .replace("\"added_tokens\": []", """
                    "added_tokens": [
                        {"id": 9, "content": "<mask>", "single_word": false, "lstrip": true, "rstrip": false, "normalized": false, "special": true},
                        {"id": 10, "content": "cab", "single_word": true, "lstrip": false, "rstrip": false, "normalized": false, "special": false},
                        {"id": 11, "content": "<r>", "single_word": false, "lstrip": false, "rstrip": true, "normalized": false, "special": true},
                        {"id": 12, "content": "Xcc", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": false}
                      ]""")
            .replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"String\": \"X\"}, \"content\": \"a\"}");

    /** SentencePiece style as Llama 2 / Mistral tokenizer.json files have it, with unk and byte fallback. */
    static final String SENTENCEPIECE = """
            {
              "version": "1.0",
              "added_tokens": [
                {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
              ],
              "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Prepend", "prepend": "▁"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
              "pre_tokenizer": null,
              "post_processor": {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
              "decoder": {"type": "Sequence", "decoders": [
                {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                {"type": "ByteFallback"}, {"type": "Fuse"},
                {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
              "model": {
                "type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
                "end_of_word_suffix": null, "fuse_unk": true, "byte_fallback": true, "ignore_merges": false,
                "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0xC3>": 3, "<0xA9>": 4, "▁": 5, "a": 6, "b": 7,
                          "▁a": 8, "ab": 9, "▁ab": 10},
                "merges": ["▁ a", "a b", "▁a b"]
              }
            }
            """;

    /** Llama 3 style: Split with Llama 3's regex, ByteLevel without regex, ignore_merges, BOS template. */
    static final String LLAMA3 = """
            {
              "version": "1.0",
              "added_tokens": [
                {"id": 12, "content": "<|begin_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 13, "content": "<|end_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
              ],
              "normalizer": null,
              "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+"},
                 "behavior": "Isolated", "invert": false},
                {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]},
              "post_processor": {"type": "Sequence", "processors": [
                {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
                {"type": "TemplateProcessing",
                 "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                 "pair": [],
                 "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [12], "tokens": ["<|begin_of_text|>"]}}}]},
              "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
              "model": {
                "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": true,
                "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "ll": 5, "hello": 6,
                          "1": 7, "2": 8, "3": 9, "123": 10, "45": 11},
                "merges": [["l", "l"]]
              }
            }
            """;
}
