// Measures this machine's memory read bandwidth: the ceiling for decode at batch 1.
#pragma once

#include <cstdint>

namespace euclid {

// Bytes per second read by `threads` threads summing a `bytes` buffer (best of several passes).
double read_bandwidth(int64_t bytes, int threads);

}  // namespace euclid
