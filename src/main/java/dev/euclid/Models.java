package dev.euclid;

import dev.euclid.internal.hub.HubModelId;
import dev.euclid.internal.hub.HubResolver;
import java.nio.file.Path;

/**
 * Model ids to local paths for {@link Engine#open(Path)}: {@code hf:ORG/NAME[@REVISION][#PATTERN]}
 * is fetched from the Hugging Face hub into huggingface_hub's cache (shared with Python tools: what
 * either downloaded, the other reuses); anything else is a local path.
 *
 * <p>Without {@code #PATTERN} the id names a safetensors model and resolves to its snapshot folder,
 * holding config.json, tokenizer.json, the weights (model.safetensors, or the index and every
 * shard it names) and, where the repository has them, generation_config.json,
 * tokenizer_config.json, special_tokens_map.json and chat_template.jinja; nothing else is
 * downloaded. With it, the id names the one GGUF file whose path matches the pattern ({@code *}
 * matches any characters, '/' included; {@code ?} one; {@code [..]} a set), e.g.
 * {@code hf:ORG/NAME-GGUF#*Q8_0.gguf}, and resolves to that file. The
 * revision (branch, tag or commit hash) defaults to {@code main}.
 */
public final class Models {
    public static final String HUB_PREFIX = HubModelId.PREFIX;

    private Models() {}

    /** Whether {@code model} is a hub id ({@code hf:...}) rather than a path. */
    public static boolean isHubId(String model) {
        return HubModelId.isHubId(model);
    }

    /** {@link #resolve(String, HubOptions)} with the settings of the environment ({@link HubOptions#fromEnvironment()}). */
    public static Path resolve(String model) {
        return isHubId(model) ? resolve(model, HubOptions.fromEnvironment()) : Path.of(model);
    }

    /**
     * The local path of {@code model}, downloading what the cache lacks. Blocks until every file is
     * in place and verified against the hub's checksums; a download cut off midway resumes on the
     * next call, and concurrent callers (threads or processes sharing the cache) wait for each
     * other rather than fetch a file twice.
     *
     * @throws HubException the hub refused (401/403: private, gated or missing, see HF_TOKEN; 404),
     *     stayed unreachable or overloaded through every retry, sent bytes that do not match the
     *     checksum, or (offline) the cache lacks a file; the message names the file and revision
     * @throws IllegalArgumentException {@code model} is an {@code hf:} id that does not parse
     */
    public static Path resolve(String model, HubOptions options) {
        if (!isHubId(model)) return Path.of(model);
        return HubResolver.resolve(HubModelId.parse(model), options);
    }
}
