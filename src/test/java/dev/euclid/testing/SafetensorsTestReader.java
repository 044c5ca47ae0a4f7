package dev.euclid.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.synthetic.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal, strict safetensors reader for tests: reads a whole (small) file, checks the structural
 * rules the writer must obey (8-byte aligned header, contiguous in-order data, exact file size)
 * and widens every tensor to float.
 */
public final class SafetensorsTestReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded tensor. */
    public record Tensor(String dtype, int[] shape, float[] data) {
    }

    /** A parsed file: metadata (may be empty), tensors in header order, raw header text. */
    public record File(Map<String, String> metadata, Map<String, Tensor> tensors, String headerJson) {
    }

    private SafetensorsTestReader() {
    }

    public static File read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong();
        if (n % 8 != 0) {
            throw new IOException("header length " + n + " is not a multiple of 8");
        }
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        Map<String, Object> h = JSON.readValue(header.strip(), new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long dataStart = 8 + n;
        long expectedBegin = 0;
        for (Map.Entry<String, Object> e : h.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) e.getValue();
                m.forEach((k, v) -> metadata.put(k, (String) v));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) e.getValue();
            String dtype = (String) t.get("dtype");
            DType dt = DType.fromSafetensors(dtype);
            List<?> shapeList = (List<?>) t.get("shape");
            int[] shape = shapeList.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            List<?> offs = (List<?>) t.get("data_offsets");
            long begin = ((Number) offs.get(0)).longValue();
            long end = ((Number) offs.get(1)).longValue();
            long numel = 1;
            for (int d : shape) {
                numel *= d;
            }
            if (begin != expectedBegin || end - begin != numel * dt.bytes()) {
                throw new IOException("bad data_offsets for " + e.getKey() + ": [" + begin + ", " + end + ")");
            }
            expectedBegin = end;
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] data = new float[(int) numel];
            for (int i = 0; i < data.length; i++) {
                data[i] = dt.get(slice);
            }
            tensors.put(e.getKey(), new Tensor(dtype, shape, data));
        }
        if (dataStart + expectedBegin != bytes.length) {
            throw new IOException("file has " + bytes.length + " bytes, header implies " + (dataStart + expectedBegin));
        }
        return new File(metadata, tensors, header);
    }

    /** All tensors of an HF folder, single-file or sharded (via the index). */
    public static Map<String, float[]> readFolder(Path dir) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.exists(index)) {
            Map<String, Object> idx = JSON.readValue(index.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, String> weightMap = (Map<String, String>) idx.get("weight_map");
            Map<String, File> files = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                File f = files.get(e.getValue());
                if (f == null) {
                    f = read(dir.resolve(e.getValue()));
                    files.put(e.getValue(), f);
                }
                Tensor t = f.tensors().get(e.getKey());
                if (t == null) {
                    throw new IOException(e.getKey() + " not in " + e.getValue());
                }
                out.put(e.getKey(), t.data());
            }
        } else {
            read(dir.resolve("model.safetensors")).tensors().forEach((k, v) -> out.put(k, v.data()));
        }
        return out;
    }

    /** config.json of a folder as a map. */
    public static Map<String, Object> readConfig(Path dir) throws IOException {
        return JSON.readValue(dir.resolve("config.json").toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
