package dev.euclid.internal.format;

import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import dev.euclid.internal.CanonicalTensors;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.TensorLocation;
import dev.euclid.internal.TokenizerSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Describes a GGUF model of the {@code llama} (Llama, Mistral) or {@code qwen2} architecture:
 * hyper-parameters from {@code {arch}.*} metadata, tensors by llama.cpp's names, and the tokenizer
 * from {@code tokenizer.ggml.*}. Anything in the file that would change the arithmetic but that
 * the engine does not implement (RoPE scaling, experts, extra tensors) is refused, not ignored.
 */
public final class GgufReader {
    private static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2");
    /** llama.cpp's per-layer tensor names (after "blk.N.") → the engine's canonical suffixes. */
    private static final Map<String, String> LAYER_NAMES = Map.ofEntries(
            Map.entry("attn_norm.weight", "attention_norm"),
            Map.entry("attn_q.weight", "wq"),
            Map.entry("attn_k.weight", "wk"),
            Map.entry("attn_v.weight", "wv"),
            Map.entry("attn_output.weight", "wo"),
            Map.entry("attn_q.bias", "bq"),
            Map.entry("attn_k.bias", "bk"),
            Map.entry("attn_v.bias", "bv"),
            Map.entry("ffn_norm.weight", "ffn_norm"),
            Map.entry("ffn_gate.weight", "w1"),
            Map.entry("ffn_down.weight", "w2"),
            Map.entry("ffn_up.weight", "w3"));

    private GgufReader() {}

    /** A regular file that starts with "GGUF" or is named *.gguf (so a damaged one still gets GGUF's diagnosis). */
    public static boolean looksLike(Path file) {
        if (!Files.isRegularFile(file)) return false;
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) return true;
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4), StandardCharsets.ISO_8859_1).equals("GGUF");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    public static ModelSpec read(Path file) {
        GgufFile gguf = GgufFile.open(file);
        GgufMetadata m = gguf.metadata();
        String arch = m.string("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException(file + ": unknown architecture '" + arch + "' (supported: llama, qwen2)");
        }
        ModelInfo info = info(gguf, arch);
        List<TensorLocation> tensors = tensors(gguf, info);
        TokenizerSource tokenizer = GgufTokenizers.source(gguf);
        ModelSpec spec = ModelSpec.of(info, tensors, tokenizer, stopIds(gguf, info.vocabSize()));
        if (spec.defaultStopIds().length == 0 && spec.tokenizer().eosId() >= 0) {
            spec = new ModelSpec(info, tensors, tokenizer, spec.tokenizer(), new int[] {spec.tokenizer().eosId()});
        }
        return spec;
    }

    private static ModelInfo info(GgufFile gguf, String arch) {
        GgufMetadata m = gguf.metadata();
        Path file = gguf.file();
        String p = arch + ".";
        if (m.integer(p + "expert_count", 0) > 0) {
            throw new ModelFormatException(file + ": mixture-of-experts models (" + p + "expert_count) are not supported");
        }
        String scaling = m.string(p + "rope.scaling.type", "none");
        if (!scaling.equals("none") || gguf.tensors().containsKey("rope_freqs.weight")) {
            throw new ModelFormatException(file + ": RoPE scaling ("
                    + (scaling.equals("none") ? "rope_freqs.weight" : scaling) + ") is not supported yet");
        }
        int dim = positive(m, file, p + "embedding_length");
        int heads = positive(m, file, p + "attention.head_count");
        int kvHeads = m.has(p + "attention.head_count_kv") ? positive(m, file, p + "attention.head_count_kv") : heads;
        int headDim;
        if (m.has(p + "attention.key_length")) {
            headDim = positive(m, file, p + "attention.key_length");
        } else if (dim % heads == 0) {
            headDim = dim / heads;
        } else {
            throw new ModelFormatException(file + ": embedding_length " + dim + " is not a multiple of head_count "
                    + heads + " and no attention.key_length is given");
        }
        requireEqual(m, file, p + "attention.value_length", headDim, "value heads as wide as key heads");
        requireEqual(m, file, p + "rope.dimension_count", headDim, "RoPE over the whole head (partial rotary is not supported)");
        double eps = m.number(p + "attention.layer_norm_rms_epsilon");
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new ModelFormatException(file + ": " + p + "attention.layer_norm_rms_epsilon = " + eps + " must be positive");
        }
        double theta = m.number(p + "rope.freq_base", 10000.0);
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new ModelFormatException(file + ": " + p + "rope.freq_base = " + theta + " must be positive");
        }
        int vocab = m.has("tokenizer.ggml.tokens") ? arrayLength(m, file, "tokenizer.ggml.tokens")
                : positive(m, file, p + "vocab_size");
        boolean qwen = arch.equals("qwen2");
        // llama.cpp's converter permutes Llama q/k rows into the interleaved RoPE layout (biases
        // too, when a Llama has them); Qwen2 is stored as in HF and run with rotate-half (NEOX) RoPE.
        boolean bias = qwen || gguf.tensors().containsKey("blk.0.attn_q.bias");
        return new ModelInfo("gguf:" + arch, dim, positive(m, file, p + "feed_forward_length"),
                positive(m, file, p + "block_count"), heads, kvHeads, headDim, vocab,
                positive(m, file, p + "context_length"), (float) eps, (float) theta,
                qwen ? RopeLayout.HALF : RopeLayout.INTERLEAVED, bias, !gguf.tensors().containsKey("output.weight"));
    }

    private static List<TensorLocation> tensors(GgufFile gguf, ModelInfo info) {
        List<TensorLocation> out = new ArrayList<>();
        Set<String> unused = new LinkedHashSet<>(gguf.tensors().keySet());
        for (String canonical : CanonicalTensors.required(info)) {
            String name = ggufName(canonical);
            GgufFile.Tensor t = gguf.tensors().get(name);
            if (t == null) throw new ModelFormatException(gguf.file() + ": missing tensor " + name);
            unused.remove(name);
            out.add(new TensorLocation(canonical, name, gguf.file(), t.nativeDtype(), t.offset(), t.byteLength(), t.shape()));
        }
        if (!unused.isEmpty()) {
            throw new ModelFormatException(gguf.file() + ": tensor " + unused.iterator().next() + " is not part of "
                    + info.architecture() + " as Euclid runs it (" + unused.size() + " such tensors); refusing rather"
                    + " than ignoring it");
        }
        return out;
    }

    private static String ggufName(String canonical) {
        switch (canonical) {
            case "tok_embeddings": return "token_embd.weight";
            case "norm": return "output_norm.weight";
            case "output": return "output.weight";
            default:
                int dot = canonical.indexOf('.', "layers.".length());
                String suffix = canonical.substring(dot + 1);
                for (Map.Entry<String, String> e : LAYER_NAMES.entrySet()) {
                    if (e.getValue().equals(suffix)) return "blk." + canonical.substring("layers.".length(), dot) + "." + e.getKey();
                }
                throw new IllegalStateException("no GGUF name for " + canonical);
        }
    }

    /** End of sequence, and end of turn where the file names a different one (llama.cpp stops on both). */
    private static int[] stopIds(GgufFile gguf, int vocab) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id")) {
            if (gguf.metadata().has(key)) ids.add(GgufTokenizers.tokenId(gguf, key, vocab));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int positive(GgufMetadata m, Path file, String key) {
        long v = m.integer(key);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new ModelFormatException(file + ": metadata " + key + " = " + v + " must be a positive 32-bit integer");
        }
        return (int) v;
    }

    private static int arrayLength(GgufMetadata m, Path file, String key) {
        long n = m.arrayLength(key);
        if (n < 1 || n > Integer.MAX_VALUE) throw new ModelFormatException(file + ": metadata " + key + " is empty");
        return (int) n;
    }

    private static void requireEqual(GgufMetadata m, Path file, String key, int expected, String why) {
        if (m.has(key) && m.integer(key) != expected) {
            throw new ModelFormatException(file + ": metadata " + key + " = " + m.integer(key) + " but head_dim is "
                    + expected + "; Euclid needs " + why);
        }
    }
}
