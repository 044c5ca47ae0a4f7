package dev.euclid.hub;

import static dev.euclid.hub.HubFixtures.COMMIT;
import static dev.euclid.hub.HubFixtures.ENGINE_FILES;
import static dev.euclid.hub.HubFixtures.REPO;
import static dev.euclid.hub.HubFixtures.greedyTokens;
import static dev.euclid.hub.HubFixtures.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.HubException;
import dev.euclid.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hf:} ids resolved against a loopback fake hub: what is fetched, where it lands, and what the engine makes of it. */
class HubResolveTest {
    private static final String ID = "hf:" + REPO;

    @TempDir
    Path cache;
    private FakeHub hub;
    private Map<String, byte[]> files;

    @BeforeEach
    void startHub() throws IOException {
        files = HubFixtures.hfRepoFiles();
        hub = new FakeHub().repo(REPO, COMMIT, files);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void fetchesOnlyWhatTheEngineOpensAndTheModelGeneratesLikeTheFolder() throws IOException {
        Map<String, List<long[]>> reports = new ConcurrentHashMap<>();
        Path resolved = Models.resolve(ID, options(hub, cache).withProgress(
                (file, done, total) -> reports.computeIfAbsent(file, f -> new ArrayList<>()).add(new long[] {done, total})));

        Path repo = cache.resolve("models--euclid-test--stories260K");
        assertEquals(repo.resolve("snapshots").resolve(COMMIT), resolved);
        assertEquals(Set.of(ENGINE_FILES), listFiles(resolved));
        for (String f : ENGINE_FILES) assertEquals(1, hub.downloads(f), f + " downloaded once");
        for (String f : List.of("README.md", "SHA256SUMS", "tok512.bin", ".gitattributes")) {
            assertTrue(hub.requests().stream().noneMatch(s -> s.route().endsWith("/" + f)), f + " must not be fetched");
        }
        assertArrayEquals(greedyTokens(HubFixtures.hfFolder()), greedyTokens(resolved));

        for (String f : ENGINE_FILES) {
            List<long[]> r = reports.get(f);
            long size = files.get(f).length;
            assertArrayEquals(new long[] {size, size}, r.get(r.size() - 1), f + ": last report is complete");
            for (int i = 1; i < r.size(); i++) assertTrue(r.get(i)[0] >= r.get(i - 1)[0] && r.get(i)[1] == size, f + ": monotonic");
        }
    }

    @Test
    void cacheLayoutIsHuggingFaceHubs() throws IOException {
        Models.resolve(ID, options(hub, cache));
        Path repo = cache.resolve("models--euclid-test--stories260K");
        assertEquals(COMMIT, Files.readString(repo.resolve("refs/main")), "refs/main holds the bare commit hash");
        for (String f : ENGINE_FILES) {
            Path pointer = repo.resolve("snapshots").resolve(COMMIT).resolve(f);
            String etag = FakeHub.isLfs(f) ? FakeHub.sha256(files.get(f)) : FakeHub.gitBlobId(files.get(f));
            assertTrue(Files.isSymbolicLink(pointer), f);
            assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(pointer), f + " links relatively to its blob");
            assertArrayEquals(files.get(f), Files.readAllBytes(repo.resolve("blobs").resolve(etag)), f);
        }
        try (Stream<Path> all = Files.walk(cache)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".incomplete")), "no partial file left");
        }
        assertTrue(Files.isRegularFile(cache.resolve(".locks/models--euclid-test--stories260K")
                .resolve(FakeHub.sha256(files.get("model.safetensors")) + ".lock")), "huggingface_hub's lock path");
    }

    @Test
    void shardedWeightsFetchEveryShardTheIndexNamesAndNothingElse() throws IOException {
        Path sharded = ShardedCopy.write(HubFixtures.hfFolder(), cache.resolve("sharded-source"));
        Map<String, byte[]> shardedFiles = FakeHub.filesOf(sharded);
        shardedFiles.put("model-00003-of-00003.safetensors", new byte[] {1, 2, 3}); // in the repo, not in the index
        hub.repo("euclid-test/sharded", COMMIT, shardedFiles);
        Path resolved = Models.resolve("hf:euclid-test/sharded", options(hub, cache.resolve("hub")));
        assertEquals(Set.of("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), listFiles(resolved));
        assertEquals(0, hub.downloads("model-00003-of-00003.safetensors"));
        assertArrayEquals(greedyTokens(HubFixtures.hfFolder()), greedyTokens(resolved));
    }

    @Test
    void aGgufIsChosenByPatternAndOpensLikeTheLocalFile() throws IOException {
        hub.repo(HubFixtures.GGUF_REPO, COMMIT, Map.of("stories260K-f32.gguf", Files.readAllBytes(HubFixtures.gguf()),
                "stories260K-q8_0.gguf", new byte[] {9, 9, 9}, "README.md", new byte[] {'#'}));
        Path resolved = Models.resolve("hf:" + HubFixtures.GGUF_REPO + "@main#*f32.gguf", options(hub, cache));
        assertEquals(cache.resolve("models--euclid-test--stories260K-GGUF/snapshots/" + COMMIT + "/stories260K-f32.gguf"), resolved);
        assertEquals(0, hub.downloads("stories260K-q8_0.gguf"));
        assertEquals(0, hub.downloads("README.md"));
        assertArrayEquals(greedyTokens(HubFixtures.gguf()), greedyTokens(resolved));

        HubException ambiguous = assertThrows(HubException.class,
                () -> Models.resolve("hf:" + HubFixtures.GGUF_REPO + "#*.gguf", options(hub, cache)));
        assertTrue(ambiguous.getMessage().contains("matches 2 GGUF files (stories260K-f32.gguf, stories260K-q8_0.gguf)"), ambiguous.getMessage());
        HubException none = assertThrows(HubException.class,
                () -> Models.resolve("hf:" + HubFixtures.GGUF_REPO + "#*Q4_K_M.gguf", options(hub, cache)));
        assertTrue(none.getMessage().contains("no GGUF file matches '*Q4_K_M.gguf'; its GGUF files are stories260K-f32.gguf, stories260K-q8_0.gguf"),
                none.getMessage());
        HubException noSafetensors = assertThrows(HubException.class,
                () -> Models.resolve("hf:" + HubFixtures.GGUF_REPO, options(hub, cache)));
        assertTrue(noSafetensors.getMessage().contains("lacks config.json, tokenizer.json, model.safetensors")
                && noSafetensors.getMessage().contains("choose one with hf:ORG/NAME@REVISION#PATTERN"), noSafetensors.getMessage());
    }

    @Test
    void theTokenGoesToTheHubAndNeverToTheCdnItRedirectsTo() {
        hub.requireToken("hf_secret");
        Path resolved = Models.resolve(ID, options(hub, cache).withToken("hf_secret"));
        assertTrue(Files.isDirectory(resolved));
        List<FakeHub.Seen> seen = hub.requests();
        assertTrue(seen.stream().anyMatch(s -> s.server().equals("cdn")), "the LFS file came from the CDN");
        for (FakeHub.Seen s : seen) {
            if (s.server().equals("hub")) assertEquals("Bearer hf_secret", s.authorization(), s.route());
            else assertEquals(null, s.authorization(), "token leaked to the CDN on " + s.route());
        }
    }

    @Test
    void aCutDownloadResumesWithARangeRequest() throws IOException {
        hub.cutNext("cdn/model.safetensors", 300_000);
        Path resolved = Models.resolve(ID, options(hub, cache));
        List<FakeHub.Seen> gets = hub.requests().stream().filter(s -> s.route().equals("cdn/model.safetensors")).toList();
        assertEquals(2, gets.size(), gets.toString());
        assertEquals(null, gets.get(0).range());
        long from = Long.parseLong(gets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(from > 0 && from <= 300_000, "resumed from " + from);
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(resolved.resolve("model.safetensors")));
    }

    @Test
    void aDownloadCutInAnEarlierRunResumesFromItsPartialFile() throws IOException {
        hub.cutNext("cdn/model.safetensors", 200_000);
        HubException cut = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache).withRetries(0, java.time.Duration.ZERO)));
        assertTrue(cut.getMessage().contains("model.safetensors") && cut.getMessage().contains("resumes"), cut.getMessage());
        Path part = cache.resolve("models--euclid-test--stories260K/blobs/" + FakeHub.sha256(files.get("model.safetensors")) + ".incomplete");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= 200_000, "kept " + kept);
        assertFalse(Files.exists(cache.resolve("models--euclid-test--stories260K/refs/main")), "no ref to an incomplete snapshot");

        Path resolved = Models.resolve(ID, options(hub, cache));
        List<FakeHub.Seen> gets = hub.requests().stream().filter(s -> s.route().equals("cdn/model.safetensors")).toList();
        assertEquals("bytes=" + kept + "-", gets.get(gets.size() - 1).range());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(resolved.resolve("model.safetensors")));
        assertFalse(Files.exists(part));
    }

    @Test
    void aSilentServerCountsAsACutAndTheDownloadResumes() throws IOException {
        hub.stallNext("cdn/model.safetensors", 100_000, 4_000);
        Path resolved = Models.resolve(ID, options(hub, cache).withTimeout(java.time.Duration.ofMillis(300)));
        List<FakeHub.Seen> gets = hub.requests().stream().filter(s -> s.route().equals("cdn/model.safetensors")).toList();
        assertEquals(2, gets.size());
        assertTrue(gets.get(1).range() != null, "the second request resumes");
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(resolved.resolve("model.safetensors")));
    }

    @Test
    void aChecksumMismatchRemovesTheDownloadAndSaysSo() throws IOException {
        hub.corrupt("model.safetensors");
        HubException e = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        String sha = FakeHub.sha256(files.get("model.safetensors"));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("checksum mismatch")
                && e.getMessage().contains(sha) && e.getMessage().contains("removed"), e.getMessage());
        Path repo = cache.resolve("models--euclid-test--stories260K");
        assertFalse(Files.exists(repo.resolve("blobs/" + sha)));
        assertFalse(Files.exists(repo.resolve("blobs/" + sha + ".incomplete")));
        assertFalse(Files.exists(repo.resolve("snapshots/" + COMMIT + "/model.safetensors"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(repo.resolve("refs/main")));
    }

    @Test
    void aCorruptSmallFileIsCaughtByItsGitBlobId() {
        hub.corrupt("tokenizer.json");
        HubException e = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("git blob id " + FakeHub.gitBlobId(files.get("tokenizer.json"))),
                e.getMessage());
    }

    @Test
    void refusalsSayWhatToDo() {
        hub.requireToken("hf_right");
        HubException anonymous = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        assertTrue(anonymous.getMessage().contains("HTTP 401") && anonymous.getMessage().contains("set HF_TOKEN"), anonymous.getMessage());
        HubException wrong = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache).withToken("hf_wrong")));
        assertTrue(wrong.getMessage().contains("HTTP 401") && wrong.getMessage().contains("token (HF_TOKEN) was refused"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("hf_wrong"), "the token itself never appears in messages");
        hub.requireToken(null);

        HubException repo = assertThrows(HubException.class, () -> Models.resolve("hf:euclid-test/nothing-here", options(hub, cache)));
        assertTrue(repo.getMessage().startsWith("hf:euclid-test/nothing-here@main") && repo.getMessage().contains("repository not found"), repo.getMessage());
        HubException revision = assertThrows(HubException.class, () -> Models.resolve(ID + "@v9", options(hub, cache)));
        assertTrue(revision.getMessage().contains("@v9") && revision.getMessage().contains("revision not found"), revision.getMessage());
        hub.failNext("resolve/config.json", 404, Map.of("X-Error-Code", "EntryNotFound"));
        HubException file = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        assertTrue(file.getMessage().contains(REPO + "/config.json (commit " + COMMIT + ")") && file.getMessage().contains("file not found"),
                file.getMessage());
    }

    @Test
    void redirectsOffTheWebOrInCirclesAreRefused() {
        hub.failNext("resolve/config.json", 302, Map.of("Location", "file:///etc/passwd"));
        HubException file = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        assertTrue(file.getMessage().contains("points to 'file:///etc/passwd', not an http(s) URL"), file.getMessage());
        for (int i = 0; i < 11; i++) hub.failNext("resolve/config.json", 307, Map.of("Location", "/" + REPO + "/resolve/main/config.json"));
        HubException loop = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache)));
        assertTrue(loop.getMessage().contains("more than 10 redirects"), loop.getMessage());
    }

    @Test
    void rateLimitsWaitForRetryAfterAndServerErrorsAreRetried() {
        hub.failNext("revision", 429, Map.of("Retry-After", "1"));
        hub.failNext("tree", 503, Map.of());
        hub.failNext("cdn/model.safetensors", 500, Map.of());
        long start = System.nanoTime();
        Models.resolve(ID, options(hub, cache));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1000, "waited " + millis + " ms for Retry-After: 1");
        assertEquals(2, hub.requests().stream().filter(s -> s.route().equals("revision")).count());
        assertEquals(2, hub.requests().stream().filter(s -> s.route().equals("tree")).count());
        assertEquals(2, hub.downloads("model.safetensors"));

        for (int i = 0; i < 4; i++) hub.failNext("revision", 429, Map.of("Retry-After", "0"));
        HubException e = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache.resolve("other"))));
        assertTrue(e.getMessage().contains("HTTP 429") && e.getMessage().contains("after 4 attempts"), e.getMessage());
    }

    @Test
    void theTreeListingIsFollowedAcrossPages() {
        hub.pageSize(2);
        Path resolved = Models.resolve(ID, options(hub, cache));
        assertEquals(Set.of(ENGINE_FILES), listFiles(resolved));
        int repoFiles = files.size();
        assertEquals((repoFiles + 1) / 2, hub.requests().stream().filter(s -> s.route().equals("tree")).count());
    }

    @Test
    void concurrentResolversShareOneDownloadOfEachFile() throws Exception {
        hub.slowCdn(20);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Models.resolve(ID, options(hub, cache));
                }));
            }
            start.countDown();
            assertEquals(results.get(0).get(), results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        for (String f : ENGINE_FILES) assertEquals(1, hub.downloads(f), f + " downloaded once");
        assertEquals(2, hub.requests().stream().filter(s -> s.route().equals("revision")).count(), "both resolvers ran");
    }

    @Test
    void offlineResolvesFromTheCacheAloneOrSaysWhatIsMissing() throws IOException {
        HubException empty = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache).withOffline(true)));
        assertTrue(empty.getMessage().contains("not in the cache") && empty.getMessage().contains("refs/main")
                && empty.getMessage().contains("HF_HUB_OFFLINE is set"), empty.getMessage());
        assertTrue(hub.requests().isEmpty(), "offline sends nothing");

        Path online = Models.resolve(ID, options(hub, cache));
        hub.close();
        assertEquals(online, Models.resolve(ID, options(hub, cache).withOffline(true)));
        assertArrayEquals(greedyTokens(HubFixtures.hfFolder()), greedyTokens(online));

        Files.delete(cache.resolve("models--euclid-test--stories260K/blobs/" + FakeHub.sha256(files.get("model.safetensors"))));
        HubException partial = assertThrows(HubException.class, () -> Models.resolve(ID, options(hub, cache).withOffline(true)));
        assertTrue(partial.getMessage().contains("lacks model.safetensors") && partial.getMessage().contains("HF_HUB_OFFLINE"), partial.getMessage());
    }

    @Test
    void anUnreachableHubFallsBackToACompleteCache() {
        Path online = Models.resolve(ID, options(hub, cache));
        hub.close();
        assertEquals(online, Models.resolve(ID, options(hub, cache).withRetries(0, java.time.Duration.ZERO)));
        HubException none = assertThrows(HubException.class,
                () -> Models.resolve(ID, options(hub, cache.resolve("empty")).withRetries(1, java.time.Duration.ZERO)));
        assertTrue(none.getMessage().contains("cannot reach") && none.getMessage().contains("after 2 attempts"), none.getMessage());
    }

    @Test
    void aCommitRevisionInTheCacheNeedsNoRequest() {
        Path online = Models.resolve(ID + "@" + COMMIT, options(hub, cache));
        assertEquals(cache.resolve("models--euclid-test--stories260K/snapshots/" + COMMIT), online);
        assertEquals(0, hub.requests().stream().filter(s -> s.route().equals("revision")).count(), "a commit needs no look-up");
        int before = hub.requests().size();
        assertEquals(online, Models.resolve(ID + "@" + COMMIT, options(hub, cache)));
        assertEquals(before, hub.requests().size());
        assertFalse(Files.exists(cache.resolve("models--euclid-test--stories260K/refs/" + COMMIT)), "no ref for a commit");
    }

    @Test
    void aSecondResolveOnlyAsksWhichCommitMainIsAt() {
        Path first = Models.resolve(ID, options(hub, cache));
        int before = hub.requests().size();
        assertEquals(first, Models.resolve(ID, options(hub, cache)));
        List<String> routes = hub.requests().subList(before, hub.requests().size()).stream().map(FakeHub.Seen::route).toList();
        assertEquals(List.of("revision", "tree"), routes);
    }

    @Test
    void plainPathsPassThroughAndBadIdsAreRefused() {
        assertEquals(Path.of("models/x"), Models.resolve("models/x"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Models.resolve("hf:org/../etc", options(hub, cache)));
        assertTrue(bad.getMessage().contains("not a repository id"), bad.getMessage());
    }

    private static Set<String> listFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
