package dev.euclid.server;

import dev.euclid.EngineMetrics;
import dev.euclid.KvStats;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** {@code GET /metrics}: the server's and the engine's figures in the Prometheus text format (0.0.4). */
final class PrometheusText {
    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {}

    /** {@code engine} is null while the model is still loading. */
    static String render(ServerMetrics server, Admission admission, EngineMetrics engine) {
        PrometheusText t = new PrometheusText();
        t.header("euclid_http_requests_total", "counter", "HTTP responses by endpoint and status code");
        for (Map.Entry<ServerMetrics.Key, LongAdder> e : server.requests.entrySet()) {
            t.sample("euclid_http_requests_total{endpoint=\"" + e.getKey().endpoint() + "\",code=\"" + e.getKey().code()
                    + "\"}", e.getValue().sum());
        }
        t.gauge("euclid_requests_running", "generation requests submitted to the engine", admission.running());
        t.gauge("euclid_requests_waiting", "generation requests waiting for a place (see --max-concurrent)",
                admission.waiting());
        t.counter("euclid_prompt_tokens_total", "prompt tokens of finished requests", server.promptTokens.sum());
        t.counter("euclid_completion_tokens_total", "generated tokens of finished requests", server.completionTokens.sum());
        t.counter("euclid_client_disconnects_total", "streams whose client went away; their requests were cancelled",
                server.disconnects.sum());
        t.gauge("euclid_prefill_tokens_per_second", "prompt tokens per second (time to first token), recent average",
                server.prefillTokensPerSecond());
        t.histogram("euclid_time_to_first_token_seconds", "from the request's arrival to its first token",
                server.timeToFirstToken);
        t.histogram("euclid_inter_token_latency_seconds", "between consecutive tokens of one choice",
                server.interTokenLatency);
        t.histogram("euclid_request_duration_seconds", "from arrival to the last token of a generation request",
                server.requestDuration);
        t.gauge("euclid_model_loaded", "1 once the model is loaded and requests are served", engine == null ? 0 : 1);
        if (engine != null) engine(t, engine);
        return t.out.toString();
    }

    private static void engine(PrometheusText t, EngineMetrics m) {
        KvStats kv = m.kv();
        t.gauge("euclid_engine_queued_requests", "requests in the engine waiting to start (KV blocks or a step)",
                m.queuedRequests());
        t.gauge("euclid_engine_running_sequences", "samples holding KV blocks now", m.runningSequences());
        t.counter("euclid_engine_steps_total", "forward passes", m.steps());
        t.counter("euclid_engine_generated_tokens_total", "tokens sampled by the engine", m.generatedTokens());
        t.gauge("euclid_decode_tokens_per_second", "generated tokens per second over recent steps",
                m.recentTokensPerSecond());
        t.gauge("euclid_step_seconds_mean", "mean wall time of an engine step", m.meanStepMillis() / 1e3);
        t.header("euclid_kv_blocks", "gauge", "KV cache blocks by state");
        t.sample("euclid_kv_blocks{state=\"used\"}", kv.usedBlocks());
        t.sample("euclid_kv_blocks{state=\"cached\"}", kv.cachedBlocks());
        t.sample("euclid_kv_blocks{state=\"free\"}", kv.freeBlocks());
        t.gauge("euclid_kv_blocks_total", "KV cache blocks in the pool", kv.totalBlocks());
        t.gauge("euclid_kv_block_tokens", "positions per KV block", kv.blockTokens());
        t.counter("euclid_prefix_cache_hit_tokens_total", "prompt tokens found in the prefix cache", kv.prefixHitTokens());
        t.counter("euclid_prefix_cache_miss_tokens_total", "prompt tokens computed", kv.prefixMissTokens());
        t.counter("euclid_preemptions_total", "requests preempted for KV blocks (recomputed later)", m.preemptions());
        t.gauge("euclid_speculative_tokens_per_step", "tokens gained per verification step (0: no drafts verified)",
                m.meanTokensPerVerification());
    }

    private void histogram(String name, String help, Histogram h) {
        header(name, "histogram", help);
        for (int i = 0; i < h.bounds.length; i++) {
            sample(name + "_bucket{le=\"" + number(h.bounds[i]) + "\"}", h.cumulative(i));
        }
        long count = h.count();
        sample(name + "_bucket{le=\"+Inf\"}", count);
        sample(name + "_sum", h.sum());
        sample(name + "_count", count);
    }

    private void gauge(String name, String help, double value) {
        header(name, "gauge", help);
        sample(name, value);
    }

    private void counter(String name, String help, double value) {
        header(name, "counter", help);
        sample(name, value);
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String series, double value) {
        out.append(series).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
