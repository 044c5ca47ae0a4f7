package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one benchmark configuration measured (medians over its runs).
 *
 * @param weightBytesPerToken bytes of weights one decode step reads
 * @param memoryBandwidth this machine's measured read bandwidth in bytes/s at the same thread
 *     count, or 0 when not measured
 */
public record BenchResult(BenchSettings settings, String engine, double prefillTokensPerSecond,
        double decodeTokensPerSecond, long weightBytesPerToken, double memoryBandwidth) {

    /** Weight bytes read per second while decoding. */
    public double decodeBandwidth() {
        return weightBytesPerToken * decodeTokensPerSecond;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("engine", engine);
        o.put("model", settings.model());
        o.put("weights", settings.weights().wireName());
        o.put("threads", settings.threads());
        o.put("batch", settings.batch());
        o.put("prompt_tokens", settings.promptTokens());
        o.put("gen_tokens", settings.genTokens());
        o.put("runs", settings.runs());
        o.put("prefill_tokens_per_s", prefillTokensPerSecond);
        o.put("decode_tokens_per_s", decodeTokensPerSecond);
        if (weightBytesPerToken > 0) {
            o.put("weight_bytes_per_token", weightBytesPerToken);
            o.put("decode_bandwidth_bytes_per_s", decodeBandwidth());
        }
        if (memoryBandwidth > 0) {
            o.put("memory_read_bandwidth_bytes_per_s", memoryBandwidth);
            o.put("decode_bandwidth_fraction", decodeBandwidth() / memoryBandwidth);
        }
        return o;
    }
}
