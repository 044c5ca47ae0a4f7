package dev.euclid.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the Hugging Face hub, speaking the parts of its protocol that
 * huggingface_hub and Euclid use: {@code /api/models/{repo}/revision/{rev}}, the paginated
 * {@code /api/models/{repo}/tree/{commit}}, and {@code /{repo}/resolve/{rev}/{path}}, which
 * serves small files itself (ETag = git blob id) and redirects LFS files (safetensors, GGUF,
 * .bin) to a second server, a "CDN" on another loopback address, like the real hub does. The CDN
 * refuses any request carrying an Authorization header: a token must never leave the hub.
 * Tests script faults per route ({@code revision}, {@code tree}, {@code resolve/PATH},
 * {@code cdn/PATH}) and read back every request.
 */
final class FakeHub implements AutoCloseable {
    /** One request as the servers saw it. */
    record Seen(String server, String method, String route, String authorization, String range) {}

    private record Repo(Map<String, String> refs, Map<String, byte[]> files) {}

    private sealed interface Fault permits Status, Cut, Stall {}
    private record Status(int code, Map<String, String> headers) implements Fault {}
    private record Cut(long afterBytes) implements Fault {}
    private record Stall(long afterBytes, long millis) implements Fault {}

    private static final Pattern REVISION = Pattern.compile("/api/models/(.+)/revision/([^/]+)");
    private static final Pattern TREE = Pattern.compile("/api/models/(.+)/tree/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+|[^/]+)/resolve/([^/]+)/(.+)");

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobsBySha = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile String requiredToken;
    private volatile int pageSize = 1000;
    private volatile long cdnChunkDelayMillis;
    private volatile String corruptedFile;

    FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        hub.createContext("/", this::serveHub);
        cdn.createContext("/", this::serveCdn);
        hub.setExecutor(threads);
        cdn.setExecutor(threads);
        hub.start();
        cdn.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** Adds a repository whose {@code main} points at {@code commit}, with these files. */
    FakeHub repo(String repo, String commit, Map<String, byte[]> files) {
        Map<String, String> refs = new ConcurrentHashMap<>(Map.of("main", commit));
        repos.put(repo, new Repo(refs, new TreeMap<>(files)));
        for (Map.Entry<String, byte[]> f : files.entrySet()) if (isLfs(f.getKey())) blobsBySha.put(sha256(f.getValue()), f.getValue());
        return this;
    }

    /** Every file of a folder, by name. */
    static Map<String, byte[]> filesOf(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var list = Files.list(folder)) {
            for (Path p : list.toList()) files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return files;
    }

    void requireToken(String token) {
        requiredToken = token;
    }

    void pageSize(int entries) {
        pageSize = entries;
    }

    /** Slows the CDN to one 64 KiB chunk per {@code millis}, so that concurrent resolvers overlap. */
    void slowCdn(long millis) {
        cdnChunkDelayMillis = millis;
    }

    /** Serves {@code path} with one byte changed from now on (the listing keeps the true hash). */
    void corrupt(String path) {
        corruptedFile = path;
    }

    /** The next request on {@code route} is answered with this status and these headers. */
    void failNext(String route, int status, Map<String, String> headers) {
        faults.computeIfAbsent(route, r -> new ArrayDeque<>()).add(new Status(status, headers));
    }

    /** The next body on {@code route} stops after {@code afterBytes} and the connection is dropped. */
    void cutNext(String route, long afterBytes) {
        faults.computeIfAbsent(route, r -> new ArrayDeque<>()).add(new Cut(afterBytes));
    }

    /** The next body on {@code route} goes silent after {@code afterBytes} for {@code millis}, then is dropped. */
    void stallNext(String route, long afterBytes, long millis) {
        faults.computeIfAbsent(route, r -> new ArrayDeque<>()).add(new Stall(afterBytes, millis));
    }

    List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** GETs that transferred {@code path}'s content: from the hub (small files) or the CDN (LFS). */
    long downloads(String path) {
        return seen.stream().filter(s -> s.method().equals("GET")
                && (s.route().equals("cdn/" + path) || s.route().equals("resolve/" + path) && !isLfs(path))).count();
    }

    static String gitBlobId(byte[] content) {
        return hex("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content);
    }

    static String sha256(byte[] content) {
        return hex("SHA-256", new byte[0], content);
    }

    /** What this fake stores in LFS (as a typical .gitattributes does). */
    static boolean isLfs(String path) {
        return path.endsWith(".safetensors") || path.endsWith(".gguf") || path.endsWith(".bin");
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serveHub(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Matcher m;
            if ((m = REVISION.matcher(path)).matches()) {
                if (record(ex, "hub", "revision") && authorized(ex)) revision(ex, m.group(1), decode(m.group(2)));
            } else if ((m = TREE.matcher(path)).matches()) {
                if (record(ex, "hub", "tree") && authorized(ex)) tree(ex, m.group(1), decode(m.group(2)));
            } else if ((m = RESOLVE.matcher(path)).matches()) {
                String file = decode(m.group(3));
                if (record(ex, "hub", "resolve/" + file) && authorized(ex)) resolve(ex, m.group(1), decode(m.group(2)), file);
            } else {
                record(ex, "hub", "unknown " + path);
                error(ex, 404, "RepoNotFound", "no such route " + path);
            }
        }
    }

    private void serveCdn(HttpExchange ex) throws IOException {
        try (ex) {
            String sha = ex.getRequestURI().getRawPath().replaceFirst("^/blobs/", "");
            byte[] content = blobsBySha.get(sha);
            String file = content == null ? "?" : fileWithSha(sha);
            if (!record(ex, "cdn", "cdn/" + file)) return;
            if (ex.getRequestHeaders().containsKey("Authorization")) {
                error(ex, 400, "TokenLeak", "the CDN received an Authorization header");
                return;
            }
            if (content == null) {
                error(ex, 404, "EntryNotFound", "no blob " + sha);
                return;
            }
            ex.getResponseHeaders().set("ETag", '"' + sha + '"');
            body(ex, "cdn/" + file, file, content, cdnChunkDelayMillis);
        }
    }

    private void revision(HttpExchange ex, String repoId, String rev) throws IOException {
        Repo repo = repos.get(repoId);
        if (repo == null) {
            error(ex, 404, "RepoNotFound", "Repository not found");
            return;
        }
        String commit = repo.refs().getOrDefault(rev, repo.refs().containsValue(rev) ? rev : null);
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        ObjectNode info = json.createObjectNode().put("id", repoId).put("sha", commit);
        info.putArray("siblings");
        send(ex, 200, json.writeValueAsBytes(info));
    }

    private void tree(HttpExchange ex, String repoId, String commit) throws IOException {
        Repo repo = repos.get(repoId);
        if (repo == null || !repo.refs().containsValue(commit)) {
            error(ex, 404, repo == null ? "RepoNotFound" : "RevisionNotFound", "no tree");
            return;
        }
        String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
        Matcher cursor = Pattern.compile("cursor=(\\d+)").matcher(query);
        int from = cursor.find() ? Integer.parseInt(cursor.group(1)) : 0;
        List<String> paths = new ArrayList<>(repo.files().keySet());
        ArrayNode page = json.createArrayNode();
        for (String p : paths.subList(from, Math.min(paths.size(), from + pageSize))) {
            byte[] content = repo.files().get(p);
            ObjectNode e = page.addObject().put("type", "file").put("oid", gitBlobId(lfsPointer(p, content))).put("size", content.length).put("path", p);
            if (isLfs(p)) e.putObject("lfs").put("oid", sha256(content)).put("size", content.length).put("pointerSize", 134);
        }
        if (from + pageSize < paths.size()) {
            ex.getResponseHeaders().add("Link", "<" + endpoint() + "/api/models/" + repoId + "/tree/" + commit
                    + "?recursive=true&cursor=" + (from + pageSize) + ">; rel=\"next\"");
        }
        send(ex, 200, json.writeValueAsBytes(page));
    }

    private void resolve(HttpExchange ex, String repoId, String rev, String file) throws IOException {
        Repo repo = repos.get(repoId);
        String commit = repo == null ? null : repo.refs().getOrDefault(rev, repo.refs().containsValue(rev) ? rev : null);
        byte[] content = repo == null || commit == null ? null : repo.files().get(file);
        if (content == null) {
            error(ex, 404, repo == null ? "RepoNotFound" : commit == null ? "RevisionNotFound" : "EntryNotFound", "not found");
            return;
        }
        Headers h = ex.getResponseHeaders();
        h.set("X-Repo-Commit", commit);
        if (isLfs(file)) {
            String sha = sha256(content);
            h.set("X-Linked-Etag", '"' + sha + '"');
            h.set("X-Linked-Size", Long.toString(content.length));
            h.set("ETag", '"' + gitBlobId(lfsPointer(file, content)) + '"');
            h.set("Location", "http://127.0.0.2:" + cdn.getAddress().getPort() + "/blobs/" + sha + "?signature=secret");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        h.set("ETag", '"' + gitBlobId(content) + '"');
        body(ex, "resolve/" + file, file, content, 0);
    }

    /** Serves content (or the requested Range of it), applying any scripted cut or stall. */
    private void body(HttpExchange ex, String route, String file, byte[] content, long chunkDelayMillis) throws IOException {
        if (file.equals(corruptedFile)) {
            content = content.clone();
            content[content.length / 2] ^= 0x5a;
        }
        Fault fault = nextFault(route, Cut.class, Stall.class);
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = 0;
        if (range != null) {
            Matcher r = Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (!r.matches()) throw new IllegalStateException("unexpected Range " + range);
            start = Integer.parseInt(r.group(1));
            if (start >= content.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        ex.getResponseHeaders().set("Content-Length", Integer.toString(content.length - start));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(range != null ? 206 : 200, head ? -1 : content.length - start);
        if (head) return;
        long stop = fault instanceof Cut c ? c.afterBytes() : fault instanceof Stall s ? s.afterBytes() : Long.MAX_VALUE;
        OutputStream out = ex.getResponseBody();
        for (int at = start; at < content.length; ) {
            int n = (int) Math.min(Math.min(64 << 10, content.length - at), stop - (at - start));
            if (n <= 0) break;
            out.write(content, at, n);
            out.flush();
            at += n;
            sleep(chunkDelayMillis);
        }
        if (fault instanceof Stall s) sleep(s.millis());
        // A body short of its Content-Length: closing now drops the connection mid-body.
    }

    /** Logs the request and answers it with a scripted status if one is queued; false if it did. */
    private boolean record(HttpExchange ex, String server, String route) throws IOException {
        Headers h = ex.getRequestHeaders();
        seen.add(new Seen(server, ex.getRequestMethod(), route, h.getFirst("Authorization"), h.getFirst("Range")));
        Fault fault = nextFault(route, Status.class);
        if (fault instanceof Status s) {
            s.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            send(ex, s.code(), ("{\"error\":\"scripted " + s.code() + "\"}").getBytes(StandardCharsets.UTF_8));
            return false;
        }
        return true;
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (requiredToken == null || ("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) return true;
        error(ex, 401, null, "Invalid credentials in Authorization header");
        return false;
    }

    @SafeVarargs
    private Fault nextFault(String route, Class<? extends Fault>... kinds) {
        Deque<Fault> queue = faults.get(route);
        if (queue == null) return null;
        synchronized (queue) {
            Fault head = queue.peek();
            for (Class<? extends Fault> kind : kinds) if (kind.isInstance(head)) return queue.poll();
            return null;
        }
    }

    private void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) ex.getResponseHeaders().set("X-Error-Code", code);
        ex.getResponseHeaders().set("X-Error-Message", message);
        send(ex, status, ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) ex.getResponseBody().write(body);
    }

    private String fileWithSha(String sha) {
        for (Repo r : repos.values()) {
            for (Map.Entry<String, byte[]> f : r.files().entrySet()) if (isLfs(f.getKey()) && sha256(f.getValue()).equals(sha)) return f.getKey();
        }
        return "?";
    }

    /** Git stores an LFS file as this pointer; its blob id is what the listing's "oid" gives. */
    private static byte[] lfsPointer(String path, byte[] content) {
        if (!isLfs(path)) return content;
        return ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(content) + "\nsize " + content.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] content) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            d.update(prefix);
            return HexFormat.of().formatHex(d.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }
}
