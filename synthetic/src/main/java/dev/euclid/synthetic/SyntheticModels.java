package dev.euclid.synthetic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Names like {@code synthetic:110m}: random-weight models in real shapes, written once as Hugging
 * Face folders (F16, so every precision sees the same values) into a cache directory and reused.
 */
public final class SyntheticModels {
    public static final String PREFIX = "synthetic:";
    /** The seed of every synthetic:NAME model (benchmarks write GGUF copies with the same one). */
    public static final long SEED = 1;

    private SyntheticModels() {}

    public static boolean isSyntheticName(String model) {
        return model.startsWith(PREFIX);
    }

    /** The folder of a synthetic model, generating it first if the cache lacks it. */
    public static Path resolve(String model) {
        String shapeName = model.substring(PREFIX.length());
        ModelShape shape = ModelShape.named(shapeName);
        Path dir = cacheRoot().resolve(shapeName + "-seed" + SEED);
        if (Files.isRegularFile(dir.resolve(HfFolderWriter.CONFIG_FILE))) return dir;
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), shapeName + ".tmp");
            try {
                HfFolderWriter.write(tmp, new SyntheticModel(shape, SEED), DType.F16, 1,
                        SyntheticTokenizer.byteLevelJson(shape.vocab()));
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteTree(tmp); // another process finished first; its copy is identical
            } catch (IOException | RuntimeException e) {
                deleteTree(tmp);
                throw e;
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic model to " + dir, e);
        }
    }

    /** {@code -Deuclid.cache}, else $XDG_CACHE_HOME/euclid, else ~/.cache/euclid. */
    public static Path cacheRoot() {
        String explicit = System.getProperty("euclid.cache");
        if (explicit != null) return Path.of(explicit);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("euclid").resolve("synthetic");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
