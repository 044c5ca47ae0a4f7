#include "runtime/ThreadPool.h"

#include <algorithm>
#include <chrono>

namespace euclid {

namespace {
// How long an idle worker polls for the next loop before it sleeps: long
// enough to cover the gap between kernels of one forward pass.
constexpr auto kSpin = std::chrono::microseconds(100);
// Each chunk takes 1/(kShareDivisor * threads) of the loop's remaining iterations, and at least
// 1/(kLeastDivisor * threads) of all: on 2 threads 25%, 19%, 14%, ... down to 3%. Against four equal
// chunks per thread, batch-1 decode of the 1b shape ran 3-5% faster (the waits for the last chunk
// of each of ~200 loops a token were most of the difference; native/bench's decode_bench and an
// alternating A/B, NVFP4 and Q4_0 with INT8 activations, FP16).
constexpr int64_t kShareDivisor = 2;
constexpr int64_t kLeastDivisor = 16;
// The chunk count and the next chunk share the low 32 bits of the claim word.
constexpr int64_t kMaxChunks = 0xFFFF;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

inline uint32_t generation_of(uint64_t claim) { return static_cast<uint32_t>(claim >> 32); }
inline int64_t chunks_of(uint64_t claim) { return static_cast<int64_t>((claim >> 16) & 0xFFFF); }
inline int64_t chunk_of(uint64_t claim) { return static_cast<int64_t>(claim & 0xFFFF); }
}  // namespace

ThreadPool::ThreadPool(int threads) {
    if (threads < 1) threads = 1;
    workers_.reserve(threads - 1);
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { worker_main(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_.store(true);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::run_chunks(int index, uint32_t generation) {
    for (;;) {
        uint64_t c = claim_.load(std::memory_order_acquire);
        const int64_t chunks = chunks_of(c);
        if (generation_of(c) != generation || chunk_of(c) >= chunks) return;
        if (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel)) continue;
        const int64_t k = chunk_of(c);
        task_.call(task_.fn, index, bounds_[k], bounds_[k + 1]);
        done_.fetch_add(1, std::memory_order_acq_rel);
    }
}

int64_t ThreadPool::cut(int64_t n) {
    const int64_t threads = size();
    const int64_t least = std::max<int64_t>(1, n / (kLeastDivisor * threads));
    bounds_.assign(1, 0);  // keeps its capacity: after the first loops, no allocation
    while (bounds_.back() < n) {
        const int64_t left = n - bounds_.back();
        const int64_t share = (left + kShareDivisor * threads - 1) / (kShareDivisor * threads);
        // The claim word counts chunks in 16 bits: the last one takes whatever is left.
        const int64_t size = int64_t(bounds_.size()) == kMaxChunks ? left : std::min(left, std::max(least, share));
        bounds_.push_back(bounds_.back() + size);
    }
    return int64_t(bounds_.size()) - 1;
}

void ThreadPool::run(int64_t n, Task task) {
    if (workers_.empty() || n <= 1) {
        if (n > 0) task.call(task.fn, 0, 0, n);
        return;
    }
    const uint32_t generation = generation_of(claim_.load(std::memory_order_relaxed)) + 1;
    int64_t chunks = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        task_ = task;
        chunks = cut(n);
        done_.store(0, std::memory_order_relaxed);
        claim_.store(uint64_t(generation) << 32 | uint64_t(chunks) << 16, std::memory_order_release);
    }
    wake_.notify_all();
    run_chunks(0, generation);
    // Chunks still running elsewhere: spin a little, then give the CPU away so a
    // worker sharing this core can finish.
    for (int spins = 0; done_.load(std::memory_order_acquire) != chunks; ++spins) {
        if (spins < 4096) {
            cpu_relax();
        } else {
            std::this_thread::yield();
        }
    }
}

void ThreadPool::worker_main(int index) {
    uint32_t seen = 0;
    for (;;) {
        const auto spin_until = std::chrono::steady_clock::now() + kSpin;
        uint32_t gen = generation_of(claim_.load(std::memory_order_acquire));
        while (gen == seen && !stopping_.load(std::memory_order_relaxed) &&
               std::chrono::steady_clock::now() < spin_until) {
            for (int i = 0; i < 64; ++i) cpu_relax();
            gen = generation_of(claim_.load(std::memory_order_acquire));
        }
        if (gen == seen) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] {
                return stopping_.load() || generation_of(claim_.load(std::memory_order_acquire)) != seen;
            });
            gen = generation_of(claim_.load(std::memory_order_acquire));
        }
        if (stopping_.load()) return;
        seen = gen;
        run_chunks(index, gen);
    }
}

}  // namespace euclid
