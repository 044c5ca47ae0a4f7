// Euclid native engine: the small, opaque surface that the Java binding maps.
//
// Policy (which sequences run next, how long a prompt chunk is, which KV blocks
// a sequence owns, when a request stops) lives in Java; this API only executes:
// load weights, run one step over a batch of sequences (StepDescriptor), sample.
// Every function validates its arguments (runtime/Boundary.h) and throws
// std::invalid_argument / std::runtime_error with a message naming the problem;
// JavaCPP turns those into Java exceptions. Enum values and layout constants
// here are mirrored by Java code; NativeHeaderCodesTest checks every mirror.
#pragma once

#include <cstdint>
#include <string>

namespace euclid {

// Tensor element types as stored in a source file.
enum DType : int32_t {
    DTYPE_F32 = 0,
    DTYPE_F16 = 1,
    DTYPE_BF16 = 2,
    DTYPE_Q8_0 = 3,
    // GGUF's 2- to 6-bit block formats (quant/GgufBlocks.h holds their layouts).
    DTYPE_Q4_0 = 4,
    DTYPE_Q4_1 = 5,
    DTYPE_Q4_K = 6,
    DTYPE_Q5_0 = 7,
    DTYPE_Q5_1 = 8,
    DTYPE_Q5_K = 9,
    DTYPE_Q6_K = 10,
    DTYPE_Q2_K = 11,
    DTYPE_Q3_K = 12,
    DTYPE_IQ4_NL = 13,
    DTYPE_IQ4_XS = 14
};

// GGUF's Q8_0 block: 32 weights as one FP16 scale d and 32 int8 q (weight = d * q),
// stored back to back without padding.
constexpr int32_t Q8_0_BLOCK_VALUES = 32, Q8_0_BLOCK_BYTES = 34;
struct Q8_0Block {
    uint16_t scale;  // IEEE half
    int8_t values[Q8_0_BLOCK_VALUES];
};
static_assert(sizeof(Q8_0Block) == Q8_0_BLOCK_BYTES, "GGUF stores Q8_0 blocks of 34 bytes back to back");

// How RoPE pairs the dimensions of a head: llama2.c/GGUF interleave (2j, 2j+1);
// Hugging Face checkpoints rotate halves (j, j + head_dim/2).
enum RopeLayout : int32_t { ROPE_INTERLEAVED = 0, ROPE_HALF = 1 };

// How a checkpoint stretches RoPE beyond the length it was trained on, as
// Hugging Face's rope_scaling types do (see model/Rope.h for the formulas).
enum RopeScaling : int32_t {
    ROPE_SCALING_NONE = 0,
    ROPE_SCALING_LINEAR = 1,   // every frequency / factor
    ROPE_SCALING_DYNAMIC = 2,  // NTK-aware: the base grows with the position beyond rope_original_max_positions
    ROPE_SCALING_LLAMA3 = 3,   // Llama 3.1: low frequencies / factor, a smooth ramp between
    ROPE_SCALING_YARN = 4      // YaRN: a ramp between extrapolation and interpolation, cos/sin scaled
};

// Architecture hyper-parameters of a Llama-family decoder.
struct ModelConfig {
    int32_t dim = 0;          // hidden size
    int32_t hidden_dim = 0;   // MLP intermediate size
    int32_t n_layers = 0;
    int32_t n_heads = 0;
    int32_t n_kv_heads = 0;
    int32_t head_dim = 0;
    int32_t vocab_size = 0;
    int32_t max_seq_len = 0;
    float rms_eps = 1e-5f;
    float rope_theta = 10000.0f;
    int32_t rope_layout = ROPE_INTERLEAVED;
    int32_t qkv_bias = 0;          // Qwen2: q/k/v projections carry a bias
    int32_t tied_embeddings = 0;   // LM head reuses the token embedding
    int32_t o_bias = 0;            // Llama attention_bias: the output projection carries a bias too
    // RoPE scaling (a RopeScaling value) and its parameters; unused ones are ignored.
    int32_t rope_scaling = ROPE_SCALING_NONE;
    float rope_factor = 1.0f;
    int32_t rope_original_max_positions = 0;  // llama3, yarn: training length; dynamic: where the base starts growing
    float rope_low_freq_factor = 1.0f;        // llama3
    float rope_high_freq_factor = 4.0f;       // llama3
    float rope_beta_fast = 32.0f;             // yarn: rotations where extrapolation ends
    float rope_beta_slow = 1.0f;              // yarn: rotations where interpolation begins
    int32_t rope_truncate = 1;                // yarn: round the correction range outwards
    float rope_attention_factor = 1.0f;       // scales RoPE's cos and sin (yarn's mscale); 1 otherwise
};

// Per-step sampling parameters. temperature <= 0 means greedy (argmax).
struct SamplingParams {
    float temperature = 0.0f;
    int32_t top_k = 0;       // 0 = off
    float top_p = 1.0f;      // 1 = off
    float min_p = 0.0f;      // drop tokens below min_p x the top probability; 0 = off
    uint64_t seed = 0;
    // Penalties over `history` (the tokens they count, usually the generated ones):
    // repetition divides positive / multiplies negative logits of seen tokens (1 = off),
    // presence subtracts once per seen token, frequency once per occurrence (0 = off).
    float repetition_penalty = 1.0f;
    float presence_penalty = 0.0f;
    float frequency_penalty = 0.0f;
    const int32_t* history = nullptr;
    int32_t history_len = 0;
};

class Model;      // weights + thread pool; immutable once finished
class KvCache;    // the paged KV cache: a pool of fixed-size blocks
class Workspace;  // scratch buffers for one step

// Formats an engine stores its weight matrices in (the engine's precision;
// kernels/cpu/Matrix.h describes the layout). Norms and biases stay FP32.
enum WeightType : int32_t {
    WEIGHTS_F32 = 0,
    WEIGHTS_BF16 = 1,
    WEIGHTS_F16 = 2,
    WEIGHTS_FP8 = 3,   // E4M3 ("fn": no infinities, max 448), one FP32 scale per row
    WEIGHTS_INT8 = 4,  // symmetric, one FP32 scale per row
    // Block-scaled formats (src/quant/Mx.h): rows of whole blocks, the last one zero-padded.
    WEIGHTS_NVFP4 = 5,  // 16 E2M1 values per E4M3 block scale, one FP32 scale per matrix
    WEIGHTS_MXFP4 = 6,  // OCP MX: 32 E2M1 values per E8M0 (power-of-two) block scale
    WEIGHTS_MXFP8 = 7,  // OCP MX: 32 E4M3 values per E8M0 block scale
    // GGUF 4-bit blocks (src/quant/Q4.h): rows of whole 32-weight blocks.
    WEIGHTS_Q4_0 = 8,  // GGUF's Q4_0 blocks: 32 weights as an FP16 scale and 4-bit q (w = d * (q - 8))
    WEIGHTS_Q4_1 = 9,  // GGUF's Q4_1 blocks: FP16 scale and minimum, 4-bit q (w = d * q + m)
};

// Creates an empty model for `config` after checking every dimension and the
// total weight size for overflow. threads <= 0 means all online cores.
// Matrices are converted to `weights` (a WeightType) as they are loaded.
Model* model_create(const ModelConfig& config, int32_t threads, int32_t weights);

// Reads one tensor from `path` at [offset, offset + nbytes), checks the range
// against the file length and the shape against what `name` must have for
// this config, and converts it to the engine's layout. Names are canonical:
// tok_embeddings, norm, output, layers.N.{attention_norm, wq, wk, wv, wo, bq,
// bk, bv, ffn_norm, w1, w2, w3}.
void model_load_tensor(Model* model, const char* name, const char* path, int32_t dtype,
                       int64_t offset, int64_t nbytes, const int64_t* shape, int32_t ndim);

// Checks that every tensor the config needs was loaded; the model is usable after this.
void model_finish(Model* model);

void model_free(Model* model);

// Number of worker threads the model runs its kernels on.
int32_t model_threads(const Model* model);

// The model's config and weight precision.
ModelConfig model_config(const Model* model);
int32_t model_weights(const Model* model);

// How the matrix products take their input (the activations). FP32 multiplies
// every weight, widened to FP32, by the FP32 activations. INT8 quantises each
// token's input row before a product: blocks of 32 values, symmetric, one FP32
// scale per block (max |x| / 127), round to nearest even; with INT8, Q4_0, Q4_1,
// NVFP4 and MXFP4 weights the products are then int8 dot products (VNNI where the
// CPU has it) summed per block and scaled in FP32, and so with FP8 on a CPU with
// AVX2 or AVX-512 (FP8 held as int8 times a power of two per 32-weight block, its
// smallest weights rounded: kernels/cpu/Vnni16.h); other weight
// formats multiply the dequantised activations with their FP32 kernel (same
// numbers, no speed-up).
// BF16 rounds each input value to BF16 (to nearest even); with BF16, FP8, MXFP8 or
// FP16 weights (FP16 rounded to BF16 as multiplied) on a CPU with AVX-512 BF16 the
// products are BF16 dot products (pairs of exact products summed into FP32), else
// the rounded values go through the FP32 kernels.
enum ActivationType : int32_t { ACTIVATIONS_FP32 = 0, ACTIVATIONS_INT8 = 1, ACTIVATIONS_BF16 = 2 };

// Sets how the model's matrix products take their input (an ActivationType);
// FP32 until set. Not while a step runs on the model.
void model_set_activations(Model* model, int32_t activations);
int32_t model_activations(const Model* model);
// Bytes model_set_activations(ACTIVATIONS_INT8) would allocate now for the 16-row copies of the
// model's matrices: 0 on the portable path (no AVX2) and once the copies exist.
int64_t model_int8_copy_bytes(const Model* model);

// Bytes of weights one decode step reads: every tensor (matrices with their
// scales, norms, biases) except the embedding table, of which it reads one row;
// a tied head counts once, as the head.
int64_t model_bytes_per_token(const Model* model);

// Writes a finished model as an engine file with the caller's metadata JSON.
void model_save(const Model* model, const char* path, const char* metadata_json);

// Opens an engine file: checks magic, version, sizes, directory and checksum, and
// returns a finished model whose weights are read in place: from the file's
// mapping when `mapped` is non-zero (shared with other processes that map it), else
// from a private copy in transparent huge pages, which batch-1 decode streams faster.
Model* model_open(const char* path, int32_t threads, int32_t mapped);

// The metadata JSON stored in an engine file (checks the header only).
std::string engine_file_metadata(const char* path);

// Streams `bytes` of memory on `threads` threads and returns the read bandwidth
// in bytes per second (the limit decode speed is measured against).
double measure_read_bandwidth(int64_t bytes, int32_t threads);

// Element type of the KV cache: FP32, FP16, or FP8 E4M3 with one scale per
// (token, KV head).
enum KvType : int32_t { KVT_F32 = 0, KVT_F16 = 1, KVT_FP8 = 2 };

// Bytes one KV block of `block_tokens` positions takes for this model.
int64_t kv_bytes_per_block(const Model* model, int32_t block_tokens, int32_t kv_type);

// The pool of `n_blocks` KV blocks (the paged KV cache) of a model.
KvCache* kv_create(const Model* model, int64_t n_blocks, int32_t block_tokens, int32_t kv_type);
void kv_free(KvCache* kv);

// Scratch buffers for steps of at most `max_chunk` tokens.
Workspace* workspace_create(const Model* model, int32_t max_chunk);
void workspace_free(Workspace* ws);

// Most alternatives a sampled row reports with its token (OpenAI's top_logprobs limit).
constexpr int32_t MAX_TOP_LOGPROBS = 20;

// A step sequence's top_logprobs entry asking for no log-probabilities at all: its rows skip the
// pass over the vocabulary that normalizes them and write NaN to out_logprobs.
constexpr int32_t NO_LOGPROBS = -1;

// Samples again from the logits of sampled row `row` of the workspace's latest
// step (n samples of one prompt draw their first tokens from the same logits).
// Writes log p(token) to *logprob if non-null and, for 0 < top_n <=
// MAX_TOP_LOGPROBS, the top_n most likely tokens and their log-probabilities to
// top_tokens / top_logprobs (as a step's sampling does).
int32_t resample(const Model* model, Workspace* ws, int32_t row, const SamplingParams& sampling, int64_t draw,
                 float* logprob, int32_t top_n, int32_t* top_tokens, float* top_logprobs);

enum SampleMode : int32_t { SAMPLE_LAST = 0, SAMPLE_TREE = 1 };

// Largest draft tree one sequence may feed in a step (root included).
constexpr int32_t MAX_TREE_TOKENS = 64;

// A KV block operation of a step, KV_OP_INTS ints: {kind, source block, source
// slot, target block, target slot}. KV_COPY_BLOCK copies a whole block (copy-on-
// write of a shared, partially filled block; the slots are ignored); KV_MOVE_SLOT
// copies one slot's K/V, every layer (an accepted draft-tree token moves from
// its tree slot to its position).
enum KvOpKind : int32_t { KV_COPY_BLOCK = 0, KV_MOVE_SLOT = 1 };
constexpr int32_t KV_OP_INTS = 5;

// One engine step as the Java scheduler describes it, in buffers the caller
// reuses from step to step. Three parts, applied in this order:
//
// 1. KV operations: kv_ops[KV_OP_INTS * i ..] for i < n_kv_ops (see KvOpKind),
//    in order. They carry out what the block manager decided since the last
//    step: the previous step's accepted draft tokens and this step's copies.
//
// 2. The forward pass over n_seqs sequences (in-flight batching: decode tokens
//    of some sequences and prompt chunks of others). Sequence s feeds
//    n_tokens[s] >= 1 tokens, the next ones of `tokens` (n_fed in all, sequence
//    by sequence), at positions from starts[s], with the block table
//    tables[table_offsets[s] .. + table_lengths[s]) (tables holds
//    n_table_entries ids) and the hole holes[2s .. 2s + 1] (`holes` may be null:
//    no sequence has one): positions from holes[2s] on keep their K/V
//    holes[2s + 1] slots later in the table (0 <= holes[2s + 1] < block_tokens,
//    holes[2s] <= starts[s]), and attention skips the empty slots between;
//    samples of one prompt leave such a hole after the prompt's shared,
//    partially filled last block instead of each copying it.
//    sample_modes[s] is a SampleMode. SAMPLE_LAST samples after the last fed
//    token. SAMPLE_TREE verifies a draft tree and samples after every token,
//    each with the draw of the position it lands on. Token 0 of a tree is its
//    root (the last committed token, at starts[s]); token i > 0 hangs below
//    token parents[i], an earlier token of the same sequence (`parents` is
//    aligned with `tokens` and may be null when no sequence is a tree; a chain
//    of drafts has parents[i] = i - 1). Tree token i sits at position
//    starts[s] + depth(i), sees the context up to the root and its own branch,
//    and keeps its K/V in the root's slot + i until a KV_MOVE_SLOT of a later
//    step puts an accepted one at its position.
//
// 3. Sampling, into out_tokens[r] and out_logprobs[r] (out_logprobs may be
//    null) for the sampled rows r, sequence by sequence: one for a SAMPLE_LAST
//    sequence, n_tokens[s] for a tree (at most output_capacity rows in all).
//    Sequence s samples with (temperatures[s], top_ks[s], top_ps[s], min_ps[s],
//    seeds[s]), penalties[3s .. 3s + 2] (repetition, presence, frequency) over
//    history[history_offsets[s] .. + history_lengths[s]) (history holds
//    n_history_entries ids), and the random draw draws[s]. out_logprobs[r] is
//    log p(token) under the model's unmodified distribution (temperature 1, no
//    penalty or truncation), unless top_logprobs[s] = NO_LOGPROBS (then NaN).
//    When top_logprobs is non-null and top_logprobs[s]
//    = k > 0 (k <= MAX_TOP_LOGPROBS), each of the sequence's rows r also writes
//    the k most likely tokens of that distribution, most likely first (ties to
//    the lower id), and their log-probabilities to out_top_tokens[r *
//    MAX_TOP_LOGPROBS ..] and out_top_logprobs[r * MAX_TOP_LOGPROBS ..].
//
// A sequence's result is the same as when it runs alone. A step with no
// sequences only applies its KV operations.
struct StepDescriptor {
    int32_t n_kv_ops = 0;
    const int32_t* kv_ops = nullptr;

    int32_t n_seqs = 0;
    const int32_t* n_tokens = nullptr;
    const int32_t* starts = nullptr;
    const int32_t* sample_modes = nullptr;
    const int32_t* table_offsets = nullptr;
    const int32_t* table_lengths = nullptr;
    const int32_t* holes = nullptr;
    const float* temperatures = nullptr;
    const int32_t* top_ks = nullptr;
    const float* top_ps = nullptr;
    const float* min_ps = nullptr;
    const float* penalties = nullptr;
    const int64_t* seeds = nullptr;
    const int64_t* draws = nullptr;
    const int32_t* history_offsets = nullptr;
    const int32_t* history_lengths = nullptr;

    int32_t n_fed = 0;
    const int32_t* tokens = nullptr;
    const int32_t* parents = nullptr;
    int32_t n_table_entries = 0;
    const int32_t* tables = nullptr;
    int32_t n_history_entries = 0;
    const int32_t* history = nullptr;

    int32_t output_capacity = 0;
    int32_t* out_tokens = nullptr;
    float* out_logprobs = nullptr;
    const int32_t* top_logprobs = nullptr;
    int32_t* out_top_tokens = nullptr;
    float* out_top_logprobs = nullptr;
};

// Runs one step (see StepDescriptor). The whole descriptor is checked before
// anything changes, so a step either throws and leaves the cache and the
// workspace as they were, or runs completely. After the first steps have
// sized their buffers, a step allocates nothing on the heap.
void step(const Model* model, KvCache* kv, Workspace* ws, const StepDescriptor& step);

// Feeds n tokens of one sequence at positions [pos, pos + n) and writes the
// logits after every token to out[n * vocab_size] (teacher forcing, scoring, tests).
void step_logits(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* out);

// Like step_logits, but scores instead of copying logits out: for each fed token i, the log-
// probability of next[i] after it goes to out_logprobs[i], and the top_n (0..MAX_TOP_LOGPROBS, at most
// the vocabulary) most likely tokens to out_top_tokens / out_top_logprobs[i * top_n ...], all under
// the unmodified distribution exactly as step() reports a sampled token's (a prompt's log-
// probabilities; the logits never leave the workspace).
void step_scores(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, const int32_t* next, int32_t top_n, float* out_logprobs,
                 int32_t* out_top_tokens, float* out_top_logprobs);

// Name of the SIMD path the kernels dispatched to on this CPU ("avx512", "avx2", "scalar").
const char* kernel_isa();

// Whether, on this CPU, products of `weights` (a WeightType) with `activations` (an ActivationType)
// have a kernel of their own: 1, or 0 where the rounded activations go through the FP32 kernels
// (the quantised model's numbers at FP32's speed). FP32 activations always have one. Throws for an
// unknown type.
int32_t activations_kernel(int32_t weights, int32_t activations);

// Whether this library was built with the CUDA backend's kernels (nvcc was found
// at build time and EUCLID_CUDA was not OFF): 1 or 0.
int32_t cuda_compiled();

// The oldest driver (cuDriverGetVersion: 1000 * major + 10 * minor) that runs
// what this build's nvcc (CUDA 13) produced.
constexpr int32_t CUDA_REQUIRED_DRIVER_VERSION = 13000;

// What the CUDA driver says about this machine. The library never links
// libcuda: the probe opens it with dlopen, so a machine without a driver or a
// GPU gets facts, never a failed load.
struct CudaProbe {
    int32_t driver_loaded = 0;   // the driver library opened and has every entry point the engine uses
    int32_t init_result = -1;    // cuInit's CUresult (0 = success); -1 when it was not called
    int32_t driver_version = 0;  // cuDriverGetVersion; 0 when unknown
    int32_t device_count = 0;    // cuDeviceGetCount after a successful cuInit
};

// Fills `out` from `driver_library` (normally "libcuda.so.1"; tests name
// others) and returns why it could not be loaded (the loader's message, or the
// entry point it lacks), or "" when it was. Never throws for a missing driver.
std::string cuda_probe(const char* driver_library, CudaProbe& out);

// Moves a finished model's forward pass onto CUDA device `device`: uploads its
// weights; KV caches and workspaces created afterwards live in device memory
// too. Call it before creating any of them. Throws saying why when the device
// cannot be used (no driver, no such device, out of memory) or the model has
// what the CUDA kernels do not cover yet (weight types other than F32, BF16,
// F16, FP8 and INT8; dynamic RoPE scaling; head_dim above 256); the model then
// stays on the CPU.
void model_use_cuda(Model* model, int32_t device);

// Where a model's forward pass runs: "cpu" or "cuda:N (GPU name)".
const char* model_device(const Model* model);

// CUDA device `device`'s memory bandwidth in bytes per second: the best of
// five device-to-device copies of `bytes`, counting the bytes read and written
// (what decode's share of bandwidth is measured against on a GPU). Throws
// saying why when the device cannot be used.
double cuda_copy_bandwidth(int32_t device, int64_t bytes);

// Bytes of memory free now on the model's GPU (what the default KV budget is
// cut to), or -1 when the model runs on the CPU.
int64_t model_device_free_bytes(const Model* model);

}  // namespace euclid

namespace euclid {

// Bytes of native memory the engine holds right now, over all models: tensor
// storage, engine files (mapped or read), KV cache pools and step workspaces (everything
// allocated through runtime/NativeMemory.h). Returns to its earlier value when
// what was opened since is freed; for leak tests and diagnostics.
int64_t native_bytes_in_use();

// Number of operator new calls the engine and its JNI glue made so far (every
// thread). Tests read it around steps to prove that a step allocates nothing.
int64_t heap_allocations();

}  // namespace euclid

// Speculative decoding: the recurrent drafter
namespace euclid {

// Shape of a recurrent drafter (ReDrafter). With d = dim and V = vocab_size it
// computes, from the base model's final-normed hidden state h_t and the token
// x_{t+1} the base model sampled from it:
//   s_0 = h_t;   s_k = SiLU(W e(x_{t+k}) + U s_{k-1} + b)     e = the base model's embedding row
//   m_k = A [h_t ; s_k] + a;   m_k += SiLU(R_l m_k + r_l) for each of mlp_layers blocks
//   logits_k = Head m_k       (predicts x_{t+k+1})
// Weights are one flat FP32 array, matrices row-major (out x in), in this order:
//   W [d][d], U [d][d], b [d], A [d][2d], a [d], then per block R_l [d][d], r_l [d], then Head [V][d]
// (2d^2+d + 2d^2+d + mlp_layers (d^2+d) + V d floats).
struct DrafterConfig {
    int32_t dim = 0;         // must equal the base model's dim
    int32_t vocab_size = 0;  // must equal the base model's vocab_size
    int32_t mlp_layers = 0;  // residual blocks, in [0, 16]
};

class Drafter;

// Checks the config against the base model, n_weights against the layout above
// and every weight for finiteness, then copies the weights.
Drafter* drafter_create(const Model* model, const DrafterConfig& config, const float* weights, int64_t n_weights);
void drafter_free(Drafter* d);

// Beam search for n sequences of the workspace's latest step: sequence i starts
// from the hidden state of logits row rows[i] (an output index of that step, below
// the step's logit row count) and the token tokens[i] sampled there. Writes
// beams * length tokens per sequence to out_tokens[i * beams * length ..], best
// beam first (beams may share prefixes), and the beams' summed log-probabilities
// to out_scores[i * beams + j] when out_scores is not null.
// beams in [1, min(64, vocab)], length in [1, 32].
void drafter_propose(const Drafter* d, const Model* model, Workspace* ws, int32_t n, const int32_t* rows,
                     const int32_t* tokens, int32_t beams, int32_t length, int32_t* out_tokens, float* out_scores);

// The same from explicit hidden states hidden[n * dim] (training evaluation, tests).
void drafter_propose_hidden(const Drafter* d, const Model* model, const float* hidden, int32_t n,
                            const int32_t* tokens, int32_t beams, int32_t length, int32_t* out_tokens,
                            float* out_scores);

// Like step_logits, and writes the final-normed hidden state after every token
// to hidden_out[n * dim]; the logits go to logits_out[n * vocab_size] when it
// is not null (training data for the drafter).
void step_hidden(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* hidden_out, float* logits_out);

// Dequantized FP32 copy of a weight matrix of the model ("tok_embeddings",
// "output", "layers.0.wq", ...; a tied model's output is its tok_embeddings),
// into out[n]; n must be rows * cols.
void model_tensor_f32(const Model* model, const char* name, float* out, int64_t n);

// What measure_flops_peak measures: FP32 FMA (AVX-512 when the CPU has it, else
// AVX2), the instruction the matmul kernels compute with (they widen every weight
// format to FP32), or the BF16 dot product vdpbf16ps (AVX512_BF16), for information.
enum PeakKind : int32_t { PEAK_FP32_FMA = 0, PEAK_BF16_DOT = 1 };

// Arithmetic peak of this machine in FLOP/s for a PeakKind: `threads` threads
// (0 = all cores) running independent FMA chains in registers, best of several
// passes of about `millis` ms. Returns 0 when the CPU lacks the instructions.
double measure_flops_peak(int32_t kind, int32_t threads, int32_t millis);

// Which loop measure_flops_peak runs for `kind` on this CPU: "avx512", "avx2",
// "avx512_bf16" or "none".
const char* flops_peak_isa(int32_t kind);

}  // namespace euclid
