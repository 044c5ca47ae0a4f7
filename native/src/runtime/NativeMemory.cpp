#include "runtime/NativeMemory.h"

#include <atomic>
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

}  // namespace

void native_bytes_add(int64_t delta) noexcept { g_bytes.fetch_add(delta, std::memory_order_relaxed); }

int64_t native_bytes_counted() noexcept { return g_bytes.load(std::memory_order_relaxed); }

void* tracked_aligned_alloc(size_t alignment, size_t bytes) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) throw std::bad_alloc();
    if (bytes > size_t(-1) - alignment) throw std::bad_alloc();
    const size_t size = padded(bytes, alignment);
    void* p = std::aligned_alloc(alignment, size);
    if (!p) throw std::bad_alloc();
    native_bytes_add(static_cast<int64_t>(size));
    return p;
}

void tracked_free(void* p, size_t alignment, size_t bytes) noexcept {
    if (!p) return;
    std::free(p);
    native_bytes_add(-static_cast<int64_t>(padded(bytes, alignment)));
}

int64_t native_bytes_in_use() { return native_bytes_counted(); }

}  // namespace euclid
