package dev.euclid.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every endpoint does around its own work: the exact path and method, the API key, and turning
 * an {@link ApiException} (or an unexpected failure) into OpenAI's error object with its status.
 * Each response is counted by endpoint and status.
 */
final class Endpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    interface Work {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final String path;
    private final String method;
    private final byte[] apiKey; // null: no key needed
    private final ServerMetrics metrics;
    private final InFlight inFlight;
    private final Work work;

    /** {@code inFlight}: counts this endpoint's exchanges until they are closed (null: not counted). */
    Endpoint(String path, String method, String apiKey, ServerMetrics metrics, InFlight inFlight, Work work) {
        this.path = path;
        this.method = method;
        this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.work = work;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (inFlight != null) inFlight.enter();
        try {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                throw new ApiException(404, "invalid_request_error", "no endpoint " + exchange.getRequestURI().getPath(),
                        null, "not_found");
            }
            if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                throw new ApiException(405, "invalid_request_error", path + " takes " + method + ", not "
                        + exchange.getRequestMethod(), null, "method_not_allowed");
            }
            authorize(exchange);
            work.handle(exchange);
        } catch (ApiException e) {
            sendError(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, GenerationRun.unavailable());
        } catch (IOException e) {
            LOG.debug("{} {}: the client went away: {}", exchange.getRequestMethod(), path, e.toString());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), path, e);
            sendError(exchange, new ApiException(500, "server_error", "internal error: " + e, null, null));
        } finally {
            exchange.close();
            if (inFlight != null) inFlight.exit();
        }
    }

    /** Compares in constant time: how long a refusal takes says nothing about the key. */
    private void authorize(HttpExchange exchange) {
        if (apiKey == null) return;
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, apiKey)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "authentication_error", header == null
                    ? "this server needs an API key: send 'Authorization: Bearer KEY'" : "the API key is not valid",
                    null, "invalid_api_key");
        }
    }

    /** The error object with its status; nothing if the response has already begun (a stream reports its own). */
    private void sendError(HttpExchange exchange, ApiException e) {
        if (exchange.getResponseCode() != -1) return;
        metrics.response(path, e.status);
        if (e.status == 429) exchange.getResponseHeaders().set("Retry-After", "1");
        try {
            HttpIo.sendJson(exchange, e.status, OpenAiJson.error(e));
        } catch (IOException gone) {
            LOG.debug("{}: the client went away before its {} was sent", path, e.status);
        }
    }
}
