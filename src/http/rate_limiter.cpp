#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cstring>

namespace rollcall::http {

RateLimiter::RateLimiter(const core::Clock& clock,
                         std::int64_t refill,
                         std::int64_t period_seconds,
                         std::int64_t burst,
                         std::size_t capacity)
    : clock_(clock),
      refill_(refill),
      period_(period_seconds),
      burst_(burst),
      capacity_(std::max<std::size_t>(capacity, 1)) {}

std::size_t RateLimiter::KeyHash::operator()(const Key& k) const noexcept {
    // The digest is keyed and uniform already: its first bytes are as good a hash as any.
    std::size_t h = 0;
    std::memcpy(&h, k.data(), sizeof h);
    return h;
}

bool RateLimiter::Allow(std::string_view key) {
    const Key digest = digest_(key);
    const std::int64_t now = clock_.NowUnix() / period_;
    std::lock_guard lock(mu_);
    auto found = buckets_.find(digest);
    if (found == buckets_.end()) {
        if (buckets_.size() >= capacity_) {
            buckets_.erase(recent_.back().key);
            recent_.pop_back();
        }
        recent_.push_front(Bucket{digest, burst_, now});
        found = buckets_.emplace(digest, recent_.begin()).first;
    } else {
        recent_.splice(recent_.begin(), recent_, found->second);
    }
    auto& b = *found->second;
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

std::size_t RateLimiter::Size() const {
    std::lock_guard lock(mu_);
    return buckets_.size();
}

}  // namespace rollcall::http
