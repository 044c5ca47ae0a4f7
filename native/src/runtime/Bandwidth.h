// Measures this machine's memory read bandwidth: the ceiling for decode at batch 1.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/NativeMemory.h"

namespace euclid {

class ThreadPool;

// A buffer far larger than any cache, summed by a pool's threads the way a decode matmul streams its
// weights (one load per element against a small cached vector). Kept between passes, so a benchmark
// can probe the bandwidth again and again between its own measurements: on a shared host it moves by
// 2x within a minute, and only a probe taken beside a measurement is its limit.
class ReadProbe {
public:
    // Allocates `bytes` (1 MiB to 64 GiB; from 2 MiB in huge pages, as the weights: NativeMemory.h) and
    // touches it from the pool's threads.
    ReadProbe(ThreadPool& pool, int64_t bytes);
    ReadProbe(const ReadProbe&) = delete;
    ReadProbe& operator=(const ReadProbe&) = delete;

    // Bytes per second of the fastest of `passes` full reads.
    double best_of(int passes);

private:
    ThreadPool& pool_;
    int64_t floats_;
    TrackedBuffer<float> buffer_;
    std::vector<float> sinks_;  // one sum per thread, so the reads are not optimised away
};

// Bytes per second read by `threads` threads summing a `bytes` buffer (best of five passes).
double read_bandwidth(int64_t bytes, int threads);

}  // namespace euclid
