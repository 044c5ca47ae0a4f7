package dev.euclid.internal.format;

import dev.euclid.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The key/value metadata of a GGUF file. Parsing walks every value (checking each length against
 * the file) but keeps only numbers and booleans; strings and arrays are remembered by position and
 * read when asked for, so a file full of huge arrays costs no heap until a caller wants one, and
 * then only within the limits below.
 */
public final class GgufMetadata {
    static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;
    private static final String[] TYPE_NAMES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
            "bool", "string", "array", "uint64", "int64", "float64"};
    /** Real files have a few dozen keys; the bound keeps a hostile count from filling the heap with keys. */
    static final int MAX_KEYS = 1 << 16;
    /** Arrays of arrays are legal but unused by models; the bound stops a recursion bomb. */
    private static final int MAX_NESTING = 8;
    /** The largest vocabularies and merge lists have a few hundred thousand entries. */
    private static final int MAX_ARRAY_ELEMENTS = 1 << 20;
    private static final long MAX_STRING_ARRAY_BYTES = 64L << 20;

    /** Where a value is: numbers and booleans inline, strings and arrays by file position. */
    private record Value(int type, Object scalar, long position, int elementType, long count) {}

    private final Path file;
    private final Map<String, Value> values;

    private GgufMetadata(Path file, Map<String, Value> values) {
        this.file = file;
        this.values = values;
    }

    /** Reads {@code count} key/value pairs at the input's position (checked against the file by the caller). */
    static GgufMetadata read(GgufInput in, long count) {
        Map<String, Value> values = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long at = in.position();
            String key = in.string("metadata key " + i, GgufInput.MAX_KEY_BYTES);
            int type = type(in, in.u32("type of metadata " + key), "metadata " + key);
            if (values.put(key, value(in, type, key)) != null) {
                throw in.problem("metadata key " + key + " appears twice (second at offset " + at + ")");
            }
        }
        return new GgufMetadata(in.file(), values);
    }

    private static Value value(GgufInput in, int type, String key) {
        String what = "metadata " + key;
        switch (type) {
            case STRING: {
                long at = in.position();
                in.skipString(what);
                return new Value(type, null, at, -1, 0);
            }
            case ARRAY: {
                int elementType = type(in, in.u32("element type of " + what), "elements of " + what);
                long count = arrayCount(in, elementType, what);
                long at = in.position();
                skipElements(in, elementType, count, what, 1);
                return new Value(type, null, at, elementType, count);
            }
            case BOOL:
                return new Value(type, in.u8(what) != 0, -1, -1, 0);
            default:
                return new Value(type, readNumber(in, type, what), -1, -1, 0);
        }
    }

    private static Number readNumber(GgufInput in, int type, String what) {
        return switch (type) {
            case UINT8 -> (long) in.u8(what);
            case INT8 -> (long) (byte) in.u8(what);
            case UINT16 -> (long) in.u16(what);
            case INT16 -> (long) (short) in.u16(what);
            case UINT32 -> in.u32(what);
            case INT32 -> (long) (int) in.u32(what);
            case UINT64 -> {
                long v = in.u64(what);
                if (v < 0) throw in.problem(what + " = " + Long.toUnsignedString(v) + " is out of range");
                yield v;
            }
            case INT64 -> in.u64(what);
            case FLOAT32 -> (double) in.f32(what);
            case FLOAT64 -> in.f64(what);
            default -> throw new IllegalStateException("not a number type: " + type);
        };
    }

    /** An array's element count, refused when even minimal elements could not fit in the rest of the file. */
    private static long arrayCount(GgufInput in, int elementType, String what) {
        long at = in.position();
        long count = in.u64("element count of " + what);
        long min = elementType == STRING ? 8 : elementType == ARRAY ? 12 : fixedSize(elementType);
        if (count < 0 || count > in.remaining() / min) {
            throw in.problem(what + ": array length " + Long.toUnsignedString(count) + " at offset " + at
                    + " cannot fit in the " + in.remaining() + " bytes left in the file: truncated or corrupt");
        }
        return count;
    }

    private static void skipElements(GgufInput in, int elementType, long count, String what, int depth) {
        if (elementType == STRING) {
            for (long i = 0; i < count; i++) in.skipString(what); // the offset in a message locates the element
        } else if (elementType == ARRAY) {
            if (depth >= MAX_NESTING) throw in.problem(what + ": arrays nested deeper than " + MAX_NESTING);
            for (long i = 0; i < count; i++) {
                String item = what + "[" + i + "]";
                int inner = type(in, in.u32("element type of " + item), "elements of " + item);
                skipElements(in, inner, arrayCount(in, inner, item), item, depth + 1);
            }
        } else {
            in.skip(count * fixedSize(elementType), what); // count was bounded by the remaining bytes
        }
    }

    private static int type(GgufInput in, long type, String what) {
        if (type < 0 || type >= TYPE_NAMES.length) throw in.problem(what + " has unknown value type " + type);
        return (int) type;
    }

    private static int fixedSize(int type) {
        return switch (type) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            default -> 8;
        };
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        Value v = require(key, STRING);
        try (GgufInput in = GgufInput.open(file)) {
            in.seek(v.position);
            return in.string("metadata " + key, GgufInput.MAX_STRING_BYTES);
        }
    }

    public String string(String key, String absent) {
        return has(key) ? string(key) : absent;
    }

    /** Any integer type. */
    public long integer(String key) {
        Value v = required(key);
        if (!(v.scalar instanceof Long n)) throw wrongType(key, v, "an integer");
        return n;
    }

    public long integer(String key, long absent) {
        return has(key) ? integer(key) : absent;
    }

    /** Any integer or floating-point type. */
    public double number(String key) {
        Value v = required(key);
        if (!(v.scalar instanceof Number n)) throw wrongType(key, v, "a number");
        return n.doubleValue();
    }

    public double number(String key, double absent) {
        return has(key) ? number(key) : absent;
    }

    public boolean bool(String key, boolean absent) {
        if (!has(key)) return absent;
        Value v = values.get(key);
        if (!(v.scalar instanceof Boolean b)) throw wrongType(key, v, "a bool");
        return b;
    }

    /** The element count of an array, without reading it. */
    public long arrayLength(String key) {
        Value v = required(key);
        if (v.type != ARRAY) throw wrongType(key, v, "an array");
        return v.count;
    }

    /** An array of strings as raw bytes (SentencePiece pieces need not be valid UTF-8). */
    public byte[][] stringArrayBytes(String key) {
        Value v = requireArray(key, STRING);
        byte[][] out = new byte[(int) v.count][];
        long total = 0;
        String what = "metadata " + key;
        try (GgufInput in = GgufInput.open(file)) {
            in.seek(v.position);
            for (int i = 0; i < out.length; i++) {
                out[i] = in.stringBytes(what, GgufInput.MAX_STRING_BYTES);
                total += out[i].length;
                if (total > MAX_STRING_ARRAY_BYTES) {
                    throw problem(what + " holds more than " + MAX_STRING_ARRAY_BYTES + " bytes of text");
                }
            }
        }
        return out;
    }

    public String[] stringArray(String key) {
        byte[][] bytes = stringArrayBytes(key);
        String[] out = new String[bytes.length];
        for (int i = 0; i < out.length; i++) out[i] = new String(bytes[i], StandardCharsets.UTF_8);
        return out;
    }

    /** An array of float32 or float64 values. */
    public float[] floatArray(String key) {
        Value v = requireArray(key, required(key).elementType == FLOAT64 ? FLOAT64 : FLOAT32);
        float[] out = new float[(int) v.count];
        try (GgufInput in = GgufInput.open(file)) {
            in.seek(v.position);
            for (int i = 0; i < out.length; i++) {
                out[i] = v.elementType == FLOAT32 ? in.f32(key) : (float) in.f64(key);
            }
        }
        return out;
    }

    /** An array of any integer type whose values fit an int. */
    public int[] intArray(String key) {
        Value v = required(key);
        if (v.type != ARRAY || v.elementType == STRING || v.elementType == ARRAY || v.elementType == BOOL
                || v.elementType == FLOAT32 || v.elementType == FLOAT64) {
            throw wrongType(key, v, "an array of integers");
        }
        requireArray(key, v.elementType);
        int[] out = new int[(int) v.count];
        String what = "metadata " + key;
        try (GgufInput in = GgufInput.open(file)) {
            in.seek(v.position);
            for (int i = 0; i < out.length; i++) {
                long n = (Long) readNumber(in, v.elementType, what);
                if (n != (int) n) throw problem(what + "[" + i + "] = " + n + " is out of range");
                out[i] = (int) n;
            }
        }
        return out;
    }

    private Value requireArray(String key, int elementType) {
        Value v = required(key);
        if (v.type != ARRAY || v.elementType != elementType) {
            throw wrongType(key, v, "an array of " + TYPE_NAMES[elementType]);
        }
        if (v.count > MAX_ARRAY_ELEMENTS) {
            throw problem("metadata " + key + " has " + v.count + " elements, more than the " + MAX_ARRAY_ELEMENTS
                    + " supported");
        }
        return v;
    }

    private Value require(String key, int type) {
        Value v = required(key);
        if (v.type != type) throw wrongType(key, v, "a " + TYPE_NAMES[type]);
        return v;
    }

    private Value required(String key) {
        Value v = values.get(key);
        if (v == null) throw problem("missing metadata key " + key);
        return v;
    }

    private ModelFormatException wrongType(String key, Value v, String expected) {
        String actual = v.type == ARRAY ? "an array of " + TYPE_NAMES[v.elementType] : "a " + TYPE_NAMES[v.type];
        return problem("metadata " + key + " is " + actual + ", expected " + expected);
    }

    private ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }
}
