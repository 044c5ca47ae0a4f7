package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Activations;
import dev.euclid.Engine;
import dev.euclid.EngineBuilder;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.TeacherForcedComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Perplexity of a text under the model in the chosen precision, and how closely it follows the"
                + " same model in FP32 (teacher-forced top-1 agreement and KL divergence), like llama.cpp's perplexity"
                + " tool with --kl-divergence.")
final class QualityCommand implements Callable<Integer> {
    @Mixin EngineArgs engineArgs;

    @Mixin KvArgs kv;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "UTF-8 text to score, all of it")
    Path textFile;

    @Option(names = "--context", defaultValue = "512", paramLabel = "N",
            description = "Tokens per window: the text is scored in windows of at most N tokens (and the model's"
                    + " context), each after a fresh start (default ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        if (context < 2) throw new UsageException("--context must be >= 2, got " + context);
        Path path = ModelArgument.resolve(engineArgs.model);
        if (EngineBuilder.isEngineFile(path)) {
            throw new UsageException("--model " + path + " is an engine file; quality compares a precision against the"
                    + " checkpoint in FP32, so it needs the checkpoint (and --weights)");
        }
        Precision weights = ModelArgument.weights(path, engineArgs.weights);
        String text = TextFile.text("--text-file", textFile);
        TeacherForcedComparison c;
        int windows;
        try (Engine reference = ModelArgument.open(path, engineArgs.tokenizer, engineArgs.threads, Precision.FP32,
                        Activations.FP32, engineArgs.device, KvOptions.defaults(), 4, false);
                Engine candidate = ModelArgument.open(path, engineArgs.tokenizer, engineArgs.threads, weights,
                        engineArgs.activations, engineArgs.device, kv.options(), 4, false)) {
            List<int[]> sequences = windows(candidate, text, Math.min(context, candidate.info().contextLength()));
            if (sequences.isEmpty()) {
                throw new IllegalStateException("--text-file " + textFile + " holds fewer than 2 tokens: nothing to score");
            }
            windows = sequences.size();
            c = TeacherForcedComparison.of(reference, candidate, sequences);
        }
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("perplexity", c.perplexity());
            root.put("perplexity_fp32", c.referencePerplexity());
            root.put("top1_agreement", c.top1Agreement());
            root.put("kl_divergence", c.klDivergence());
            root.put("tokens_scored", c.positions());
            root.put("windows", windows);
            root.put("weights", weights.wireName());
            root.put("activations", engineArgs.activations.wireName());
            root.put("kv_dtype", kv.type.name().toLowerCase(java.util.Locale.ROOT));
            System.out.println(root);
        } else {
            System.out.printf("perplexity %.4f (fp32 %.4f), top-1 agreement %.4f, KL divergence %.6f nats"
                    + " over %d tokens in %d windows (%s weights, %s activations)%n", c.perplexity(), c.referencePerplexity(),
                    c.top1Agreement(), c.klDivergence(), c.positions(), windows, weights.wireName(),
                    engineArgs.activations.wireName());
        }
        return ExitCode.OK;
    }

    /**
     * The text's tokens in windows of at most n: the first as the tokenizer encodes the text, each
     * later one after what the tokenizer puts before a text (BOS, where the model has one).
     */
    static List<int[]> windows(Engine engine, String text, int n) {
        int[] ids = engine.tokenizer().encode(text);
        int[] start = engine.tokenizer().encode("");
        List<int[]> out = new ArrayList<>();
        int at = Math.min(n, ids.length);
        if (at >= 2) out.add(Arrays.copyOf(ids, at));
        while (at < ids.length) {
            int take = Math.min(n - start.length, ids.length - at);
            int[] w = Arrays.copyOf(start, start.length + take);
            System.arraycopy(ids, at, w, start.length, take);
            if (w.length >= 2) out.add(w);
            at += take;
        }
        return out;
    }
}
