// A fixed pool of worker threads that runs one parallel loop at a time.
//
// A loop is cut into more chunks than threads, and threads claim chunks as they
// go: when a worker is descheduled (a busy machine, other JVM threads) the
// caller takes over the remaining chunks instead of waiting a time slice for
// it. Chunks shrink as the loop goes (each takes a share of what is left), so
// the first ones are long streams through the weights and the last ones short
// enough that the threads finish together. Every output element is still
// produced by exactly one thread with a fixed reduction order, so results never
// depend on which thread ran a chunk or on the thread count. Idle workers spin
// briefly before sleeping, because a decode step issues ~100 short loops and a
// condition-variable wake-up alone costs several microseconds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
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

    // Calls fn(thread_index, begin, end) over contiguous chunks covering [0, n);
    // returns when all chunks are done. Not re-entrant: one loop at a time.
    // Takes the callable by reference, never as a std::function: wrapping a
    // kernel's lambda in one allocated on every call, ~100 times per step.
    template <typename Fn>
    void parallel_for(int64_t n, const Fn& fn) {
        run(n, Task{&fn, [](const void* f, int thread, int64_t begin, int64_t end) {
                       (*static_cast<const Fn*>(f))(thread, begin, end);
                   }});
    }

private:
    // A borrowed callable: fn and the function that calls it.
    struct Task {
        const void* fn = nullptr;
        void (*call)(const void* fn, int thread, int64_t begin, int64_t end) = nullptr;
    };

    void run(int64_t n, Task task);
    // Cuts [0, n) into bounds_ (see the class comment); returns the chunk count.
    int64_t cut(int64_t n);
    void worker_main(int index);
    // Claims and runs chunks of loop `generation` until none is left.
    void run_chunks(int index, uint32_t generation);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
    // (generation << 32) | (chunk count << 16) | next chunk: claiming a chunk is one
    // CAS tied to its loop and checked against that loop's own chunk count, so a
    // worker that wakes late can never run a chunk of a later loop. (With the count
    // in a separate field, a worker holding the finished loop's word could read the
    // next loop's larger count while the caller was publishing it, claim a chunk
    // past the end, and leave done_ one ahead for good: the caller spun forever.)
    std::atomic<uint64_t> claim_{0};
    std::atomic<int64_t> done_{0};
    Task task_;
    // Chunk k of the current loop is [bounds_[k], bounds_[k + 1]); rewritten only once every chunk
    // of the previous loop has run.
    std::vector<int64_t> bounds_;
};

}  // namespace euclid
