#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace rollcall::core {

/// The one way a background thread runs and sleeps: a pass, then a wait that ends when the pass said the next
/// one is due, at a Wake, or at once on Stop. The recompute worker, the webhook dispatcher and the agent's
/// rounds and device workers are loops of this kind, so none of them sleeps in slices polling a stop flag and
/// every one of them stops the same way.
class BackgroundLoop {
public:
    using Clock = std::chrono::steady_clock;
    /// One pass; returns when the next one is due (Clock::time_point::max(): only on a Wake), or std::nullopt
    /// to end the loop.
    using Pass = std::function<std::optional<Clock::time_point>()>;

    BackgroundLoop() = default;
    /// Stops and joins the thread of Start: a loop never outlives what its passes use.
    ~BackgroundLoop();
    BackgroundLoop(const BackgroundLoop&) = delete;
    BackgroundLoop& operator=(const BackgroundLoop&) = delete;

    /// Runs passes on a thread of its own until Stop, or until a pass ends the loop. A second Start while
    /// the thread exists does nothing.
    void Start(Pass pass);
    /// Runs passes on the calling thread until RequestStop from another thread, or until a pass ends the loop.
    void Run(const Pass& pass);
    /// Asks the loop to end: the wait in progress ends at once and so does every later one; the pass in flight
    /// runs to its end. From any thread, a pass's included; not from a signal handler.
    void RequestStop();
    /// RequestStop, then waits for the thread of Start to end. Not from a pass.
    void Stop();
    /// The next pass runs now: ends the wait in progress, or the one after the pass in flight.
    void Wake();

    bool stopping() const;
    /// True once the thread of Start ran its last pass: joining it does not wait.
    bool finished() const;

    /// A pass's own interruptible sleep (a retry's backoff): until `deadline`, or until stopped. A Wake does
    /// not end it. False when stopping.
    bool SleepUntil(Clock::time_point deadline);
    bool SleepFor(Clock::duration how_long) { return SleepUntil(Clock::now() + how_long); }

private:
    void Loop(const Pass& pass);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    bool finished_ = false;
    std::thread thread_;
};

}  // namespace rollcall::core
