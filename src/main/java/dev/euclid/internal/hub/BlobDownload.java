package dev.euclid.internal.hub;

import dev.euclid.DownloadProgress;
import dev.euclid.HubException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts one file's blob into the cache: under the blob's lock, appends to {@code {etag}.incomplete}
 * (resuming with an HTTP Range from whatever an earlier, cut attempt left), hashes the bytes as
 * they come, and only if the hash is the etag moves the file to {@code blobs/{etag}} in one atomic
 * rename. So a blob is either complete and verified or absent: nothing half-downloaded is opened.
 */
final class BlobDownload {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-\\d+/(\\d+|\\*)");
    private static final int BUFFER = 1 << 20;

    private final HubHttp http;
    private final RepoFile file;
    private final URI url;
    private final String subject;
    private final DownloadProgress progress;
    private final int maxRetries;
    private final BlobDigest digest;
    private FileChannel out;
    private long have;

    private BlobDownload(HubHttp http, RepoFile file, URI url, String subject, DownloadProgress progress, int maxRetries) {
        this.http = http;
        this.file = file;
        this.url = url;
        this.subject = subject;
        this.progress = progress;
        this.maxRetries = maxRetries;
        this.digest = new BlobDigest(file);
    }

    /** Ensures {@code blobs/{etag}} holds {@code file}, downloading it from {@code url} if needed. */
    static void ensure(HubHttp http, HubCache cache, RepoFile file, URI url, String subject, DownloadProgress progress,
            int maxRetries) throws IOException {
        Path blob = cache.blob(file.etag());
        if (!Files.isRegularFile(blob)) {
            try (BlobLock lock = BlobLock.acquire(cache.lock(file.etag()))) {
                // Whoever held the lock before may have just finished this very blob.
                if (!Files.isRegularFile(blob)) {
                    new BlobDownload(http, file, url, subject, progress, maxRetries).run(cache.incomplete(file.etag()), blob);
                }
            }
        }
        progress.update(file.path(), file.size(), file.size());
    }

    private void run(Path part, Path blob) throws IOException {
        Files.createDirectories(part.getParent());
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            out = channel;
            have = channel.size();
            if (have > file.size()) restart();
            hashExisting();
            int failures = 0;
            while (have < file.size()) {
                long before = have;
                try {
                    receive();
                } catch (IOException cut) {
                    // As huggingface_hub does: an attempt that brought bytes resets the count.
                    failures = have > before ? 1 : failures + 1;
                    if (failures > maxRetries) {
                        throw new UnreachableHubException(subject + ": download failed " + failures + " times in a row ("
                                + HubHttp.describe(cut) + "); " + have + " of " + file.size() + " bytes are kept in " + part
                                + " and the next attempt resumes from there", cut);
                    }
                    http.sleep(http.backoff(failures - 1), subject);
                }
            }
            channel.force(true);
        }
        String actual = digest.hex();
        if (!actual.equals(file.etag())) {
            Files.deleteIfExists(part);
            throw new HubException(subject + ": checksum mismatch: the hub lists " + (file.lfs() ? "sha256 " : "git blob id ")
                    + file.etag() + " but the " + file.size() + " bytes received hash to " + actual
                    + "; the download was removed, run again to fetch it anew");
        }
        HubCache.moveAtomically(part, blob);
    }

    /** One GET (ranged when resuming), appended to the partial file; an IOException means it was cut. */
    private void receive() throws IOException {
        String range = have > 0 ? "bytes=" + have + "-" : null;
        try (HubHttp.Response response = http.get(url, range, subject)) {
            if (response.status() == 416) { // the partial file is no prefix of this blob
                restart();
                return;
            }
            if (response.status() == 206) {
                long start = rangeStart(response);
                if (start != have) { // a server that resumes elsewhere cannot be trusted to splice correctly
                    restart();
                    return;
                }
            } else if (have > 0) {
                restart(); // 200: the server ignored the Range and sends everything
            }
            progress.update(file.path(), have, file.size());
            InputStream body = response.body();
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) >= 0;) {
                if (have + n > file.size()) {
                    restart();
                    throw new HubException(subject + ": the server sent more than the " + file.size() + " bytes the hub lists");
                }
                write(buffer, n);
                digest.update(buffer, 0, n);
                have += n;
                progress.update(file.path(), have, file.size());
            }
        }
    }

    private long rangeStart(HubHttp.Response response) {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Disk errors are not network errors: they must not be retried as if the connection was cut. */
    private void write(byte[] buffer, int n) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
            long position = have;
            while (bytes.hasRemaining()) position += out.write(bytes, position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the download of " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private void restart() throws IOException {
        out.truncate(0);
        digest.reset();
        have = 0;
    }

    private void hashExisting() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        for (long position = 0; position < have;) {
            buffer.clear().limit((int) Math.min(BUFFER, have - position));
            int n = out.read(buffer, position);
            if (n < 0) throw new IOException("partial download shrank while being read");
            position += n;
            digest.update(buffer.flip());
        }
    }
}
