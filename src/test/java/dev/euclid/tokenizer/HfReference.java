package dev.euclid.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The oracle: Hugging Face's Rust {@code tokenizers} (through DJL's JNI binding) on the same
 * tokenizer.json. DJL unpacks its native library from its jar into {@code DJL_CACHE_DIR}, which
 * points into {@code target/} so that tests leave nothing in the home folder; it downloads nothing,
 * and its telemetry call is switched off. The file is passed as a stream, so DJL does not apply
 * the tokenizer_config.json beside it (Euclid's encode does not either).
 */
public final class HfReference implements AutoCloseable {
    static {
        System.setProperty("DJL_CACHE_DIR", Path.of("target", "test-cache", "djl").toAbsolutePath().toString());
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
    }

    private final HuggingFaceTokenizer withSpecials;
    private final HuggingFaceTokenizer plain;

    public HfReference(Path tokenizerJson) {
        try {
            withSpecials = open(tokenizerJson, true);
            plain = open(tokenizerJson, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HuggingFaceTokenizer open(Path file, boolean addSpecialTokens) throws IOException {
        // No truncation, padding or length limit: the whole text, as Tokenizer.encode takes it.
        try (InputStream in = Files.newInputStream(file)) {
            return HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", String.valueOf(addSpecialTokens),
                    "truncation", "false", "padding", "false", "maxLength", String.valueOf(Integer.MAX_VALUE)));
        }
    }

    /** The ids of {@code text}, as {@code tokenizer.encode(text, add_special_tokens=...)} gives them. */
    public int[] encode(String text, boolean addSpecialTokens) {
        Encoding encoding = (addSpecialTokens ? withSpecials : plain).encode(text);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** {@code tokenizer.decode(ids, skip_special_tokens=False)}. */
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return plain.decode(wide, false);
    }

    @Override
    public void close() {
        withSpecials.close();
        plain.close();
    }
}
