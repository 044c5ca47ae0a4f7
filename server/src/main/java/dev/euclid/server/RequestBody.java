package dev.euclid.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads a request's JSON body: bounded in size, strictly UTF-8, one JSON value. */
final class RequestBody {
    private RequestBody() {}

    /**
     * The body as a JSON tree. A declared length over {@code maxBytes} is refused before a byte is
     * read (413); a chunked body is read only up to {@code maxBytes + 1} bytes.
     */
    static JsonNode readJson(HttpExchange exchange, long maxBytes, ObjectMapper mapper) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid(null, "the Content-Length header is not a number: '" + declared + "'");
            }
            if (length > maxBytes) throw tooLarge(length + " bytes", maxBytes);
        }
        // Not closed here: closing drains what is left (up to 64 KiB), which would wait on a client that
        // sends more than the limit before the 413 is written. The exchange drains it after the response.
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
        String text = utf8(body);
        if (text.isBlank()) throw ApiException.invalid(null, "the request body is empty; expected a JSON object");
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private static ApiException tooLarge(String size, long maxBytes) {
        return new ApiException(413, "invalid_request_error", "the request body is " + size + "; this server accepts at most "
                + maxBytes + " bytes (--max-body-bytes)", null, "request_too_large");
    }

    /** Decodes strictly: a malformed byte is a 400 naming its offset, not a silent U+FFFD. */
    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) result = decoder.flush(out);
        if (result.isError()) {
            throw ApiException.invalid(null, "the request body is not valid UTF-8 (malformed byte at offset "
                    + in.position() + ")");
        }
        return out.flip().toString();
    }
}
