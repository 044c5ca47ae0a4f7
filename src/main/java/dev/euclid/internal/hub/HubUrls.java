package dev.euclid.internal.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The hub's URL layout, as huggingface_hub builds it (revision quoted whole, file paths keep their '/'). */
final class HubUrls {
    private HubUrls() {}

    /** {@code /api/models/{repo}/revision/{rev}}: the commit a branch or tag points at. */
    static URI revision(URI endpoint, HubModelId id) {
        return URI.create(endpoint + "/api/models/" + id.repo() + "/revision/" + quote(id.revision(), false));
    }

    /** {@code /api/models/{repo}/tree/{commit}}: every file of the commit, paginated. */
    static URI tree(URI endpoint, HubModelId id, String commit) {
        return URI.create(endpoint + "/api/models/" + id.repo() + "/tree/" + quote(commit, false) + "?recursive=true");
    }

    /** {@code /{repo}/resolve/{commit}/{path}}: a file's content (often a redirect to a CDN). */
    static URI resolve(URI endpoint, HubModelId id, String commit, String path) {
        return URI.create(endpoint + "/" + id.repo() + "/resolve/" + quote(commit, false) + "/" + quote(path, true));
    }

    /** Percent-encodes all but RFC 3986's unreserved characters (and '/' where it separates path segments). */
    static String quote(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
            if (plain) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return out.toString();
    }
}
