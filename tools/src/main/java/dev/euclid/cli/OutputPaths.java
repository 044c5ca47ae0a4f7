package dev.euclid.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where commands write: into a folder that exists, so that a mistyped path fails instead of becoming new folders. */
final class OutputPaths {
    private OutputPaths() {}

    /** {@code out}, after checking that the folder it goes in exists. */
    static Path inExistingFolder(String flag, Path out) {
        Path folder = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new NoSuchFileException(folder.toString(), null,
                    "no such folder; create it first or choose another " + flag));
        }
        return out;
    }
}
