// The clocks the native benchmarks time with.
#pragma once

#include <ctime>

namespace euclid::bench {

// Seconds on the monotonic wall clock, or with `cpu` on this thread's CPU-time clock (which a
// neighbour on a shared machine does not stretch).
inline double now(bool cpu = false) {
    timespec ts;
    clock_gettime(cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

}  // namespace euclid::bench
