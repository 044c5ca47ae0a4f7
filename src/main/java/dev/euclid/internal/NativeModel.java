package dev.euclid.internal;

import dev.euclid.Activations;
import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.Precision;
import dev.euclid.RopeScaling;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * Owns one native model: creates it from a {@link ModelSpec}, loads every tensor, frees it on close
 * (or, with a warning, when it is garbage-collected without being closed).
 */
public final class NativeModel implements AutoCloseable {

    private final NativeApi.Model handle;
    private final ModelInfo info;
    private final NativeRelease release;

    private NativeModel(NativeApi.Model handle, ModelInfo info) {
        this.handle = handle;
        this.info = info;
        this.release = new NativeRelease(this, "model", () -> NativeApi.model_free(handle));
    }

    /**
     * Creates the native model and loads every tensor of {@code spec}, converting matrices to
     * {@code weights}; frees everything on failure.
     */
    public static NativeModel load(ModelSpec spec, int threads, Precision weights) {
        NativeApi.load();
        ModelInfo i = spec.info();
        NativeApi.ModelConfig c = new NativeApi.ModelConfig();
        try {
            c.dim(i.dim()).hidden_dim(i.ffnDim()).n_layers(i.layers()).n_heads(i.heads()).n_kv_heads(i.kvHeads())
                    .head_dim(i.headDim()).vocab_size(i.vocabSize()).max_seq_len(i.contextLength()).rms_eps(i.rmsEps())
                    .rope_theta(i.ropeTheta())
                    .rope_layout(i.ropeLayout().code())
                    .qkv_bias(i.qkvBias() ? 1 : 0).tied_embeddings(i.tiedEmbeddings() ? 1 : 0)
                    .o_bias(i.attentionOutputBias() ? 1 : 0);
            RopeScaling r = i.ropeScaling();
            c.rope_scaling(r.type().code()).rope_factor(r.factor()).rope_original_max_positions(r.originalMaxPositions())
                    .rope_low_freq_factor(r.lowFreqFactor()).rope_high_freq_factor(r.highFreqFactor())
                    .rope_beta_fast(r.betaFast()).rope_beta_slow(r.betaSlow()).rope_truncate(r.truncate() ? 1 : 0)
                    .rope_attention_factor(r.attentionFactor());
            NativeApi.Model handle;
            try {
                handle = NativeApi.model_create(c, threads, weights.code());
            } catch (RuntimeException e) {
                throw new ModelFormatException(e.getMessage(), e);
            }
            NativeModel model = new NativeModel(handle, i);
            try {
                model.loadTensors(spec);
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        } finally {
            c.close();
        }
    }

    /**
     * Opens an engine file (checked natively: magic, version, sizes, checksum) whose metadata
     * described the model as {@code info}; the two must agree. Its weights are read from the file's
     * mapping ({@code mapped}) or from a private copy in huge pages.
     */
    public static NativeModel openEngineFile(Path file, ModelInfo info, int threads, boolean mapped) {
        NativeApi.load();
        NativeApi.Model handle;
        try {
            handle = NativeApi.model_open(file.toString(), threads, mapped ? 1 : 0);
        } catch (RuntimeException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        NativeModel model = new NativeModel(handle, info);
        try (NativeApi.ModelConfig c = NativeApi.model_config(handle)) {
            if (info == null || !describes(info, c)) {
                throw new ModelFormatException(file + ": the metadata disagrees with the tensor header");
            }
        } catch (RuntimeException e) {
            model.close(); // whatever went wrong, the weights must not wait for the Cleaner
            throw e;
        }
        return model;
    }

    /** Whether the metadata's description is the config the native header was validated with. */
    private static boolean describes(ModelInfo info, NativeApi.ModelConfig c) {
        return c.dim() == info.dim() && c.hidden_dim() == info.ffnDim() && c.n_layers() == info.layers()
                && c.n_heads() == info.heads() && c.n_kv_heads() == info.kvHeads() && c.head_dim() == info.headDim()
                && c.vocab_size() == info.vocabSize() && c.max_seq_len() == info.contextLength()
                && Float.compare(c.rms_eps(), info.rmsEps()) == 0 && Float.compare(c.rope_theta(), info.ropeTheta()) == 0
                && info.ropeLayout() != null && c.rope_layout() == info.ropeLayout().code()
                && (c.qkv_bias() != 0) == info.qkvBias() && (c.tied_embeddings() != 0) == info.tiedEmbeddings()
                && (c.o_bias() != 0) == info.attentionOutputBias() && describes(info.ropeScaling(), c);
    }

    private static boolean describes(RopeScaling r, NativeApi.ModelConfig c) {
        return c.rope_scaling() == r.type().code() && Float.compare(c.rope_factor(), r.factor()) == 0
                && c.rope_original_max_positions() == r.originalMaxPositions()
                && Float.compare(c.rope_low_freq_factor(), r.lowFreqFactor()) == 0
                && Float.compare(c.rope_high_freq_factor(), r.highFreqFactor()) == 0
                && Float.compare(c.rope_beta_fast(), r.betaFast()) == 0 && Float.compare(c.rope_beta_slow(), r.betaSlow()) == 0
                && (c.rope_truncate() != 0) == r.truncate()
                && Float.compare(c.rope_attention_factor(), r.attentionFactor()) == 0;
    }

    /** Reads the metadata JSON of an engine file (header checks only). */
    public static String engineFileMetadata(Path file) {
        NativeApi.load();
        try {
            return NativeApi.engine_file_metadata(file.toString());
        } catch (RuntimeException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }

    /** Writes this model as an engine file carrying {@code metadataJson}. */
    public void save(Path file, String metadataJson) {
        NativeApi.model_save(checked(), file.toString(), metadataJson);
    }

    public Precision weights() {
        return Precision.ofCode(NativeApi.model_weights(checked()));
    }

    /**
     * Bytes setActivations(INT8) would allocate now for the 16-row copies its int8 kernels read (INT8,
     * FP8 and 4-bit matrices on AVX2 and AVX-512 CPUs; 0 on the portable path, or once made).
     */
    public long int8CopyBytes() {
        return NativeApi.model_int8_copy_bytes(checked());
    }

    /** How the matrix products take their input from now on; not while a step runs. */
    public void setActivations(Activations activations) {
        NativeApi.model_set_activations(checked(), activations.code());
    }

    /**
     * Moves the forward pass onto CUDA device {@code index} (its weights are uploaded); before the KV
     * cache and the workspace are created. Throws saying why when the device or the model cannot.
     */
    public void useCuda(int index) {
        NativeApi.model_use_cuda(checked(), index);
    }

    /** Where the forward pass runs: "cpu" or "cuda:N (GPU name)". */
    public String device() {
        return NativeApi.model_device(checked());
    }

    /** Bytes free now on the model's GPU, or empty when it runs on the CPU. */
    public java.util.OptionalLong deviceFreeBytes() {
        long free = NativeApi.model_device_free_bytes(checked());
        return free < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(free);
    }

    public Activations activations() {
        return Activations.values()[NativeApi.model_activations(checked())];
    }

    /** Weight bytes one decode step reads. */
    public long bytesPerToken() {
        return NativeApi.model_bytes_per_token(checked());
    }

    private void loadTensors(ModelSpec spec) {
        for (TensorLocation t : spec.tensors()) {
            try (LongPointer shape = new LongPointer(t.shape())) {
                NativeApi.model_load_tensor(handle, t.name(), t.file().toString(), t.dtype(), t.offset(),
                        t.byteLength(), shape, t.shape().length);
            } catch (ModelFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(t.file() + ": tensor " + t.sourceName() + ": " + e.getMessage(), e);
            }
        }
        try {
            NativeApi.model_finish(handle);
        } catch (RuntimeException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }

    /**
     * A dequantized FP32 copy of {@code tok_embeddings} or {@code output} (vocab x dim, row-major;
     * a tied model's output is its embedding).
     */
    public float[] tensorF32(String name) {
        return tensorF32(name, (long) info.vocabSize() * info.dim());
    }

    /** A dequantized FP32 copy of any weight matrix ({@code layers.0.w1}, ...) of n elements, row-major. */
    public float[] tensorF32(String name, long n) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + name + " of " + n + " floats exceeds one array");
        try (FloatPointer out = new FloatPointer(n)) {
            NativeApi.model_tensor_f32(checked(), name, out, n);
            float[] copy = new float[(int) n];
            out.get(copy);
            return copy;
        }
    }

    public ModelInfo info() {
        return info;
    }

    public int threads() {
        return NativeApi.model_threads(checked());
    }

    /** The native handle, for bindings outside this package (the drafter); throws once closed. */
    public NativeApi.Model checked() {
        if (release.freed()) throw new IllegalStateException("model is closed");
        return handle;
    }

    public boolean isClosed() {
        return release.freed();
    }

    /** Frees the native model; a second call does nothing. Not safe while a sequence is running. */
    @Override
    public void close() {
        release.close();
    }
}
