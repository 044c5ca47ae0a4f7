package dev.euclid.internal.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.DrafterStats;
import dev.euclid.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A trained drafter on disk. Little-endian layout:
 *
 * <pre>
 *   0  magic "EUCLIDDR" (8 bytes)
 *   8  u32 format version (1)
 *  12  u32 metadata length M
 *  16  u64 weight count N
 *  24  metadata: M bytes of UTF-8 JSON (shape, base-model fingerprint, training stats)
 *      weights: N FP32 values in the layout of {@link DrafterShape}
 *      u32 CRC-32C of every byte before it
 * </pre>
 *
 * The reader checks the header against the file length before it allocates anything, the checksum
 * before it parses, and every weight count against what the metadata's shape implies; any
 * inconsistency is a {@link ModelFormatException} naming it.
 */
public record DrafterFile(DrafterShape shape, BaseFingerprint base, DrafterStats stats, float[] weights) {
    public static final String MAGIC = "EUCLIDDR";
    public static final int VERSION = 1;
    static final int HEADER = 24;
    /** Metadata is a few kilobytes; anything larger is not a drafter file of ours. */
    static final int MAX_METADATA = 1 << 20;
    /** The metadata's arrays (row norms, per-position accuracy) are short; a longer one is malformed. */
    static final int MAX_ARRAY = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    public DrafterFile {
        if (weights.length != shape.weightCount()) {
            throw new IllegalArgumentException(weights.length + " weights do not fit a drafter that needs " + shape.weightCount());
        }
        if (base.dim() != shape.dim() || base.vocab() != shape.vocab()) {
            throw new IllegalArgumentException("drafter shape " + shape + " does not fit its base model (" + base + ")");
        }
    }

    public void write(Path file) {
        byte[] meta = metadata().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + meta.length + 4 * weights.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(VERSION).putInt(meta.length).putLong(weights.length);
        buf.put(meta);
        buf.asFloatBuffer().put(weights);
        buf.position(buf.position() + 4 * weights.length);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, buf.array());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write", e);
        }
    }

    public static DrafterFile read(Path file) {
        ByteBuffer buf = load(file);
        byte[] magic = new byte[8];
        buf.get(magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.ISO_8859_1))) {
            throw new ModelFormatException(file + ": not a drafter file (magic is not " + MAGIC + ")");
        }
        int version = buf.getInt();
        if (version != VERSION) {
            throw new ModelFormatException(file + ": drafter format version " + Integer.toUnsignedString(version)
                    + " is not supported (this Euclid reads version " + VERSION + ")");
        }
        long metaLength = Integer.toUnsignedLong(buf.getInt());
        long count = buf.getLong();
        long expected = HEADER + metaLength + 4 * count + 4;
        if (metaLength > MAX_METADATA || count < 0 || count > Integer.MAX_VALUE || expected != buf.capacity()) {
            throw new ModelFormatException(file + ": header declares " + metaLength + " bytes of metadata and "
                    + Long.toUnsignedString(count) + " weights, which do not fit the file length of " + buf.capacity());
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.capacity() - 4);
        int stored = buf.getInt(buf.capacity() - 4);
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(file + ": checksum mismatch (stored " + Integer.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()) + "): the file is corrupt");
        }
        String json = new String(buf.array(), HEADER, (int) metaLength, StandardCharsets.UTF_8);
        Metadata m = parse(file, json);
        if (m.shape.weightCount() != count) {
            throw new ModelFormatException(file + ": metadata shape " + m.shape + " needs " + m.shape.weightCount()
                    + " weights but the file holds " + count);
        }
        float[] weights = new float[(int) count];
        buf.position(HEADER + (int) metaLength);
        buf.asFloatBuffer().get(weights);
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) throw new ModelFormatException(file + ": weight " + i + " is not a finite number");
        }
        try {
            return new DrafterFile(m.shape, m.base, m.stats, weights);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** The whole file, after checking that it is at least a header and at most one buffer. */
    private static ByteBuffer load(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + 4) throw new ModelFormatException(file + ": " + size + " bytes is too short for a drafter file");
            if (size > Integer.MAX_VALUE - 8) throw new ModelFormatException(file + ": " + size + " bytes is too large for a drafter file");
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) throw new ModelFormatException(file + ": file shrank while being read");
            }
            return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private record Metadata(DrafterShape shape, BaseFingerprint base, DrafterStats stats) {}

    String metadata() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "euclid-drafter");
        ObjectNode s = root.putObject("drafter");
        s.put("dim", shape.dim());
        s.put("vocab_size", shape.vocab());
        s.put("mlp_layers", shape.mlpLayers());
        ObjectNode b = root.putObject("base");
        b.put("dim", base.dim());
        b.put("ffn_dim", base.ffnDim());
        b.put("layers", base.layers());
        b.put("heads", base.heads());
        b.put("kv_heads", base.kvHeads());
        b.put("vocab_size", base.vocab());
        b.put("tied_embeddings", base.tied());
        floats(b.putArray("row_norms"), base.norms());
        floats(b.putArray("row_directions"), base.directions());
        ObjectNode t = root.putObject("training");
        t.put("draft_tokens", stats.draftTokens());
        t.put("beams", stats.beams());
        t.put("training_sequences", stats.trainingSequences());
        t.put("held_out_sequences", stats.heldOutSequences());
        t.put("training_examples", stats.trainingExamples());
        t.put("epochs", stats.epochs());
        t.put("training_seconds", stats.trainingSeconds());
        t.put("final_loss", stats.finalLoss());
        ArrayNode acc = t.putArray("top1_accuracy");
        for (double a : stats.top1Accuracy()) acc.add(a);
        t.put("mean_accepted_tokens", stats.meanAcceptedTokens());
        return root.toString();
    }

    private static void floats(ArrayNode a, float[] values) {
        for (float v : values) a.add(v);
    }

    private static Metadata parse(Path file, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": drafter metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
        Fields f = new Fields(file);
        if (root == null || !"euclid-drafter".equals(root.path("format").asText())) {
            throw new ModelFormatException(file + ": metadata is not of format euclid-drafter");
        }
        try {
            JsonNode s = f.object(root, "drafter"), b = f.object(root, "base"), t = f.object(root, "training");
            DrafterShape shape = new DrafterShape(f.integer(s, "dim"), f.integer(s, "vocab_size"), f.integer(s, "mlp_layers"));
            BaseFingerprint base = new BaseFingerprint(f.integer(b, "dim"), f.integer(b, "ffn_dim"), f.integer(b, "layers"),
                    f.integer(b, "heads"), f.integer(b, "kv_heads"), f.integer(b, "vocab_size"), f.bool(b, "tied_embeddings"),
                    f.floats(b, "row_norms"), f.floats(b, "row_directions"));
            double[] acc = f.doubles(t, "top1_accuracy");
            DrafterStats stats = new DrafterStats(f.integer(t, "draft_tokens"), f.integer(t, "beams"),
                    f.integer(t, "training_sequences"), f.integer(t, "held_out_sequences"), f.number(t, "training_examples").longValue(),
                    f.integer(t, "epochs"), f.number(t, "training_seconds").doubleValue(), f.number(t, "final_loss").doubleValue(), acc,
                    f.number(t, "mean_accepted_tokens").doubleValue());
            return new Metadata(shape, base, stats);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": drafter metadata: " + e.getMessage(), e);
        }
    }

    /** Typed access to required metadata fields; a missing or mistyped one names itself. */
    private record Fields(Path file) {
        JsonNode object(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isObject()) throw missing(name, "an object");
            return n;
        }

        Number number(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isNumber()) throw missing(name, "a number");
            return n.numberValue();
        }

        int integer(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) throw missing(name, "an int");
            return n.intValue();
        }

        boolean bool(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isBoolean()) throw missing(name, "a boolean");
            return n.booleanValue();
        }

        double[] doubles(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isArray() || n.size() > MAX_ARRAY) throw missing(name, "an array of at most " + MAX_ARRAY + " numbers");
            double[] out = new double[n.size()];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isNumber()) throw missing(name, "an array of numbers");
                out[i] = n.get(i).doubleValue();
            }
            return out;
        }

        float[] floats(JsonNode parent, String name) {
            double[] d = doubles(parent, name);
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
            return out;
        }

        private ModelFormatException missing(String name, String what) {
            return new ModelFormatException(file + ": drafter metadata field '" + name + "' is missing or not " + what);
        }
    }
}
