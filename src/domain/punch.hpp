#pragma once

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::domain {

/// Where a punch came from (R2).
enum class PunchSource { kPush, kAgent, kAdms, kImport, kManual };
inline constexpr std::array<std::pair<PunchSource, std::string_view>, 5> kPunchSourceNames{{
    {PunchSource::kPush, "push"},
    {PunchSource::kAgent, "agent"},
    {PunchSource::kAdms, "adms"},
    {PunchSource::kImport, "import"},
    {PunchSource::kManual, "manual"},
}};
constexpr const auto& EnumNameTable(PunchSource) {
    return kPunchSourceNames;
}
inline std::string_view PunchSourceName(PunchSource source) {
    return core::NameOf(source);
}

/// One record of a device batch as decoded from the wire, before validation (R3).
struct RawRecord {
    std::optional<std::string> user_id;
    std::optional<std::string> timestamp;
    std::optional<std::int64_t> status;
    std::optional<std::int64_t> verify;
};

/// A record that passed validation: what is stored (R1, R2).
struct ValidPunch {
    std::string user_id;
    core::LocalDateTime timestamp;  ///< the device's wall clock, one-second resolution
    std::optional<std::int32_t> status;
    std::optional<std::int32_t> verify;
};

struct RecordLimits {
    std::size_t max_user_id_length = 32;
};

/// R3: validates one record. The error message is the reason given back to the device for that index.
core::Result<ValidPunch> ValidateRecord(const RawRecord& record, const RecordLimits& limits);

}  // namespace rollcall::domain
