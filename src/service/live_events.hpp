#pragma once

// What a live view of a school (the panel's event stream, docs/api.md "Live events") is told, and the interface the
// services tell it through. The services only announce; who listens, and how, is the http layer's (http/event_hub).

#include "core/civil_time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

/// One punch of a committed batch.
struct LivePunch {
    std::string user_id;
    core::LocalDateTime timestamp;  ///< the device's clock, as stored
    std::optional<std::int32_t> status;
    std::optional<std::int32_t> verify;
    bool duplicate = false;  ///< stored before: nothing changed
};

/// A batch of punches a device pushed or the agent uploaded, just committed.
struct PunchesStored {
    /// The punches an event carries at most: the last ones of the batch. A catch-up upload of thousands would
    /// otherwise be one event of megabytes; the panel wants the latest arrivals, and re-reads counts anyway.
    static constexpr std::size_t kMaxPunches = 50;

    std::int64_t school_id = 0;
    std::int64_t device_id = 0;
    std::string source;            ///< push, agent
    std::int64_t received_at = 0;  ///< Unix seconds
    std::size_t received = 0;
    std::size_t inserted = 0;
    std::size_t duplicates = 0;
    std::size_t rejected = 0;
    std::vector<LivePunch> punches;  ///< the last kMaxPunches valid records of the batch, in its order
    std::size_t omitted = 0;         ///< valid records of the batch left out of `punches`
};

/// Where the services announce what a live view needs. Every call hands the event off and returns at once: the
/// callers are the database writer's thread (punches) and the recompute worker, which no listener may slow.
class LiveEvents {
public:
    virtual ~LiveEvents() = default;
    /// Whether anyone watches the school now; when nobody does, the caller need not build the event.
    virtual bool Watched(std::int64_t school_id) const = 0;
    virtual void PunchesStored(PunchesStored batch) = 0;
    /// The recompute worker stored changed register rows of these people on `date` (R18).
    virtual void RegisterChanged(std::int64_t school_id, core::Date date, std::vector<std::int64_t> person_ids) = 0;
    /// A device's state changed: "updated" (an admin's edit, activation), "deleted", "agent_status".
    virtual void DeviceChanged(std::int64_t school_id, std::int64_t device_id, std::string_view change) = 0;
};

}  // namespace rollcall::service
