#include "runtime/Bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

#include "kernels/cpu/Kernels.h"
#include "runtime/ThreadPool.h"

namespace euclid {

namespace {
// Floats per dot(): a 16 KiB page-aligned stretch of the buffer.
constexpr int64_t kStretch = 4096;
}  // namespace

ReadProbe::ReadProbe(ThreadPool& pool, int64_t bytes)
    : pool_(pool), floats_(bytes / 4 / kStretch * kStretch), sinks_(pool.size(), 0.0f) {
    if (bytes < (int64_t(1) << 20) || bytes > (int64_t(1) << 36)) {
        throw std::invalid_argument("bandwidth buffer of " + std::to_string(bytes) + " bytes is outside [1 MiB, 64 GiB]");
    }
    try {
        buffer_ = make_tracked_buffer<float>(64, static_cast<size_t>(floats_) * 4);  // in huge pages, as the weights
    } catch (const std::bad_alloc&) {
        throw std::runtime_error("out of memory for the bandwidth buffer");
    }
    // First touch from the threads that will read.
    float* b = buffer_.get();
    pool_.parallel_for(floats_, [&](int, int64_t begin, int64_t end) { std::memset(b + begin, 1, (end - begin) * 4); });
}

double ReadProbe::best_of(int passes) {
    const float* b = buffer_.get();
    const std::vector<float> ones(kStretch, 1.0f);
    double best = 0.0;
    for (int pass = 0; pass < passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        pool_.parallel_for(floats_ / kStretch, [&](int th, int64_t begin, int64_t end) {
            float s = 0.0f;
            for (int64_t i = begin; i < end; ++i) s += kernels::dot(b + i * kStretch, ones.data(), kStretch);
            sinks_[th] += s;
        });
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (secs > 0) best = std::max(best, double(floats_) * 4.0 / secs);
    }
    volatile float keep = sinks_[0];
    (void)keep;
    return best;
}

double read_bandwidth(int64_t bytes, int threads) {
    ThreadPool pool(threads);
    return ReadProbe(pool, bytes).best_of(5);
}

}  // namespace euclid
