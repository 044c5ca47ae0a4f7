// Euclid native engine: the small, opaque surface that the Java binding maps.
//
// Policy (what runs next, how long a prompt chunk is, when a request stops)
// lives in Java; this API only executes: load weights, run the model over a
// chunk of tokens for one sequence, sample. Every function validates its
// arguments and throws std::invalid_argument / std::runtime_error with a
// message naming the problem; JavaCPP turns those into Java exceptions.
#pragma once

#include <cstdint>
#include <string>

namespace euclid {

// Tensor element types as stored in a source file. Q8_0 is GGUF's block format:
// 32 weights as one FP16 scale and 32 int8 (34 bytes).
enum DType : int32_t { DTYPE_F32 = 0, DTYPE_F16 = 1, DTYPE_BF16 = 2, DTYPE_Q8_0 = 3 };

// How RoPE pairs the dimensions of a head: llama2.c/GGUF interleave (2j, 2j+1);
// Hugging Face checkpoints rotate halves (j, j + head_dim/2).
enum RopeLayout : int32_t { ROPE_INTERLEAVED = 0, ROPE_HALF = 1 };

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

// Weight precisions of an engine (see kernels/cpu/Matrix.h): matrices are
// stored in this format; norms and biases stay FP32.
enum Weights : int32_t { W_F32 = 0, W_BF16 = 1, W_F16 = 2, W_FP8 = 3, W_INT8 = 4 };

// Creates an empty model for `config` after checking every dimension and the
// total weight size for overflow. threads <= 0 means all online cores.
// Matrices are converted to `weights` (a Weights value) as they are loaded.
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

// Bytes of weights one decode step reads: every tensor (matrices with their
// scales, norms, biases) except the embedding table, of which it reads one row;
// a tied head counts once, as the head.
int64_t model_bytes_per_token(const Model* model);

// Writes a finished model as an engine file with the caller's metadata JSON.
void model_save(const Model* model, const char* path, const char* metadata_json);

// Opens an engine file: maps it, checks magic, version, sizes, directory and
// checksum, and returns a finished model whose weights live in the mapping.
Model* model_open(const char* path, int32_t threads);

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

// Copies a whole block (copy-on-write of a shared, partially filled block).
void kv_copy_block(KvCache* kv, int32_t src, int32_t dst);

// Scratch buffers for steps of at most `max_chunk` tokens.
Workspace* workspace_create(const Model* model, int32_t max_chunk);
void workspace_free(Workspace* ws);

// Samples again from the logits of sequence `row` of the workspace's latest
// step (n samples of one prompt draw their first tokens from the same logits).
int32_t resample(const Model* model, Workspace* ws, int32_t row, const SamplingParams& sampling, int64_t draw,
                 float* logprob);

// One step over n_seqs sequences at once (in-flight batching: decode tokens of
// some sequences and prompt chunks of others in one forward pass). Sequence s
// feeds n_tokens[s] tokens, taken in order from `tokens`, at positions from
// starts[s], with the block table tables[table_offsets[s] .. + table_lengths[s])
// (tables holds n_table_entries ids in all); after its last token the next one
// is sampled with (temperatures[s], top_ks[s], top_ps[s], min_ps[s], seeds[s]),
// penalties[3s..3s+2] (repetition, presence, frequency) over the tokens
// history[history_offsets[s] .. + history_lengths[s]), and draws[s] into
// out_tokens, its log-probability into out_logprobs (may be null). When
// sample_all[s] is set (verifying draft tokens), a token is sampled after every
// token the sequence feeds, each with the draw of the position it lands on;
// outputs are laid out sequence by sequence, one per sampled token.
// A sequence's result is the same as when it runs alone.
void step_batch(const Model* model, KvCache* kv, Workspace* ws, int32_t n_seqs, const int32_t* n_tokens,
                const int32_t* tokens, const int32_t* starts, const int32_t* tables, int32_t n_table_entries,
                const int32_t* table_offsets, const int32_t* table_lengths, const float* temperatures,
                const int32_t* top_ks, const float* top_ps, const float* min_ps, const float* penalties,
                const int32_t* history, int32_t n_history_entries, const int32_t* history_offsets,
                const int32_t* history_lengths, const int64_t* seeds, const int64_t* draws, const int32_t* sample_all,
                int32_t* out_tokens, float* out_logprobs);

// Like step but writes the logits after every token to out[n * vocab_size]
// (teacher forcing, scoring, tests).
void step_logits(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* out);

// Name of the SIMD path the kernels dispatched to on this CPU ("avx512", "avx2", "scalar").
const char* kernel_isa();

}  // namespace euclid

namespace euclid {

// Bytes of native memory the engine holds right now, over all models: tensor
// storage, engine file mappings, KV cache pools and step workspaces (everything
// allocated through runtime/NativeMemory.h). Returns to its earlier value when
// what was opened since is freed; for leak tests and diagnostics.
int64_t native_bytes_in_use();

}  // namespace euclid
