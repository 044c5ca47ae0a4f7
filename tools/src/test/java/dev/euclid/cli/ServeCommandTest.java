package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.testing.SharedModels;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `euclid serve` as a service manager runs it: a child JVM, an API key from the environment, SIGTERM to stop. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING = Pattern.compile("serving (\\S+) on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void servesTheModelAndStopsCleanlyOnSigterm() throws Exception {
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        Served served = Served.start(Path.of(System.getProperty("java.home")), model, "-Xmx512m");
        Process server = served.process;
        try (Engine engine = Engine.open(model)) {
            Completion expected = engine.generate(Request.of("Once upon a time", 500));
            URI base = served.base();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            String body = "{\"model\": \"stories260K\", \"prompt\": \"Once upon a time\", \"max_tokens\": 500, \"temperature\": 0}";
            assertEquals(401, client.send(post(base, body).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the key from EUCLID_API_KEY is required");
            HttpResponse<String> ok = client.send(post(base, body).header("Authorization", "Bearer sk-env").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(expected.text(), JSON.readTree(ok.body()).path("choices").get(0).path("text").asText());

            // A stream in flight when SIGTERM comes ends normally. 32 choices with logprobs are about 5 MB of events,
            // more than loopback socket buffers hold (about 4 MB), so it is still running when the signal comes.
            String stream = body.replace("\"temperature\": 0", "\"temperature\": 0, \"n\": 32, \"logprobs\": 0, \"stream\": true");
            HttpResponse<InputStream> streaming = client.send(post(base, stream).header("Authorization", "Bearer sk-env")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8))) {
                StringBuilder[] texts = new StringBuilder[32];
                for (int i = 0; i < 32; i++) texts[i] = new StringBuilder();
                String last = null;
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.isEmpty()) continue;
                    if (last == null) {
                        server.destroy(); // SIGTERM, once the stream is under way (unread, it keeps running)
                        assertRefusedWhileDraining(client, base);
                    }
                    last = line;
                    if (line.startsWith("data: {")) {
                        JsonNode c = JSON.readTree(line.substring(6)).path("choices").get(0);
                        texts[c.path("index").asInt()].append(c.path("text").asText());
                    }
                }
                assertEquals("data: [DONE]", last);
                for (int i = 0; i < 32; i++) assertEquals(expected.text(), texts[i].toString(), "choice " + i);
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
            assertEquals(0, server.exitValue(), served.log());
        } finally {
            served.stop();
        }
    }

    /**
     * On JDK 21+ each exchange runs on a virtual thread, chosen at run time by the code built for 17: the same
     * classes, started on a newer JDK when the machine has one (JAVA21_HOME, or a JDK 21+ under /usr/lib/jvm).
     */
    @Test
    void onJdk21OrLaterRequestsRunOnVirtualThreads() throws Exception {
        Path jdk = newerJdk();
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        Served served = Served.start(jdk, model, "-Deuclid.log=info", "--enable-native-access=ALL-UNNAMED");
        try (Engine engine = Engine.open(model)) {
            Completion expected = engine.generate(Request.of("Once upon a time", 30));
            URI base = served.base();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(post(base, "{\"prompt\": \"Once upon a time\", \"max_tokens\": 30,"
                    + " \"temperature\": 0, \"stream\": true}").header("Authorization", "Bearer sk-env").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            StringBuilder text = new StringBuilder();
            for (String line : r.body().split("\n")) {
                if (line.startsWith("data: {")) text.append(JSON.readTree(line.substring(6)).path("choices").get(0).path("text").asText());
            }
            assertEquals(expected.text(), text.toString());
            assertTrue(served.log().contains("(virtual request threads)"), served.log());
            served.process.destroy();
            assertTrue(served.process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, served.process.exitValue(), served.log());
        } finally {
            served.stop();
        }
    }

    /** A JDK 21 or later other than the one running the tests; skips (fails on CI) where there is none. */
    private static Path newerJdk() throws java.io.IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("JAVA21_HOME");
        if (env != null) candidates.add(Path.of(env));
        Path jvms = Path.of("/usr/lib/jvm");
        if (java.nio.file.Files.isDirectory(jvms)) {
            try (var list = java.nio.file.Files.list(jvms)) {
                list.sorted().forEach(candidates::add);
            }
        }
        for (Path jdk : candidates) {
            Path release = jdk.resolve("release");
            if (!java.nio.file.Files.isRegularFile(release) || !java.nio.file.Files.isExecutable(jdk.resolve("bin/java"))) continue;
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(java.nio.file.Files.readString(release));
            if (m.find() && Integer.parseInt(m.group(1)) >= 21) return jdk;
        }
        String message = "no JDK 21+ found (JAVA21_HOME or /usr/lib/jvm): virtual request threads not checked";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
        org.junit.jupiter.api.Assumptions.abort(message);
        return null;
    }

    /** `euclid serve` in a child JVM of {@code jdk} on the test class path, with the key sk-env in EUCLID_API_KEY. */
    private record Served(Process process, CompletableFuture<Integer> port, List<String> lines, Thread reader) {
        static Served start(Path jdk, Path model, String... jvmArgs) throws java.io.IOException {
            List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
            command.addAll(List.of(jvmArgs));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--model",
                    model.toString(), "--port", "0", "--threads", "2", "--kv-bytes", String.valueOf(32L << 20)));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("EUCLID_API_KEY", "sk-env");
            Process process = pb.start();
            List<String> lines = new ArrayList<>();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> readLog(process.getErrorStream(), lines, port), "serve-log");
            reader.start();
            return new Served(process, port, lines, reader);
        }

        URI base() throws Exception {
            return URI.create("http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS));
        }

        String log() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        void stop() throws InterruptedException {
            process.destroyForcibly();
            reader.join(10_000);
        }
    }

    @Test
    void aModelThatCannotLoadIsAnErrorAndExit1() {
        CliRun r = CliRun.of("serve", "--model", "/nonexistent/model.bin", "--port", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error:") && r.err().contains("/nonexistent/model.bin"), r.err());
    }

    @Test
    void defaultNameIsTheModelFilesName() {
        assertEquals("stories260K", ServeCommand.defaultName("../shared/models/stories260K/stories260K.bin"));
        assertEquals("Qwen2.5-0.5B", ServeCommand.defaultName("/models/Qwen2.5-0.5B"));
        assertEquals("synthetic:tiny", ServeCommand.defaultName("synthetic:tiny"));
    }

    /** Once draining (health says so), a new request gets 503 and OpenAI's error object. */
    private static void assertRefusedWhileDraining(HttpClient client, URI base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode() == 200) {
            assertTrue(System.nanoTime() < deadline, "health still ready 30 s after SIGTERM");
            Thread.sleep(20);
        }
        HttpResponse<String> refused = client.send(post(base, "{\"prompt\": \"Once\", \"max_tokens\": 5}")
                .header("Authorization", "Bearer sk-env").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), refused.body());
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertEquals("the server is shutting down", error.path("message").asText(), refused.body());
        assertEquals("service_unavailable", error.path("type").asText(), refused.body());
    }

    private static HttpRequest.Builder post(URI base, String body) {
        return HttpRequest.newBuilder(base.resolve("/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static void readLog(InputStream err, List<String> log, CompletableFuture<Integer> port) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (log) {
                    log.add(line);
                }
                Matcher m = SERVING.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(2)));
            }
        } catch (java.io.IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new AssertionError("the server exited before serving: " + log));
    }
}
