package dev.euclid.internal.hub;

import dev.euclid.HubException;
import dev.euclid.HubOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's HTTP: GETs that retry 429 (after its {@code Retry-After}) and 5xx with backoff, follow
 * redirects by hand so that the token only ever goes to the endpoint's own origin (a CDN a
 * download is redirected to never sees it), and turn refusals into errors that say what to do.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_TEXT_BYTES = 64 << 20;

    private final HubOptions options;
    private final HttpClient client;

    HubHttp(HubOptions options) {
        this.options = options;
        // Redirects are followed by hand: HttpClient's own following would carry the token along.
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(options.timeout()).build();
    }

    /**
     * A GET's response, redirects followed, retried while the hub is busy: a 2xx, or 416 to a ranged
     * request (the caller restarts); anything else is thrown as a {@link HubException}. The caller
     * closes the body.
     */
    Response get(URI uri, String range, String subject) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = sendWithRetries(current, range, subject);
            int status = response.statusCode();
            if (status / 100 == 2 || (status == 416 && range != null)) {
                return new Response(status, response.headers(), current, StallGuard.watch(response.body(), options.timeout()));
            }
            String location = response.headers().firstValue("Location").orElse(null);
            discard(response);
            if (status / 100 == 3 && location != null) {
                current = follow(current, location, subject);
                continue;
            }
            throw refusal(response, current, subject);
        }
        throw new HubException(subject + ": more than " + MAX_REDIRECTS + " redirects, last to " + printable(current));
    }

    /** Where a redirect or a next-page link leads: an http(s) URL, or a HubException (never a crash on a bad header). */
    static URI follow(URI from, String reference, String subject) {
        try {
            URI to = from.resolve(reference.trim());
            String scheme = to.getScheme();
            if (to.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) return to;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new HubException(subject + ": " + printable(from) + " points to '" + reference + "', not an http(s) URL");
    }

    /** A whole (JSON) body as text, and the response for its headers. */
    Text getText(URI uri, String subject) {
        try (Response response = get(uri, null, subject)) {
            byte[] bytes = response.body().readNBytes(MAX_TEXT_BYTES + 1);
            if (bytes.length > MAX_TEXT_BYTES) throw new HubException(subject + ": response from " + printable(uri) + " is over 64 MB");
            return new Text(new String(bytes, StandardCharsets.UTF_8), response);
        } catch (IOException e) {
            throw new UnreachableHubException(subject + ": reading the response from " + printable(uri) + " failed: " + describe(e), e);
        }
    }

    /** A whole body, and the response it came in (for its headers). */
    record Text(String body, Response response) {}

    /** The retry delay before attempt {@code attempt + 1}: doubling from retryDelay up to 8x. */
    Duration backoff(int attempt) {
        return options.retryDelay().multipliedBy(1L << Math.min(attempt, 3));
    }

    void sleep(Duration delay, String subject) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(subject + ": interrupted", e);
        }
    }

    /** The exception's kind and message: ConnectException's message is often just null. */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Scheme, host and path: signed CDN query strings stay out of messages and logs. */
    static String printable(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private HttpResponse<InputStream> sendWithRetries(URI uri, String range, String subject) {
        for (int attempt = 0;; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(request(uri, range), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (attempt >= options.maxRetries()) {
                    throw new UnreachableHubException(subject + ": cannot reach " + printable(uri) + " (" + describe(e)
                            + ") after " + (attempt + 1) + " attempts", e);
                }
                sleep(backoff(attempt), subject);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(subject + ": interrupted", e);
            }
            if (!RETRIED.contains(response.statusCode()) || attempt >= options.maxRetries()) return response;
            Duration wait = response.statusCode() == 429 ? retryAfter(response).orElse(backoff(attempt)) : backoff(attempt);
            discard(response);
            sleep(wait, subject);
        }
    }

    private HttpRequest request(URI uri, String range) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(options.timeout())
                .header("User-Agent", "euclid; java/" + Runtime.version().feature());
        if (options.token() != null && sameOrigin(uri, options.endpoint())) b.header("Authorization", "Bearer " + options.token());
        if (range != null) b.header("Range", range);
        return b.build();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) return uri.getPort();
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private HubException refusal(HttpResponse<?> response, URI uri, String subject) {
        int status = response.statusCode();
        String hubMessage = response.headers().firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        String what = "HTTP " + status + " from " + printable(uri) + hubMessage;
        if (status == 401 || status == 403) {
            String advice = options.token() == null
                    ? "set HF_TOKEN to a token that can read it (huggingface.co/settings/tokens)"
                    : "the token (HF_TOKEN) was refused or has no access to it; accept the model's licence on its hub page if it is gated";
            return new HubException(subject + ": " + what + ": the repository is private or gated, or does not exist; " + advice);
        }
        if (status == 404) {
            String code = response.headers().firstValue("X-Error-Code").orElse("");
            String which = switch (code) {
                case "RepoNotFound" -> "repository not found";
                case "RevisionNotFound" -> "revision not found";
                case "EntryNotFound" -> "file not found";
                default -> "not found";
            };
            return new HubException(subject + ": " + which + " (" + what + ")");
        }
        return new HubException(subject + ": " + what + (RETRIED.contains(status) ? " after " + (options.maxRetries() + 1) + " attempts" : ""));
    }

    /** delay-seconds or an HTTP-date, capped so that a hostile value cannot park the caller for days. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException notDate) {
                    return Optional.<Duration>empty();
                }
            }
        }).map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.skip(1 << 16); // small error bodies: read so that the connection can be reused
        } catch (IOException e) {
            // the connection is dropped instead
        }
    }

    /** A 2xx (or 416) response whose body is behind a {@link StallGuard}; {@code uri} is where it came from after redirects. */
    record Response(int status, HttpHeaders headers, URI uri, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
