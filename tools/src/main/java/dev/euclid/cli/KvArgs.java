package dev.euclid.cli;

import dev.euclid.KvOptions;
import dev.euclid.KvType;
import picocli.CommandLine.Option;

/** The KV cache options shared by generate and bench; fields are named as the KvOptions values they set. */
final class KvArgs {
    @Option(names = "--kv-dtype", defaultValue = "fp32", paramLabel = "TYPE",
            description = "KV cache element type: fp32, fp16, fp8 (default ${DEFAULT-VALUE})")
    KvType type;

    @Option(names = "--kv-block-tokens", defaultValue = "16", paramLabel = "N", description = "Positions per KV block (default ${DEFAULT-VALUE})")
    int blockTokens;

    @Option(names = "--kv-bytes", defaultValue = "0", paramLabel = "B",
            description = "KV cache budget in bytes; 0 = the default: room for 64 sequences of the full model context,"
                    + " at most a quarter of the memory available at start")
    long budgetBytes;

    @Option(names = "--no-prefix-cache", description = "Do not reuse KV blocks of earlier prompts")
    boolean noPrefixCache;

    KvOptions options() {
        return new KvOptions(type, blockTokens, budgetBytes, !noPrefixCache);
    }
}
