package dev.euclid.internal.format;

import dev.euclid.internal.NativeApi;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header of a GGUF file (versions 2 and 3, little-endian): magic "GGUF", uint32 version,
 * uint64 tensor count, uint64 metadata count, the metadata key/values, one info per tensor (name,
 * dims, ggml type, offset into the data section), then the data section at the next multiple of
 * {@code general.alignment} (default 32). Every count, length and offset is checked against the
 * file length before it is used.
 */
public final class GgufFile {
    /** ggml type ids of the tensor types Euclid reads. */
    public static final int F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q2_K = 10, Q3_K = 11,
            Q4_K = 12, Q5_K = 13, Q6_K = 14, IQ4_NL = 20, IQ4_XS = 23, BF16 = 30;
    /** A Q8_0 block: 32 weights as one FP16 scale and 32 int8 ({@code Q8_0Block} in euclid.h). */
    public static final int Q8_0_BLOCK_VALUES = 32, Q8_0_BLOCK_BYTES = 34;

    /**
     * A type's storage: {@code values} weights in {@code bytes} bytes (1 and 4 for F32), and the
     * engine's dtype code. The block sizes are ggml's (static_asserts in native/src/quant/Q4.h and
     * GgufBlocks.h; NativeHeaderCodesTest ties the two).
     */
    public record Storage(int type, int values, int bytes, int dtype) {}

    /** Every type Euclid reads, by ggml id. */
    public static final Map<Integer, Storage> STORAGE = Map.ofEntries(
            storage(F32, 1, 4, NativeApi.DTYPE_F32),
            storage(F16, 1, 2, NativeApi.DTYPE_F16),
            storage(BF16, 1, 2, NativeApi.DTYPE_BF16),
            storage(Q8_0, Q8_0_BLOCK_VALUES, Q8_0_BLOCK_BYTES, NativeApi.DTYPE_Q8_0),
            storage(Q4_0, 32, 18, NativeApi.DTYPE_Q4_0),
            storage(Q4_1, 32, 20, NativeApi.DTYPE_Q4_1),
            storage(Q5_0, 32, 22, NativeApi.DTYPE_Q5_0),
            storage(Q5_1, 32, 24, NativeApi.DTYPE_Q5_1),
            storage(Q4_K, 256, 144, NativeApi.DTYPE_Q4_K),
            storage(Q5_K, 256, 176, NativeApi.DTYPE_Q5_K),
            storage(Q6_K, 256, 210, NativeApi.DTYPE_Q6_K),
            storage(Q2_K, 256, 84, NativeApi.DTYPE_Q2_K),
            storage(Q3_K, 256, 110, NativeApi.DTYPE_Q3_K),
            storage(IQ4_NL, 32, 18, NativeApi.DTYPE_IQ4_NL),
            storage(IQ4_XS, 256, 136, NativeApi.DTYPE_IQ4_XS));

    private static Map.Entry<Integer, Storage> storage(int type, int values, int bytes, int dtype) {
        return Map.entry(type, new Storage(type, values, bytes, dtype));
    }
    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;
    /** Dense models have about ten tensors per layer, so at most a few thousand. */
    private static final long MAX_TENSORS = 1 << 16;
    /** Smallest possible tensor info: empty name (8), n_dims (4), one dim (8), type (4), offset (8). */
    private static final int MIN_TENSOR_INFO_BYTES = 32;
    /** Smallest possible key/value: empty key (8), type (4), a one-byte value. */
    private static final int MIN_KV_BYTES = 13;
    /** ggml_type names by id, for messages about types we refuse; gaps are ids ggml retired. */
    private static final String[] GGML_TYPES = {"F32", "F16", "Q4_0", "Q4_1", null, null, "Q5_0", "Q5_1", "Q8_0",
            "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
            "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16", null, null,
            null, "TQ1_0", "TQ2_0", null, null, null, "MXFP4"};

    /**
     * One tensor. {@code ne} is GGUF's dims, fastest-varying first; {@link #shape()} is the
     * row-major [rows, cols] order the engine uses.
     *
     * @param offset absolute position of the first byte in the file
     */
    public record Tensor(String name, long[] ne, int type, long offset, long byteLength) {
        public long[] shape() {
            long[] shape = new long[ne.length];
            for (int i = 0; i < ne.length; i++) shape[i] = ne[ne.length - 1 - i];
            return shape;
        }

        /** The engine's dtype code for this tensor's ggml type (only supported types get this far). */
        public int nativeDtype() {
            Storage s = STORAGE.get(type);
            if (s == null) throw new IllegalStateException("unsupported ggml type " + type);
            return s.dtype();
        }
    }

    private final Path file;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, Tensor> tensors;

    private GgufFile(Path file, int version, GgufMetadata metadata, Map<String, Tensor> tensors) {
        this.file = file;
        this.version = version;
        this.metadata = metadata;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public Path file() {
        return file;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensors by name, in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public static GgufFile open(Path file) {
        try (GgufInput in = GgufInput.open(file)) {
            int magic = (int) in.u32("the GGUF magic");
            if (magic != MAGIC) {
                throw in.problem(String.format("not a GGUF file: the magic is 0x%08x, expected \"GGUF\"", magic));
            }
            long version = in.u32("the GGUF version");
            if (version != 2 && version != 3) {
                throw in.problem("GGUF version " + version + " is not supported (versions 2 and 3 are)"
                        + (version == 0x03000000L || version == 0x02000000L ? "; this looks like a big-endian GGUF" : ""));
            }
            long tensorCount = in.u64("the tensor count");
            long kvCount = in.u64("the metadata count");
            checkCount(in, "metadata count", kvCount, GgufMetadata.MAX_KEYS, MIN_KV_BYTES);
            checkCount(in, "tensor count", tensorCount, MAX_TENSORS, MIN_TENSOR_INFO_BYTES);
            GgufMetadata metadata = GgufMetadata.read(in, kvCount);
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            for (long i = 0; i < tensorCount; i++) {
                TensorInfo t = tensorInfo(in, i);
                if (infos.put(t.name, t) != null) throw in.problem("tensor " + t.name + " appears twice");
            }
            long alignment = alignment(in, metadata);
            long dataStart = (in.position() + alignment - 1) / alignment * alignment;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorInfo t : infos.values()) tensors.put(t.name, locate(in, t, alignment, dataStart));
            return new GgufFile(file, (int) version, metadata, tensors);
        }
    }

    /** A count must be sane in itself, and its entries (at their smallest) must fit in the rest of the file. */
    private static void checkCount(GgufInput in, String what, long count, long limit, int minEntryBytes) {
        if (count < 0 || count > limit) {
            throw in.problem(what + " " + Long.toUnsignedString(count) + " is impossible (limit " + limit + ")");
        }
        if (count > in.remaining() / minEntryBytes) {
            throw in.problem("truncated or corrupt: " + what + " " + count + " needs at least " + count * minEntryBytes
                    + " bytes after offset " + in.position() + " but the file has " + in.size() + " bytes");
        }
    }

    private record TensorInfo(String name, long[] ne, int type, long offset, long byteLength) {}

    private static TensorInfo tensorInfo(GgufInput in, long index) {
        String name = in.string("name of tensor " + index, GgufInput.MAX_NAME_BYTES);
        String where = "tensor " + name;
        long nDims = in.u32("dimension count of " + where);
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.problem(where + " has " + nDims + " dimensions (1 to " + MAX_DIMS + " allowed)");
        }
        long[] ne = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < ne.length; d++) {
            ne[d] = in.u64("dimension " + d + " of " + where);
            // Real dims are far below 2^40; an overflowing product is caught by multiply().
            if (ne[d] < 1 || ne[d] > (1L << 40)) {
                throw in.problem(where + " has dimension " + Long.toUnsignedString(ne[d]) + ", not a sane size");
            }
            elements = multiply(in, elements, ne[d], where);
        }
        long type = in.u32("type of " + where);
        long offset = in.u64("data offset of " + where);
        Storage s = type <= Integer.MAX_VALUE ? STORAGE.get((int) type) : null;
        if (s == null) throw in.problem(where + ": " + typeName(type) + " is not supported; supported: " + supported());
        if (ne[0] % s.values() != 0) {
            throw in.problem(where + " is " + typeName(type) + " but its rows of " + ne[0]
                    + " elements are not a multiple of " + s.values() + ", its block size");
        }
        return new TensorInfo(name, ne, (int) type, offset, multiply(in, elements / s.values(), s.bytes(), where));
    }

    private static long alignment(GgufInput in, GgufMetadata metadata) {
        long alignment = metadata.integer("general.alignment", DEFAULT_ALIGNMENT);
        if (alignment < 1 || alignment > (1 << 30) || Long.bitCount(alignment) != 1) {
            throw in.problem("general.alignment " + alignment + " is not a power of two up to 2^30");
        }
        return alignment;
    }

    /** The tensor's absolute byte range, which must lie inside the data section. */
    private static Tensor locate(GgufInput in, TensorInfo t, long alignment, long dataStart) {
        long dataBytes = in.size() - dataStart;
        if (t.offset < 0 || t.offset > dataBytes || t.byteLength > dataBytes - t.offset) {
            throw in.problem("tensor " + t.name + ": data at offset " + Long.toUnsignedString(t.offset) + " ("
                    + t.byteLength + " bytes) lies beyond the end of the file (" + Math.max(0, dataBytes)
                    + " data bytes from offset " + dataStart + "): truncated or corrupt");
        }
        if (t.offset % alignment != 0) {
            throw in.problem("tensor " + t.name + ": data offset " + t.offset + " is not a multiple of the alignment "
                    + alignment);
        }
        return new Tensor(t.name, t.ne, t.type, dataStart + t.offset, t.byteLength);
    }

    private static long multiply(GgufInput in, long a, long b, String where) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw in.problem(where + ": size overflows 64 bits");
        }
    }

    /** "F32, F16, Q4_0, ..." in ggml id order. */
    private static String supported() {
        return STORAGE.keySet().stream().sorted().map(t -> GGML_TYPES[t]).collect(java.util.stream.Collectors.joining(", "));
    }

    /** ggml's name of a type id ("Q4_K"), or "type N" for one it doesn't name. */
    public static String ggmlName(int type) {
        String name = type >= 0 && type < GGML_TYPES.length ? GGML_TYPES[type] : null;
        return name == null ? "type " + type : name;
    }

    /** e.g. "Q4_K (type 12)". */
    static String typeName(long type) {
        String name = type >= 0 && type < GGML_TYPES.length ? GGML_TYPES[(int) type] : null;
        return (name == null ? "unknown ggml type" : name) + " (type " + type + ")";
    }
}
