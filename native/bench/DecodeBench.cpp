// Batch-1 decode of an engine file against the memory read bandwidth measured beside it: rounds of
// a few decode steps, each followed by a bandwidth probe on the same threads, and each round's decode
// GB/s (weight bytes per token x tokens/s) over its own probe. On a shared host the bandwidth moves by
// 2x within a minute, so a probe taken minutes away (the CLI suite's) says little about one decode
// run; a probe a fraction of a second away does. Build and run: see README.md here.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
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

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string path, activations = "fp32";
    int threads = 2, rounds = 10, tokens = 16, context = 64;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--model") path = v, ++i;
        else if (a == "--activations") activations = v, ++i;
        else if (a == "--threads") threads = std::atoi(v), ++i;
        else if (a == "--rounds") rounds = std::atoi(v), ++i;
        else if (a == "--tokens") tokens = std::atoi(v), ++i;
        else if (a == "--context") context = std::atoi(v), ++i;
        else {
            std::fprintf(stderr, "usage: decode_bench --model ENGINE_FILE [--activations fp32|int8|bf16] [--threads T] [--rounds R] "
                                 "[--tokens N] [--context C]\n");
            return 2;
        }
    }
    if (path.empty() || threads < 1 || rounds < 1 || tokens < 1 || context < 0) {
        std::fprintf(stderr, "decode_bench needs --model, and positive --threads, --rounds and --tokens\n");
        return 2;
    }
    Model* model = model_open(path.c_str(), threads);
    model_set_activations(model, activations_named(activations));
    // Every round decodes `tokens` steps at positions context .. context + tokens - 1 of one sequence
    // (the same positions each round: each round does the same work).
    constexpr int32_t kBlockTokens = 16;
    const int32_t blocks = (context + tokens + kBlockTokens - 1) / kBlockTokens;
    KvCache* kv = kv_create(model, blocks, kBlockTokens, KVT_F32);
    Workspace* ws = workspace_create(model, std::max(context, 1));
    std::vector<int32_t> table(static_cast<size_t>(blocks));
    for (int32_t b = 0; b < blocks; ++b) table[static_cast<size_t>(b)] = b;
    const int32_t vocab = model_config(model).vocab_size;
    std::vector<float> logits(static_cast<size_t>(vocab) * std::max(context, 1));
    if (context > 0) {  // the context's K/V, from a prompt of token ids 1, 2, ...
        std::vector<int32_t> prompt(static_cast<size_t>(context));
        for (int32_t i = 0; i < context; ++i) prompt[static_cast<size_t>(i)] = 1 + i % (vocab - 1);
        step_logits(model, kv, ws, table.data(), blocks, prompt.data(), context, 0, logits.data());
    }
    const double bytes = double(model_bytes_per_token(model));
    ReadProbe probe(model->pool(), int64_t(1) << 30);

    std::printf("%s, %s activations, %d threads, %.1f MB/token, %d tokens per round after %d of context\n", path.c_str(),
                activations.c_str(), threads, bytes / 1e6, tokens, context);
    std::vector<double> fractions, speeds;
    for (int round = -1; round < rounds; ++round) {  // round -1 warms up
        const double start = now();
        int32_t token = 1;
        for (int32_t t = 0; t < tokens; ++t) {
            step_logits(model, kv, ws, table.data(), blocks, &token, 1, context + t, logits.data());
            token = int32_t(std::max_element(logits.begin(), logits.begin() + vocab) - logits.begin());
        }
        const double speed = tokens / (now() - start);
        const double limit = probe.best_of(5);
        if (round < 0) continue;
        speeds.push_back(speed);
        fractions.push_back(bytes * speed / limit);
        std::printf("  round %2d: decode %6.1f tok/s = %5.1f GB/s, probe %5.1f GB/s: %3.0f%%\n", round, speed, bytes * speed / 1e9,
                    limit / 1e9, 100 * fractions.back());
    }
    std::printf("median: decode %.1f tok/s, %.0f%% of the bandwidth beside it (rounds %.0f%% to %.0f%%)\n", median(speeds),
                100 * median(fractions), 100 * *std::min_element(fractions.begin(), fractions.end()),
                100 * *std::max_element(fractions.begin(), fractions.end()));
    workspace_free(ws);
    kv_free(kv);
    model_free(model);
    return 0;
}
