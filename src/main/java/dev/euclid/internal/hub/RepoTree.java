package dev.euclid.internal.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.HubException;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A commit's files, read from the hub's tree listing, page after page ({@code Link: <...>; rel="next"}). */
final class RepoTree {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]*)*)");
    private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");
    private static final int MAX_PAGES = 10_000;

    private RepoTree() {}

    /** The files by path. */
    static Map<String, RepoFile> list(HubHttp http, URI endpoint, HubModelId id, String commit) {
        String subject = id.repo() + " at commit " + commit + " (file listing)";
        Map<String, RepoFile> files = new LinkedHashMap<>();
        Set<URI> seen = new HashSet<>();
        URI page = HubUrls.tree(endpoint, id, commit);
        while (page != null) {
            if (!seen.add(page) || seen.size() > MAX_PAGES) throw new HubException(subject + ": the listing's pages loop at " + HubHttp.printable(page));
            HubHttp.Text text = http.getText(page, subject);
            parsePage(text.body(), subject, files);
            URI current = text.response().uri();
            page = text.response().headers().allValues("Link").stream().map(RepoTree::nextLink)
                    .filter(Objects::nonNull).findFirst().map(next -> HubHttp.follow(current, next, subject)).orElse(null);
        }
        return files;
    }

    /** The URL of a {@code Link} header's {@code rel="next"} entry, or null. */
    static String nextLink(String header) {
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL_NEXT.matcher(link.group(2));
            while (rel.find()) {
                for (String r : rel.group(1).trim().split("\\s+")) {
                    if (r.equalsIgnoreCase("next")) return link.group(1).trim();
                }
            }
        }
        return null;
    }

    private static void parsePage(String body, String subject, Map<String, RepoFile> files) {
        JsonNode page;
        try {
            page = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HubException(subject + ": the hub's answer is not JSON: " + e.getOriginalMessage(), e);
        }
        if (page == null || !page.isArray()) throw new HubException(subject + ": expected a JSON list of files");
        for (JsonNode entry : page) {
            if (!"file".equals(entry.path("type").asText("file")) || !entry.has("path")) continue;
            try {
                RepoFile file = toFile(entry);
                files.put(file.path(), file);
            } catch (IllegalArgumentException e) {
                throw new HubException(subject + ": bad entry " + entry + ": " + e.getMessage(), e);
            }
        }
    }

    private static RepoFile toFile(JsonNode entry) {
        JsonNode lfs = entry.get("lfs");
        if (lfs != null && lfs.isObject()) {
            return new RepoFile(entry.get("path").asText(), number(lfs, "size"), text(lfs, "oid"), true);
        }
        return new RepoFile(entry.get("path").asText(), number(entry, "size"), text(entry, "oid"), false);
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong()) throw new IllegalArgumentException("no integer \"" + field + "\"");
        return v.asLong();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("no string \"" + field + "\"");
        return v.asText();
    }
}
