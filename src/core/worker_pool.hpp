#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rollcall::core {

/// A fixed set of threads with a bounded queue, for work that must not run on io threads (admin
/// requests, password hashing). When the queue is full TryPost refuses instead of growing memory.
class WorkerPool {
public:
    WorkerPool(std::size_t threads, std::size_t queue_depth);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    bool TryPost(std::function<void()> job);
    /// Runs what is queued, then joins the threads.
    void Shutdown();

private:
    void Run();

    std::size_t queue_depth_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace rollcall::core
