// Native memory accounting: every large buffer the engine owns (tensor storage,
// file mappings; KV caches as they adopt it) is counted in one process-wide
// atomic, exposed as euclid::native_bytes_in_use(). Tests use it to prove that
// closing an engine, or the Cleaner freeing a dropped one, gives every byte back.
//
// Counting is by requested size (rounded up to the alignment for aligned
// buffers), not by what malloc rounds to: the counter answers "what do we still
// hold", so it must return exactly to its starting value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace euclid {

// Adds `delta` (may be negative) to the counter. For memory not allocated by the
// helpers below, e.g. a file mapping.
void native_bytes_add(int64_t delta) noexcept;

// Current value of the counter.
int64_t native_bytes_counted() noexcept;

// `bytes` (rounded up to a multiple of `alignment`, a power of two) aligned to
// `alignment`; throws std::bad_alloc when the allocation fails. From 2 MiB up, the
// buffer is a mapping of its own in transparent huge pages where the OS offers them
// (NativeMemory.cpp says why), zero-filled. Free with
// tracked_free(p, bytes) passing the same `bytes` and `alignment`.
void* tracked_aligned_alloc(size_t alignment, size_t bytes);
void tracked_free(void* p, size_t alignment, size_t bytes) noexcept;

// Deleter for std::unique_ptr over a tracked_aligned_alloc buffer.
struct TrackedFree {
    size_t alignment = 0, bytes = 0;
    void operator()(void* p) const noexcept { tracked_free(p, alignment, bytes); }
};

template <typename T>
using TrackedBuffer = std::unique_ptr<T, TrackedFree>;

// A tracked buffer of `bytes` aligned to `alignment`, owned by the returned pointer.
template <typename T>
TrackedBuffer<T> make_tracked_buffer(size_t alignment, size_t bytes) {
    return TrackedBuffer<T>(static_cast<T*>(tracked_aligned_alloc(alignment, bytes)), TrackedFree{alignment, bytes});
}

// Counting std allocator: std::vector<float, CountingAllocator<float>> keeps
// its capacity in the counter.
template <typename T>
struct CountingAllocator {
    using value_type = T;

    CountingAllocator() noexcept = default;
    template <typename U>
    CountingAllocator(const CountingAllocator<U>&) noexcept {}

    T* allocate(size_t n) {
        if (n > size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
        T* p = std::allocator<T>().allocate(n);
        native_bytes_add(static_cast<int64_t>(n * sizeof(T)));
        return p;
    }

    void deallocate(T* p, size_t n) noexcept {
        native_bytes_add(-static_cast<int64_t>(n * sizeof(T)));
        std::allocator<T>().deallocate(p, n);
    }

    template <typename U>
    bool operator==(const CountingAllocator<U>&) const noexcept { return true; }
    template <typename U>
    bool operator!=(const CountingAllocator<U>&) const noexcept { return false; }
};

}  // namespace euclid
