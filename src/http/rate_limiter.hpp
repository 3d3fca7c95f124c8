#pragma once

#include "auth/crypto.hpp"
#include "core/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace rollcall::http {

/// Token buckets keyed by a string (device id, email, address). Time comes from the injected clock, so
/// tests with a fixed clock are deterministic.
///
/// The keys are often chosen by whoever is attacking (a login's email), so a bucket is kept under a 16-byte
/// keyed digest of its key, never the key itself, and at most `capacity` buckets are kept: the least recently
/// used goes first. Memory is then bounded whatever is sent.
class RateLimiter {
public:
    /// `refill` tokens come back every `period_seconds`, up to `burst`.
    RateLimiter(const core::Clock& clock,
                std::int64_t refill,
                std::int64_t period_seconds,
                std::int64_t burst,
                std::size_t capacity);

    /// Takes one token; false when the bucket is empty.
    bool Allow(std::string_view key);
    /// Buckets held now (at most the capacity).
    std::size_t Size() const;

private:
    using Key = auth::KeyedDigest::Value;
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Bucket {
        Key key{};
        std::int64_t tokens = 0;
        std::int64_t updated = 0;
    };
    const core::Clock& clock_;
    std::int64_t refill_;
    std::int64_t period_;
    std::int64_t burst_;
    std::size_t capacity_;
    auth::KeyedDigest digest_;
    mutable std::mutex mu_;
    std::list<Bucket> recent_;  ///< most recently used first
    std::unordered_map<Key, std::list<Bucket>::iterator, KeyHash> buckets_;
};

}  // namespace rollcall::http
