package dev.euclid.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files: 8-byte little-endian header length, a JSON header (per tensor dtype,
 * shape and [begin, end) data offsets relative to the data section, plus optional string
 * {@code __metadata__}) padded with spaces to a multiple of 8, then the tensor bytes.
 *
 * <p>The header depends only on specs, so it is written first and tensor data is then streamed
 * slice by slice from the {@link TensorSource}: memory use is one 1 MiB buffer regardless of
 * model size. Sharded output follows transformers' naming ({@code model-00001-of-00003.safetensors}
 * plus {@code model.safetensors.index.json}).
 */
public final class SafetensorsWriter {

    /** transformers refuses safetensors whose metadata lacks a known "format", so default to "pt". */
    public static final Map<String, String> DEFAULT_METADATA = Map.of("format", "pt");

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final int BUFFER_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes every tensor of {@code source} to one file; returns the file size in bytes. */
    public static long write(Path file, TensorSource source, DType dtype) throws IOException {
        return write(file, source, source.tensors(), dtype, DEFAULT_METADATA);
    }

    /**
     * Writes the given tensors (in list order) of {@code source} to one file.
     *
     * @param metadata string pairs for {@code __metadata__}; null or empty omits the entry
     * @return the file size in bytes
     */
    public static long write(Path file, TensorSource source, List<TensorSpec> tensors, DType dtype,
            Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, dtype, metadata);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header);
            drain(head, out);
            ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            float[] slice = new float[BUFFER_BYTES / dtype.bytes()];
            for (TensorSpec spec : tensors) {
                long n = spec.numel();
                for (long off = 0; off < n; off += slice.length) {
                    int len = (int) Math.min(slice.length, n - off);
                    source.read(spec.name(), off, slice, len);
                    encode(slice, len, dtype, buf);
                    drain(buf, out);
                }
            }
            return out.size();
        }
    }

    /**
     * Writes {@code shardCount} files {@code model-0000k-of-0000N.safetensors} into {@code dir}
     * plus the index mapping each tensor to its file. Tensors keep their order and are split into
     * contiguous runs of roughly equal byte size; no shard is empty.
     *
     * @return the shard files, in order
     */
    public static List<Path> writeSharded(Path dir, TensorSource source, DType dtype, int shardCount)
            throws IOException {
        return writeSharded(dir, source, dtype, shardCount, DEFAULT_METADATA);
    }

    public static List<Path> writeSharded(Path dir, TensorSource source, DType dtype, int shardCount,
            Map<String, String> metadata) throws IOException {
        List<TensorSpec> tensors = source.tensors();
        long[] bytes = new long[tensors.size()];
        long total = 0;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (long) tensors.get(i).numel() * dtype.bytes();
            total += bytes[i];
        }
        int[] plan = planShards(bytes, shardCount);

        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Map<String, Object> weightMap = new LinkedHashMap<>();
        for (int k = 0; k < shardCount; k++) {
            List<TensorSpec> part = new ArrayList<>();
            for (int i = 0; i < plan.length; i++) {
                if (plan[i] == k) {
                    part.add(tensors.get(i));
                }
            }
            Path file = dir.resolve(shardName(k, shardCount));
            write(file, source, part, dtype, metadata);
            files.add(file);
            for (TensorSpec spec : part) {
                weightMap.put(spec.name(), file.getFileName().toString());
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        // transformers' total_size is the sum of tensor bytes, excluding headers.
        index.put("metadata", Map.of("total_size", total));
        index.put("weight_map", weightMap);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(INDEX_FILE).toFile(), index);
        return files;
    }

    /** {@code model-00001-of-00004.safetensors} for k = 0, n = 4 (k is zero-based). */
    public static String shardName(int k, int n) {
        return String.format("model-%05d-of-%05d.safetensors", k + 1, n);
    }

    /**
     * Assigns each tensor (by byte size, in order) a shard in [0, shards): a shard closes once
     * the running total reaches its proportional share, and early enough that every later shard
     * still gets at least one tensor.
     */
    public static int[] planShards(long[] bytes, int shards) {
        if (shards < 1 || shards > bytes.length) {
            throw new IllegalArgumentException("shard count must be in [1, " + bytes.length
                    + "] (one tensor per shard at most), got " + shards);
        }
        long total = Arrays.stream(bytes).sum();
        int[] plan = new int[bytes.length];
        int shard = 0;
        long cumulative = 0;
        for (int i = 0; i < bytes.length; i++) {
            plan[i] = shard;
            cumulative += bytes[i];
            int tensorsLeft = bytes.length - 1 - i;
            int shardsLeft = shards - 1 - shard;
            boolean reachedShare = (double) cumulative * shards >= (double) (shard + 1) * total;
            if (shardsLeft > 0 && (reachedShare || tensorsLeft == shardsLeft)) {
                shard++;
            }
        }
        return plan;
    }

    /** The JSON header, space-padded so the data section starts 8-byte aligned. */
    static byte[] header(List<TensorSpec> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        Map<String, Object> h = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            h.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (TensorSpec spec : tensors) {
            if (spec.name().equals("__metadata__") || h.containsKey(spec.name())) {
                throw new IllegalArgumentException("duplicate or reserved tensor name " + spec.name());
            }
            long end = offset + (long) spec.numel() * dtype.bytes();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype.safetensorsName());
            entry.put("shape", spec.shape());
            entry.put("data_offsets", new long[] {offset, end});
            h.put(spec.name(), entry);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(h);
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Appends {@code len} values in {@code dtype} to the buffer (which has room for them). */
    private static void encode(float[] values, int len, DType dtype, ByteBuffer buf) {
        if (dtype == DType.F32) {
            buf.asFloatBuffer().put(values, 0, len); // bulk copy; views inherit the byte order
            buf.position(buf.position() + len * 4);
        } else {
            for (int i = 0; i < len; i++) {
                dtype.put(buf, values[i]);
            }
        }
    }

    private static void drain(ByteBuffer buf, FileChannel out) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

}
