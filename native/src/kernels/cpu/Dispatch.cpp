// Chooses the widest kernel table this CPU can run, once.
#include <cpuid.h>

#include <cstdlib>
#include <cstring>

#include "euclid/euclid.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Vnni16.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {

namespace {

// F16C straight from CPUID: clang before 16 does not know "f16c" in __builtin_cpu_supports.
bool has_f16c() {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C) != 0;
}

bool has_avx512() {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && has_f16c() && __builtin_cpu_supports("fma");
}

bool has_avx512_vnni() { return has_avx512() && __builtin_cpu_supports("avx512vnni"); }

bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && has_f16c(); }

// The 16-row kernel for int8 activations: VNNI where the CPU has it, else AVX2's (the same bits).
KernelTable with_groups(KernelTable t, bool vnni) {
    t.matmul_groups_int8 = vnni ? matmul_groups_int8_vnni : matmul_groups_int8_avx2;
    return t;
}

KernelTable choose() {
    __builtin_cpu_init();
    // EUCLID_ISA=scalar|avx2 forces a narrower path (to test the portable code on any machine).
    const char* force = std::getenv("EUCLID_ISA");
    const bool allow512 = !force || std::strcmp(force, "avx512") == 0;
    const bool allow2 = allow512 || std::strcmp(force, "avx2") == 0;
    if (allow512 && has_avx512()) {
        KernelTable t = with_groups(avx512_kernels(), has_avx512_vnni());
        if (__builtin_cpu_supports("avx512bf16")) t.matmul_rows_bf16 = matmul_rows_bf16_avx512;
        return t;
    }
    if (allow2 && has_avx2()) return with_groups(avx2_kernels(), false);
    return scalar_kernels();
}

}  // namespace

const KernelTable& table() {
    static const KernelTable t = choose();
    return t;
}

float dot(const float* a, const float* b, int64_t n) { return table().dot(a, b, n); }

const char* isa() { return table().name; }

bool vnni16_copy_wanted(int32_t weights) {
    return table().matmul_groups_int8 && vnni16_takes(weights);
}

bool has_kernel(int32_t weights, int32_t activations) {
    switch (activations) {
        case ACTIVATIONS_INT8: return int8_kernel_takes(weights) || vnni16_copy_wanted(weights);
        case ACTIVATIONS_BF16: return table().matmul_rows_bf16 && bf16_kernel_takes(weights);
        default: return true;
    }
}

}  // namespace euclid::kernels
