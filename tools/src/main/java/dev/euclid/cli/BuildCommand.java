package dev.euclid.cli;

import dev.euclid.EngineBuilder;
import dev.euclid.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Convert a checkpoint into an engine file (weights in the chosen precision, tokenizer included).")
final class BuildCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "PATH", description = "Checkpoint, or synthetic:SHAPE")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "llama2.c tokenizer file (default: beside the checkpoint)")
    Path tokenizer;

    @Option(names = "--weights", paramLabel = "P", description = "fp32, bf16, fp16, fp8, int8, nvfp4, mxfp4, mxfp8, q4_0 or q4_1"
            + " (default: a quantised GGUF file's nearest format, e.g. q4_1 for Q4_K_M; fp16 for float checkpoints)")
    Precision weights;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Engine file to write (e.g. model.euclid), in a folder that exists")
    Path out;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "T", description = "Threads for conversion; 0 = all cores")
    int threads;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        EngineBuilder builder = EngineBuilder.from(ModelArgument.resolve(model)).tokenizer(tokenizer).threads(threads);
        if (weights != null) builder.weights(weights);
        builder.build(OutputPaths.inExistingFolder("--out", out));
        System.err.printf("wrote %s (%,d bytes) in %.1f s%n", out, Files.size(out), (System.nanoTime() - start) / 1e9);
        return ExitCode.OK;
    }
}
