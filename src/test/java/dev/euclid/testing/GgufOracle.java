package dev.euclid.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor of a GGUF file dequantised by the {@code gguf} Python package (llama.cpp's own
 * reader, {@code src/test/python/gguf_dequantize.py}), independently of Euclid's decoders.
 *
 * @param values float32 values by GGUF tensor name, in GGUF's element order
 * @param types ggml type name ("Q4_K", "F32", ...) by GGUF tensor name
 */
public record GgufOracle(Map<String, float[]> values, Map<String, String> types) {
    public static GgufOracle dequantize(Path gguf) throws IOException, InterruptedException {
        return dequantize(gguf, false);
    }

    /**
     * With {@code q4kAsQ4_1}, Q4_K tensors come back as Euclid's 4-bit engines store them (Q4_1
     * blocks with the sub-block scale and min rounded to FP16), computed by the script in numpy.
     */
    public static GgufOracle dequantize(Path gguf, boolean q4kAsQ4_1) throws IOException, InterruptedException {
        String python = NumpyReference.pythonWith("numpy, gguf", "gguf-venv", List.of("numpy<2.1", "gguf"));
        Path out = Files.createTempDirectory("gguf-oracle");
        try {
            List<String> command = new java.util.ArrayList<>(List.of(python,
                    NumpyReference.script("src/test/python/gguf_dequantize.py").toString(), gguf.toString(), out.toString()));
            if (q4kAsQ4_1) command.add("q4_k_as_q4_1");
            System.out.print(NumpyReference.run(command));
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out.resolve("types.txt"))) {
                if (line.isBlank()) continue;
                String[] parts = line.split(" ");
                types.put(parts[0], parts[1]);
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out.resolve(parts[0] + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 4];
                b.asFloatBuffer().get(v);
                values.put(parts[0], v);
            }
            return new GgufOracle(values, types);
        } finally {
            try (var files = Files.list(out)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(out);
        }
    }
}
