#pragma once

// The agent's side of the server API (docs/api.md "Agent side"), written once for both ends: the server decodes
// what the agent encodes and the other way round. Uploads are AgentUpload (wire/punches.hpp).

#include "core/civil_time.hpp"
#include "wire/decode.hpp"
#include "wire/punches.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::wire {

/// `POST /api/v1/agent/devices/{id}/status`: what the agent found when it read a terminal. An absent field
/// is one the agent could not learn (the terminal was unreachable).
struct DeviceStatusReport {
    bool reachable = false;
    std::optional<std::string> serial;    ///< at most 200 characters
    std::optional<std::string> firmware;  ///< at most 200 characters
    std::optional<std::int64_t> users;    ///< the counts are never negative
    std::optional<std::int64_t> records;
    std::optional<std::int64_t> user_capacity;
    std::optional<std::int64_t> record_capacity;
    std::optional<core::LocalDateTime> device_time;  ///< the terminal's own clock when it was read
    std::optional<std::int64_t> read_through;        ///< Unix seconds: the agent read and uploaded its log up to then
    std::optional<std::string> last_error;

    bool operator==(const DeviceStatusReport&) const = default;
};

/// One terminal of `GET /api/v1/agent/devices`: what the agent needs to read it.
struct AgentDevice {
    std::int64_t id = 0;
    std::string name;
    std::string ip;
    std::int64_t port = 4370;
    std::string comm_key;  ///< the ZK comm key as decimal text, "" or "0" for none
    std::string serial;
    std::string direction;
    std::string timezone;  ///< "" = the school's
    /// The wall-clock time the terminal should show now (its zone, else the school's, R5): the agent sets a
    /// drifting clock to it without a time zone database of its own.
    std::optional<core::LocalDateTime> local_time;

    bool operator==(const AgentDevice&) const = default;
};

/// `GET /api/v1/agent/devices`: the school's active terminals in agent mode, and the server's time, so the
/// agent can judge its own PC clock.
struct AgentDeviceList {
    std::vector<AgentDevice> items;
    std::optional<std::int64_t> server_time;  ///< Unix seconds, "YYYY-MM-DDTHH:MM:SSZ" on the wire

    bool operator==(const AgentDeviceList&) const = default;
};

/// One user of a terminal's own user table (docs/zk-protocol.md §7.5-§7.7), as the agent read it.
struct TerminalUserItem {
    std::string user_id;         ///< the PIN; a number is taken as its decimal text
    std::string name;            ///< UTF-8 (the agent converts what the terminal holds); "" when it holds none
    std::int64_t card = 0;       ///< 0 to 4294967295; 0 is "no card"
    std::int64_t privilege = 0;  ///< the privilege byte, 0 to 255: bit 0 disables the user, bits 1-3 are the level

    bool operator==(const TerminalUserItem&) const = default;
};

/// `PUT /api/v1/agent/devices/{id}/users`: the terminal's whole user table, which replaces the one the server
/// holds for the device. An item that cannot be read is that item's reject, never the table's.
struct TerminalUserUpload {
    std::vector<TerminalUserItem> items;
    std::optional<std::int64_t> read_at;  ///< Unix seconds, "YYYY-MM-DDTHH:MM:SSZ" on the wire
    std::vector<RecordReject> rejects;    ///< decoding only; never encoded

    bool operator==(const TerminalUserUpload&) const = default;
};

/// The answer: how many users came, how many were stored, which were refused (by their index in `items`).
struct TerminalUserReport {
    std::size_t received = 0;
    std::size_t stored = 0;
    std::vector<RecordReject> rejected;

    bool operator==(const TerminalUserReport&) const = default;
};

void tag_invoke(json::value_from_tag, json::value& out, const DeviceStatusReport& s);
void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserItem& u);
void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserUpload& u);
void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserReport& r);
void tag_invoke(json::value_from_tag, json::value& out, const AgentDevice& d);
void tag_invoke(json::value_from_tag, json::value& out, const AgentDeviceList& l);

core::Result<DeviceStatusReport> tag_invoke(DecodeTag<DeviceStatusReport>, const json::value& v);
core::Result<AgentDevice> tag_invoke(DecodeTag<AgentDevice>, const json::value& v);
core::Result<AgentDeviceList> tag_invoke(DecodeTag<AgentDeviceList>, const json::value& v);
/// The message is the item's reject reason.
core::Result<TerminalUserItem> tag_invoke(DecodeTag<TerminalUserItem>, const json::value& v);
/// 400 without an `items` array; 413 (kPayloadTooLarge) above `max_users`.
core::Result<TerminalUserUpload> tag_invoke(DecodeTag<TerminalUserUpload>, const json::value& v, std::size_t max_users);
core::Result<TerminalUserUpload> tag_invoke(DecodeTag<TerminalUserUpload>, const json::value& v);
core::Result<TerminalUserReport> tag_invoke(DecodeTag<TerminalUserReport>, const json::value& v);

}  // namespace rollcall::wire
