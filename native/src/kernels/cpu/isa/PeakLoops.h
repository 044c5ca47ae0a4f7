// Arithmetic-peak loops: independent FMA chains held in registers, no memory
// traffic. Each ISA's loop lives in its own translation unit compiled with that
// ISA's flags (PeakAvx2.cpp, PeakAvx512.cpp, PeakBf16.cpp) and runs only after
// runtime/Peak.cpp has checked CPUID, as the matmul kernels do (KernelTable.h).
#pragma once

#include <cstdint>

namespace euclid::kernels {

// Runs `iters` rounds of `kPeakChains` independent vector FMAs (acc = acc * a + b)
// and returns a value that depends on every chain (so none can be optimised away).
// FLOPs done: iters * kPeakChains * lanes * 2, lanes = 8 (AVX2) or 16 (AVX-512).
float peak_fma_avx2(int64_t iters, float seed);
float peak_fma_avx512(int64_t iters, float seed);

// The same with vdpbf16ps (AVX512_BF16): each instruction multiplies 32 BF16 pairs
// and adds them into 16 FP32 lanes, 64 FLOPs.
float peak_dpbf16_avx512(int64_t iters, float seed);

// Independent accumulators per thread: enough to cover FMA latency (4-5 cycles)
// times the FMA ports (2) on current x86 cores, with registers to spare.
constexpr int kPeakChains = 12;

}  // namespace euclid::kernels
