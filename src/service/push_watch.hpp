#pragma once

// What the panel shows to answer "why does my terminal not push?" (docs/api.md "Push troubleshooting"): each
// device's last refused push and why, and the pushes with unknown tokens of the last hour with their source
// addresses. Kept in memory, bounded: it describes the last hour of a running server, and a restart forgets it.

#include "core/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rollcall::service {

/// A push the server refused although its token named a device.
struct RefusedPush {
    std::int64_t at = 0;  ///< Unix seconds
    std::string reason;   ///< device_inactive, not_push_mode, school_inactive, rate_limited
    std::string message;  ///< what the device was answered
    int status = 0;       ///< the HTTP status it was answered
    std::string address;  ///< where it came from
};

/// Pushes from one address whose token no device has.
struct UnknownPushSource {
    std::string address;
    std::int64_t count = 0;     ///< pushes since first_at
    std::int64_t first_at = 0;  ///< Unix seconds
    std::int64_t last_at = 0;
};

class PushWatch {
public:
    /// An address silent this long is forgotten, and counts restart after it.
    static constexpr std::int64_t kWindowSeconds = 3600;

    /// `max_sources`: the unknown-token addresses kept at once (push.unknown_token_sources); past it the one heard
    /// from longest ago makes room.
    PushWatch(const core::Clock& clock, std::size_t max_sources);

    /// A device's push was accepted from `address`: unknown-token pushes from there are shown to its school.
    void Accepted(std::int64_t device_id, const std::string& address);
    void Refused(std::int64_t device_id, RefusedPush refused);
    void Unknown(const std::string& address);

    std::optional<RefusedPush> LastRefused(std::int64_t device_id) const;
    /// The addresses devices' pushes were last accepted from, of these devices.
    std::set<std::string> SourcesOf(const std::vector<std::int64_t>& device_ids) const;
    /// The unknown-token addresses of the last hour, newest first; only those in `only` unless it is nullopt.
    std::vector<UnknownPushSource> UnknownSources(const std::optional<std::set<std::string>>& only) const;

private:
    const core::Clock& clock_;
    const std::size_t max_sources_;
    mutable std::mutex mu_;
    std::map<std::int64_t, RefusedPush> refused_;        ///< by device
    std::map<std::int64_t, std::string> accepted_from_;  ///< by device
    std::map<std::string, UnknownPushSource> unknown_;   ///< by address
};

}  // namespace rollcall::service
