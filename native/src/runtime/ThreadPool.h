// A fixed pool of worker threads that runs one parallel loop at a time.
//
// Kernels split work into contiguous chunks per thread and every output
// element is produced by exactly one thread with a fixed reduction order, so
// results never depend on the thread count. Workers spin briefly before
// sleeping because a decode step issues ~100 short loops and a condition
// variable wake-up alone costs several microseconds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace euclid {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }

    // Calls fn(thread_index, begin, end) over [0, n) split into size() contiguous
    // chunks; the calling thread takes chunk 0. Returns when all chunks are done.
    // Not re-entrant: one loop at a time per pool.
    void parallel_for(int64_t n, const std::function<void(int, int64_t, int64_t)>& fn);

private:
    void worker_main(int index);
    void run_chunk(int index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    bool stopping_ = false;
    const std::function<void(int, int64_t, int64_t)>* task_ = nullptr;
    int64_t task_n_ = 0;
};

}  // namespace euclid
