#include "storage/executor.hpp"

namespace rollcall::storage {

WriterThread::WriterThread(Options options, CommitGroup commit)
    : options_(std::move(options)), commit_(std::move(commit)), thread_([this] { Loop(); }) {}

WriterThread::~WriterThread() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

bool WriterThread::Post(std::function<void()> job) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) {
            return false;
        }
        queue_.push_back(Job{{}, std::move(job)});
    }
    cv_.notify_one();
    return true;
}

void WriterThread::SubmitPunches(PunchBatch batch, Store::PunchCallback done) {
    std::size_t depth = 0;
    {
        std::lock_guard lock(mu_);
        if (stopping_) {
            done(core::MakeError(core::Errc::kUnavailable, "server is shutting down; retry"));
            return;
        }
        if (punch_jobs_ >= options_.queue_depth) {
            done(core::MakeError(core::Errc::kUnavailable, "server busy: write queue full; retry"));
            return;
        }
        ++punch_jobs_;
        depth = punch_jobs_;
        queue_.push_back(Job{PunchJob{std::move(batch), std::move(done)}, nullptr});
    }
    if (options_.on_queue_depth) {
        options_.on_queue_depth(depth);
    }
    cv_.notify_one();
}

void WriterThread::Flush() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

std::size_t WriterThread::QueuedPunchJobs() {
    std::lock_guard lock(mu_);
    return punch_jobs_;
}

void WriterThread::Loop() {
    for (;;) {
        std::function<void()> fn;
        std::vector<PunchJob> group;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and everything queued is done
            }
            busy_ = true;
            if (queue_.front().fn) {
                fn = std::move(queue_.front().fn);
                queue_.pop_front();
            } else {
                // Group commit: every queued punch batch, up to the row cap, in one transaction.
                std::size_t rows = 0;
                while (!queue_.empty() && !queue_.front().fn &&
                       (group.empty() ||
                        rows + queue_.front().punches.batch.rows.size() <= options_.group_commit_max_rows)) {
                    rows += queue_.front().punches.batch.rows.size();
                    group.push_back(std::move(queue_.front().punches));
                    queue_.pop_front();
                }
                punch_jobs_ -= group.size();
            }
        }
        if (fn) {
            fn();
        } else {
            if (options_.on_queue_depth) {
                options_.on_queue_depth(QueuedPunchJobs());
            }
            commit_(group);
        }
        // The jobs' callbacks go before Flush can return: they may hold the last reference to a request of a
        // server that is destroyed once the stop has flushed.
        fn = nullptr;
        group.clear();
        {
            std::lock_guard lock(mu_);
            busy_ = false;
        }
        idle_cv_.notify_all();
    }
}

}  // namespace rollcall::storage
