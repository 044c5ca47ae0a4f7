package dev.euclid.internal.hub;

import java.util.regex.Pattern;

/**
 * A parsed {@code hf:ORG/NAME[@REVISION][#GGUF-PATTERN]}.
 *
 * @param repo the repository id, {@code ORG/NAME} (or a bare {@code NAME})
 * @param revision a branch, tag or commit hash; {@code main} when the id names none
 * @param ggufPattern null for a safetensors model; else a glob choosing the one GGUF file to fetch
 */
public record HubModelId(String repo, String revision, String ggufPattern) {
    public static final String PREFIX = "hf:";
    static final String DEFAULT_REVISION = "main";
    /** huggingface_hub's rule for repo ids (validate_repo_id), in ASCII as the hub's names are. */
    private static final Pattern REPO = Pattern.compile("([A-Za-z0-9_.\\-]+/)?[A-Za-z0-9_.\\-]+");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public static boolean isHubId(String model) {
        return model.startsWith(PREFIX);
    }

    public static HubModelId parse(String id) {
        if (!isHubId(id)) throw new IllegalArgumentException("'" + id + "' is not a hub model id (hf:ORG/NAME[@REVISION][#GGUF-PATTERN])");
        String rest = id.substring(PREFIX.length());
        String pattern = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            pattern = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
            if (pattern.isBlank()) throw new IllegalArgumentException("'" + id + "': empty GGUF file pattern after '#'");
        }
        int at = rest.indexOf('@');
        String repo = at < 0 ? rest : rest.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : rest.substring(at + 1);
        checkRepo(id, repo);
        checkRevision(id, revision);
        return new HubModelId(repo, revision, pattern);
    }

    /** The cache folder name huggingface_hub gives a model repository. */
    public String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    public boolean revisionIsCommit() {
        return isCommit(revision);
    }

    static boolean isCommit(String text) {
        return COMMIT.matcher(text).matches();
    }

    @Override
    public String toString() {
        return PREFIX + repo + "@" + revision + (ggufPattern == null ? "" : "#" + ggufPattern);
    }

    private static void checkRepo(String id, String repo) {
        if (repo.isEmpty()) throw new IllegalArgumentException("'" + id + "': no repository (expected hf:ORG/NAME)");
        boolean valid = repo.length() <= 96 && REPO.matcher(repo).matches() && !repo.contains("--") && !repo.contains("..");
        for (String part : repo.split("/")) {
            valid &= !part.startsWith("-") && !part.startsWith(".") && !part.endsWith("-") && !part.endsWith(".");
        }
        if (!valid) {
            throw new IllegalArgumentException("'" + id + "': '" + repo + "' is not a repository id (ORG/NAME of letters,"
                    + " digits, '-', '_' and '.', at most 96 characters, no '--' or '..')");
        }
    }

    /** Revisions become a URL segment and a path under refs/, so nothing may climb out of either. */
    private static void checkRevision(String id, String revision) {
        boolean valid = !revision.isEmpty() && revision.length() <= 256 && !revision.startsWith("/") && !revision.endsWith("/");
        for (String segment : revision.split("/")) {
            valid &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        valid &= revision.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\');
        if (!valid) throw new IllegalArgumentException("'" + id + "': '" + revision + "' is not a revision (a branch, tag or commit hash)");
    }
}
