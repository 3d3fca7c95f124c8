#pragma once

// Where the store's statements run, for any SQL backend: one writer thread owning the read-write connection,
// with punch batches from concurrent requests coalesced into one transaction (group commit), and a small pool
// of read connections beside it. The backend (storage/sqlite/backend.hpp) brings the connections, the
// transaction, its error type and the punch group's statements; everything else here is backend-neutral.

#include "core/result.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace rollcall::storage {

/// A punch batch waiting for the group commit, and who to tell once it is durable.
struct PunchJob {
    PunchBatch batch;
    Store::PunchCallback done;
};

/// The writer thread and its queue. Generic jobs run one at a time; consecutive punch batches run as one
/// group, up to a row cap, through `commit`. Knows no SQL.
class WriterThread {
public:
    struct Options {
        std::size_t queue_depth = 4096;             ///< punch batches waiting; more are refused
        std::size_t group_commit_max_rows = 20000;  ///< rows of one group (a single larger batch goes alone)
        std::function<void(std::size_t depth)> on_queue_depth;
    };
    using CommitGroup = std::function<void(std::vector<PunchJob>& group)>;

    WriterThread(Options options, CommitGroup commit);
    /// Runs what is queued, then joins.
    ~WriterThread();
    WriterThread(const WriterThread&) = delete;
    WriterThread& operator=(const WriterThread&) = delete;

    /// Queues `job` for the writer thread; false once stopping.
    bool Post(std::function<void()> job);
    /// Queues a batch, or answers `done` at once (on this thread) when stopping or the queue is full.
    void SubmitPunches(PunchBatch batch, Store::PunchCallback done);
    /// Waits until everything queued has run.
    void Flush();

private:
    struct Job {
        PunchJob punches;
        std::function<void()> fn;  ///< a generic job when set
    };

    void Loop();
    std::size_t QueuedPunchJobs();

    Options options_;
    CommitGroup commit_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<Job> queue_;
    std::size_t punch_jobs_ = 0;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread thread_;  // last: it starts once everything above exists
};

/// Read-only connections lent to one reader at a time; a reader waits when all are out.
template <class Connection>
class ConnectionPool {
public:
    explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections) : free_(std::move(connections)) {}

    /// A borrowed connection; it goes back to the pool when the lease ends.
    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
            : pool_(pool), connection_(std::move(connection)) {}
        ~Lease() { pool_.Return(std::move(connection_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() const { return *connection_; }

    private:
        ConnectionPool& pool_;
        std::unique_ptr<Connection> connection_;
    };

    Lease Borrow() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !free_.empty(); });
        auto connection = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(connection));
    }

private:
    void Return(std::unique_ptr<Connection> connection) {
        {
            std::lock_guard lock(mu_);
            free_.push_back(std::move(connection));
        }
        cv_.notify_one();
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> free_;
};

namespace detail {

template <class T>
struct ResultOf {
    using type = core::Result<T>;
};
template <class T>
struct ResultOf<core::Result<T>> {
    using type = core::Result<T>;
};
template <>
struct ResultOf<void> {
    using type = core::Status;
};

}  // namespace detail

/// What Read(fn) and Write(fn) answer for a statement function `fn(Connection&)`: its value as a Result (a
/// Result as itself, nothing as a Status), so callers never spell the type out.
template <class Fn, class Connection>
using ResultFor = typename detail::ResultOf<std::remove_cvref_t<std::invoke_result_t<Fn&, Connection&>>>::type;

/// The executor of a backend. A Backend provides:
///   using Connection; using Error;             the connection type and the exception its statements throw
///   explicit Backend(const StoreOptions&);     opens (and migrates) the writer connection
///   Connection& writer();                      the read-write connection; used on the writer thread only
///   std::unique_ptr<Connection> OpenReader();
///   static R InTransaction(Connection&, fn);   BEGIN ... COMMIT around fn, rolled back if it throws
///   static bool TakeDaysMarked(Connection&);   whether the committed transaction marked days (R18)
///   static core::Error ToError(const Error&, const char* what);
///   core::Result<std::vector<InsertStats>> CommitPunches(const std::vector<PunchJob>&);  on the writer thread
template <class Backend>
class Executor {
public:
    using Connection = typename Backend::Connection;

    explicit Executor(const StoreOptions& options)
        : options_(options),
          backend_(options),
          readers_(OpenReaders(backend_, options.read_connections)),
          writer_(
              WriterThread::Options{options.writer_queue_depth, options.group_commit_max_rows, options.on_queue_depth},
              [this](std::vector<PunchJob>& group) { CommitPunches(group); }) {}

    /// fn(Connection&) on a pooled read connection.
    template <class Fn>
    ResultFor<Fn, Connection> Read(const char* what, Fn&& fn) {
        auto connection = readers_.Borrow();
        return Guarded<ResultFor<Fn, Connection>>(what, fn, *connection);
    }

    /// fn(Connection&) in its own transaction on the writer thread; waits for it. When the transaction marked
    /// days for recomputation, `on_dirty` runs after its COMMIT, before the caller hears back.
    template <class Fn>
    ResultFor<Fn, Connection> Write(const char* what, Fn&& fn) {
        using R = ResultFor<Fn, Connection>;
        return OnWriter(what, [&](Connection& connection) -> R {
            R result = Backend::InTransaction(connection, [&]() -> R { return Call(fn, connection); });
            NotifyIfDaysMarked(connection);
            return result;
        });
    }

    /// fn(Connection&) on the writer thread, outside any transaction; waits for it.
    template <class Fn>
    ResultFor<Fn, Connection> OnWriter(const char* what, Fn&& fn) {
        using R = ResultFor<Fn, Connection>;
        std::optional<R> result;
        std::mutex done_mu;
        std::condition_variable done_cv;
        const bool queued = writer_.Post([&] {
            auto r = GuardedWrite<R>(what, fn);
            std::lock_guard lock(done_mu);
            result.emplace(std::move(r));
            done_cv.notify_one();
        });
        if (!queued) {
            return core::MakeError(core::Errc::kUnavailable, "server is shutting down; retry");
        }
        std::unique_lock lock(done_mu);
        done_cv.wait(lock, [&] { return result.has_value(); });
        return std::move(*result);
    }

    void SubmitPunches(PunchBatch batch, Store::PunchCallback done) {
        writer_.SubmitPunches(std::move(batch), std::move(done));
    }

    void Flush() { writer_.Flush(); }

    WriterHealth Health() const {
        std::lock_guard lock(health_mu_);
        return health_;
    }

private:
    static std::vector<std::unique_ptr<Connection>> OpenReaders(Backend& backend, std::size_t count) {
        std::vector<std::unique_ptr<Connection>> readers;
        for (std::size_t i = 0; i < std::max<std::size_t>(1, count); ++i) {
            readers.push_back(backend.OpenReader());
        }
        return readers;
    }

    template <class Fn>
    static ResultFor<Fn, Connection> Call(Fn& fn, Connection& connection) {
        if constexpr (std::is_void_v<std::invoke_result_t<Fn&, Connection&>>) {
            fn(connection);
            return {};
        } else {
            return fn(connection);
        }
    }

    /// Runs fn, turning the backend's exceptions into error values at the interface boundary.
    template <class R, class Fn>
    static R Guarded(const char* what, Fn& fn, Connection& connection) {
        try {
            return Call(fn, connection);
        } catch (const typename Backend::Error& e) {
            return Backend::ToError(e, what);
        }
    }

    /// Guarded, on the writer's connection, and what it says about the disk is remembered (Health).
    template <class R, class Fn>
    R GuardedWrite(const char* what, Fn& fn) {
        try {
            R r = Call(fn, backend_.writer());
            RecordWrite(std::nullopt);
            return r;
        } catch (const typename Backend::Error& e) {
            RecordWrite(Backend::DiskProblem(e));
            return Backend::ToError(e, what);
        }
    }

    /// After a write: nullopt when the disk took it (or refused nothing), else what the disk said.
    void RecordWrite(std::optional<std::string> problem) {
        std::lock_guard lock(health_mu_);
        if (problem) {
            health_ = WriterHealth{false, std::move(*problem)};
        } else if (!health_.writable) {
            health_ = WriterHealth{};
        }
    }

    void NotifyIfDaysMarked(Connection& connection) {
        if (Backend::TakeDaysMarked(connection) && options_.on_dirty) {
            options_.on_dirty();
        }
    }

    /// On the writer thread: one transaction for the whole group, then each caller is told.
    void CommitPunches(std::vector<PunchJob>& group) {
        const auto start = std::chrono::steady_clock::now();
        std::optional<std::vector<InsertStats>> stats;
        try {
            stats = backend_.CommitPunches(group);
            RecordWrite(std::nullopt);
        } catch (const typename Backend::Error& e) {
            RecordWrite(Backend::DiskProblem(e));
            (void)Backend::ToError(e, "punch commit");  // logs it
            for (auto& job : group) {
                // Nothing of the group was kept; the device keeps the punches and sends them again.
                job.done(core::MakeError(core::Errc::kUnavailable, "storage error; retry"));
            }
            return;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (options_.on_commit) {
            std::size_t rows = 0;
            for (const auto& job : group) {
                rows += job.batch.rows.size();
            }
            options_.on_commit(seconds, rows);
        }
        // The worker is woken before the callers hear back, so a caller that waits for its answer and then
        // for the worker never sees a mark the worker was not told about.
        NotifyIfDaysMarked(backend_.writer());
        for (std::size_t j = 0; j < group.size(); ++j) {
            group[j].done((*stats)[j]);
        }
    }

    StoreOptions options_;
    Backend backend_;
    ConnectionPool<Connection> readers_;
    mutable std::mutex health_mu_;
    WriterHealth health_;
    WriterThread writer_;  // last: stopped and joined before the connections close
};

}  // namespace rollcall::storage
