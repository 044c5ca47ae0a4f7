// Time of the engine's attention (model/Attention.cpp) for one decode token at
// a long context, every layer, over FP32 K/V in the paged cache: blocks of a
// given size and order against one contiguous block, alternating token by
// token so a shared machine's drifts hit both alike (whole decode runs are far
// noisier). Before each token a buffer the size
// of the model's weights is read, so K/V come from DRAM as they do in a decode
// step (--flush-mb 0: from cache). Build and run: see README.md here.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "BenchClock.h"
#include "BenchShapes.h"
#include "kv/KvCache.h"
#include "model/Attention.h"
#include "model/Model.h"
#include "model/Workspace.h"

using namespace euclid;
using bench::now;

namespace {

// Reads every cache line of `buffer` on every pool thread's share: evicts the K/V.
void stream(ThreadPool& pool, const std::vector<uint8_t>& buffer) {
    pool.parallel_for(int64_t(buffer.size() / 4096), [&](int, int64_t begin, int64_t end) {
        uint64_t sum = 0;
        for (int64_t page = begin; page < end; ++page) {
            for (int64_t i = 0; i < 4096; i += 64) sum += buffer[size_t(page * 4096 + i)];
        }
        if (sum == 1) std::puts("");  // keeps the loop
    });
}

// A KV cache holding one sequence's K/V and its block table.
struct Layout {
    KvCache kv;
    std::vector<int32_t> table;

    Layout(const Model& model, int64_t block_tokens, int64_t blocks, bool shuffled)
        : kv(model, blocks, static_cast<int32_t>(block_tokens), KVT_F32), table(static_cast<size_t>(blocks)) {
        std::iota(table.begin(), table.end(), 0);
        std::mt19937 rng(2);
        if (shuffled) std::shuffle(table.begin(), table.end(), rng);
    }

    void write(int64_t slot, int layer, int k, const float* row) {
        const int64_t bt = kv.block_tokens();
        kv.write(table[static_cast<size_t>(slot / bt)], layer, k, static_cast<int>(slot % bt), row);
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::string shape = "qwen0.5b", order = "sequential";
    int64_t context = 1000, block_tokens = 16, tokens = 100, flush_mb = 400, threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--shape") shape = v;
        else if (a == "--context") context = std::atoll(v.c_str());
        else if (a == "--block-tokens") block_tokens = std::atoll(v.c_str());
        else if (a == "--order") order = v;
        else if (a == "--tokens") tokens = std::atoll(v.c_str());
        else if (a == "--flush-mb") flush_mb = std::atoll(v.c_str());
        else if (a == "--threads") threads = std::atoll(v.c_str());
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (order != "sequential" && order != "shuffled") {
        std::fprintf(stderr, "--order is sequential or shuffled\n");
        return 2;
    }
    ModelConfig config = bench::shape_named(shape);
    config.max_seq_len = static_cast<int32_t>(context);
    Model model(config, static_cast<int>(threads), WEIGHTS_F32);  // no weights: attention reads none
    Workspace ws(model, 1);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (float& f : ws.q) f = uniform(rng);
    // Contiguous: one block holding the whole context. Paged: --block-tokens blocks, the first of
    // the pool in order or any of four times as many in random order (a long-running engine's
    // free list). Both hold the same K/V.
    const int64_t used = (context + block_tokens - 1) / block_tokens;
    Layout layouts[2] = {Layout(model, context, 1, false), Layout(model, block_tokens, used * 4, order == "shuffled")};
    std::vector<float> row(static_cast<size_t>(model.kv_dim()));
    for (int64_t s = 0; s < context; ++s) {
        for (int layer = 0; layer < config.n_layers; ++layer) {
            for (int k = 0; k < 2; ++k) {
                for (float& f : row) f = uniform(rng);
                for (Layout& l : layouts) l.write(s, layer, k, row.data());
            }
        }
    }
    const int32_t token = 0, position = static_cast<int32_t>(context - 1);

    std::vector<uint8_t> weights(static_cast<size_t>(flush_mb) << 20, 1);
    std::vector<double> times[2], ratios;
    for (int64_t t = 0; t <= tokens; ++t) {
        double time[2];
        for (int i = 0; i < 2; ++i) {
            Layout& l = layouts[(t + i) % 2];  // alternate which goes first
            const int32_t* tables = l.table.data();
            Batch batch;
            batch.n = 1;
            batch.tokens = &token;
            batch.positions = &position;
            batch.tables = &tables;
            stream(model.pool(), weights);
            const double t0 = now();
            for (int layer = 0; layer < config.n_layers; ++layer) attention(model, l.kv, ws, batch, layer);
            time[(t + i) % 2] = now() - t0;
        }
        if (t == 0) continue;  // warm-up
        for (int i = 0; i < 2; ++i) times[i].push_back(time[i]);
        ratios.push_back(time[1] / time[0]);
    }
    for (auto& v : times) std::sort(v.begin(), v.end());
    std::sort(ratios.begin(), ratios.end());
    const size_t mid = ratios.size() / 2;
    std::printf("%s context %lld, %lld threads, attention of all layers per token (min / median): contiguous %.0f / %.0f us, "
                "%lld-token blocks in %s order %.0f / %.0f us; median paged / contiguous time %.3f\n",
                shape.c_str(), static_cast<long long>(context), static_cast<long long>(threads), times[0][0] * 1e6,
                times[0][mid] * 1e6, static_cast<long long>(block_tokens), order.c_str(), times[1][0] * 1e6,
                times[1][mid] * 1e6, ratios[mid]);
}
