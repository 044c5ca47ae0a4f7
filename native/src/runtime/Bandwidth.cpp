#include "runtime/Bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/cpu/Kernels.h"
#include "runtime/ThreadPool.h"

namespace euclid {

double read_bandwidth(int64_t bytes, int threads) {
    if (bytes < (int64_t(1) << 20) || bytes > (int64_t(1) << 36)) {
        throw std::invalid_argument("bandwidth buffer of " + std::to_string(bytes) + " bytes is outside [1 MiB, 64 GiB]");
    }
    const int64_t floats = bytes / 4;
    std::unique_ptr<float, void (*)(void*)> buf(static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>(floats) * 4)),
                                                std::free);
    if (!buf) throw std::runtime_error("out of memory for the bandwidth buffer");
    ThreadPool pool(threads);
    // First touch from the threads that will read, then time full passes.
    pool.parallel_for(floats, [&](int, int64_t b, int64_t e) { std::memset(buf.get() + b, 1, (e - b) * 4); });
    std::vector<float> sinks(pool.size(), 0.0f);
    const std::vector<float> ones(4096, 1.0f);
    double best = 0.0;
    for (int pass = 0; pass < 5; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        // dot() against a small cached vector: one streaming load per element, like a decode matmul.
        pool.parallel_for(floats / 4096, [&](int th, int64_t b, int64_t e) {
            float s = 0.0f;
            for (int64_t i = b; i < e; ++i) s += kernels::dot(buf.get() + i * 4096, ones.data(), 4096);
            sinks[th] += s;
        });
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (secs > 0) best = std::max(best, double(floats / 4096 * 4096) * 4.0 / secs);
    }
    volatile float keep = sinks[0];  // the sums must not be optimised away
    (void)keep;
    return best;
}

}  // namespace euclid
