package dev.euclid.internal.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * One repository's folder in the huggingface_hub cache, laid out exactly as huggingface_hub lays it
 * out so that either can use what the other downloaded:
 * <pre>
 * {cache}/models--ORG--NAME/blobs/{etag}                 file contents, named by sha256 (LFS) or git blob id
 *                          /blobs/{etag}.incomplete      a download in progress (resumed from its length)
 *                          /snapshots/{commit}/{path}    relative symlinks to ../../blobs/{etag}
 *                          /refs/{revision}              the commit hash a branch or tag was last seen at
 * {cache}/.locks/models--ORG--NAME/{etag}.lock           held while a blob is downloaded
 * </pre>
 */
final class HubCache {
    private final Path repo;
    private final Path locks;

    HubCache(Path cacheDir, HubModelId id) {
        repo = cacheDir.resolve(id.folderName());
        locks = cacheDir.resolve(".locks").resolve(id.folderName());
    }

    Path blob(String etag) {
        return repo.resolve("blobs").resolve(etag);
    }

    Path incomplete(String etag) {
        return repo.resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lock(String etag) {
        return locks.resolve(etag + ".lock");
    }

    Path snapshot(String commit) {
        return repo.resolve("snapshots").resolve(commit);
    }

    /** The snapshot entry of a file; {@link RepoFile#isSafePath} keeps it inside the snapshot. */
    Path pointer(String commit, String path) {
        return snapshot(commit).resolve(path);
    }

    Path ref(String revision) {
        return repo.resolve("refs").resolve(revision);
    }

    /** The commit a revision was last resolved to, or null if it never was. */
    String readRef(String revision) throws IOException {
        Path ref = ref(revision);
        if (!Files.isRegularFile(ref)) return null;
        String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
        return HubModelId.isCommit(commit) ? commit : null;
    }

    /** Records {@code revision -> commit} (no newline, as huggingface_hub writes it), atomically. */
    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit) || commit.equals(readRef(revision))) return;
        Path ref = ref(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        moveAtomically(tmp, ref);
    }

    /** Points the snapshot entry at the blob with a relative symlink, replacing any other entry atomically. */
    void link(String commit, String path, String etag) throws IOException {
        Path pointer = pointer(commit, path);
        Path target = pointer.getParent().relativize(blob(etag));
        if (Files.isSymbolicLink(pointer) && Files.readSymbolicLink(pointer).equals(target) && Files.exists(pointer)) return;
        Files.createDirectories(pointer.getParent());
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        Files.createSymbolicLink(tmp, target);
        moveAtomically(tmp, pointer);
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(from);
            throw e;
        }
    }
}
