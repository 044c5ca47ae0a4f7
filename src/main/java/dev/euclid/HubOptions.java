package dev.euclid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how {@link Models#resolve(String, HubOptions)} fetches {@code hf:} models. Immutable.
 * {@link #fromEnvironment()} reads the variables {@code huggingface_hub} reads, so Euclid and
 * Python tools share one cache and one login.
 *
 * @param endpoint the hub, {@code https://huggingface.co} unless {@code HF_ENDPOINT} says otherwise
 * @param token sent as {@code Authorization: Bearer} to the endpoint's own host only (never to
 *     the CDN a download is redirected to); null = anonymous
 * @param offline resolve from the cache only, never touching the network ({@code HF_HUB_OFFLINE=1})
 * @param cacheDir the hub cache: {@code models--ORG--NAME/{blobs,snapshots,refs}} below it
 * @param progress told the bytes done per file while downloading
 * @param maxRetries retries of a request answered 429 or 5xx, or cut off, before giving up
 * @param retryDelay the first wait between retries, doubled each time up to 8x (a 429's
 *     {@code Retry-After} overrides it)
 * @param timeout how long a connection may stay silent (connecting, before the response, or in the
 *     middle of a body) before the attempt counts as failed and is retried or resumed
 */
public record HubOptions(URI endpoint, String token, boolean offline, Path cacheDir, DownloadProgress progress,
        int maxRetries, Duration retryDelay, Duration timeout) {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    /** The values huggingface_hub reads as true in its boolean variables. */
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    public HubOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(timeout, "timeout");
        endpoint = checkedEndpoint(endpoint);
        if (token != null && token.isBlank()) token = null;
        if (progress == null) progress = DownloadProgress.NONE;
        if (maxRetries < 0 || maxRetries > 100) throw new IllegalArgumentException("maxRetries must be in [0, 100], got " + maxRetries);
        if (retryDelay.isNegative()) throw new IllegalArgumentException("retryDelay must be >= 0, got " + retryDelay);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
    }

    /** The settings the process environment gives (see {@link #fromEnvironment(Map)}). */
    public static HubOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The settings these environment variables give, with huggingface_hub's names and defaults:
     * {@code HF_ENDPOINT}; {@code HF_TOKEN}, else the token file {@code HF_TOKEN_PATH} (default
     * {@code $HF_HOME/token}, written by {@code hf auth login}); {@code HF_HUB_OFFLINE}; the cache
     * {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub} with {@code HF_HOME} defaulting to
     * {@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface}; {@code HF_HUB_DOWNLOAD_TIMEOUT}
     * in seconds (default 10).
     */
    public static HubOptions fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path home = env.containsKey("HF_HOME") ? expandHome(env.get("HF_HOME"))
                : (xdg != null ? expandHome(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("huggingface");
        String cache = env.getOrDefault("HF_HUB_CACHE", env.get("HUGGINGFACE_HUB_CACHE"));
        Path cacheDir = cache != null ? expandHome(cache) : home.resolve("hub");
        String endpoint = env.get("HF_ENDPOINT");
        URI uri;
        try {
            uri = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HF_ENDPOINT is not a URL: '" + endpoint + "'", e);
        }
        String token = env.get("HF_TOKEN");
        if (token == null || token.isBlank()) {
            Path tokenFile = env.containsKey("HF_TOKEN_PATH") ? expandHome(env.get("HF_TOKEN_PATH")) : home.resolve("token");
            token = readTokenFile(tokenFile);
        }
        boolean offline = env.containsKey("HF_HUB_OFFLINE") && TRUE_VALUES.contains(env.get("HF_HUB_OFFLINE").trim().toUpperCase(Locale.ROOT));
        return new HubOptions(uri, token == null ? null : token.trim(), offline, cacheDir, DownloadProgress.NONE, 5,
                Duration.ofSeconds(1), timeoutVariable(env.get("HF_HUB_DOWNLOAD_TIMEOUT")));
    }

    public HubOptions withEndpoint(URI endpoint) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withToken(String token) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withOffline(boolean offline) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withCacheDir(Path cacheDir) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withProgress(DownloadProgress progress) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withRetries(int maxRetries, Duration retryDelay) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    public HubOptions withTimeout(Duration timeout) {
        return new HubOptions(endpoint, token, offline, cacheDir, progress, maxRetries, retryDelay, timeout);
    }

    /** Never prints the token: options end up in logs and exception messages. */
    @Override
    public String toString() {
        return "HubOptions[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", offline=" + offline
                + ", cacheDir=" + cacheDir + ", maxRetries=" + maxRetries + ", retryDelay=" + retryDelay
                + ", timeout=" + timeout + "]";
    }

    private static URI checkedEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL with a host and no query, got '" + endpoint + "'");
        }
        String text = endpoint.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : endpoint;
    }

    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) return Path.of(System.getProperty("user.home") + path.substring(1));
        return Path.of(path);
    }

    private static String readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hugging Face token file " + file, e);
        }
    }

    private static Duration timeoutVariable(String seconds) {
        if (seconds == null || seconds.isBlank()) return Duration.ofSeconds(10);
        try {
            double s = Double.parseDouble(seconds.trim());
            if (s > 0 && s < 1e6) return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, got '" + seconds + "'");
    }
}
