package dev.euclid.cli;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.Llama2cWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.tokenizer.SyntheticTokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Write a random-weight model in a real shape (for benchmarks and tests).")
final class SyntheticCommand implements Callable<Integer> {
    enum Format { hf, llama2c }

    @Option(names = "--shape", required = true, description = "One of ${sys:euclid.shapes}")
    String shape;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Folder (hf) or file (llama2c) to write")
    Path out;

    @Option(names = "--format", defaultValue = "hf", description = "hf or llama2c (default ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--dtype", defaultValue = "F32", description = "hf weights: F32, F16 or BF16 (default ${DEFAULT-VALUE})")
    DType dtype;

    @Option(names = "--shards", defaultValue = "1", description = "hf: number of safetensors shards")
    int shards;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws Exception {
        ModelShape s = ModelShape.named(shape);
        SyntheticModel model = new SyntheticModel(s, seed);
        if (format == Format.hf) {
            HfFolderWriter.write(out, model, dtype, shards, SyntheticTokenizer.byteLevelJson(s.vocab()));
        } else {
            Llama2cWriter.write(out, model);
        }
        System.err.println("wrote " + s.parameterCount() + "-parameter model to " + out);
        return 0;
    }
}
