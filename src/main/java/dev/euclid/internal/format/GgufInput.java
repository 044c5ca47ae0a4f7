package dev.euclid.internal.format;

import dev.euclid.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A little-endian cursor over a GGUF file that checks every read against the file length first,
 * so a hostile count or length becomes a {@link ModelFormatException} naming the file, the field
 * and the offset, never an allocation. Reads go through a small window: GGUF headers are many
 * tiny fields (a 150k-token vocabulary is 150k strings).
 */
final class GgufInput implements AutoCloseable {
    /**
     * Length limits that keep a hostile header's heap cost bounded (65536 keys, 65536 tensors).
     * Real keys are a few dozen bytes (the spec allows 65535), tensor names under 64 (ggml's limit),
     * other strings (chat templates, tokens) well under 16 MiB.
     */
    static final int MAX_KEY_BYTES = 1024, MAX_NAME_BYTES = 256, MAX_STRING_BYTES = 16 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private long pos;

    private GgufInput(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        window.limit(0);
    }

    static GgufInput open(Path file) {
        try {
            return new GgufInput(file, FileChannel.open(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    long position() {
        return pos;
    }

    void seek(long position) {
        pos = position;
    }

    long remaining() {
        return size - pos;
    }

    /** A problem with the file's content, named after the file. */
    ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }

    int u8(String what) {
        return fill(1, what).get() & 0xFF;
    }

    int u16(String what) {
        return fill(2, what).getShort() & 0xFFFF;
    }

    long u32(String what) {
        return fill(4, what).getInt() & 0xFFFF_FFFFL;
    }

    /** An unsigned 64-bit field; values at or above 2^63 come back negative, which callers refuse. */
    long u64(String what) {
        return fill(8, what).getLong();
    }

    float f32(String what) {
        return fill(4, what).getFloat();
    }

    double f64(String what) {
        return fill(8, what).getDouble();
    }

    /** A GGUF string: uint64 byte length, then that many UTF-8 bytes (no terminator). */
    byte[] stringBytes(String what, int maxBytes) {
        long at = pos;
        long length = u64(what);
        requireLength(length, at, what, maxBytes);
        byte[] out = new byte[(int) length];
        int done = 0;
        while (done < out.length) {
            int n = Math.min(window.capacity(), out.length - done);
            fill(n, what).get(out, done, n);
            done += n;
        }
        return out;
    }

    String string(String what, int maxBytes) {
        return new String(stringBytes(what, maxBytes), StandardCharsets.UTF_8);
    }

    void skipString(String what) {
        long at = pos;
        long length = u64(what);
        requireLength(length, at, what, MAX_STRING_BYTES);
        pos += length;
    }

    /** Moves past {@code bytes} bytes that must all lie within the file. */
    void skip(long bytes, String what) {
        if (bytes < 0 || bytes > remaining()) throw truncated(bytes, what);
        pos += bytes;
    }

    private void requireLength(long length, long at, String what, int maxBytes) {
        if (length < 0 || length > remaining()) {
            throw problem(what + " at offset " + at + " claims " + Long.toUnsignedString(length)
                    + " bytes, beyond the end of the file (" + size + " bytes): truncated or corrupt");
        }
        if (length > maxBytes) {
            throw problem(what + " at offset " + at + " is " + length + " bytes, more than the " + maxBytes
                    + " allowed");
        }
    }

    /** The window positioned at {@code pos} with at least {@code n} bytes (n ≤ window size); advances pos. */
    private ByteBuffer fill(int n, String what) {
        if (n > remaining()) throw truncated(n, what);
        if (pos < windowStart || pos + n > windowStart + window.limit()) {
            window.clear();
            try {
                while (window.position() < n) {
                    if (channel.read(window, pos + window.position()) < 0) throw truncated(n, what);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read", e);
            }
            window.flip();
            windowStart = pos;
        }
        window.position((int) (pos - windowStart));
        pos += n;
        return window;
    }

    private ModelFormatException truncated(long n, String what) {
        return problem("truncated: " + what + " needs " + n + " bytes at offset " + pos + " but the file has "
                + size + " bytes");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close", e);
        }
    }
}
