#include "runtime/NativeMemory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "euclid/euclid.h"

namespace euclid {

namespace {

std::atomic<int64_t> g_bytes{0};

// What a request of `bytes` actually holds: at least one byte (a zero-byte
// aligned_alloc may return null), rounded up to the alignment (aligned_alloc
// needs a multiple of it). Free recomputes the same size from the same inputs.
size_t padded(size_t bytes, size_t alignment) noexcept {
    return ((bytes == 0 ? 1 : bytes) + alignment - 1) / alignment * alignment;
}

// Buffers of at least this size (weights, VNNI copies, KV pools, loaded engine files) get a mapping
// of their own, aligned to a transparent huge page and advised to use them. Decode streams every
// weight once per token: through 4 KiB pages the hardware prefetchers stop at every page boundary
// and each page costs a TLB walk, and on a Zen 4 host two threads read a 1 GiB buffer at 25 GB/s
// through 4 KiB pages against 33 GB/s through 2 MiB ones. Where THP is off the advice is ignored.
constexpr size_t kHugePage = size_t(2) << 20;

bool own_mapping(size_t size, size_t alignment) noexcept { return size >= kHugePage && alignment <= kHugePage; }

// The whole pages a mapping of `size` bytes keeps.
size_t page_rounded(size_t size) noexcept {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    return (size + page - 1) / page * page;
}

void* map_huge(size_t size) {
    // Over-allocate by one huge page, then trim the unaligned head and the tail beyond `size`.
    if (size > size_t(-1) / 2) throw std::bad_alloc();
    void* m = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    const uintptr_t start = reinterpret_cast<uintptr_t>(m);
    const uintptr_t aligned = (start + kHugePage - 1) & ~uintptr_t(kHugePage - 1);
    const size_t kept = page_rounded(size);
    if (aligned > start) ::munmap(m, aligned - start);
    const uintptr_t end = start + size + kHugePage;
    if (end > aligned + kept) ::munmap(reinterpret_cast<void*>(aligned + kept), end - aligned - kept);
#ifdef MADV_HUGEPAGE
    ::madvise(reinterpret_cast<void*>(aligned), kept, MADV_HUGEPAGE);
#endif
    return reinterpret_cast<void*>(aligned);
}

}  // namespace

void native_bytes_add(int64_t delta) noexcept { g_bytes.fetch_add(delta, std::memory_order_relaxed); }

int64_t native_bytes_counted() noexcept { return g_bytes.load(std::memory_order_relaxed); }

void* tracked_aligned_alloc(size_t alignment, size_t bytes) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) throw std::bad_alloc();
    if (bytes > size_t(-1) - alignment) throw std::bad_alloc();
    const size_t size = padded(bytes, alignment);
    void* p = own_mapping(size, alignment) ? map_huge(size) : std::aligned_alloc(alignment, size);
    if (!p) throw std::bad_alloc();
    native_bytes_add(static_cast<int64_t>(size));
    return p;
}

void tracked_free(void* p, size_t alignment, size_t bytes) noexcept {
    if (!p) return;
    const size_t size = padded(bytes, alignment);
    if (own_mapping(size, alignment)) {
        ::munmap(p, page_rounded(size));
    } else {
        std::free(p);
    }
    native_bytes_add(-static_cast<int64_t>(size));
}

int64_t native_bytes_in_use() { return native_bytes_counted(); }

}  // namespace euclid
