package dev.euclid.solver.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.ExecutionResult.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NeMo-Skills protocol against a loopback server that answers as NeMo-Skills' local sandbox does. */
class HttpSandboxExecutorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutionLimits LIMITS = new ExecutionLimits(Duration.ofMillis(2500), 1L << 30, 1024);
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** Starts the fake sandbox; {@code answer} maps the request body to (HTTP status, response body). */
    private URI serve(Function<JsonNode, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/execute", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(body);
            Object[] reply = exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestHeaders().getFirst("Content-Type").equals("application/json")
                    ? answer.apply(body) : new Object[] {405, "{}"};
            byte[] bytes = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders((Integer) reply[0], bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static Object[] ok(String status, String stdout, String stderr) {
        return new Object[] {200, JSON.createObjectNode().put("process_status", status).put("stdout", stdout)
                .put("stderr", stderr).toString()};
    }

    @Test
    void sendsTheProtocolsFieldsAndMapsEachStatus() throws Exception {
        URI base = serve(req -> switch (req.get("generated_code").asText()) {
            case "print(1)" -> ok("completed", "1\n", "");
            case "1/0" -> ok("completed", "", "Traceback (most recent call last):\nZeroDivisionError: division by zero\n");
            case "loop" -> ok("timeout", "", "Timed out\n");
            default -> ok("error", "", "Session error\n");
        });
        try (HttpSandboxExecutor sandbox = new HttpSandboxExecutor(URI.create(base + "/"), "sample-7")) {
            ExecutionResult r = sandbox.execute("print(1)", LIMITS).get(30, TimeUnit.SECONDS);
            assertEquals(new ExecutionResult(Status.OK, "1\n", "", r.seconds()), r);
            assertEquals(Status.ERROR, sandbox.execute("1/0", LIMITS).get(30, TimeUnit.SECONDS).status());
            assertEquals(Status.TIMEOUT, sandbox.execute("loop", LIMITS).get(30, TimeUnit.SECONDS).status());
            assertEquals(Status.ERROR, sandbox.execute("other", LIMITS).get(30, TimeUnit.SECONDS).status());
        }
        JsonNode first = requests.get(0);
        assertEquals("print(1)", first.get("generated_code").asText());
        assertEquals(2.5, first.get("timeout").asDouble());
        assertEquals("python", first.get("language").asText());
        assertEquals("sample-7", first.get("session_id").asText());
    }

    @Test
    void capsOutputHeadAndTailAndOmitsSessionWhenNone() throws Exception {
        String big = "HEAD" + "x".repeat(100_000) + "TAIL";
        URI base = serve(req -> ok("completed", big, ""));
        try (HttpSandboxExecutor sandbox = new HttpSandboxExecutor(base)) {
            ExecutionResult r = sandbox.execute("print('x' * 100000)", LIMITS).get(30, TimeUnit.SECONDS);
            assertTrue(r.stdout().startsWith("HEAD") && r.stdout().endsWith("TAIL"), r.stdout());
            assertTrue(r.stdout().contains("[98984 bytes omitted]"), r.stdout());
        }
        assertFalse(requests.get(0).has("session_id"));
    }

    @Test
    void aBrokenSandboxFailsTheFutureNamingWhatWentWrong() throws Exception {
        URI base = serve(req -> req.get("generated_code").asText().equals("500")
                ? new Object[] {500, "internal error"} : new Object[] {200, "{\"stdout\": \"\"}"});
        try (HttpSandboxExecutor sandbox = new HttpSandboxExecutor(base)) {
            ExecutionException http = assertThrows(ExecutionException.class,
                    () -> sandbox.execute("500", LIMITS).get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, http.getCause());
            assertTrue(http.getCause().getMessage().contains("HTTP 500: internal error"), http.getCause().getMessage());
            ExecutionException shape = assertThrows(ExecutionException.class,
                    () -> sandbox.execute("no status", LIMITS).get(30, TimeUnit.SECONDS));
            assertTrue(shape.getCause().getMessage().contains("without process_status"), shape.getCause().getMessage());
        }
        server.stop(0);
        try (HttpSandboxExecutor sandbox = new HttpSandboxExecutor(base)) {
            ExecutionException down = assertThrows(ExecutionException.class,
                    () -> sandbox.execute("print(1)", LIMITS).get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, down.getCause());
        }
    }

    @Test
    void rejectsAddressesThatAreNotHttp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpSandboxExecutor(URI.create("ftp://host/")));
        assertTrue(e.getMessage().contains("ftp://host/"), e.getMessage());
    }
}
