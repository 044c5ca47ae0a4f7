package dev.euclid.cli.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;

/**
 * The llama.cpp side of {@code euclid bench --compare}, run in a child JVM by {@link LlamaCppRunner}:
 * loads one GGUF file through de.kherud:llama, runs one warm-up and {@code runs} measured
 * generations of a fixed token-id prompt, prints one result line on stdout and halts the VM.
 *
 * <p>Halting is the point of the separate JVM: de.kherud's model leaves a non-daemon native server
 * thread running after {@code close()}, so a JVM that loaded it would never exit by itself.
 *
 * <p>Arguments: {@code GGUF THREADS PROMPT_TOKENS GEN_TOKENS RUNS VOCAB}. Output lines:
 * {@value #PROGRESS} after each generation, then {@value #RESULT} followed by JSON with the
 * wall-clock times the Java side saw for each measured run (time to the first streamed piece,
 * time to the last one, pieces). llama.cpp prints its own per-request timings to stderr; the
 * parent reads those (see {@link LlamaCppRunner}).
 */
public final class LlamaCppProbe {
    static final String PROGRESS = "llama.cpp-progress";
    static final String RESULT = "llama.cpp-result ";
    static final String ERROR = "llama.cpp-error ";

    private LlamaCppProbe() {}

    public static void main(String[] args) {
        report(() -> measure(args));
    }

    /**
     * Prints a child probe's result line (or its error line) and halts the JVM at once: llama.cpp's
     * native threads must not keep the child alive, and its exit handlers are not needed.
     */
    static void report(java.util.concurrent.Callable<String> measure) {
        int status = 0;
        try {
            System.out.println(RESULT + measure.call());
        } catch (Throwable t) {
            System.out.println(ERROR + String.valueOf(t).replace('\n', ' '));
            status = 1;
        }
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }

    /** The arguments every probe takes first: GGUF THREADS PROMPT_TOKENS GEN_TOKENS RUNS VOCAB. */
    record Args(String gguf, int threads, int promptTokens, int genTokens, int runs, int vocab) {
        /** Parses them from {@code args}, which must hold exactly {@code extra} more (named in {@code usage}). */
        static Args parse(String[] args, int extra, String usage) {
            if (args.length != 6 + extra) {
                throw new IllegalArgumentException("usage: GGUF THREADS PROMPT_TOKENS GEN_TOKENS RUNS VOCAB" + usage);
            }
            return new Args(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        }
    }

    private static String measure(String[] arguments) throws ReflectiveOperationException {
        Args a = Args.parse(arguments, 0, "");
        String gguf = a.gguf();
        int threads = a.threads(), promptTokens = a.promptTokens(), genTokens = a.genTokens(), runs = a.runs(), vocab = a.vocab();
        int ctx = Math.max(512, promptTokens + genTokens + 16);
        LlamaModel model = new LlamaModel(new ModelParameters()
                .setModel(gguf)
                .setThreads(threads) // decode
                .setThreadsBatch(threads) // prompt processing
                .setCtxSize(ctx)
                .setParallel(1));
        InferenceParameters request = new InferenceParameters("")
                .setNPredict(genTokens)
                .setIgnoreEos(true) // never stop early, as Euclid's empty stop list
                .setTemperature(0f)
                .setTopK(1) // greedy, with the cheapest sampler chain
                .setCachePrompt(false); // every run processes the whole prompt, as Euclid's does
        setPromptTokens(request, BenchFiles.promptTokens(promptTokens, vocab));

        StringBuilder json = new StringBuilder("{\"runs\":[");
        for (int run = 0; run <= runs; run++) {
            long start = System.nanoTime(), first = -1, last = -1;
            int pieces = 0;
            for (LlamaOutput out : model.generate(request)) {
                long now = System.nanoTime();
                if (out.text.isEmpty()) continue; // the final stop message carries no token
                if (first < 0) first = now;
                last = now;
                pieces++;
            }
            if (run > 0) {
                if (run > 1) json.append(',');
                json.append(String.format(Locale.ROOT, "{\"first_ms\":%.3f,\"last_ms\":%.3f,\"pieces\":%d}",
                        (first - start) / 1e6, (last - start) / 1e6, pieces));
            }
            System.out.println(PROGRESS);
            System.out.flush();
        }
        return json.append("]}").toString();
    }

    /**
     * Sets the prompt to token ids. llama.cpp's server accepts a JSON array of ids as the prompt
     * (used as is: no BOS added, no tokenizer involved), but de.kherud's builder only takes text,
     * so this writes the raw JSON value into its (package-private) parameter map.
     */
    @SuppressWarnings("unchecked")
    public static void setPromptTokens(InferenceParameters request, int[] ids) throws ReflectiveOperationException {
        Field f = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
        f.setAccessible(true);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) array.append(i == 0 ? "" : ",").append(ids[i]);
        ((Map<String, String>) f.get(request)).put("prompt", array.append(']').toString());
    }
}
