#pragma once

#include "core/clock.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rollcall::http {

/// Token buckets keyed by a string (device id, email, address). Time comes from the injected clock, so
/// tests with a fixed clock are deterministic.
class RateLimiter {
public:
    /// `refill` tokens come back every `period_seconds`, up to `burst`.
    RateLimiter(const core::Clock& clock, std::int64_t refill, std::int64_t period_seconds, std::int64_t burst)
        : clock_(clock), refill_(refill), period_(period_seconds), burst_(burst) {}

    /// Takes one token; false when the bucket is empty.
    bool Allow(const std::string& key);

private:
    struct Bucket {
        std::int64_t tokens = 0;
        std::int64_t updated = 0;
    };
    const core::Clock& clock_;
    std::int64_t refill_;
    std::int64_t period_;
    std::int64_t burst_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace rollcall::http
