#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace rollcall::core {

/// The source of "now". Production uses the system clock; tests inject a fixed one so nothing depends on
/// today's date.
class Clock {
public:
    virtual ~Clock() = default;
    /// Seconds since the Unix epoch, UTC.
    virtual std::int64_t NowUnix() const = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t NowUnix() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(std::int64_t unix_seconds) : now_(unix_seconds) {}
    std::int64_t NowUnix() const override { return now_.load(); }
    void Set(std::int64_t unix_seconds) { now_.store(unix_seconds); }
    void Advance(std::int64_t seconds) { now_.fetch_add(seconds); }

private:
    std::atomic<std::int64_t> now_;
};

}  // namespace rollcall::core
