package dev.euclid.internal.hub;

import java.util.regex.Pattern;

/**
 * One file of a repository at a commit, from the hub's tree listing.
 *
 * @param path its path in the repository, checked to stay inside a snapshot folder
 * @param size its size in bytes
 * @param etag what the cache names its blob after: the LFS sha256 for LFS files, else the git
 *     blob id (sha1), exactly the ETag huggingface_hub stores it under
 * @param lfs whether {@code etag} is a sha256 of the content (else a git blob hash)
 */
record RepoFile(String path, long size, String etag, boolean lfs) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_OID = Pattern.compile("[0-9a-f]{40}");

    RepoFile {
        if (!isSafePath(path)) throw new IllegalArgumentException("file path '" + path + "' is not a plain relative path");
        if (size < 0) throw new IllegalArgumentException(path + ": negative size " + size);
        if (!(lfs ? SHA256 : GIT_OID).matcher(etag).matches()) {
            throw new IllegalArgumentException(path + ": '" + etag + "' is not a " + (lfs ? "sha256" : "git blob id"));
        }
    }

    /** Relative, '/'-separated, no empty, '.' or '..' segment, no backslash or control character. */
    static boolean isSafePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 1000 || path.startsWith("/")) return false;
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) return false;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }
}
