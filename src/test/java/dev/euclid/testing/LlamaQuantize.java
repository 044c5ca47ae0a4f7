package dev.euclid.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * llama.cpp's own {@code llama-quantize} from the peer build in {@code <shared>/peers/llama.cpp/bin}
 * ({@link dev.euclid.synthetic.LlamaQuantize}), for tests: without the peer or a C compiler for its
 * preload library, tests fail when CI=true and are skipped otherwise.
 */
public final class LlamaQuantize {
    private LlamaQuantize() {}

    /** Quantises a F16/F32 GGUF to {@code type} with one thread (see the synthetic module's LlamaQuantize). */
    public static void quantize(Path in, Path out, String type, boolean pure) throws IOException {
        Path bin = SharedModels.llamaPeer("llama-quantize").getParent();
        Path work = Path.of(System.getProperty("euclid.cache", "target/test-cache"));
        try {
            dev.euclid.synthetic.LlamaQuantize.quantize(bin, in, out, type, pure, 1, work);
        } catch (IOException e) {
            if (e.getMessage().startsWith("cannot run cc")) unavailable("no C compiler (cc) for llama-quantize's preload library");
            fail(e.getMessage());
        }
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }
}
