package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.EngineMetrics;
import dev.euclid.KvStats;

/**
 * What one benchmark configuration measured (medians over its runs). With several sequences
 * (batch, samples) the decode rate is the aggregate over all of them, and the per-sequence rate is
 * what each one saw.
 *
 * @param weightBytesPerToken bytes of weights one decode step reads
 * @param memoryBandwidth this machine's measured read bandwidth in bytes/s at the same thread
 *     count, or 0 when not measured
 * @param metrics the engine after the runs (KV peak use, speculation), or null for other engines
 */
public record BenchResult(BenchSettings settings, String engine, double prefillTokensPerSecond,
        double decodeTokensPerSecond, double perSequenceDecodeTokensPerSecond, long weightBytesPerToken,
        double memoryBandwidth, EngineMetrics metrics) {

    public BenchResult withMemoryBandwidth(double bytesPerSecond) {
        return new BenchResult(settings, engine, prefillTokensPerSecond, decodeTokensPerSecond,
                perSequenceDecodeTokensPerSecond, weightBytesPerToken, bytesPerSecond, metrics);
    }

    /** Weight bytes read per second while decoding: one weight pass per step, and a step gives each sequence one token. */
    public double decodeBandwidth() {
        return weightBytesPerToken * perSequenceDecodeTokensPerSecond;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("engine", engine);
        o.put("model", settings.model());
        o.put("weights", settings.weights().wireName());
        o.put("activations", settings.activations().wireName());
        o.put("threads", settings.threads());
        o.put("device", settings.device().toString());
        o.put("batch", settings.batch());
        o.put("prompt_tokens", settings.promptTokens());
        o.put("gen_tokens", settings.genTokens());
        o.put("runs", settings.runs());
        o.put("samples", settings.samples());
        o.put("prefill_tokens_per_s", prefillTokensPerSecond);
        o.put("decode_tokens_per_s", decodeTokensPerSecond);
        o.put("per_sequence_decode_tokens_per_s", perSequenceDecodeTokensPerSecond);
        if (weightBytesPerToken > 0) {
            o.put("weight_bytes_per_token", weightBytesPerToken);
            o.put("decode_bandwidth_bytes_per_s", decodeBandwidth());
        }
        if (memoryBandwidth > 0) {
            o.put("memory_read_bandwidth_bytes_per_s", memoryBandwidth);
            o.put("decode_bandwidth_fraction", decodeBandwidth() / memoryBandwidth);
        }
        if (metrics != null) {
            KvStats kv = metrics.kv();
            o.put("kv_dtype", settings.kv().type().name().toLowerCase(java.util.Locale.ROOT));
            o.put("kv_block_tokens", kv.blockTokens());
            o.put("kv_blocks_total", kv.totalBlocks());
            o.put("kv_blocks_used_peak", kv.peakUsedBlocks());
            o.put("kv_bytes_in_use_peak", (long) kv.peakUsedBlocks() * kv.bytesPerToken() * kv.blockTokens());
            o.put("kv_bytes_per_token", kv.bytesPerToken());
            o.put("prefix_cache_hit_tokens", kv.prefixHitTokens());
            if (settings.speculation().enabled()) {
                o.put("speculative", settings.speculation().kind().name().toLowerCase(java.util.Locale.ROOT));
                o.put("draft_tokens", settings.speculation().draftTokens());
                o.put("beams", settings.speculation().beams());
                o.put("mean_accepted_tokens_per_step", metrics.meanTokensPerVerification());
            }
        }
        return o;
    }
}
