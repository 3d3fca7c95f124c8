#pragma once

// What a school sets about a device besides its direction (domain/attendance.hpp, R9): how its punches reach
// the server, and whether it counts at all.

#include "core/enum_names.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace rollcall::domain {

/// How a device's punches reach the server (docs/api.md "Devices"): it pushes them itself with its token, or
/// the school's agent reads them over the ZK protocol.
enum class SyncMode { kPush, kAgent };
inline constexpr std::array<std::pair<SyncMode, std::string_view>, 2> kSyncModeNames{{
    {SyncMode::kPush, "push"},
    {SyncMode::kAgent, "agent"},
}};
constexpr const auto& EnumNameTable(SyncMode) {
    return kSyncModeNames;
}

/// Whether a device counts: an inactive one may not send punches, is not read by the agent, and is not waited
/// for before a day's absences are final (R16).
enum class ActiveStatus { kActive, kInactive };
inline constexpr std::array<std::pair<ActiveStatus, std::string_view>, 2> kActiveStatusNames{{
    {ActiveStatus::kActive, "active"},
    {ActiveStatus::kInactive, "inactive"},
}};
constexpr const auto& EnumNameTable(ActiveStatus) {
    return kActiveStatusNames;
}

}  // namespace rollcall::domain
