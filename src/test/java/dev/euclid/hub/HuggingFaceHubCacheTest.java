package dev.euclid.hub;

import static dev.euclid.hub.HubFixtures.COMMIT;
import static dev.euclid.hub.HubFixtures.ENGINE_FILES;
import static dev.euclid.hub.HubFixtures.REPO;
import static dev.euclid.hub.HubFixtures.greedyTokens;
import static dev.euclid.hub.HubFixtures.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Models;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real huggingface_hub (Python, from the machine's local wheel store, installed into
 * target/hub-venv) and Euclid on one cache, both talking to the fake hub: the same downloads give
 * the same cache entries, and each resolves offline what the other downloaded.
 */
class HuggingFaceHubCacheTest {
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static final String REPO_FOLDER = "models--euclid-test--stories260K";
    private static Path python;

    @TempDir
    Path tmp;
    private FakeHub hub;

    @BeforeAll
    static void installHuggingFaceHub() throws Exception {
        Path venv = Path.of("target/hub-venv").toAbsolutePath();
        python = venv.resolve("bin/python");
        if (Files.isExecutable(python) && run(List.of(python.toString(), "-c", "import huggingface_hub"), Map.of()).code() == 0) return;
        boolean wheels;
        try (Stream<Path> s = Files.isDirectory(WHEELS) ? Files.list(WHEELS) : Stream.empty()) {
            wheels = s.anyMatch(p -> p.getFileName().toString().startsWith("huggingface_hub-"));
        }
        if (!wheels) {
            String message = "no huggingface_hub wheel in " + WHEELS + ": the cache-sharing check with Python needs it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
            Assumptions.abort(message);
        }
        Result made = run(List.of("python3", "-m", "venv", venv.toString()), Map.of());
        assertEquals(0, made.code(), made.output());
        Result installed = run(List.of(venv.resolve("bin/pip").toString(), "install", "-q", "--no-index", "--find-links",
                WHEELS.toString(), "huggingface_hub"), Map.of());
        assertEquals(0, installed.code(), installed.output());
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub().repo(REPO, COMMIT, HubFixtures.hfRepoFiles());
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void bothDownloadTheSameFilesIntoTheSameEntries() throws Exception {
        Path javaCache = tmp.resolve("java/hub");
        Models.resolve("hf:" + REPO, options(hub, javaCache));
        JsonNode py = huggingFaceHub("download", tmp.resolve("python"), false);
        assertEquals(tmp.resolve("python/hub").resolve(REPO_FOLDER).resolve("snapshots").resolve(COMMIT).toString(), py.get("path").asText());
        Map<String, String> euclid = entries(javaCache.resolve(REPO_FOLDER));
        String safetensors = FakeHub.sha256(Files.readAllBytes(HubFixtures.hfFolder().resolve("model.safetensors")));
        assertEquals("file " + safetensors, euclid.get("blobs/" + safetensors), euclid.toString());
        assertEquals("link ../../blobs/" + safetensors, euclid.get("snapshots/" + COMMIT + "/model.safetensors"), euclid.toString());
        assertEquals(entries(tmp.resolve("python/hub").resolve(REPO_FOLDER)), euclid);
    }

    @Test
    void euclidResolvesOfflineWhatHuggingFaceHubDownloaded() throws Exception {
        JsonNode py = huggingFaceHub("download", tmp.resolve("python"), false);
        hub.close();
        Path resolved = Models.resolve("hf:" + REPO, options(hub, tmp.resolve("python/hub")).withOffline(true));
        assertEquals(Path.of(py.get("path").asText()), resolved);
        assertArrayEquals(greedyTokens(HubFixtures.hfFolder()), greedyTokens(resolved));
    }

    @Test
    void huggingFaceHubResolvesOfflineWhatEuclidDownloaded() throws Exception {
        Path resolved = Models.resolve("hf:" + REPO, options(hub, tmp.resolve("java/hub")));
        hub.close();
        JsonNode py = huggingFaceHub("offline", tmp.resolve("java"), true);
        assertEquals(resolved.toString(), py.get("path").asText());
        for (String f : ENGINE_FILES) assertEquals(resolved.resolve(f).toString(), py.get("files").get(f).asText(), f);
    }

    /** Runs hf_cache.py with HF_HOME={@code home}; what it prints. */
    private JsonNode huggingFaceHub(String mode, Path home, boolean offline) throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("hf_cache.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), "-c", script, mode, REPO));
        command.addAll(List.of(ENGINE_FILES));
        Map<String, String> env = new TreeMap<>(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.toString(),
                "HF_HUB_DISABLE_TELEMETRY", "1", "HF_HUB_DISABLE_PROGRESS_BARS", "1", "HF_HUB_DISABLE_XET", "1"));
        if (offline) env.put("HF_HUB_OFFLINE", "1");
        Result r = run(command, env);
        assertEquals(0, r.code(), "huggingface_hub " + mode + " failed:\n" + r.output());
        String[] lines = r.output().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    /**
     * Every entry of a repository's cache folder: directories, symlinks with their targets, files
     * with their sha256. Python's own extras are left out: {@code trees/} (its cached listings)
     * and {@code .no_exist/} (files it learnt are missing).
     */
    private static Map<String, String> entries(Path repo) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(repo)) {
            for (Path p : all.toList()) {
                String rel = repo.relativize(p).toString();
                if (rel.isEmpty() || rel.startsWith("trees") || rel.startsWith(".no_exist")) continue;
                if (Files.isSymbolicLink(p)) out.put(rel, "link " + Files.readSymbolicLink(p));
                else if (Files.isDirectory(p)) out.put(rel, "dir");
                else out.put(rel, "file " + FakeHub.sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            Assertions.fail(command.get(0) + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
