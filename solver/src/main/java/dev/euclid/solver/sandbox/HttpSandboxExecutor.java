package dev.euclid.solver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs code in a sandbox that speaks NeMo-Skills' protocol: {@code POST /execute} with
 * {@code {"generated_code", "timeout", "language": "python", "session_id"?}}, answered by
 * {@code {"process_status": "completed"|"error"|"timeout", "stdout", "stderr"}}. The isolation
 * is the remote side's (typically a container); this class only speaks the protocol.
 *
 * <p>NeMo-Skills' server reports a Python run that raised as "completed" (it does not look at the
 * exit code), so a completed run whose stderr holds a traceback is reported here as ERROR. The
 * protocol has no memory limit: {@code memoryBytes} is the remote side's to enforce. An
 * unreachable or misbehaving sandbox completes the future exceptionally (that is not the code's fault).
 */
public final class HttpSandboxExecutor implements CodeExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Time for the request and response themselves, on top of the code's wall limit. */
    private static final Duration TRANSPORT_GRACE = Duration.ofSeconds(30);

    private final URI execute;
    private final String sessionId;
    private final HttpClient client;

    /** @param base the sandbox's address, e.g. {@code http://127.0.0.1:6000} */
    public HttpSandboxExecutor(URI base) {
        this(base, null);
    }

    /** @param sessionId sent with every run, for sandboxes that keep state per session; null for none */
    public HttpSandboxExecutor(URI base, String sessionId) {
        if (base == null) throw new IllegalArgumentException("sandbox address must not be null");
        String scheme = base.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
            throw new IllegalArgumentException("sandbox address must be http://host:port or https://..., got " + base);
        }
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        this.execute = base.resolve(path + "/execute");
        this.sessionId = sessionId;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits) {
        if (code == null) throw new IllegalArgumentException("code must not be null");
        if (limits == null) throw new IllegalArgumentException("limits must not be null");
        ObjectNode body = JSON.createObjectNode()
                .put("generated_code", code)
                .put("timeout", limits.wallTime().toMillis() / 1000.0)
                .put("language", "python");
        if (sessionId != null) body.put("session_id", sessionId);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(execute)
                    .timeout(limits.wallTime().plus(TRANSPORT_GRACE))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> toResult(response, limits, (System.nanoTime() - start) / 1e9));
    }

    private ExecutionResult toResult(HttpResponse<String> response, ExecutionLimits limits, double seconds) {
        if (response.statusCode() != 200) {
            throw new CompletionException(new IOException("sandbox " + execute + " answered HTTP " + response.statusCode()
                    + ": " + HeadTail.cap(response.body(), 512)));
        }
        JsonNode r;
        try {
            r = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CompletionException(new IOException("sandbox " + execute + " answered with invalid JSON: "
                    + HeadTail.cap(response.body(), 512), e));
        }
        if (r == null || !r.path("process_status").isTextual()) {
            throw new CompletionException(new IOException("sandbox " + execute + " answered without process_status: "
                    + HeadTail.cap(response.body(), 512)));
        }
        String stdout = HeadTail.cap(r.path("stdout").asText(""), limits.outputBytes());
        String stderr = HeadTail.cap(r.path("stderr").asText(""), limits.outputBytes());
        ExecutionResult.Status status;
        switch (r.path("process_status").asText()) {
            case "completed":
                status = stderr.contains("Traceback (most recent call last)") ? ExecutionResult.Status.ERROR
                        : ExecutionResult.Status.OK;
                break;
            case "timeout":
                status = ExecutionResult.Status.TIMEOUT;
                break;
            default:
                status = ExecutionResult.Status.ERROR;
        }
        return new ExecutionResult(status, stdout, stderr, seconds);
    }

    /** Nothing to release: the remote sandbox owns its processes. */
    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its threads are daemons and idle ones expire.
    }
}
