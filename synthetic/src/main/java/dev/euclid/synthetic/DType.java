package dev.euclid.synthetic;

import java.nio.ByteBuffer;

/** Storage element types the writers support, with their safetensors and torch names. */
public enum DType {
    F32(4, "float32"),
    F16(2, "float16"),
    BF16(2, "bfloat16");

    private final int bytes;
    private final String torchName;

    DType(int bytes, String torchName) {
        this.bytes = bytes;
        this.torchName = torchName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The safetensors header spelling ("F32", "F16", "BF16"). */
    public String safetensorsName() {
        return name();
    }

    /** The config.json {@code torch_dtype} spelling. */
    public String torchName() {
        return torchName;
    }

    /** Appends one value, converted with round-to-nearest-even, at the buffer's position. */
    public void put(ByteBuffer buffer, float value) {
        switch (this) {
            case F32 -> buffer.putFloat(value);
            case F16 -> buffer.putShort(HalfFloats.floatToF16(value));
            case BF16 -> buffer.putShort(HalfFloats.floatToBf16(value));
        }
    }

    /** Reads one value at the buffer's position, widening exactly to float. */
    public float get(ByteBuffer buffer) {
        return switch (this) {
            case F32 -> buffer.getFloat();
            case F16 -> HalfFloats.f16ToFloat(buffer.getShort());
            case BF16 -> HalfFloats.bf16ToFloat(buffer.getShort());
        };
    }

    /** The constant for a safetensors dtype string. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype " + name);
    }
}
