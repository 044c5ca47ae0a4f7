// Compares the dispatched exp kernel (kernels::table().exp) with the C library's
// expf over every one of the 2^32 float inputs and prints how many differ (bit
// patterns; NaNs compare as equal when both are NaN). Avx512Exp.cpp claims 0 on a
// glibc >= 2.27 machine with FMA. Build and run: see README.md here.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"

int main() {
    using namespace euclid;
    const auto exp = kernels::table().exp;
    constexpr int64_t kChunk = 1 << 16;
    std::vector<float> in(kChunk), out(kChunk);
    uint64_t differ = 0;
    for (uint64_t base = 0; base < (uint64_t(1) << 32); base += kChunk) {
        for (int64_t i = 0; i < kChunk; ++i) {
            const uint32_t bits = static_cast<uint32_t>(base + i);
            std::memcpy(&in[i], &bits, 4);
        }
        exp(out.data(), in.data(), kChunk);
        for (int64_t i = 0; i < kChunk; ++i) {
            const float want = std::exp(in[i]);
            if (std::memcmp(&want, &out[i], 4) != 0 && !(std::isnan(want) && std::isnan(out[i]))) {
                if (differ < 10) std::printf("x = %a: expf %a, kernel %a\n", in[i], want, out[i]);
                ++differ;
            }
        }
    }
    std::printf("exp_check %s: %llu of 2^32 inputs differ from expf\n", kernels::isa(),
                static_cast<unsigned long long>(differ));
    return differ == 0 ? 0 : 1;
}
