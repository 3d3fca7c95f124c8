#include "service/push_watch.hpp"

#include <algorithm>

namespace rollcall::service {

PushWatch::PushWatch(const core::Clock& clock, std::size_t max_sources)
    : clock_(clock), max_sources_(std::max<std::size_t>(1, max_sources)) {}

void PushWatch::Accepted(std::int64_t device_id, const std::string& address) {
    if (address.empty()) {
        return;  // not from the network (the command line, a test)
    }
    std::lock_guard lock(mu_);
    // Every accepted push passes here: a push from the address already known costs a lookup, no allocation.
    auto [it, fresh] = accepted_from_.try_emplace(device_id, address);
    if (!fresh && it->second != address) {
        it->second = address;
    }
}

void PushWatch::Refused(std::int64_t device_id, RefusedPush refused) {
    std::lock_guard lock(mu_);
    refused_[device_id] = std::move(refused);
}

void PushWatch::Unknown(const std::string& address) {
    if (address.empty()) {
        return;
    }
    const auto now = clock_.NowUnix();
    std::lock_guard lock(mu_);
    auto it = unknown_.find(address);
    if (it == unknown_.end()) {
        if (unknown_.size() >= max_sources_) {
            const auto oldest = std::min_element(unknown_.begin(), unknown_.end(), [](const auto& a, const auto& b) {
                return a.second.last_at < b.second.last_at;
            });
            unknown_.erase(oldest);
        }
        it = unknown_.emplace(address, UnknownPushSource{address, 0, now, now}).first;
    }
    auto& source = it->second;
    if (now - source.last_at >= kWindowSeconds) {
        source = UnknownPushSource{address, 0, now, now};  // silent for an hour: a new episode
    }
    ++source.count;
    source.last_at = now;
}

std::optional<RefusedPush> PushWatch::LastRefused(std::int64_t device_id) const {
    std::lock_guard lock(mu_);
    const auto it = refused_.find(device_id);
    return it == refused_.end() ? std::nullopt : std::optional(it->second);
}

std::set<std::string> PushWatch::SourcesOf(const std::vector<std::int64_t>& device_ids) const {
    std::set<std::string> out;
    std::lock_guard lock(mu_);
    for (const auto id : device_ids) {
        if (const auto it = accepted_from_.find(id); it != accepted_from_.end()) {
            out.insert(it->second);
        }
        if (const auto it = refused_.find(id); it != refused_.end() && !it->second.address.empty()) {
            out.insert(it->second.address);
        }
    }
    return out;
}

std::vector<UnknownPushSource> PushWatch::UnknownSources(const std::optional<std::set<std::string>>& only) const {
    const auto now = clock_.NowUnix();
    std::vector<UnknownPushSource> out;
    {
        std::lock_guard lock(mu_);
        for (const auto& [address, source] : unknown_) {
            if (now - source.last_at >= kWindowSeconds || (only && !only->contains(address))) {
                continue;
            }
            out.push_back(source);
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.last_at != b.last_at ? a.last_at > b.last_at : a.address < b.address;
    });
    return out;
}

}  // namespace rollcall::service
