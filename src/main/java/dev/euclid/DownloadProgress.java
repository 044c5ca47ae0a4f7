package dev.euclid;

/**
 * Told how far the download of each file of a {@code hf:} model has got. Called on the resolving
 * thread, many times per file; a file already in the cache is reported once, complete.
 */
@FunctionalInterface
public interface DownloadProgress {
    DownloadProgress NONE = (file, bytesDone, bytesTotal) -> {};

    /**
     * @param file the file's path in the repository
     * @param bytesDone bytes of it on disk so far (a resumed download starts above 0)
     * @param bytesTotal its size
     */
    void update(String file, long bytesDone, long bytesTotal);
}
