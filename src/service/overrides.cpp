// R19: overrides are a layer. The computed row stays as it is and is shown beside the override; clearing
// the override restores it. Every change writes who, when, old, new and why to the audit trail.

#include "service/services.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;

std::string OverrideJson(const storage::Override& o) {
    auto time = [](const std::optional<std::int32_t>& t) {
        return t ? boost::json::value(core::FormatTimeOfDay(*t)) : boost::json::value(nullptr);
    };
    return boost::json::serialize(boost::json::object{{"person_id", o.person_id},
                                                      {"date", core::FormatDate(o.date)},
                                                      {"status", o.status},
                                                      {"in_time", time(o.in_time)},
                                                      {"out_time", time(o.out_time)},
                                                      {"reason", o.reason}});
}

core::Result<std::optional<std::int32_t>> OptTime(const std::optional<std::string>& text, const char* field) {
    if (!text || text->empty()) {
        return std::optional<std::int32_t>();
    }
    const auto t = core::ParseTimeOfDay(*text);
    if (!t) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": expected HH:MM or HH:MM:SS");
    }
    return std::optional<std::int32_t>(*t);
}

}  // namespace

storage::AuditEntry AuditOf(
    const Principal& principal, std::int64_t school_id, std::int64_t at, std::string action, std::string entity) {
    storage::AuditEntry audit;
    audit.school_id = school_id;
    audit.user_id = principal.user_id;
    audit.at = at;
    audit.action = std::move(action);
    audit.entity = std::move(entity);
    return audit;
}

core::Result<storage::Override> Services::SetOverride(const Principal& principal,
                                                      std::int64_t school_id,
                                                      const OverrideInput& input) {
    const auto status = domain::ParseDayStatus(input.status);
    if (!status || (*status != domain::DayStatus::kPresent && *status != domain::DayStatus::kLate &&
                    *status != domain::DayStatus::kAbsent && *status != domain::DayStatus::kExcused)) {
        return MakeError(Errc::kInvalidArgument, "status: must be present, late, absent or excused");
    }
    const auto date = core::ParseDate(input.date);
    if (!date) {
        return MakeError(Errc::kInvalidArgument, "date: expected YYYY-MM-DD");
    }
    if (input.reason.empty() || input.reason.size() > 500) {
        return MakeError(Errc::kInvalidArgument, "reason: required (at most 500 characters)");
    }
    ROLLCALL_TRY(auto in_time, OptTime(input.in_time, "in_time"));
    ROLLCALL_TRY(auto out_time, OptTime(input.out_time, "out_time"));
    if (in_time && out_time && *out_time < *in_time) {
        return MakeError(Errc::kInvalidArgument, "out_time: must not be before in_time");
    }
    if (auto person = store_.GetPerson(school_id, input.person_id); !person) {
        return MakeError(Errc::kInvalidArgument, "person_id: no such person in this school");
    }
    ROLLCALL_TRY(auto existing, store_.FindOverride(school_id, input.person_id, *date));

    storage::Override row;
    row.school_id = school_id;
    row.person_id = input.person_id;
    row.date = *date;
    row.status = input.status;
    row.in_time = in_time;
    row.out_time = out_time;
    row.reason = input.reason;
    row.created_by = principal.user_id;
    row.created_at = clock_.NowUnix();
    auto audit = AuditOf(principal, school_id, row.created_at, existing ? "replace" : "create", "override");
    audit.old_value = existing ? OverrideJson(*existing) : "";
    audit.new_value = OverrideJson(row);
    audit.reason = input.reason;
    return store_.PutOverride(row, audit);  // marks the day in the same transaction (R18)
}

core::Status Services::ClearOverride(const Principal& principal, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto existing, store_.GetOverride(school_id, id));
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), "delete", "override");
    audit.old_value = OverrideJson(existing);
    audit.reason = "override cleared";
    return store_.DeleteOverride(school_id, id, audit);
}

namespace {

std::string CorrectionJson(const storage::ClockCorrection& c) {
    return boost::json::serialize(boost::json::object{{"device_id", c.device_id},
                                                      {"from", core::FormatLocalDateTime(c.from)},
                                                      {"to", core::FormatLocalDateTime(c.to)},
                                                      {"offset_seconds", c.offset_seconds},
                                                      {"reason", c.reason}});
}

// A year either way covers a device whose clock lost its battery or was set to the wrong year.
constexpr std::int64_t kMaxCorrectionSeconds = 366LL * 86400;

}  // namespace

core::Result<storage::ClockCorrection> Services::AddClockCorrection(const Principal& principal,
                                                                    std::int64_t school_id,
                                                                    const ClockCorrectionInput& input) {
    if (auto device = store_.GetDevice(school_id, input.device_id); !device) {
        return MakeError(Errc::kNotFound, "device not found");
    }
    const auto from = core::ParseLocalDateTime(input.from);
    const auto to = core::ParseLocalDateTime(input.to);
    if (!from) {
        return MakeError(Errc::kInvalidArgument, "from: expected YYYY-MM-DD HH:MM:SS (the device's clock)");
    }
    if (!to || *to < *from) {
        return MakeError(Errc::kInvalidArgument, "to: expected YYYY-MM-DD HH:MM:SS, not before from");
    }
    if (input.offset_seconds == 0 || input.offset_seconds > kMaxCorrectionSeconds ||
        input.offset_seconds < -kMaxCorrectionSeconds) {
        return MakeError(Errc::kInvalidArgument, "offset_seconds: non-zero, at most a year either way");
    }
    if (input.reason.empty() || input.reason.size() > 500) {
        return MakeError(Errc::kInvalidArgument, "reason: required (at most 500 characters)");
    }
    storage::ClockCorrection c{0,
                               school_id,
                               input.device_id,
                               *from,
                               *to,
                               input.offset_seconds,
                               input.reason,
                               principal.user_id,
                               clock_.NowUnix()};
    auto audit = AuditOf(principal, school_id, c.created_at, "create", "clock_correction");
    audit.new_value = CorrectionJson(c);
    audit.reason = input.reason;
    return store_.CreateClockCorrection(c, audit);  // marks the days it moves punches from and to
}

core::Status Services::RemoveClockCorrection(const Principal& principal, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto all, store_.ListClockCorrections(school_id));
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.id == id; });
    if (it == all.end()) {
        return MakeError(Errc::kNotFound, "clock correction not found");
    }
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), "delete", "clock_correction");
    audit.old_value = CorrectionJson(*it);
    audit.reason = "clock correction removed";
    return store_.DeleteClockCorrection(school_id, id, audit);
}

}  // namespace rollcall::service
