package dev.euclid;

import dev.euclid.internal.NativeApi;
import java.util.Locale;

/** Element type of the KV cache. */
public enum KvType {
    FP32(NativeApi.KVT_F32),
    FP16(NativeApi.KVT_F16),
    /** E4M3 with one FP32 scale per (token, KV head): a token is quantised once, when written. */
    FP8(NativeApi.KVT_FP8);

    private final int code;

    KvType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static KvType parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown KV type '" + name + "' (fp32, fp16, fp8)");
        }
    }
}
