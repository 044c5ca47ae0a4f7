package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Activations;
import dev.euclid.KvType;
import dev.euclid.Precision;
import dev.euclid.RopeLayout;
import dev.euclid.RopeScaling;
import dev.euclid.internal.format.GgufFile;
import dev.euclid.internal.spec.DrafterShape;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every code the Java side shares with the native engine (enum values, limits, block layouts) is the
 * value the native headers define: they are read from the C++ source itself.
 */
class NativeHeaderCodesTest {
    private static final Path HEADER = Path.of("native/include/euclid/euclid.h");
    private static final Pattern ENUM = Pattern.compile("enum\\s+(\\w+)\\s*:\\s*int32_t\\s*\\{([^}]*)}");
    private static final Pattern CONSTEXPR = Pattern.compile("constexpr\\s+int32_t\\s+([^;]+);");
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\w+)\\s*=\\s*(-?\\d+)");

    /** Name -> value of every enum entry and int32_t constant of a header, enums also listed by enum name. */
    private record Codes(Map<String, Integer> values, Map<String, Map<String, Integer>> enums) {
        static Codes of(Path header) throws IOException {
            String text = Files.readString(header).replaceAll("//[^\n]*", "");
            Map<String, Integer> values = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> enums = new LinkedHashMap<>();
            Matcher e = ENUM.matcher(text);
            while (e.find()) {
                Map<String, Integer> entries = assignments(e.group(2));
                enums.put(e.group(1), entries);
                values.putAll(entries);
            }
            Matcher c = CONSTEXPR.matcher(text);
            while (c.find()) values.putAll(assignments(c.group(1)));
            return new Codes(values, enums);
        }

        private static Map<String, Integer> assignments(String list) {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (String part : list.split(",")) {
                if (part.isBlank()) continue;
                Matcher a = ASSIGNMENT.matcher(part.trim());
                assertTrue(a.matches(), "cannot read '" + part.trim() + "': give every entry an explicit value");
                out.put(a.group(1), Integer.parseInt(a.group(2)));
            }
            return out;
        }

        int get(String name) {
            Integer v = values.get(name);
            assertTrue(v != null, name + " is not defined in the native header");
            return v;
        }
    }

    private static Codes header() throws IOException {
        assertTrue(Files.isRegularFile(HEADER), HEADER.toAbsolutePath() + " is missing: run the tests from the project root");
        return Codes.of(HEADER);
    }

    @Test
    void everyNativeApiConstantIsTheHeadersValue() throws Exception {
        Codes codes = header();
        int checked = 0;
        for (Field f : NativeApi.class.getFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) continue;
            assertEquals(codes.get(f.getName()), f.getInt(null), "NativeApi." + f.getName());
            checked++;
        }
        assertTrue(checked >= 20, "only " + checked + " constants found");
    }

    @Test
    void everyHeaderEnumEntryHasItsJavaMirror() throws Exception {
        for (Map.Entry<String, Map<String, Integer>> e : header().enums().entrySet()) {
            for (Map.Entry<String, Integer> entry : e.getValue().entrySet()) {
                Field f = NativeApi.class.getField(entry.getKey());
                assertEquals(entry.getValue().intValue(), f.getInt(null), e.getKey() + "::" + entry.getKey());
            }
        }
    }

    @Test
    void publicEnumsUseTheNativeCodes() throws IOException {
        Codes codes = header();
        Map<Precision, String> weights = Map.of(Precision.FP32, "WEIGHTS_F32", Precision.BF16, "WEIGHTS_BF16",
                Precision.FP16, "WEIGHTS_F16", Precision.FP8, "WEIGHTS_FP8", Precision.INT8, "WEIGHTS_INT8",
                Precision.NVFP4, "WEIGHTS_NVFP4", Precision.MXFP4, "WEIGHTS_MXFP4", Precision.MXFP8, "WEIGHTS_MXFP8",
                Precision.Q4_0, "WEIGHTS_Q4_0", Precision.Q4_1, "WEIGHTS_Q4_1");
        for (Precision p : Precision.values()) assertEquals(codes.get(weights.get(p)), p.code(), p.name());
        assertEquals(codes.enums().get("WeightType").size(), Precision.values().length, "a native weight type has no Precision");
        Map<KvType, String> kv = Map.of(KvType.FP32, "KVT_F32", KvType.FP16, "KVT_F16", KvType.FP8, "KVT_FP8");
        for (KvType t : KvType.values()) assertEquals(codes.get(kv.get(t)), t.code(), t.name());
        assertEquals(codes.enums().get("KvType").size(), KvType.values().length, "a native KV type has no KvType");
        for (Activations a : Activations.values()) assertEquals(codes.get("ACTIVATIONS_" + a.name()), a.code(), a.name());
        assertEquals(codes.enums().get("ActivationType").size(), Activations.values().length, "a native activation type has no Activations");
        for (RopeLayout r : RopeLayout.values()) assertEquals(codes.get("ROPE_" + r.name()), r.code(), r.name());
        assertEquals(codes.enums().get("RopeLayout").size(), RopeLayout.values().length);
        for (RopeScaling.Type t : RopeScaling.Type.values()) {
            assertEquals(codes.get("ROPE_SCALING_" + t.name()), t.code(), t.name());
        }
        assertEquals(codes.enums().get("RopeScaling").size(), RopeScaling.Type.values().length);
    }

    @Test
    void blockLayoutsAndLimitsMatch() throws IOException {
        Codes codes = header();
        assertEquals(codes.get("Q8_0_BLOCK_VALUES"), GgufFile.Q8_0_BLOCK_VALUES);
        assertEquals(codes.get("Q8_0_BLOCK_BYTES"), GgufFile.Q8_0_BLOCK_BYTES);
        // The header ties the byte count to the struct itself.
        assertTrue(Files.readString(HEADER).contains("static_assert(sizeof(Q8_0Block) == Q8_0_BLOCK_BYTES"));
        // GGUF's block sizes as Java reads them (GgufFile.STORAGE) are the native structs' static_asserts.
        String blocks = Files.readString(Path.of("native/src/quant/Q4.h")) + Files.readString(Path.of("native/src/quant/GgufBlocks.h"));
        Map<Integer, String> structs = Map.ofEntries(Map.entry(GgufFile.Q4_0, "BlockQ4_0"), Map.entry(GgufFile.Q4_1, "BlockQ4_1"),
                Map.entry(GgufFile.Q5_0, "BlockQ5_0"), Map.entry(GgufFile.Q5_1, "BlockQ5_1"), Map.entry(GgufFile.Q4_K, "BlockQ4_K"),
                Map.entry(GgufFile.Q5_K, "BlockQ5_K"), Map.entry(GgufFile.Q6_K, "BlockQ6_K"), Map.entry(GgufFile.Q2_K, "BlockQ2_K"),
                Map.entry(GgufFile.Q3_K, "BlockQ3_K"), Map.entry(GgufFile.IQ4_NL, "BlockIQ4_NL"),
                Map.entry(GgufFile.IQ4_XS, "BlockIQ4_XS"));
        for (Map.Entry<Integer, String> e : structs.entrySet()) {
            String assertion = "static_assert(sizeof(" + e.getValue() + ") == " + GgufFile.STORAGE.get(e.getKey()).bytes();
            assertTrue(blocks.contains(assertion), assertion);
        }
        Codes drafter = Codes.of(Path.of("native/src/spec/Drafter.h"));
        assertEquals(drafter.get("kMaxDrafterMlpLayers"), DrafterShape.MAX_MLP_LAYERS);
    }
}
