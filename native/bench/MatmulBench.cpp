// Stand-alone rate of the CPU matmul over one decode step of a model shape: every
// layer's projections and the LM head, each layer's weights in their own memory
// (so weights stream from DRAM as in the engine; --hot shares one layer's), through
// kernels::matmul and the engine's ThreadPool (the path Forward.cpp takes), against
// the FP32 FMA peak measured in the same run. --check instead prints a hash of the
// outputs of small odd shapes for every precision and token count, to compare two
// builds bit for bit. Build and run: see README.md here.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "BenchClock.h"
#include "BenchShapes.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Vnni16.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "kernels/cpu/isa/PeakLoops.h"
#include "quant/Fp8.h"
#include "quant/Quantize.h"
#include "runtime/Peak.h"
#include "runtime/ThreadPool.h"

using namespace euclid;

namespace {

struct Shape {
    int64_t dim, ffn, layers, q_dim, kv_dim, vocab;
};

Shape shape_named(const std::string& name) {
    const ModelConfig c = bench::shape_named(name);
    return {c.dim, c.hidden_dim, c.n_layers, int64_t(c.n_heads) * c.head_dim, int64_t(c.n_kv_heads) * c.head_dim, c.vocab_size};
}

int32_t type_named(const std::string& name) {
    if (name == "f32") return WEIGHTS_F32;
    if (name == "bf16") return WEIGHTS_BF16;
    if (name == "f16") return WEIGHTS_F16;
    if (name == "fp8") return WEIGHTS_FP8;
    if (name == "int8") return WEIGHTS_INT8;
    if (name == "nvfp4") return WEIGHTS_NVFP4;
    if (name == "mxfp4") return WEIGHTS_MXFP4;
    if (name == "mxfp8") return WEIGHTS_MXFP8;
    if (name == "q4_0") return WEIGHTS_Q4_0;
    if (name == "q4_1") return WEIGHTS_Q4_1;
    std::fprintf(stderr, "unknown weights %s (f32, bf16, f16, fp8, int8, nvfp4, mxfp4, mxfp8, q4_0, q4_1)\n", name.c_str());
    std::exit(2);
}

const char* weight_name(int32_t type) {
    switch (type) {
        case WEIGHTS_F32: return "f32";
        case WEIGHTS_BF16: return "bf16";
        case WEIGHTS_F16: return "f16";
        case WEIGHTS_FP8: return "fp8";
        case WEIGHTS_INT8: return "int8";
        case WEIGHTS_NVFP4: return "nvfp4";
        case WEIGHTS_MXFP4: return "mxfp4";
        case WEIGHTS_MXFP8: return "mxfp8";
        case WEIGHTS_Q4_0: return "q4_0";
        default: return "q4_1";
    }
}

uint16_t to_bf16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return static_cast<uint16_t>(u >> 16);
}

uint16_t to_f16(float f) {
    // Values in (-2, 2) and not tiny: normal halfs, truncated mantissa.
    uint32_t u;
    std::memcpy(&u, &f, 4);
    const uint32_t sign = (u >> 16) & 0x8000, exp = (u >> 23) & 0xFF, man = (u >> 13) & 0x3FF;
    if (exp < 127 - 14) return static_cast<uint16_t>(sign);
    return static_cast<uint16_t>(sign | ((exp - 127 + 15) << 10) | man);
}

// A matrix with random finite values of the given type (owned storage).
struct OwnedMatrix {
    std::vector<uint8_t> data;
    std::vector<float> scales;
    Matrix m;

    OwnedMatrix(int32_t type, int64_t rows, int64_t cols, std::mt19937& rng) {
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        const int64_t n = rows * cols;
        data.resize(static_cast<size_t>(rows * weight_row_bytes(type, cols) + 64));
        if (weight_type_blocked(type)) {  // the engine's own encoder, from random floats
            std::vector<float> f(static_cast<size_t>(n));
            for (auto& v : f) v = u(rng);
            scales.resize(static_cast<size_t>(weight_scale_count(type, rows)));
            quantize_rows(f.data(), rows, cols, type, data.data(), scales.data());
        }
        if (weight_type_is_q4(type)) {
            // Random nibbles; each block's d (and m) a half in about +-0.01.
            for (auto& b : data) b = static_cast<uint8_t>(rng());
            const int64_t bb = q4_block_bytes(type);
            for (int64_t at = 0; at + bb <= rows * weight_row_bytes(type, cols); at += bb) {
                const uint16_t d = to_f16(0.01f * u(rng)), m = to_f16(0.01f * u(rng));
                std::memcpy(data.data() + at, &d, 2);
                if (type == WEIGHTS_Q4_1) std::memcpy(data.data() + at + 2, &m, 2);
            }
        }
        for (int64_t i = 0; i < n && !weight_type_blocked(type) && !weight_type_is_q4(type); ++i) {
            if (type == WEIGHTS_F32) {
                const float v = u(rng);
                std::memcpy(data.data() + 4 * i, &v, 4);
            } else if (type == WEIGHTS_BF16 || type == WEIGHTS_F16) {
                const float f = u(rng);
                const uint16_t v = type == WEIGHTS_BF16 ? to_bf16(f) : to_f16(f);
                std::memcpy(data.data() + 2 * i, &v, 2);
            } else if (type == WEIGHTS_FP8) {
                data[i] = static_cast<uint8_t>(rng() & 0xBF);  // exponent MSB clear: never NaN
            } else {
                data[i] = static_cast<uint8_t>(rng());
            }
        }
        if (weight_type_has_scales(type)) {
            scales.resize(rows);
            for (auto& s : scales) s = 0.01f + 0.001f * u(rng);
        }
        m.type = type;
        m.data = data.data();
        m.vnni16 = nullptr;
        m.scales = scales.empty() ? nullptr : scales.data();
        m.rows = rows;
        m.cols = cols;
    }
};

// The 16-row copy the engine gives a matrix for int8 activations where the CPU has a kernel for it (AVX-512
// VNNI: INT8, FP8, Q4 and FP4; AVX2: Q4 and FP4).
void add_vnni16(OwnedMatrix& w, std::vector<uint8_t>& copy) {
    if (!kernels::vnni16_copy_wanted(w.m.type)) return;
    copy.resize(static_cast<size_t>(kernels::vnni16_bytes(w.m.type, w.m.rows, w.m.cols)) + 64);
    uint8_t* at = copy.data() + (64 - reinterpret_cast<uintptr_t>(copy.data()) % 64) % 64;
    kernels::repack_vnni16(w.m, at);
    w.m.vnni16 = at;
}

// Buffers for kernels::matmul_int8 over up to `tokens` rows of up to `cols` columns.
struct OwnedInt8Scratch {
    std::vector<int8_t> q;
    std::vector<float> scales, dequantized;
    std::vector<int32_t> sums;
    kernels::Int8Scratch view;

    OwnedInt8Scratch(int64_t tokens, int64_t cols)
        : q(tokens * kernels::int8_stride(cols)), scales(q.size() / 32), dequantized(tokens * cols),
          sums(tokens * kernels::Int8Rows::sums_per_row(kernels::int8_stride(cols))),
          view{q.data(), scales.data(), sums.data(), dequantized.data(), 0} {}
};

// Buffers for kernels::matmul_bf16 over up to `tokens` rows of up to `cols` columns.
struct OwnedBf16Scratch {
    std::vector<uint16_t> bf16;
    std::vector<float> rounded;
    kernels::Bf16Scratch view;

    OwnedBf16Scratch(int64_t tokens, int64_t cols)
        : bf16(tokens * kernels::bf16_stride(cols)), rounded(tokens * cols), view{bf16.data(), rounded.data(), 0} {}
};

// The largest |out - want| over n tokens' rows outputs, each relative to its token's largest |want|.
double worst_relative(const std::vector<float>& out, const std::vector<float>& want, int64_t n, int64_t rows) {
    double worst = 0;
    for (int64_t t = 0; t < n; ++t) {
        float scale = 1e-30f;
        for (int64_t r = 0; r < rows; ++r) scale = std::max(scale, std::fabs(want[t * rows + r]));
        for (int64_t r = 0; r < rows; ++r) worst = std::max(worst, double(std::fabs(out[t * rows + r] - want[t * rows + r]) / scale));
    }
    return worst;
}

uint64_t fnv(uint64_t h, const float* v, int64_t n) {
    const auto* b = reinterpret_cast<const uint8_t*>(v);
    for (int64_t i = 0; i < n * 4; ++i) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

// One line of a low-precision activations check: its hash, and its worst difference to the FP32
// product of the same activations (relative to the row's largest output); above 1e-5 it fails (1).
int report(const char* activations, int32_t type, uint64_t h, double worst) {
    const bool ok = worst <= 1e-5;
    std::printf("check %s %-4s %s activations hash %016llx, worst difference to FP32 of the same activations %.2e%s\n",
                kernels::isa(), weight_name(type), activations, static_cast<unsigned long long>(h), worst, ok ? "" : "  FAIL");
    return ok ? 0 : 1;
}

// The FP8 matrix w as its VNNI copy holds it (Vnni16.h), as FP32 weights (into `values`): each
// 32-column block of a row rounded to its power-of-two step, times the row's scale.
Matrix fp8_as_int8_blocks(const Matrix& w, std::vector<float>& values) {
    values.assign(static_cast<size_t>(w.rows * w.cols), 0.0f);
    for (int64_t r = 0; r < w.rows; ++r) {
        for (int64_t b = 0; b < w.cols; b += 32) {
            float v[32];
            const int64_t n = std::min<int64_t>(32, w.cols - b);
            for (int64_t i = 0; i < n; ++i) v[i] = fp8_to_float(w.data[r * w.cols + b + i]);
            const int k = kernels::fp8_block_exponent(v, n);
            for (int64_t i = 0; i < n; ++i) {
                values[r * w.cols + b + i] = std::ldexp(std::nearbyint(std::ldexp(v[i], -k)), k) * w.scales[r];
            }
        }
    }
    Matrix f;
    f.data = reinterpret_cast<const uint8_t*>(values.data());
    f.rows = w.rows;
    f.cols = w.cols;
    return f;
}

// The int8-activation products: a hash per weight format as in check(), and each output against
// the FP32 product of the same weights and the dequantised activations (the same sum, rounded
// differently): a relative difference above 1e-5 of the row's largest output fails.
int check_int8(ThreadPool& pool, std::mt19937& rng) {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const int64_t shapes[][2] = {{37, 96}, {64, 896}, {9, 4864}, {130, 32}, {5, 64}, {11, 100}, {6, 7}};
    int failures = 0;
    for (const int32_t type : {WEIGHTS_INT8, WEIGHTS_Q4_0, WEIGHTS_Q4_1, WEIGHTS_FP8, WEIGHTS_NVFP4, WEIGHTS_MXFP4}) {
        uint64_t h = 1469598103934665603ull;
        double worst = 0;
        int batch_variant = 0;
        for (const auto& s : shapes) {
            if (weight_type_is_q4(type) && s[1] % 32 != 0) continue;
            OwnedMatrix w(type, s[0], s[1], rng);
            std::vector<uint8_t> vnni16;
            add_vnni16(w, vnni16);
            std::vector<float> bias(s[0]);
            for (auto& b : bias) b = u(rng);
            const int64_t max_n = 53;
            OwnedInt8Scratch scratch(max_n, s[1]);
            std::vector<float> x(max_n * s[1]), out(max_n * s[0]), want(max_n * s[0]);
            for (auto& v : x) v = u(rng) * (u(rng) > 0.9f ? 20.0f : 1.0f);  // some outliers per block
            for (int64_t n = 1; n <= max_n; ++n) {
                kernels::quantize_activations(pool, x.data(), s[1], n, scratch.view);
                kernels::matmul_int8(pool, out.data(), scratch.view, w.m, bias.data(), n);
                h = fnv(h, out.data(), n * s[0]);
            }
            // The exact product of the same activations, which matmul_int8 left dequantised only for other
            // formats; FP8's with its weights as the VNNI copy holds them, where it has one.
            const kernels::Int8Rows a{scratch.q.data(), scratch.scales.data(), scratch.sums.data(), kernels::int8_stride(s[1])};
            kernels::dequantize_rows(a, s[1], 0, max_n, scratch.dequantized.data());
            std::vector<float> held_values;
            const Matrix held = w.m.vnni16 && type == WEIGHTS_FP8 ? fp8_as_int8_blocks(w.m, held_values) : w.m;
            kernels::matmul(pool, want.data(), scratch.dequantized.data(), held, bias.data(), max_n);
            worst = std::max(worst, worst_relative(out, want, max_n, s[0]));
            // Batch invariance: each token alone gets the bits it got among max_n (other tiles, other lanes).
            std::vector<float> alone(s[0]);
            for (int64_t t = 0; t < max_n; ++t) {
                kernels::quantize_activations(pool, x.data() + t * s[1], s[1], 1, scratch.view);
                kernels::matmul_int8(pool, alone.data(), scratch.view, w.m, bias.data(), 1);
                if (std::memcmp(alone.data(), out.data() + t * s[0], alone.size() * sizeof(float)) != 0) ++batch_variant;
            }
        }
        failures += report("int8", type, h, worst);
        if (batch_variant != 0) {
            std::printf("check %s %-4s int8 activations: %d tokens differ alone from in a batch  FAIL\n", kernels::isa(),
                        weight_name(type), batch_variant);
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}

// BF16 rounded to nearest even (finite values).
uint16_t to_bf16_rounded(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return static_cast<uint16_t>((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
}

// The FP16 matrix w as the BF16 kernel multiplies it: each value rounded to BF16.
OwnedMatrix rounded_to_bf16(const OwnedMatrix& w, std::mt19937& rng) {
    OwnedMatrix b(WEIGHTS_BF16, w.m.rows, w.m.cols, rng);
    const int64_t n = w.m.rows * w.m.cols;
    std::vector<float> f(static_cast<size_t>(n));
    kernels::table().half_to_float(reinterpret_cast<const uint16_t*>(w.m.data), f.data(), n);
    for (int64_t i = 0; i < n; ++i) {
        const uint16_t v = to_bf16_rounded(f[i]);
        std::memcpy(b.data.data() + 2 * i, &v, 2);
    }
    return b;
}

// The BF16-activation products of BF16, FP8, MXFP8 and FP16 weights: a hash as in check(), and each output
// against the FP32 product of the weights as the kernel takes them (FP16 rounded to BF16 where the BF16
// kernel runs; the FP32 kernels elsewhere take them unrounded) and the same
// rounded activations (the same products, summed in another order): a relative difference above 1e-5
// of the row's largest output fails.
int check_bf16(ThreadPool& pool, std::mt19937& rng) {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const int64_t shapes[][2] = {{37, 96}, {64, 896}, {9, 4864}, {130, 32}, {5, 64}, {11, 100}, {6, 7}};
    int failures = 0;
    for (const int32_t type : {WEIGHTS_BF16, WEIGHTS_FP8, WEIGHTS_MXFP8, WEIGHTS_F16}) {
        uint64_t h = 1469598103934665603ull;
        double worst = 0;
        for (const auto& s : shapes) {
            OwnedMatrix w(type, s[0], s[1], rng);
            std::vector<float> bias(s[0]);
            for (auto& b : bias) b = u(rng);
            const int64_t max_n = 53;
            OwnedBf16Scratch scratch(max_n, s[1]);
            std::vector<float> x(max_n * s[1]), out(max_n * s[0]), want(max_n * s[0]);
            for (auto& v : x) v = u(rng);
            for (int64_t n = 1; n <= max_n; ++n) {
                kernels::round_activations_bf16(pool, x.data(), s[1], n, scratch.view);
                kernels::matmul_bf16(pool, out.data(), scratch.view, w.m, bias.data(), n);
                h = fnv(h, out.data(), n * s[0]);
            }
            // The exact product of the same rounded activations, which the BF16 kernel never widens.
            kernels::widen_rows_bf16({scratch.bf16.data(), kernels::bf16_stride(s[1])}, s[1], 0, max_n, scratch.rounded.data());
            if (type == WEIGHTS_F16 && kernels::table().matmul_rows_bf16) {
                const OwnedMatrix taken = rounded_to_bf16(w, rng);
                kernels::matmul(pool, want.data(), scratch.rounded.data(), taken.m, bias.data(), max_n);
            } else {
                kernels::matmul(pool, want.data(), scratch.rounded.data(), w.m, bias.data(), max_n);
            }
            worst = std::max(worst, worst_relative(out, want, max_n, s[0]));
        }
        failures += report("bf16", type, h, worst);
    }
    return failures == 0 ? 0 : 1;
}

// Outputs of odd shapes (row tails, column tails, every token count up to 53),
// each precision, hashed; thread count and token blocking must not change it.
int check(int threads) {
    ThreadPool pool(threads);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const int64_t shapes[][2] = {{37, 100}, {64, 896}, {9, 4864}, {130, 33}, {5, 7}};
    // Q4 rows are whole 32-weight blocks: the same row tails, columns of 1 to 152 blocks.
    const int64_t q4_shapes[][2] = {{37, 96}, {64, 896}, {9, 4864}, {130, 32}, {5, 64}};
    const int32_t types[] = {WEIGHTS_F32,  WEIGHTS_BF16,  WEIGHTS_F16,   WEIGHTS_FP8,  WEIGHTS_INT8,
                             WEIGHTS_NVFP4, WEIGHTS_MXFP4, WEIGHTS_MXFP8, WEIGHTS_Q4_0, WEIGHTS_Q4_1};
    for (const int32_t type : types) {
        uint64_t h = 1469598103934665603ull;
        for (const auto& s : weight_type_is_q4(type) ? q4_shapes : shapes) {
            OwnedMatrix w(type, s[0], s[1], rng);
            std::vector<float> bias(s[0]);
            for (auto& b : bias) b = u(rng);
            const int64_t max_n = 53;
            std::vector<float> x(max_n * s[1]), out(max_n * s[0]);
            for (auto& v : x) v = u(rng);
            for (int64_t n = 1; n <= max_n; ++n) {
                kernels::matmul(pool, out.data(), x.data(), w.m, bias.data(), n);
                h = fnv(h, out.data(), n * s[0]);
            }
        }
        std::printf("check %s %-4s hash %016llx (threads %d)\n", kernels::isa(), weight_name(type),
                    static_cast<unsigned long long>(h), threads);
    }
    const int int8_failures = check_int8(pool, rng);
    return check_bf16(pool, rng) | int8_failures;
}

// Timed with bench::now(cpu): one thread by this thread's CPU time, so a neighbour's build (the
// machine is shared) stretches nothing, and the peak the same way; several threads by wall time
// (the pool's spinning workers would count as work).
using bench::now;

// FP32 FMA peak of this thread by CPU time, best of several ~100 ms passes.
double thread_peak() {
    const int64_t iters = 1 << 22;
    double best = 0;
    float sink = 0;
    for (int pass = 0; pass < 5; ++pass) {
        const double t0 = now(true);
        sink += kernels::peak_fma_avx512(iters, 1.0f + pass);
        best = std::max(best, double(iters) * kernels::kPeakChains * 16 * 2 / (now(true) - t0));
    }
    volatile float keep = sink;
    (void)keep;
    return best;
}

struct Kind {
    const char* name;
    int64_t rows, cols, count;  // count: matrices of this kind (layers, or 1 for the head)
};

}  // namespace

int main(int argc, char** argv) {
    std::string shape_name = "qwen0.5b", weights = "fp8", only;
    int64_t tokens = 48;
    int threads = 2, steps = 5;
    bool do_check = false, hot = false, int8 = false, bf16 = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--shape") shape_name = v, ++i;
        else if (a == "--weights") weights = v, ++i;
        else if (a == "--tokens") tokens = std::atoll(v), ++i;
        else if (a == "--threads") threads = std::atoi(v), ++i;
        else if (a == "--steps") steps = std::atoi(v), ++i;
        else if (a == "--check") do_check = true;
        else if (a == "--hot") hot = true;
        else if (a == "--kind") only = v, ++i;
        else if (a == "--activations") int8 = std::string(v) == "int8", bf16 = std::string(v) == "bf16", ++i;
        else {
            std::fprintf(stderr, "usage: matmul_bench [--shape qwen0.5b|1b] [--weights fp8|f32|bf16|f16|int8|nvfp4|mxfp4|mxfp8] "
                                 "[--tokens N] [--threads T] [--steps S] [--hot] [--kind q|k|v|o|gate|up|down|head] [--activations fp32|int8|bf16] [--check]\n");
            return 2;
        }
    }
    if (do_check) return check(threads);
    const Shape s = shape_named(shape_name);
    const int32_t type = type_named(weights);
    const Kind kinds[] = {{"q", s.q_dim, s.dim, s.layers},  {"k", s.kv_dim, s.dim, s.layers},
                          {"v", s.kv_dim, s.dim, s.layers}, {"o", s.dim, s.q_dim, s.layers},
                          {"gate", s.ffn, s.dim, s.layers}, {"up", s.ffn, s.dim, s.layers},
                          {"down", s.dim, s.ffn, s.layers}, {"head", s.vocab, s.dim, 1}};
    constexpr int kKinds = sizeof(kinds) / sizeof(kinds[0]);
    std::mt19937 rng(1);
    std::vector<std::vector<OwnedMatrix>> mats(kKinds);
    std::vector<std::vector<uint8_t>> vnni16;
    int64_t max_dim = 0;
    for (int k = 0; k < kKinds; ++k) {
        for (int64_t l = 0; l < (hot ? 1 : kinds[k].count); ++l) mats[k].emplace_back(type, kinds[k].rows, kinds[k].cols, rng);
        if (int8) {
            for (auto& w : mats[k]) add_vnni16(w, vnni16.emplace_back());
        }
        max_dim = std::max({max_dim, kinds[k].rows, kinds[k].cols});
    }
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(tokens * max_dim), out(tokens * max_dim);
    for (auto& v : x) v = u(rng);

    ThreadPool pool(threads);
    OwnedInt8Scratch scratch(tokens, max_dim);
    OwnedBf16Scratch bf16_scratch(tokens, max_dim);
    // Thread CPU time needs the peak loop run directly, which is the AVX-512 one.
    const bool cpu = threads == 1 && std::strcmp(kernels::isa(), "avx512") == 0;
    const char* peak_isa = nullptr;
    const double peak_before = cpu ? thread_peak() : flops_peak(PEAK_FP32_FMA, threads, 200, &peak_isa);
    double secs[kKinds] = {}, step_best = 1e30;
    for (int step = 0; step <= steps; ++step) {  // step 0 warms up
        double step_secs = 0;
        for (int64_t l = 0; l < s.layers; ++l) {
            for (int k = 0; k < kKinds; ++k) {
                if (l >= kinds[k].count || (!only.empty() && only != kinds[k].name)) continue;
                const double t0 = now(cpu);
                if (int8) {  // every product quantises its input (the engine shares q/k/v's and gate/up's)
                    kernels::quantize_activations(pool, x.data(), mats[k][0].m.cols, tokens, scratch.view);
                    kernels::matmul_int8(pool, out.data(), scratch.view, mats[k][hot ? 0 : l].m, nullptr, tokens);
                } else if (bf16) {  // every product rounds its input, as int8 quantises
                    kernels::round_activations_bf16(pool, x.data(), mats[k][0].m.cols, tokens, bf16_scratch.view);
                    kernels::matmul_bf16(pool, out.data(), bf16_scratch.view, mats[k][hot ? 0 : l].m, nullptr, tokens);
                } else {
                    kernels::matmul(pool, out.data(), x.data(), mats[k][hot ? 0 : l].m, nullptr, tokens);
                }
                const double d = now(cpu) - t0;
                step_secs += d;
                if (step > 0) secs[k] += d;
            }
        }
        if (step > 0) step_best = std::min(step_best, step_secs);
    }
    const double peak = std::max(peak_before, cpu ? thread_peak() : flops_peak(PEAK_FP32_FMA, threads, 200, nullptr));
    double step_flops = 0, total = 0;
    for (int k = 0; k < kKinds; ++k) total += secs[k];
    std::printf("%s %s%s isa %s, %lld tokens, %d threads, peak %.1f GFLOP/s (%s, %s time)\n", shape_name.c_str(),
                weights.c_str(), int8 ? " int8-activations" : bf16 ? " bf16-activations" : "", kernels::isa(), static_cast<long long>(tokens), threads, peak / 1e9,
                cpu ? "avx512" : peak_isa, cpu ? "thread CPU" : "wall");
    for (int k = 0; k < kKinds; ++k) {
        if (!only.empty() && only != kinds[k].name) continue;
        const double flops = 2.0 * kinds[k].rows * kinds[k].cols * kinds[k].count * tokens;
        step_flops += flops;
        const double rate = flops * steps / secs[k];
        std::printf("  %-5s %5lld x %-5lld %6.1f GFLOP/s  %5.1f%% of peak  %5.1f%% of step time\n", kinds[k].name,
                    static_cast<long long>(kinds[k].rows), static_cast<long long>(kinds[k].cols), rate / 1e9,
                    100 * rate / peak, 100 * secs[k] / total);
    }
    std::printf("  step  best %.2f ms: %.1f GFLOP/s, %.1f%% of peak (mean %.1f%%), %.1f tok/s\n", step_best * 1e3,
                step_flops / step_best / 1e9, 100 * step_flops / step_best / peak,
                100 * step_flops * steps / total / peak, tokens / step_best);
    return 0;
}
