package dev.euclid.cli;

import dev.euclid.KvOptions;
import dev.euclid.KvType;
import picocli.CommandLine.Option;

/** The KV cache options shared by generate and bench. */
final class KvArgs {
    @Option(names = "--kv-dtype", defaultValue = "fp32", description = "KV cache element type: fp32, fp16, fp8 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--kv-block-tokens", defaultValue = "16", description = "Positions per KV block (default ${DEFAULT-VALUE})")
    int blockTokens;

    @Option(names = "--kv-bytes", defaultValue = "0",
            description = "KV cache budget in bytes; 0 = one sequence of the full model context")
    long bytes;

    @Option(names = "--no-prefix-cache", description = "Do not reuse KV blocks of earlier prompts")
    boolean noPrefixCache;

    KvOptions options() {
        return new KvOptions(KvType.parse(dtype), blockTokens, bytes, !noPrefixCache);
    }
}
