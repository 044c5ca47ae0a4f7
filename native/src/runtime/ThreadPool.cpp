#include "runtime/ThreadPool.h"

#include <chrono>

namespace euclid {

namespace {
// How long an idle worker polls for the next loop before it sleeps: long
// enough to cover the gap between kernels of one forward pass.
constexpr auto kSpin = std::chrono::microseconds(200);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
    if (threads < 1) threads = 1;
    workers_.reserve(threads - 1);
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { worker_main(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::run_chunk(int index) {
    const int64_t parts = size();
    const int64_t begin = task_n_ * index / parts;
    const int64_t end = task_n_ * (index + 1) / parts;
    if (begin < end) (*task_)(index, begin, end);
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int, int64_t, int64_t)>& fn) {
    if (workers_.empty() || n <= 1) {
        if (n > 0) fn(0, 0, n);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        task_ = &fn;
        task_n_ = n;
        pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    run_chunk(0);
    while (pending_.load(std::memory_order_acquire) != 0) cpu_relax();
}

void ThreadPool::worker_main(int index) {
    uint64_t seen = 0;
    for (;;) {
        const auto spin_until = std::chrono::steady_clock::now() + kSpin;
        uint64_t gen = generation_.load(std::memory_order_acquire);
        while (gen == seen && std::chrono::steady_clock::now() < spin_until) {
            for (int i = 0; i < 64; ++i) cpu_relax();
            gen = generation_.load(std::memory_order_acquire);
        }
        if (gen == seen) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
            gen = generation_.load(std::memory_order_acquire);
        }
        seen = gen;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        run_chunk(index);
        pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

}  // namespace euclid
