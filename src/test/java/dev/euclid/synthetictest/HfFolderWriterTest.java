package dev.euclid.synthetictest;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HalfFloats;
import dev.euclid.synthetic.HfConfigJson;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.TensorSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SafetensorsTestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfFolderWriterTest {

    @TempDir
    Path tmp;

    @Test
    void singleFileFolderWithTokenizer() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny", 9);
        Path dir = tmp.resolve("tiny");
        String tokenizer = "{\"version\":\"1.0\",\"model\":{\"type\":\"BPE\"}}";
        List<Path> files = HfFolderWriter.write(dir, model, DType.F32, 1, tokenizer);
        assertEquals(List.of(dir.resolve("model.safetensors")), files);
        assertEquals(tokenizer, Files.readString(dir.resolve("tokenizer.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));

        Map<String, Object> config = SafetensorsTestReader.readConfig(dir);
        assertEquals(model.shape(), HfConfigJson.toShape(config));
        assertEquals("llama", config.get("model_type"));
        assertEquals("float32", config.get("torch_dtype"));
        assertEquals(299, config.get("eos_token_id"));
        assertEquals(16, config.get("head_dim"));

        Map<String, float[]> back = SafetensorsTestReader.readFolder(dir);
        for (TensorSpec spec : model.tensors()) {
            assertArrayEquals(model.generate(spec.name()), back.get(spec.name()), spec.name());
        }
    }

    @Test
    void shardedBf16FolderWithoutTokenizer() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny-qwen", 9);
        Path dir = tmp.resolve("qwen");
        List<Path> files = HfFolderWriter.write(dir, model, DType.BF16, 3, null);
        assertEquals(3, files.size());
        assertFalse(Files.exists(dir.resolve("tokenizer.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        Map<String, Object> config = SafetensorsTestReader.readConfig(dir);
        assertEquals("qwen2", config.get("model_type"));
        assertEquals("bfloat16", config.get("torch_dtype"));
        assertEquals(true, config.get("tie_word_embeddings"));
        assertEquals(model.shape(), HfConfigJson.toShape(config));

        Map<String, float[]> back = SafetensorsTestReader.readFolder(dir);
        assertEquals(model.tensors().size(), back.size());
        for (TensorSpec spec : model.tensors()) {
            float[] expected = model.generate(spec.name());
            float[] got = back.get(spec.name());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(expected[i])), got[i], spec.name());
            }
        }
    }

    @Test
    void rewritingAFolderRemovesTheOtherLayout() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny", 1);
        Path dir = tmp.resolve("re");
        HfFolderWriter.write(dir, model, DType.F32, 1, null);
        HfFolderWriter.write(dir, model, DType.F16, 4, null);
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertTrue(Files.exists(dir.resolve("model-00004-of-00004.safetensors")));
        HfFolderWriter.write(dir, model, DType.F32, 2, null);
        assertFalse(Files.exists(dir.resolve("model-00004-of-00004.safetensors")));
        HfFolderWriter.write(dir, model, DType.F32, 1, null);
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count()); // config.json + model.safetensors
        }
    }

    @Test
    void externalSourceGetsConsistentTorchDtype() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny", 2);
        Path dir = tmp.resolve("ext");
        HfFolderWriter.write(dir, model, model.hfConfig(DType.F32), DType.F16, 1, null);
        assertEquals("float16", SafetensorsTestReader.readConfig(dir).get("torch_dtype"));
    }
}
