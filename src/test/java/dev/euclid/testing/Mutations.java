package dev.euclid.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Seeded random damage for the mutation fuzz tests of the Java readers: bit flips, byte
 * overwrites, truncations, length fields set to boundary values, and JSON values replaced by
 * values of the wrong type or size. The same seed always gives the same inputs, so a failing round
 * is reproduced by rerunning the test.
 */
public final class Mutations {
    private static final int[] INTS = {0, 1, -1, 2, 3, 7, 8, 255, 256, 511, 512, 513, 4096, 65535, 65536,
        1 << 20, 1 << 22, (1 << 22) + 1, 1 << 30, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE,
        Integer.MIN_VALUE + 1, -512};
    private static final long[] LONGS = {0, 1, -1, 2, 8, 4096, 1L << 31, 1L << 32, 1L << 40, 1L << 50, 1L << 62,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 7};
    private static final float[] FLOATS = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE, -1e10f, 1e-30f};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;

    public Mutations(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A boundary int (zero, ±1, powers of two, extremes) or, one time in four, a random one. */
    public int interestingInt() {
        return random.nextInt(4) == 0 ? random.nextInt() : INTS[random.nextInt(INTS.length)];
    }

    public long interestingLong() {
        return random.nextInt(4) == 0 ? random.nextLong() : LONGS[random.nextInt(LONGS.length)];
    }

    public float interestingFloat() {
        return FLOATS[random.nextInt(FLOATS.length)];
    }

    /** 1 to {@code max} random bit flips or byte overwrites in [from, to). */
    public byte[] damage(byte[] original, int from, int to, int max) {
        byte[] copy = original.clone();
        int end = Math.min(to, copy.length);
        if (end <= from) return copy;
        for (int k = 1 + random.nextInt(max); k > 0; k--) {
            int at = from + random.nextInt(end - from);
            if (random.nextBoolean()) {
                copy[at] ^= (byte) (1 << random.nextInt(8));
            } else {
                copy[at] = (byte) random.nextInt(256);
            }
        }
        return copy;
    }

    /** The first n bytes, n < length (sometimes 0 or just a few). */
    public byte[] truncate(byte[] original, int maxLength) {
        int bound = Math.max(1, Math.min(maxLength, original.length));
        int n = random.nextInt(8) == 0 ? random.nextInt(Math.min(16, bound)) : random.nextInt(bound);
        return Arrays.copyOf(original, n);
    }

    /** Overwrites the little-endian int at {@code offset} with a boundary value. */
    public byte[] putInt(byte[] original, int offset) {
        byte[] copy = original.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, interestingInt());
        return copy;
    }

    public byte[] putLong(byte[] original, int offset) {
        byte[] copy = original.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, interestingLong());
        return copy;
    }

    public byte[] putFloat(byte[] original, int offset) {
        byte[] copy = original.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putFloat(offset, interestingFloat());
        return copy;
    }

    /** A JSON value of a random type and size: wrong types, boundary numbers, huge ones, empty containers. */
    public JsonNode interestingJson() {
        switch (random.nextInt(14)) {
            case 0: return NODES.nullNode();
            case 1: return NODES.booleanNode(random.nextBoolean());
            case 2: return NODES.textNode("");
            case 3: return NODES.textNode("x".repeat(1 + random.nextInt(3)) + "\u0000\uFFFD");
            case 4: return NODES.numberNode(interestingInt());
            case 5: return NODES.numberNode(interestingLong());
            case 6: return NODES.numberNode(BigInteger.ONE.shiftLeft(64 + random.nextInt(100)));
            case 7: return NODES.numberNode(random.nextBoolean() ? 1e308 : -1e308);
            case 8: return NODES.numberNode(random.nextDouble() * 1000 - 500);
            case 9: return NODES.arrayNode();
            case 10: return NODES.objectNode();
            case 11: {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) a.add(interestingInt());
                return a;
            }
            case 12: return NODES.textNode("y".repeat(10_000));
            default: return NODES.numberNode(random.nextInt(1024));
        }
    }

    /**
     * A deep copy of {@code root} with one change: a random value anywhere in the tree replaced by
     * {@link #interestingJson()}, a random field removed, or an array element dropped or repeated.
     */
    public JsonNode mutateJson(JsonNode root) {
        JsonNode copy = root.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(copy, containers);
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) names.add(it.next());
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(5) == 0) {
                o.remove(name);
            } else {
                o.set(name, interestingJson());
            }
        } else if (parent instanceof ArrayNode a && a.size() > 0) {
            int i = random.nextInt(a.size());
            switch (random.nextInt(3)) {
                case 0 -> a.remove(i);
                case 1 -> a.insert(i, a.get(i).deepCopy());
                default -> a.set(i, interestingJson());
            }
        }
        return copy;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (JsonNode child : node) collect(child, out);
        }
    }

    public static JsonNode parse(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
