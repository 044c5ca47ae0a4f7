package dev.euclid.internal;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByRef;
import org.bytedeco.javacpp.annotation.ByVal;
import org.bytedeco.javacpp.annotation.StdString;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.MemberSetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP mapping of {@code native/include/euclid/euclid.h}. Mechanical on purpose: no logic, no
 * validation; {@link NativeModel}, {@link NativeStepRunner} and {@code spec.NativeDrafter} hold the
 * policy. Every {@code int} constant here mirrors the header's enum value or constant of the same
 * name (checked by {@code NativeHeaderCodesTest}).
 */
@Platform(include = "euclid/euclid.h", link = "euclid_engine")
@Namespace("euclid")
public final class NativeApi {
    static {
        Loader.load();
    }

    private NativeApi() {}

    /** Loads the native library (idempotent); throws if it cannot be loaded on this platform. */
    public static void load() {
        Loader.load(NativeApi.class);
    }

    public static final int DTYPE_F32 = 0, DTYPE_F16 = 1, DTYPE_BF16 = 2, DTYPE_Q8_0 = 3;
    public static final int DTYPE_Q4_0 = 4, DTYPE_Q4_1 = 5, DTYPE_Q4_K = 6, DTYPE_Q5_0 = 7, DTYPE_Q5_1 = 8,
            DTYPE_Q5_K = 9, DTYPE_Q6_K = 10, DTYPE_Q2_K = 11, DTYPE_Q3_K = 12, DTYPE_IQ4_NL = 13, DTYPE_IQ4_XS = 14;
    public static final int ROPE_INTERLEAVED = 0, ROPE_HALF = 1;

    public static final int ROPE_SCALING_NONE = 0, ROPE_SCALING_LINEAR = 1, ROPE_SCALING_DYNAMIC = 2,
            ROPE_SCALING_LLAMA3 = 3, ROPE_SCALING_YARN = 4;
    public static final int WEIGHTS_F32 = 0, WEIGHTS_BF16 = 1, WEIGHTS_F16 = 2, WEIGHTS_FP8 = 3, WEIGHTS_INT8 = 4;
    public static final int WEIGHTS_NVFP4 = 5, WEIGHTS_MXFP4 = 6, WEIGHTS_MXFP8 = 7;
    public static final int WEIGHTS_Q4_0 = 8, WEIGHTS_Q4_1 = 9;

    @Opaque
    @Name("Model")
    public static class Model extends Pointer {
        public Model(Pointer p) {
            super(p);
        }
    }

    @Opaque
    @Name("KvCache")
    public static class KvCache extends Pointer {
        public KvCache(Pointer p) {
            super(p);
        }
    }

    @Opaque
    @Name("Workspace")
    public static class Workspace extends Pointer {
        public Workspace(Pointer p) {
            super(p);
        }
    }

    @Name("ModelConfig")
    public static class ModelConfig extends Pointer {
        static {
            Loader.load();
        }

        public ModelConfig() {
            allocate();
        }

        private native void allocate();

        public native int dim(); public native ModelConfig dim(int v);
        public native int hidden_dim(); public native ModelConfig hidden_dim(int v);
        public native int n_layers(); public native ModelConfig n_layers(int v);
        public native int n_heads(); public native ModelConfig n_heads(int v);
        public native int n_kv_heads(); public native ModelConfig n_kv_heads(int v);
        public native int head_dim(); public native ModelConfig head_dim(int v);
        public native int vocab_size(); public native ModelConfig vocab_size(int v);
        public native int max_seq_len(); public native ModelConfig max_seq_len(int v);
        public native float rms_eps(); public native ModelConfig rms_eps(float v);
        public native float rope_theta(); public native ModelConfig rope_theta(float v);
        public native int rope_layout(); public native ModelConfig rope_layout(int v);
        public native int qkv_bias(); public native ModelConfig qkv_bias(int v);
        public native int tied_embeddings(); public native ModelConfig tied_embeddings(int v);
        public native int o_bias(); public native ModelConfig o_bias(int v);
        public native int rope_scaling(); public native ModelConfig rope_scaling(int v);
        public native float rope_factor(); public native ModelConfig rope_factor(float v);
        public native int rope_original_max_positions(); public native ModelConfig rope_original_max_positions(int v);
        public native float rope_low_freq_factor(); public native ModelConfig rope_low_freq_factor(float v);
        public native float rope_high_freq_factor(); public native ModelConfig rope_high_freq_factor(float v);
        public native float rope_beta_fast(); public native ModelConfig rope_beta_fast(float v);
        public native float rope_beta_slow(); public native ModelConfig rope_beta_slow(float v);
        public native int rope_truncate(); public native ModelConfig rope_truncate(int v);
        public native float rope_attention_factor(); public native ModelConfig rope_attention_factor(float v);
    }

    @Name("SamplingParams")
    public static class SamplingParams extends Pointer {
        static {
            Loader.load();
        }

        public SamplingParams() {
            allocate();
        }

        private native void allocate();

        public native float temperature(); public native SamplingParams temperature(float v);
        public native int top_k(); public native SamplingParams top_k(int v);
        public native float top_p(); public native SamplingParams top_p(float v);
        public native float min_p(); public native SamplingParams min_p(float v);
        public native float repetition_penalty(); public native SamplingParams repetition_penalty(float v);
        public native float presence_penalty(); public native SamplingParams presence_penalty(float v);
        public native float frequency_penalty(); public native SamplingParams frequency_penalty(float v);
        public native @Cast("uint64_t") long seed(); public native SamplingParams seed(long v);
    }

    public static native Model model_create(@Const @ByRef ModelConfig config, int threads, int weights);

    public static native void model_load_tensor(Model model, String name, String path, int dtype, long offset,
            long nbytes, @Cast("const int64_t*") LongPointer shape, int ndim);

    public static native void model_finish(Model model);

    public static native void model_free(Model model);

    public static native int model_threads(@Const Model model);

    public static native @ByVal ModelConfig model_config(@Const Model model);

    public static native int model_weights(@Const Model model);

    public static final int ACTIVATIONS_FP32 = 0, ACTIVATIONS_INT8 = 1, ACTIVATIONS_BF16 = 2;

    public static native void model_set_activations(Model model, int activations);

    public static native int model_activations(@Const Model model);

    public static native long model_int8_copy_bytes(@Const Model model);

    public static native long model_bytes_per_token(@Const Model model);

    public static native void model_save(@Const Model model, String path, String metadataJson);

    public static native Model model_open(String path, int threads, int mapped);

    public static native @StdString String engine_file_metadata(String path);

    public static native double measure_read_bandwidth(long bytes, int threads);

    public static final int KVT_F32 = 0, KVT_F16 = 1, KVT_FP8 = 2;

    public static native long kv_bytes_per_block(@Const Model model, int blockTokens, int kvType);

    public static native KvCache kv_create(@Const Model model, long nBlocks, int blockTokens, int kvType);

    public static native void kv_free(KvCache kv);

    public static native Workspace workspace_create(@Const Model model, int maxChunk);

    public static native void workspace_free(Workspace ws);

    public static final int MAX_TOP_LOGPROBS = 20;
    public static final int NO_LOGPROBS = -1;

    public static native int resample(@Const Model model, Workspace ws, int row,
            @Const @ByRef SamplingParams sampling, long draw, FloatPointer logprob, int topN, IntPointer topTokens,
            FloatPointer topLogprobs);

    public static final int SAMPLE_LAST = 0, SAMPLE_TREE = 1, MAX_TREE_TOKENS = 64;
    public static final int KV_COPY_BLOCK = 0, KV_MOVE_SLOT = 1, KV_OP_INTS = 5;

    /** One engine step; the fields are documented in euclid.h. Setters only: Java fills it, native code reads it. */
    @Name("StepDescriptor")
    public static class StepDescriptor extends Pointer {
        static {
            Loader.load();
        }

        public StepDescriptor() {
            allocate();
        }

        private native void allocate();

        @MemberSetter public native StepDescriptor n_kv_ops(int v);
        @MemberSetter public native StepDescriptor kv_ops(@Const IntPointer v);
        @MemberSetter public native StepDescriptor n_seqs(int v);
        @MemberSetter public native StepDescriptor n_tokens(@Const IntPointer v);
        @MemberSetter public native StepDescriptor starts(@Const IntPointer v);
        @MemberSetter public native StepDescriptor sample_modes(@Const IntPointer v);
        @MemberSetter public native StepDescriptor table_offsets(@Const IntPointer v);
        @MemberSetter public native StepDescriptor table_lengths(@Const IntPointer v);
        @MemberSetter public native StepDescriptor holes(@Const IntPointer v);
        @MemberSetter public native StepDescriptor temperatures(@Const FloatPointer v);
        @MemberSetter public native StepDescriptor top_ks(@Const IntPointer v);
        @MemberSetter public native StepDescriptor top_ps(@Const FloatPointer v);
        @MemberSetter public native StepDescriptor min_ps(@Const FloatPointer v);
        @MemberSetter public native StepDescriptor penalties(@Const FloatPointer v);
        @MemberSetter public native StepDescriptor seeds(@Cast("const int64_t*") LongPointer v);
        @MemberSetter public native StepDescriptor draws(@Cast("const int64_t*") LongPointer v);
        @MemberSetter public native StepDescriptor history_offsets(@Const IntPointer v);
        @MemberSetter public native StepDescriptor history_lengths(@Const IntPointer v);
        @MemberSetter public native StepDescriptor n_fed(int v);
        @MemberSetter public native StepDescriptor tokens(@Const IntPointer v);
        @MemberSetter public native StepDescriptor parents(@Const IntPointer v);
        @MemberSetter public native StepDescriptor n_table_entries(int v);
        @MemberSetter public native StepDescriptor tables(@Const IntPointer v);
        @MemberSetter public native StepDescriptor n_history_entries(int v);
        @MemberSetter public native StepDescriptor history(@Const IntPointer v);
        @MemberSetter public native StepDescriptor output_capacity(int v);
        @MemberSetter public native StepDescriptor out_tokens(IntPointer v);
        @MemberSetter public native StepDescriptor out_logprobs(FloatPointer v);
        @MemberSetter public native StepDescriptor top_logprobs(@Const IntPointer v);
        @MemberSetter public native StepDescriptor out_top_tokens(IntPointer v);
        @MemberSetter public native StepDescriptor out_top_logprobs(FloatPointer v);
    }

    public static native void step(@Const Model model, KvCache kv, Workspace ws, @Const @ByRef StepDescriptor step);

    public static native void step_logits(@Const Model model, KvCache kv, Workspace ws, @Const IntPointer blockTable,
            int nTable, @Const IntPointer tokens, int n, int pos, FloatPointer out);

    public static native void step_scores(@Const Model model, KvCache kv, Workspace ws, @Const IntPointer blockTable,
            int nTable, @Const IntPointer tokens, int n, int pos, @Const IntPointer next, int topN, FloatPointer outLogprobs,
            IntPointer outTopTokens, FloatPointer outTopLogprobs);

    public static native @Cast("const char*") String kernel_isa();

    public static native int activations_kernel(int weights, int activations);

    public static native int cuda_compiled();

    public static final int CUDA_REQUIRED_DRIVER_VERSION = 13000;

    /** What the CUDA driver says about this machine; fields documented in euclid.h. */
    @Name("CudaProbe")
    public static class CudaProbe extends Pointer {
        static {
            Loader.load();
        }

        public CudaProbe() {
            allocate();
        }

        private native void allocate();

        @MemberGetter public native int driver_loaded();
        @MemberGetter public native int init_result();
        @MemberGetter public native int driver_version();
        @MemberGetter public native int device_count();
    }

    public static native @StdString String cuda_probe(String driverLibrary, @ByRef CudaProbe out);

    public static native void model_use_cuda(Model model, int device);

    public static native @Cast("const char*") String model_device(@Const Model model);

    public static native long model_device_free_bytes(@Const Model model);

    public static native double cuda_copy_bandwidth(int device, long bytes);

    public static native long native_bytes_in_use();

    public static native long heap_allocations();

    // Speculative decoding: the recurrent drafter.

    @Opaque
    @Name("Drafter")
    public static class Drafter extends Pointer {
        public Drafter(Pointer p) {
            super(p);
        }
    }

    @Name("DrafterConfig")
    public static class DrafterConfig extends Pointer {
        static {
            Loader.load();
        }

        public DrafterConfig() {
            allocate();
        }

        private native void allocate();

        public native int dim(); public native DrafterConfig dim(int v);
        public native int vocab_size(); public native DrafterConfig vocab_size(int v);
        public native int mlp_layers(); public native DrafterConfig mlp_layers(int v);
    }

    public static native Drafter drafter_create(@Const Model model, @Const @ByRef DrafterConfig config,
            @Const FloatPointer weights, long nWeights);

    public static native void drafter_free(Drafter d);

    public static native void drafter_propose(@Const Drafter d, @Const Model model, Workspace ws, int n,
            @Const IntPointer rows, @Const IntPointer tokens, int beams, int length, IntPointer outTokens,
            FloatPointer outScores);

    public static native void drafter_propose_hidden(@Const Drafter d, @Const Model model, @Const FloatPointer hidden,
            int n, @Const IntPointer tokens, int beams, int length, IntPointer outTokens, FloatPointer outScores);

    public static native void step_hidden(@Const Model model, KvCache kv, Workspace ws, @Const IntPointer blockTable,
            int nTable, @Const IntPointer tokens, int n, int pos, FloatPointer hiddenOut, FloatPointer logitsOut);

    public static native void model_tensor_f32(@Const Model model, String name, FloatPointer out, long n);

    public static final int PEAK_FP32_FMA = 0, PEAK_BF16_DOT = 1;

    public static native double measure_flops_peak(int kind, int threads, int millis);

    public static native @Cast("const char*") String flops_peak_isa(int kind);
}
