#pragma once

// The JSON of the live event stream's events (docs/api.md "Live events"): what the panel's Today screen needs of
// a committed batch of punches, of a register day the recompute worker changed, and of a device whose state
// changed. Each event is one line of JSON in an SSE `data:` field.

#include "service/devices.hpp"
#include "service/live_events.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace rollcall::wire {

/// `punch`: a batch of punches, each with the person its device user is mapped to (R6), or null when unmapped.
struct PunchEvent {
    service::PunchesStored batch;
    std::string device_name;
    std::vector<std::optional<storage::Person>> people;  ///< per punch of batch.punches
};

/// `register`: the recompute worker stored changed rows of these people on this day.
struct RegisterEvent {
    core::Date date;
    std::vector<std::int64_t> person_ids;
};

/// `device`: a device's state changed; `device` is null once it is deleted.
struct DeviceEvent {
    std::string change;  ///< heard_from, updated, agent_status, deleted
    std::int64_t device_id = 0;
    std::optional<service::DeviceView> device;
};

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const PunchEvent& e);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const RegisterEvent& e);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const DeviceEvent& e);

}  // namespace rollcall::wire
