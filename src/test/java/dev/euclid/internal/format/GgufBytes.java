package dev.euclid.internal.format;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** GGUF metadata written field by field, for tests that need files no writer would make. */
final class GgufBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int keys;

    GgufBytes key(String key, int type) {
        keys++;
        return str(key).u32(type);
    }

    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    GgufBytes u8(int v) {
        out.write(v);
        return this;
    }

    GgufBytes u16(int v) {
        return le(v, 2);
    }

    GgufBytes u32(long v) {
        return le(v, 4);
    }

    GgufBytes u64(long v) {
        return le(v, 8);
    }

    /** A string-array value for the last key. */
    GgufBytes strings(String... values) {
        u32(8).u64(values.length);
        for (String v : values) str(v);
        return this;
    }

    /** An int32-array value for the last key. */
    GgufBytes ints(int... values) {
        u32(5).u64(values.length);
        for (int v : values) u32(v);
        return this;
    }

    /** A whole file: header with these key/values and {@code tensors} as the tensor count (no infos follow). */
    byte[] file(int version, int tensors) {
        GgufBytes head = new GgufBytes().u32(0x46554747).u32(version).u64(tensors).u64(keys);
        head.out.writeBytes(out.toByteArray());
        return head.out.toByteArray();
    }

    private GgufBytes le(long v, int n) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(), 0, n);
        return this;
    }
}
