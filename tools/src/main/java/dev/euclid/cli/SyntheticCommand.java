package dev.euclid.cli;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.Llama2cWriter;
import dev.euclid.synthetic.LlamaQuantize;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.SyntheticModels;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Write a random-weight model in a real shape (for benchmarks and tests).")
final class SyntheticCommand implements Callable<Integer> {
    enum Format { hf, llama2c, gguf }

    @Option(names = "--shape", required = true, description = "One of ${sys:euclid.shapes}")
    String shape;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "Folder (hf) or file (llama2c, gguf) to write, in a folder that exists")
    Path out;

    @Option(names = "--format", defaultValue = "hf", description = "hf, llama2c or gguf (default ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--dtype", description = "hf weights: F32 (default), F16 or BF16; gguf matrices: F16 (default), Q8_0 or Q4_0, "
            + "or with --llama-bin any llama-quantize type (Q4_K_M, Q5_K_S, ...)")
    String dtype;

    @Option(names = "--llama-bin", paramLabel = "DIR",
            description = "gguf: a native llama.cpp build folder whose llama-quantize makes the --dtype file from the F16 one, "
                    + "as llama.cpp users get such files")
    Path llamaBin;

    @Option(names = "--shards", defaultValue = "1", description = "hf: number of safetensors shards")
    int shards;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws Exception {
        ModelShape s;
        try {
            s = ModelShape.named(shape);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--shape " + shape + ": " + e.getMessage());
        }
        OutputPaths.inExistingFolder("--out", out);
        SyntheticModel model = new SyntheticModel(s, seed);
        if (llamaBin != null) {
            if (format != Format.gguf || dtype == null) throw new UsageException("--llama-bin needs --format gguf and a --dtype");
            llamaQuantized(model);
            System.err.println("wrote " + s.parameterCount() + "-parameter " + dtype + " model to " + out);
            return ExitCode.OK;
        }
        switch (format) {
            case hf -> HfFolderWriter.write(out, model, dtype == null ? DType.F32 : choice(DType.class, dtype), shards,
                    SyntheticTokenizer.byteLevelJson(s.vocab()));
            case gguf -> GgufWriter.write(out, model,
                    dtype == null ? GgufWriter.WeightType.F16 : choice(GgufWriter.WeightType.class, dtype));
            case llama2c -> Llama2cWriter.write(out, model);
        }
        System.err.println("wrote " + s.parameterCount() + "-parameter model to " + out);
        return ExitCode.OK;
    }

    /** The F16 GGUF written next to --out, quantised into --out by llama-quantize, then deleted. */
    private void llamaQuantized(SyntheticModel model) throws IOException {
        if (!LlamaQuantize.available(llamaBin)) throw new UsageException("--llama-bin " + llamaBin + ": no llama-quantize there");
        Path f16 = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".f16.gguf");
        try {
            GgufWriter.write(f16, model, GgufWriter.WeightType.F16);
            LlamaQuantize.quantize(llamaBin, f16, out, dtype, false, Runtime.getRuntime().availableProcessors(),
                    SyntheticModels.cacheRoot());
        } finally {
            Files.deleteIfExists(f16);
        }
    }

    /** --dtype's meaning depends on --format, so picocli cannot convert it by itself. */
    private <E extends Enum<E>> E choice(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(name)) return e;
        }
        throw new UsageException("--dtype " + name + " is not valid for --format " + format + " (choose from "
                + Arrays.toString(type.getEnumConstants()) + (format == Format.gguf ? ", or any llama-quantize type with --llama-bin" : "")
                + ")");
    }
}
