package dev.euclid.internal.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash a blob is named after, computed over the bytes as they arrive: sha256 of the content
 * for LFS files, git's blob id (sha1 of {@code "blob <size>\0"} and the content) for the others.
 */
final class BlobDigest {
    private final RepoFile file;
    private MessageDigest digest;

    BlobDigest(RepoFile file) {
        this.file = file;
        reset();
    }

    void reset() {
        try {
            digest = MessageDigest.getInstance(file.lfs() ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256 and SHA-1", e);
        }
        if (!file.lfs()) digest.update(("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    void update(ByteBuffer bytes) {
        digest.update(bytes);
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** Lower-case hex, comparable with {@link RepoFile#etag()}. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
