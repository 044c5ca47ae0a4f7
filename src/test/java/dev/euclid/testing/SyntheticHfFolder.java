package dev.euclid.testing;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfConfigJson;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.MapTensorSource;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.SyntheticTokenizer;
import dev.euclid.synthetic.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random-weight Hugging Face folder in the config real checkpoints use: the synthetic model's
 * config.json with keys added or replaced (rope_scaling, sliding_window, ...), and optionally the
 * o_proj biases that Llama's attention_bias implies (the synthetic layout has q/k/v biases only).
 */
public final class SyntheticHfFolder {
    private static final double OUTPUT_BIAS_STD = 0.1;

    private SyntheticHfFolder() {}

    /** Writes the folder; a null value in {@code overrides} writes a JSON null. */
    public static Path write(Path dir, ModelShape shape, long seed, DType dtype, int shards,
            Map<String, Object> overrides, boolean outputBias) throws IOException {
        SyntheticModel model = new SyntheticModel(shape, seed);
        Map<String, Object> config = new LinkedHashMap<>(HfConfigJson.of(shape, dtype));
        config.putAll(overrides);
        List<TensorSpec> specs = new ArrayList<>(model.tensors());
        Map<String, float[]> data = new LinkedHashMap<>(model.materialize());
        if (outputBias) {
            Random random = new Random(seed);
            for (int i = 0; i < shape.layers(); i++) {
                String name = HfTensorLayout.layer(i) + "self_attn.o_proj.bias";
                float[] bias = new float[shape.dim()];
                for (int j = 0; j < bias.length; j++) bias[j] = (float) (OUTPUT_BIAS_STD * random.nextGaussian());
                specs.add(new TensorSpec(name, new int[] {shape.dim()}));
                data.put(name, bias);
            }
        }
        HfFolderWriter.write(dir, new MapTensorSource(specs, data), config, dtype, shards,
                SyntheticTokenizer.byteLevelJson(shape.vocab()));
        return dir;
    }
}
