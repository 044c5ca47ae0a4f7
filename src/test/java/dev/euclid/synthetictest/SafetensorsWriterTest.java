package dev.euclid.synthetictest;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HalfFloats;
import dev.euclid.synthetic.MapTensorSource;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SafetensorsWriter;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.TensorSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SafetensorsTestReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path tmp;

    @Test
    void singleFileF32RoundTripsExactly() throws IOException {
        for (ModelShape shape : new ModelShape[] {ModelShape.named("tiny"), SyntheticModelTest.MEDIUM}) {
            SyntheticModel model = new SyntheticModel(shape, 11);
            Path file = tmp.resolve("m.safetensors");
            long size = SafetensorsWriter.write(file, model, DType.F32);
            assertEquals(Files.size(file), size);

            SafetensorsTestReader.File read = SafetensorsTestReader.read(file);
            assertEquals(Map.of("format", "pt"), read.metadata());
            assertEquals(model.tensors().stream().map(TensorSpec::name).toList(), List.copyOf(read.tensors().keySet()));
            for (TensorSpec spec : model.tensors()) {
                SafetensorsTestReader.Tensor t = read.tensors().get(spec.name());
                assertEquals("F32", t.dtype());
                assertArrayEquals(spec.shape(), t.shape(), spec.name());
                assertArrayEquals(model.generate(spec.name()), t.data(), spec.name());
            }
            long headerLen = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLen % 8);
            assertEquals(8 + headerLen + 4 * shape.parameterCount(), size);
        }
    }

    @Test
    void headerIsPaddedWithSpacesAndMetadataIsOptional() throws IOException {
        List<TensorSpec> specs = List.of(new TensorSpec("a", new int[] {3}), new TensorSpec("b.c", new int[] {2, 1}));
        MapTensorSource src = new MapTensorSource(specs, Map.of("a", new float[] {1, 2, 3}, "b.c", new float[] {-1, 0.5f}));
        Path file = tmp.resolve("x.safetensors");
        SafetensorsWriter.write(file, src, specs, DType.F32, null);
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"b.c\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[12,20]}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
        assertEquals(0, n % 8);
        assertEquals(8 + n + 20, bytes.length);
        assertTrue(SafetensorsTestReader.read(file).metadata().isEmpty());

        SafetensorsWriter.write(file, src, specs, DType.F16, Map.of("k", "v"));
        SafetensorsTestReader.File read = SafetensorsTestReader.read(file);
        assertEquals(Map.of("k", "v"), read.metadata());
        assertArrayEquals(new float[] {-1, 0.5f}, read.tensors().get("b.c").data());
        assertEquals("F16", read.tensors().get("b.c").dtype());
    }

    @Test
    void halfPrecisionRoundTripsWithinRoundingError() throws IOException {
        SyntheticModel model = new SyntheticModel(SyntheticModelTest.MEDIUM, 5); // tensors span several buffers
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            Path file = tmp.resolve(dtype + ".safetensors");
            SafetensorsWriter.write(file, model, dtype);
            SafetensorsTestReader.File read = SafetensorsTestReader.read(file);
            double relative = dtype == DType.F16 ? 0x1.0p-11 : 0x1.0p-8;
            for (TensorSpec spec : model.tensors()) {
                float[] expected = model.generate(spec.name());
                float[] got = read.tensors().get(spec.name()).data();
                assertEquals(dtype.name(), read.tensors().get(spec.name()).dtype());
                for (int i = 0; i < expected.length; i++) {
                    float x = expected[i];
                    float rounded = dtype == DType.F16
                            ? HalfFloats.f16ToFloat(HalfFloats.floatToF16(x))
                            : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(x));
                    if (got[i] != rounded || Math.abs(got[i] - x) > Math.max(Math.abs(x) * relative, 0x1.0p-25)) {
                        throw new AssertionError(dtype + " " + spec.name() + "[" + i + "]: " + x + " -> " + got[i]);
                    }
                }
            }
        }
    }

    @Test
    void shardedOutputCoversEveryTensorOnce() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny", 3);
        ObjectMapper json = new ObjectMapper();
        for (int shards : new int[] {1, 2, 3, 7, model.tensors().size()}) {
            Path dir = tmp.resolve("s" + shards);
            List<Path> files = SafetensorsWriter.writeSharded(dir, model, DType.F32, shards);
            assertEquals(shards, files.size());
            for (int k = 0; k < shards; k++) {
                assertEquals(String.format("model-%05d-of-%05d.safetensors", k + 1, shards), files.get(k).getFileName().toString());
                assertFalse(SafetensorsTestReader.read(files.get(k)).tensors().isEmpty(), "empty shard " + k);
            }
            JsonNode index = json.readTree(dir.resolve("model.safetensors.index.json").toFile());
            assertEquals(4 * model.shape().parameterCount(), index.get("metadata").get("total_size").asLong());
            JsonNode weightMap = index.get("weight_map");
            assertEquals(model.tensors().size(), weightMap.size());
            Set<String> usedFiles = new HashSet<>();
            weightMap.properties().forEach(e -> usedFiles.add(e.getValue().asText()));
            assertEquals(shards, usedFiles.size());

            Map<String, float[]> back = SafetensorsTestReader.readFolder(dir);
            assertEquals(model.tensors().size(), back.size());
            for (TensorSpec spec : model.tensors()) {
                assertArrayEquals(model.generate(spec.name()), back.get(spec.name()), spec.name());
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.writeSharded(tmp.resolve("bad"), model, DType.F32, model.tensors().size() + 1));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.writeSharded(tmp.resolve("bad"), model, DType.F32, 0));
    }

    @Test
    void shardPlansAreContiguousBalancedAndNeverEmpty() {
        assertArrayEquals(new int[] {0, 1, 2, 2, 2}, SafetensorsWriter.planShards(new long[] {100, 1, 1, 1, 1}, 3));
        assertArrayEquals(new int[] {0, 0, 1, 1}, SafetensorsWriter.planShards(new long[] {5, 5, 5, 5}, 2));
        assertArrayEquals(new int[] {0, 1, 2}, SafetensorsWriter.planShards(new long[] {1, 1, 100}, 3));
        Random rnd = new Random(4);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(40);
            long[] bytes = new long[n];
            long max = 0;
            long total = 0;
            for (int i = 0; i < n; i++) {
                bytes[i] = 1 + (rnd.nextBoolean() ? rnd.nextInt(10) : rnd.nextInt(100000));
                max = Math.max(max, bytes[i]);
                total += bytes[i];
            }
            int shards = 1 + rnd.nextInt(n);
            int[] plan = SafetensorsWriter.planShards(bytes, shards);
            assertEquals(0, plan[0]);
            assertEquals(shards - 1, plan[n - 1]);
            long[] perShard = new long[shards];
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    assertTrue(plan[i] - plan[i - 1] == 0 || plan[i] - plan[i - 1] == 1);
                }
                perShard[plan[i]] += bytes[i];
            }
            // No shard exceeds its fair share by more than one tensor.
            for (long b : perShard) {
                assertTrue(b > 0);
                assertTrue(b <= (total + shards - 1) / shards + max, "shard of " + b + " bytes");
            }
        }
    }
}
