package dev.euclid.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library will not do: send a body other than
 * the one it declares, stop reading mid-stream, or hang up at a chosen moment.
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a POST's head (with {@code headers} lines, each ending in CRLF) and {@code body} as given. */
    void post(String path, String headers, byte[] body) throws IOException {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    void postJson(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        post(path, "Content-Length: " + body.length + "\r\n", body);
    }

    /** The status line and headers, up to the blank line. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed inside the response head: " + head);
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The next chunk of a chunked body (empty at its end). */
    byte[] readChunk() throws IOException {
        String size = line();
        int n = Integer.parseInt(size.trim(), 16);
        byte[] data = in.readNBytes(n);
        if (data.length != n) throw new IOException("connection closed inside a chunk");
        line();
        return data;
    }

    /** A whole chunked body. */
    String readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = readChunk()).length > 0; ) body.write(chunk);
        return body.toString(StandardCharsets.UTF_8);
    }

    /** A body of the Content-Length the head declares. */
    String readBody(String head) throws IOException {
        int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int end = head.indexOf('\r', at);
        int length = Integer.parseInt(head.substring(at + 15, end).trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("connection closed inside a line");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
