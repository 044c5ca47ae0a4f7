package dev.euclid.hub;

import static dev.euclid.hub.HubFixtures.COMMIT;
import static dev.euclid.hub.HubFixtures.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code euclid generate --model hf:...} as a user runs it: a separate JVM whose environment
 * (HF_ENDPOINT, HF_HOME, HF_HUB_OFFLINE) points it at the fake hub and a fresh cache.
 */
class HubCliTest {
    @TempDir
    Path home;

    @Test
    void generateDownloadsWithProgressBarsThenRunsOfflineFromTheCache() throws Exception {
        int[] expected = Arrays.copyOf(HubFixtures.greedyTokens(HubFixtures.hfFolder()), 12);
        try (FakeHub hub = new FakeHub().repo(REPO, COMMIT, HubFixtures.hfRepoFiles())) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.toString());
            Cli online = euclid(env, "generate", "--model", "hf:" + REPO, "--prompt", "Once upon a time", "--max-tokens", "12", "--json");
            assertEquals(0, online.code(), online.err());
            assertEquals(Arrays.toString(expected).replace(" ", ""), tokenIds(online));
            assertTrue(online.err().contains("model.safetensors") && online.err().contains("100%"), "progress bars:\n" + online.err());
            assertTrue(Files.isSymbolicLink(home.resolve("hub/models--euclid-test--stories260K/snapshots/" + COMMIT + "/config.json")));

            Cli missing = euclid(env, "generate", "--model", "hf:euclid-test/missing", "--prompt", "x");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("error: hf:euclid-test/missing@main (revision look-up): repository not found"), missing.err());
        }
        Cli offline = euclid(Map.of("HF_ENDPOINT", "http://127.0.0.1:9", "HF_HOME", home.toString(), "HF_HUB_OFFLINE", "1"),
                "generate", "--model", "hf:" + REPO, "--prompt", "Once upon a time", "--max-tokens", "12", "--json");
        assertEquals(0, offline.code(), offline.err());
        assertEquals(Arrays.toString(expected).replace(" ", ""), tokenIds(offline));
    }

    @Test
    void aResolverInAnotherProcessWaitsForTheDownloadInProgress() throws Exception {
        try (FakeHub hub = new FakeHub().repo(REPO, COMMIT, HubFixtures.hfRepoFiles())) {
            hub.slowCdn(150); // 16 chunks: the other process is still downloading when this one asks
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.toString());
            Running other = start(env, "generate", "--model", "hf:" + REPO, "--prompt", "Once", "--max-tokens", "2");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (hub.downloads("model.safetensors") == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, hub.downloads("model.safetensors"), "the other process started downloading");

            Path here = Models.resolve("hf:" + REPO, HubFixtures.options(hub, home.resolve("hub")));
            assertTrue(Files.isRegularFile(here.resolve("model.safetensors")));
            Cli done = other.finish();
            assertEquals(0, done.code(), done.err());
            assertEquals(1, hub.downloads("model.safetensors"), "this process waited on the lock instead of downloading again");
        }
    }

    private static String tokenIds(Cli run) throws Exception {
        JsonNode json = new ObjectMapper().readTree(run.out());
        return json.get("token_ids").toString();
    }

    private record Cli(int code, String out, String err) {}

    private static Cli euclid(Map<String, String> env, String... args) throws Exception {
        return start(env, args).finish();
    }

    /** A CLI process whose stdout is read on a thread of its own, so that it never blocks on a full pipe. */
    private record Running(Process process, CompletableFuture<byte[]> out, Path err) {
        Cli finish() throws Exception {
            try {
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("the CLI did not finish in 2 minutes");
                }
                return new Cli(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8), Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        }
    }

    private static Running start(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.euclid.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        pb.environment().putAll(env);
        Path err = Files.createTempFile("euclid-cli", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        return new Running(p, CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), err);
    }
}
