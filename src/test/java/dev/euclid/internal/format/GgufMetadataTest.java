package dev.euclid.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every GGUF metadata value type, in versions 2 and 3, written byte by byte here. */
class GgufMetadataTest {
    @TempDir Path tmp;

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3})
    void everyValueType(int version) throws IOException {
        GgufBytes kv = new GgufBytes();
        kv.key("u8", 0).u8(200);
        kv.key("i8", 1).u8(-5);
        kv.key("u16", 2).u16(60000);
        kv.key("i16", 3).u16(-300);
        kv.key("u32", 4).u32(4_000_000_000L);
        kv.key("i32", 5).u32(-7);
        kv.key("f32", 6).u32(Float.floatToIntBits(1.5f));
        kv.key("bool", 7).u8(1);
        kv.key("str", 8).str("h\u00e9llo \u2581");
        kv.key("u64", 10).u64(1L << 40);
        kv.key("i64", 11).u64(-9);
        kv.key("f64", 12).u64(Double.doubleToLongBits(2.25));
        kv.key("bytes", 9).u32(0).u64(3).u8(1).u8(2).u8(255);
        kv.key("strings", 9).u32(8).u64(2).str("a").str("");
        kv.key("floats", 9).u32(6).u64(2).u32(Float.floatToIntBits(-0.5f)).u32(Float.floatToIntBits(3f));
        kv.key("nested", 9).u32(9).u64(2).u32(3).u64(1).u16(-1).u32(8).u64(1).str("x");
        GgufMetadata m = GgufFile.open(file(version, 0, kv)).metadata();

        assertEquals(200, m.integer("u8"));
        assertEquals(-5, m.integer("i8"));
        assertEquals(60000, m.integer("u16"));
        assertEquals(-300, m.integer("i16"));
        assertEquals(4_000_000_000L, m.integer("u32"));
        assertEquals(-7, m.integer("i32"));
        assertEquals(1.5, m.number("f32"));
        assertTrue(m.bool("bool", false));
        assertEquals("h\u00e9llo \u2581", m.string("str"));
        assertEquals(1L << 40, m.integer("u64"));
        assertEquals(-9, m.integer("i64"));
        assertEquals(2.25, m.number("f64"));
        assertEquals(7.0, m.number("absent", 7.0));
        assertFalse(m.has("absent"));
        assertArrayEquals(new int[] {1, 2, 255}, m.intArray("bytes"));
        assertArrayEquals(new String[] {"a", ""}, m.stringArray("strings"));
        assertArrayEquals(new float[] {-0.5f, 3f}, m.floatArray("floats"));
        assertEquals(2, m.arrayLength("nested"));

        String msg = assertThrows(ModelFormatException.class, () -> m.string("u8")).getMessage();
        assertTrue(msg.contains("metadata u8 is a uint8, expected a string"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.integer("strings")).getMessage();
        assertTrue(msg.contains("is an array of string, expected an integer"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.integer("nope")).getMessage();
        assertTrue(msg.contains("missing metadata key nope"), msg);
    }

    @Test
    void hostileMetadata() throws IOException {
        GgufBytes tooBig = new GgufBytes();
        tooBig.key("big", 10).u64(-1);
        String msg = open(file(3, 0, tooBig));
        assertTrue(msg.contains("18446744073709551615 is out of range"), msg);

        GgufBytes deep = new GgufBytes();
        deep.key("deep", 9);
        for (int i = 0; i < 20; i++) deep.u32(9).u64(1);
        deep.u32(0).u64(0);
        msg = open(file(3, 0, deep));
        assertTrue(msg.contains("nested deeper than"), msg);

        GgufBytes dup = new GgufBytes();
        dup.key("a", 4).u32(1).key("a", 4).u32(2);
        msg = open(file(3, 0, dup));
        assertTrue(msg.contains("metadata key a appears twice"), msg);

        GgufBytes alignment = new GgufBytes();
        alignment.key("general.alignment", 4).u32(48);
        msg = open(file(3, 0, alignment));
        assertTrue(msg.contains("general.alignment 48 is not a power of two"), msg);
    }

    private static String open(Path file) {
        return assertThrows(ModelFormatException.class, () -> GgufFile.open(file)).getMessage();
    }

    private Path file(int version, int tensors, GgufBytes kv) throws IOException {
        return Files.write(tmp.resolve("m" + version + ".gguf"), kv.file(version, tensors));
    }
}
