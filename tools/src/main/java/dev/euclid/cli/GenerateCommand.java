package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineMetrics;
import dev.euclid.Generation;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.Sampling;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt; streams the text, or prints one JSON object with --json.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Prompt text; \"\" means BOS only")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N", description = "Most tokens to generate (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "0 = greedy (default ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Keep the k most likely tokens; 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus threshold in (0, 1]; 1 = off")
    float topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (same seed, same tokens)")
    long seed;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
            description = "Samples of the prompt (sample i uses seed + i), decoded together; they share the prompt's KV")
    int samples;

    @Mixin EngineArgs engineArgs;

    @Mixin KvArgs kv;

    @Mixin SpeculationArgs speculation;

    @Option(names = "--json", description = "Print one JSON object instead of streaming text")
    boolean json;

    @Override
    public Integer call() {
        Sampling sampling = Sampling.builder().temperature(temperature).topK(topK).topP(topP).seed(seed).build();
        Request request = Request.builder().prompt(prompt).maxTokens(maxTokens).sampling(sampling).samples(samples)
                .speculation(speculation.speculation()).build();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Engine engine = engineArgs.open(kv, speculation)) {
            // JSON and text run the same request: every sample in the same batched steps.
            if (json) {
                out.println(toJson(engine.generateAll(request), engine.metrics()));
                return ExitCode.OK;
            }
            // One sample streams as it is generated; several decode together and are printed when all end.
            StringBuilder streamed = new StringBuilder();
            Generation g = engine.generateAll(request, samples > 1 ? null : e -> {
                out.print(e.text());
                streamed.append(e.text());
            });
            for (int i = 0; i < g.samples().size(); i++) {
                Completion c = g.samples().get(i);
                // The decoder holds back an unfinished character until the end: the text may have a tail not streamed.
                if (samples > 1) out.printf("%n--- sample %d ---%n%s%n", i, c.text());
                else out.println(c.text().substring(streamed.length()));
                System.err.printf("[%s%d prompt tokens, %.1f tok/s prefill; %d tokens, %.1f tok/s decode; finish: %s]%n",
                        samples > 1 ? "sample " + i + ": " : "", c.timings().prefillTokens(),
                        c.timings().prefillTokensPerSecond(), c.tokenIds().length, c.timings().decodeTokensPerSecond(),
                        c.finishReason().wireName());
            }
        }
        return ExitCode.OK;
    }

    /** One object; with several samples, their results are in "samples" (the single-sample fields stay top level). */
    static String toJson(Generation g, EngineMetrics metrics) {
        KvStats kv = metrics.kv();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.putPOJO("prompt_token_ids", g.promptTokenIds());
        if (g.samples().size() == 1) {
            completion(root, g.samples().get(0));
        } else {
            ArrayNode all = root.putArray("samples");
            for (Completion c : g.samples()) completion(all.addObject(), c);
        }
        ObjectNode k = root.putObject("kv");
        k.put("blocks_total", kv.totalBlocks());
        k.put("peak_blocks_used", kv.peakUsedBlocks());
        k.put("bytes_per_token", kv.bytesPerToken());
        k.put("prefix_hit_tokens", kv.prefixHitTokens());
        if (metrics.meanTokensPerVerification() > 0) {
            root.put("mean_accepted_tokens_per_step", metrics.meanTokensPerVerification());
        }
        return root.toString();
    }

    private static void completion(ObjectNode root, Completion c) {
        root.putPOJO("token_ids", c.tokenIds());
        root.put("text", c.text());
        root.put("finish_reason", c.finishReason().wireName());
        ObjectNode t = root.putObject("timings");
        t.put("prefill_tokens", c.timings().prefillTokens());
        t.put("prefill_ms", c.timings().prefillNanos() / 1e6);
        t.put("prefill_tokens_per_s", c.timings().prefillTokensPerSecond());
        t.put("decode_tokens", c.timings().decodeTokens());
        t.put("decode_ms", c.timings().decodeNanos() / 1e6);
        t.put("decode_tokens_per_s", c.timings().decodeTokensPerSecond());
    }
}
