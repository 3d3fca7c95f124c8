#include "http/rate_limiter.hpp"

#include <algorithm>

namespace rollcall::http {
namespace {
// Bounds memory under a flood of distinct keys: full buckets carry no information and can go.
constexpr std::size_t kMaxBuckets = 100'000;
}  // namespace

bool RateLimiter::Allow(const std::string& key) {
    const std::int64_t now = clock_.NowUnix() / period_;
    std::lock_guard lock(mu_);
    if (buckets_.size() >= kMaxBuckets) {
        std::erase_if(buckets_,
                      [&](const auto& kv) { return kv.second.tokens + (now - kv.second.updated) * refill_ >= burst_; });
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    auto& b = it->second;
    if (now > b.updated) {
        b.tokens = std::min(burst_, b.tokens + (now - b.updated) * refill_);
        b.updated = now;
    }
    if (b.tokens <= 0) {
        return false;
    }
    --b.tokens;
    return true;
}

}  // namespace rollcall::http
