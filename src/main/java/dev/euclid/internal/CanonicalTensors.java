package dev.euclid.internal;

import dev.euclid.ModelInfo;
import java.util.ArrayList;
import java.util.List;

/** The tensor names and shapes the native engine expects for a given architecture. */
public final class CanonicalTensors {
    private CanonicalTensors() {}

    /** Canonical names, in load order, of every tensor a model with this architecture needs. */
    public static List<String> required(ModelInfo info) {
        List<String> names = new ArrayList<>();
        names.add("tok_embeddings");
        names.add("norm");
        if (!info.tiedEmbeddings()) names.add("output");
        for (int l = 0; l < info.layers(); l++) {
            for (String s : perLayer(info)) names.add("layers." + l + "." + s);
        }
        return names;
    }

    private static List<String> perLayer(ModelInfo info) {
        List<String> s = new ArrayList<>(List.of("attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"));
        if (info.qkvBias()) s.addAll(List.of("bq", "bk", "bv"));
        if (info.attentionOutputBias()) s.add("bo");
        return s;
    }
}
