package dev.euclid.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.HubException;
import dev.euclid.HubOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@code hf:} id into a local path the engine opens, the way huggingface_hub's
 * snapshot_download does: the revision's commit ({@code /api/models/{repo}/revision/{rev}}), the
 * commit's files ({@code /tree/}), then each file the engine needs into the shared cache; offline
 * (or with the hub unreachable) from the cache alone, if it holds every one of those files.
 */
public final class HubResolver {
    private static final Logger LOG = LoggerFactory.getLogger(HubResolver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubModelId id;
    private final HubOptions options;
    private final HubCache cache;

    private HubResolver(HubModelId id, HubOptions options) {
        this.id = id;
        this.options = options;
        this.cache = new HubCache(options.cacheDir(), id);
    }

    /** The snapshot folder (safetensors) or the GGUF file of {@code id}, every needed file in place. */
    public static Path resolve(HubModelId id, HubOptions options) {
        HubResolver resolver = new HubResolver(id, options);
        try {
            if (options.offline()) return resolver.fromCache("HF_HUB_OFFLINE is set");
            // A commit never changes, so a complete snapshot of one needs no look-up.
            if (id.revisionIsCommit() && resolver.cachedCompletely()) return resolver.fromCache("");
            return resolver.download();
        } catch (IOException | UncheckedIOException e) {
            throw new HubException(id + ": cache " + options.cacheDir() + ": " + e.getMessage(), e);
        }
    }

    private Path download() throws IOException {
        HubHttp http = new HubHttp(options);
        String commit;
        try {
            commit = id.revisionIsCommit() ? id.revision() : lookUpCommit(http);
        } catch (UnreachableHubException e) {
            try {
                Path cached = fromCache("the hub is unreachable");
                LOG.warn("{}: the hub is unreachable ({}); using the cached snapshot {}", id, e.getMessage(), cached);
                return cached;
            } catch (HubException notCached) {
                e.addSuppressed(notCached);
                throw e;
            }
        }
        String where = id + " (commit " + commit + ")";
        Map<String, RepoFile> files = RepoTree.list(http, options.endpoint(), id, commit);
        EngineFiles.Selection selection = EngineFiles.select(files.keySet(), id.ggufPattern(), where);
        for (String path : selection.files()) fetch(http, commit, files.get(path));
        if (selection.weightIndex() != null) {
            for (String shard : EngineFiles.shards(cache.pointer(commit, selection.weightIndex()), where)) {
                RepoFile file = files.get(shard);
                if (file == null) throw new HubException(where + ": " + selection.weightIndex() + " names shard " + shard + ", which the repository lacks");
                fetch(http, commit, file);
            }
        }
        // Last, so that a ref never points at a commit whose files are not all there.
        cache.writeRef(id.revision(), commit);
        return selection.gguf() != null ? cache.pointer(commit, selection.gguf()) : cache.snapshot(commit);
    }

    private String lookUpCommit(HubHttp http) {
        String subject = id + " (revision look-up)";
        HubHttp.Text text = http.getText(HubUrls.revision(options.endpoint(), id), subject);
        String sha;
        try {
            JsonNode info = JSON.readTree(text.body());
            sha = info == null ? "" : info.path("sha").asText("");
        } catch (IOException e) {
            throw new HubException(subject + ": the hub's answer is not JSON: " + e.getMessage(), e);
        }
        if (!HubModelId.isCommit(sha)) throw new HubException(subject + ": the hub's answer has no commit hash in \"sha\" (got '" + sha + "')");
        return sha;
    }

    private void fetch(HubHttp http, String commit, RepoFile file) throws IOException {
        String subject = id.repo() + "/" + file.path() + " (commit " + commit + ")";
        BlobDownload.ensure(http, cache, file, HubUrls.resolve(options.endpoint(), id, commit, file.path()), subject,
                options.progress(), options.maxRetries());
        cache.link(commit, file.path(), file.etag());
    }

    private boolean cachedCompletely() throws IOException {
        try {
            fromCache("");
            return true;
        } catch (HubException notYet) {
            return false;
        }
    }

    /** What the cache holds for the id, if it holds every file the engine needs; {@code reason} says why only the cache. */
    private Path fromCache(String reason) throws IOException {
        String why = reason.isEmpty() ? "" : " (" + reason + ", so nothing is downloaded)";
        String commit = id.revisionIsCommit() ? id.revision() : cache.readRef(id.revision());
        if (commit == null) {
            throw new HubException(id + ": not in the cache " + options.cacheDir() + ": no " + cache.ref(id.revision()) + why);
        }
        Path snapshot = cache.snapshot(commit);
        if (!Files.isDirectory(snapshot)) throw new HubException(id + ": not in the cache: no snapshot " + snapshot + why);
        Set<String> present = presentFiles(snapshot);
        String where = "the cached snapshot " + snapshot + " of " + id;
        EngineFiles.Selection selection;
        try {
            selection = EngineFiles.select(present, id.ggufPattern(), where);
        } catch (HubException e) {
            throw new HubException(e.getMessage() + why, e);
        }
        if (selection.weightIndex() != null) {
            List<String> missing = EngineFiles.shards(snapshot.resolve(selection.weightIndex()), where).stream()
                    .filter(shard -> !present.contains(shard)).toList();
            if (!missing.isEmpty()) throw new HubException(where + " lacks the shards " + String.join(", ", missing) + why);
        }
        return selection.gguf() != null ? snapshot.resolve(selection.gguf()) : snapshot;
    }

    /** Paths (with '/') of the snapshot's entries that lead to a file: a link whose blob is gone does not count. */
    private static Set<String> presentFiles(Path snapshot) throws IOException {
        try (Stream<Path> entries = Files.walk(snapshot)) {
            return entries.filter(Files::isRegularFile)
                    .map(p -> snapshot.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .collect(Collectors.toSet());
        }
    }
}
