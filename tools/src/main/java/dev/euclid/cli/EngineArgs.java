package dev.euclid.cli;

import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.Engine;
import dev.euclid.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that open a model (--model, --tokenizer, --threads, --weights, --activations, --device, --mmap), shared by the commands that run one. */
final class EngineArgs {
    static final String DEVICE_HELP = "Where the forward pass runs: cpu (default), cuda or cuda:N (that GPU, or an error saying why"
            + " it cannot be used), auto (CUDA device 0 when usable, else the CPU; -Deuclid.log=info shows why)";

    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "Engine file, llama2.c checkpoint, Hugging Face folder, GGUF file, hf:ORG/NAME[@REV][#GGUF-PATTERN] (from the Hugging Face hub), or synthetic:SHAPE (${sys:euclid.shapes})")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "llama2.c tokenizer file (default: beside the checkpoint)")
    Path tokenizer;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "T", description = "Kernel threads; 0 = all cores")
    int threads;

    /** --weights, here and on bench. */
    static final String WEIGHTS_HELP = "Precision a checkpoint is converted to when opened: fp32, bf16, fp16, fp8, int8,"
            + " nvfp4, mxfp4, mxfp8, q4_0, q4_1 (default: the checkpoint's own; a quantised GGUF file its nearest format,"
            + " e.g. q4_1 for Q4_K_M, int8 for Q8_0; float checkpoints fp32); not for engine files, which keep theirs";

    @Option(names = "--weights", paramLabel = "P", description = WEIGHTS_HELP)
    Precision weights;

    /** --activations, here and on bench. */
    static final String ACTIVATIONS_HELP = "How matrix products take their input: fp32 (default), int8 (quantised per"
            + " token in 32-blocks; int8 dot products with int8, q4_0, q4_1, nvfp4 and mxfp4 weights, and with fp8"
            + " on AVX2 and AVX-512 CPUs: faster prefill, batches and 4-bit decode) or bf16 (rounded; BF16 dot"
            + " products with bf16, fp8, mxfp8 and fp16 weights where the CPU has AVX-512 BF16)";

    @Option(names = "--activations", defaultValue = "fp32", paramLabel = "A", description = ACTIVATIONS_HELP)
    Activations activations;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = DEVICE_HELP)
    Device device;

    @Option(names = "--mmap", description = "Read an engine file's weights from its memory mapping (opens at once, pages"
            + " shared with other processes) instead of a private copy in huge pages (faster decode)")
    boolean mappedWeights;

    /** Resolves --model (hub, synthetic), opens it with the KV and speculation options, and loads --drafter. */
    Engine open(KvArgs kv, SpeculationArgs speculation) {
        Path path = ModelArgument.resolve(model);
        Engine engine = ModelArgument.open(path, tokenizer, threads, ModelArgument.weights(path, weights), activations,
                device, kv.options(), speculation.speculativeStepTokens, mappedWeights);
        try {
            if (speculation.drafter != null) engine.loadDrafter(speculation.drafter);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }
}
