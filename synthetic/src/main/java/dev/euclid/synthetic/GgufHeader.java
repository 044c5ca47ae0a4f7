package dev.euclid.synthetic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the parts of a GGUF v3 header before the data section: little-endian scalars, strings
 * (uint64 length + UTF-8 bytes), typed key/value pairs and tensor infos. Only the value types the
 * writer needs are here.
 */
final class GgufHeader {
    private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int keys;

    int keyCount() {
        return keys;
    }

    GgufHeader put(String key, String value) {
        key(key, STRING);
        string(value);
        return this;
    }

    GgufHeader putU32(String key, long value) {
        key(key, UINT32);
        u32(value);
        return this;
    }

    GgufHeader putF32(String key, double value) {
        key(key, FLOAT32);
        u32(Float.floatToRawIntBits((float) value));
        return this;
    }

    GgufHeader putBool(String key, boolean value) {
        key(key, BOOL);
        out.write(value ? 1 : 0);
        return this;
    }

    GgufHeader putStrings(String key, String[] values) {
        key(key, ARRAY);
        u32(STRING);
        u64(values.length);
        for (String v : values) string(v);
        return this;
    }

    GgufHeader putInts(String key, int[] values) {
        key(key, ARRAY);
        u32(INT32);
        u64(values.length);
        for (int v : values) u32(v);
        return this;
    }

    /** A tensor info: name, n_dims, ne[] (fastest-varying first), ggml type, offset in the data section. */
    void tensorInfo(String name, long[] ne, int ggmlType, long offset) {
        string(name);
        u32(ne.length);
        for (long d : ne) u64(d);
        u32(ggmlType);
        u64(offset);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(String key, int type) {
        keys++;
        string(key);
        u32(type);
    }

    private void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        out.writeBytes(bytes);
    }

    void u32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
    }

    void u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
    }
}
