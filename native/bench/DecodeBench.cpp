// Batch-1 decode of an engine file against the memory read bandwidth measured beside it: rounds of
// a few decode steps, each followed by a bandwidth probe on the same threads, and each round's decode
// GB/s (weight bytes per token x tokens/s) over its own probe. On a shared host the bandwidth moves by
// 2x within a minute, so a probe taken minutes away (the CLI suite's) says little about one decode
// run; a probe a fraction of a second away does. With two engine files, two activation modes, or
// the weights both in a private copy and in the file's mapping, the rounds alternate between the
// two variants in one process (the second first every other round), which resolves a speed ratio
// far finer than separate runs; --prefill N times one prompt of N tokens per round instead.
// Steps go through the engine's step() as the scheduler's do (last token's logits, greedy sampling).
// Build and run: see README.md here.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "BenchClock.h"
#include "euclid/euclid.h"
#include "model/Model.h"
#include "runtime/Bandwidth.h"

using namespace euclid;
using bench::now;

namespace {

int32_t activations_named(const std::string& name) {
    if (name == "fp32") return ACTIVATIONS_FP32;
    if (name == "int8") return ACTIVATIONS_INT8;
    if (name == "bf16") return ACTIVATIONS_BF16;
    std::fprintf(stderr, "unknown activations %s (fp32, int8, bf16)\n", name.c_str());
    std::exit(2);
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// One sequence's step of `n` tokens from position `start`, sampled greedily after the last one.
class Stepper {
public:
    Stepper(Model* model, KvCache* kv, Workspace* ws, std::vector<int32_t> table)
        : model_(model), kv_(kv), ws_(ws), table_(std::move(table)) {}

    int32_t run(const int32_t* tokens, int32_t n, int32_t start) {
        StepDescriptor d;
        const int32_t zero = 0, table_length = int32_t(table_.size()), mode = SAMPLE_LAST, top_k = 0;
        const float temperature = 0.0f, top_p = 1.0f, min_p = 0.0f, penalties[3] = {1.0f, 0.0f, 0.0f};
        const int64_t seed = 0, draw = 0;
        int32_t out = 0;
        d.n_seqs = 1;
        d.n_tokens = &n;
        d.starts = &start;
        d.sample_modes = &mode;
        d.table_offsets = &zero;
        d.table_lengths = &table_length;
        d.temperatures = &temperature;
        d.top_ks = &top_k;
        d.top_ps = &top_p;
        d.min_ps = &min_p;
        d.penalties = penalties;
        d.seeds = &seed;
        d.draws = &draw;
        d.history_offsets = &zero;
        d.history_lengths = &zero;
        d.n_fed = n;
        d.tokens = tokens;
        d.n_table_entries = table_length;
        d.tables = table_.data();
        d.output_capacity = 1;
        d.out_tokens = &out;
        step(model_, kv_, ws_, d);
        return out;
    }

private:
    Model* model_;
    KvCache* kv_;
    Workspace* ws_;
    std::vector<int32_t> table_;
};

}  // namespace

int main(int argc, char** argv) {
    std::string models, activations = "fp32", memory = "copy";
    int threads = 2, rounds = 10, tokens = 16, context = 64, prefill = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--model") models = v, ++i;
        else if (a == "--activations") activations = v, ++i;
        else if (a == "--weights-memory") memory = v, ++i;
        else if (a == "--threads") threads = std::atoi(v), ++i;
        else if (a == "--rounds") rounds = std::atoi(v), ++i;
        else if (a == "--tokens") tokens = std::atoi(v), ++i;
        else if (a == "--context") context = std::atoi(v), ++i;
        else if (a == "--prefill") prefill = std::atoi(v), ++i;
        else {
            std::fprintf(stderr, "usage: decode_bench --model ENGINE_FILE[,OTHER] [--activations A[,B]] [--weights-memory M[,N]] "
                                 "[--threads T] [--rounds R] [--tokens N] [--context C] [--prefill P]   (A, B: fp32, int8, "
                                 "bf16; M, N: copy, mapped)\n");
            return 2;
        }
    }
    if (models.empty() || threads < 1 || rounds < 1 || tokens < 1 || context < 0 || prefill < 0) {
        std::fprintf(stderr, "decode_bench needs --model, and positive --threads, --rounds and --tokens\n");
        return 2;
    }
    const std::vector<std::string> paths = split(models), activation_names = split(activations),
                                   memory_names = split(memory);
    if (paths.empty() || activation_names.empty() || memory_names.empty() ||
        paths.size() * activation_names.size() * memory_names.size() > 2) {
        std::fprintf(stderr, "one of --model, --activations and --weights-memory may list two to alternate, got %s, %s and %s\n",
                     models.c_str(), activations.c_str(), memory.c_str());
        return 2;
    }
    for (const auto& m : memory_names) {
        if (m != "copy" && m != "mapped") {
            std::fprintf(stderr, "unknown weights memory %s (copy, mapped)\n", m.c_str());
            return 2;
        }
    }

    // Decode rounds feed `tokens` steps at positions context .. context + tokens - 1 of one sequence;
    // prefill rounds a prompt of `prefill` tokens from position 0. Every round does the same work.
    constexpr int32_t kBlockTokens = 16;
    const int32_t positions = prefill > 0 ? prefill : context + tokens;
    const int32_t blocks = (positions + kBlockTokens - 1) / kBlockTokens;
    std::vector<int32_t> table(static_cast<size_t>(blocks));
    for (int32_t b = 0; b < blocks; ++b) table[static_cast<size_t>(b)] = b;
    // One model (with its KV cache and workspace) per file and weights memory; one variant per model
    // and mode.
    struct Opened {
        Model* model;
        KvCache* kv;
        Workspace* ws;
        double bytes;  // weight bytes read per token
    };
    struct Variant {
        std::string name;
        size_t opened;
        int32_t activations;
    };
    std::vector<Opened> opened;
    std::vector<Variant> variants;
    for (const auto& path : paths) {
        for (const auto& m : memory_names) {
            Model* model = model_open(path.c_str(), threads, m == "mapped");
            opened.push_back({model, kv_create(model, blocks, kBlockTokens, KVT_F32),
                              workspace_create(model, std::max({context, prefill, 1})),
                              double(model_bytes_per_token(model))});
            for (const auto& a : activation_names) {
                const std::string name = paths.size() == 2 ? (&path == &paths[0] ? "first" : "second")
                                         : memory_names.size() == 2 ? m : a;
                variants.push_back({name, opened.size() - 1, activations_named(a)});
                model_set_activations(model, variants.back().activations);  // INT8's VNNI copies are made once, here
            }
        }
    }
    std::vector<Stepper> steppers;
    for (const Opened& o : opened) steppers.emplace_back(o.model, o.kv, o.ws, table);
    Model* first = opened[0].model;
    const int32_t vocab = model_config(first).vocab_size;
    for (const Opened& o : opened) {
        if (model_config(o.model).vocab_size != vocab) {
            std::fprintf(stderr, "the two engine files must have the same vocabulary\n");
            return 2;
        }
    }
    std::vector<int32_t> prompt(static_cast<size_t>(std::max(context, prefill)));
    for (size_t i = 0; i < prompt.size(); ++i) prompt[i] = 1 + int32_t(i % size_t(vocab - 1));
    if (prefill == 0 && context > 0) {
        for (Stepper& s : steppers) s.run(prompt.data(), context, 0);  // the context's K/V
    }
    std::optional<ReadProbe> probe;  // decode rounds only: prefill is compute-bound
    if (prefill == 0) probe.emplace(first->pool(), int64_t(1) << 30);

    if (prefill > 0) {
        std::printf("%s, %s activations, weights in %s, %d threads, prefill of %d tokens per round\n", models.c_str(),
                    activations.c_str(), memory.c_str(), threads, prefill);
    } else {
        std::string megabytes;
        for (const Opened& o : opened) megabytes += (megabytes.empty() ? "" : ", ") + std::to_string(int64_t(o.bytes / 1e6));
        std::printf("%s, %s activations, weights in %s, %d threads, %s MB/token, %d tokens per round after %d of context\n",
                    models.c_str(), activations.c_str(), memory.c_str(), threads, megabytes.c_str(), tokens, context);
    }
    const size_t n = variants.size();
    std::vector<std::vector<double>> speeds(n), fractions(n);
    std::vector<double> ratios;
    for (int round = -1; round < rounds; ++round) {  // round -1 warms up
        std::vector<double> speed(n);
        for (size_t k = 0; k < n; ++k) {
            const size_t v = (k + size_t(round + 1)) % n;  // who goes first alternates
            const Variant& variant = variants[v];
            Stepper& stepper = steppers[variant.opened];
            model_set_activations(opened[variant.opened].model, variant.activations);
            const double start = now();
            if (prefill > 0) {
                stepper.run(prompt.data(), prefill, 0);
                speed[v] = prefill / (now() - start);
            } else {
                int32_t token = 1;
                for (int32_t t = 0; t < tokens; ++t) token = stepper.run(&token, 1, context + t);
                speed[v] = tokens / (now() - start);
            }
            if (round < 0) continue;
            speeds[v].push_back(speed[v]);
            if (prefill > 0) {
                std::printf("  round %2d, %-6s: prefill %7.1f tok/s\n", round, variant.name.c_str(), speed[v]);
            } else {
                const double limit = probe->best_of(5);
                const double bytes = opened[variant.opened].bytes;
                fractions[v].push_back(bytes * speed[v] / limit);
                std::printf("  round %2d, %-6s: decode %6.1f tok/s = %5.1f GB/s, probe %5.1f GB/s: %3.0f%%\n", round,
                            variant.name.c_str(), speed[v], bytes * speed[v] / 1e9, limit / 1e9, 100 * fractions[v].back());
            }
        }
        if (round >= 0 && n == 2) ratios.push_back(speed[1] / speed[0]);
    }
    for (size_t v = 0; v < n; ++v) {
        const char* name = variants[v].name.c_str();
        if (prefill > 0) {
            std::printf("median, %s: prefill %.1f tok/s\n", name, median(speeds[v]));
        } else {
            std::printf("median, %s: decode %.1f tok/s, %.1f%% of the bandwidth beside it (rounds %.0f%% to %.0f%%)\n", name,
                        median(speeds[v]), 100 * median(fractions[v]),
                        100 * *std::min_element(fractions[v].begin(), fractions[v].end()),
                        100 * *std::max_element(fractions[v].begin(), fractions[v].end()));
        }
    }
    if (n == 2) {
        std::printf("median of the rounds' %s / %s ratios: %.3f (%.3f to %.3f)\n", variants[1].name.c_str(),
                    variants[0].name.c_str(), median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                    *std::max_element(ratios.begin(), ratios.end()));
    }
    for (const Opened& o : opened) {
        workspace_free(o.ws);
        kv_free(o.kv);
        model_free(o.model);
    }
    return 0;
}
