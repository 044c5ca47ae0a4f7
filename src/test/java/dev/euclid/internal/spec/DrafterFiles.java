package dev.euclid.internal.spec;

import dev.euclid.DrafterStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/** Drafter files for tests: a valid one with random weights, and raw files assembled from parts. */
final class DrafterFiles {
    private DrafterFiles() {}

    static DrafterFile random(BaseFingerprint base, int mlpLayers, long seed) {
        DrafterShape shape = new DrafterShape(base.dim(), base.vocab(), mlpLayers);
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[shape.weightCount()];
        for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * 0.1);
        DrafterStats stats = new DrafterStats(4, 4, 10, 2, 1000, 1, 1.5, 2.25, new double[] {0.5, 0.4, 0.3, 0.2}, 2.1);
        return new DrafterFile(shape, base, stats, w);
    }

    /** A file of these parts with a correct checksum: header fields as given, whatever the rest says. */
    static byte[] assemble(int version, String metadata, long declaredWeights, float[] weights) {
        byte[] meta = metadata.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(DrafterFile.HEADER + meta.length + 4 * weights.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(DrafterFile.MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(meta.length).putLong(declaredWeights);
        b.put(meta);
        for (float w : weights) b.putFloat(w);
        storeChecksum(b.array());
        return b.array();
    }

    static void storeChecksum(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
    }
}
