package dev.euclid.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing responses: whole JSON bodies, and server-sent events (one JSON object per "data:" line). */
final class HttpIo {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private HttpIo() {}

    static byte[] bytes(JsonBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        }
        return out.toByteArray();
    }

    static void sendJson(HttpExchange exchange, int status, JsonBody body) throws IOException {
        send(exchange, status, "application/json", bytes(body));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An SSE response already started (status 200, chunked): each event is written and flushed at once. */
    static final class EventStream {
        private final OutputStream out;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

        EventStream(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            this.out = exchange.getResponseBody();
        }

        void event(JsonBody body) throws IOException {
            buffer.reset();
            buffer.write(DATA);
            try (JsonGenerator g = JSON.createGenerator(buffer)) {
                body.write(g);
            }
            buffer.write(END);
            buffer.writeTo(out);
            out.flush();
        }

        void done() throws IOException {
            out.write(DONE);
            out.flush();
        }
    }
}
