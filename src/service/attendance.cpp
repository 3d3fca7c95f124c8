// The register is computed on read from the raw punches (R18: a pure function of its inputs), so a read
// always reflects every acknowledged punch and every mapping made since. R19: overrides are a layer. The
// computed row stays as it is and is shown beside the override; clearing the override restores it. Every
// change writes who, when, old, new and why to the audit trail.

#include "service/attendance.hpp"

#include "service/audit.hpp"
#include "service/day_data.hpp"
#include "service/validation.hpp"
#include "wire/settings.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

// A century either way: a terminal whose clock battery died restarts at 2000-01-01 (or 1970-01-01), and a
// correction must be able to bring those punches to today (R4). How far it reaches is bounded by its span.
constexpr std::int64_t kMaxCorrectionSeconds = std::int64_t{36525} * 86400;

domain::DayInput MakeInput(const std::unordered_map<std::int64_t, std::int64_t>& utc_offsets,
                           core::Date date,
                           const domain::AttendanceSettings& settings,
                           bool holiday,
                           bool final,
                           bool tracked,
                           const storage::Person& person,
                           const std::vector<storage::StoredPunch>& punches,
                           const std::map<std::int64_t, domain::DeviceDirection>& directions) {
    domain::DayInput in;
    in.date = date;
    in.settings = settings;
    in.holiday = holiday;
    in.final = final;
    in.tracked = tracked;
    // R8: before active_from punches still count (they are evidence) but nobody is absent; after active_to the
    // person has left and their punches are ignored.
    if (person.active_to && *person.active_to < date) {
        in.enrolment = domain::Enrolment::kLeft;
    } else if (person.active_from && date < *person.active_from) {
        in.enrolment = domain::Enrolment::kNotYet;
    }
    in.punches.reserve(punches.size());
    for (const auto& p : punches) {
        const auto it = directions.find(p.device_id);
        const core::LocalDateTime received_local{p.received_at + utc_offsets.at(p.received_at)};
        in.punches.push_back(domain::DayPunch{p.device_id,
                                              p.timestamp,
                                              it != directions.end() ? it->second : domain::DeviceDirection::kAuto,
                                              p.status,
                                              domain::IsClockSuspect(p.timestamp, received_local)});
    }
    return in;
}

}  // namespace

Attendance::Attendance(storage::Store& store, const core::Clock& clock, RecomputeLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

namespace {

/// Day D's register from its data: the people are already in register order (kind, group, name).
Register RegisterOf(DayData& day) {
    // The register's own finality, warnings and silent devices are the school's settings' (scope "");
    // each row is final or not by the settings that apply to its person.
    const auto& school_scope = day.school_scope();
    Register reg;
    reg.date = day.date;
    reg.holiday = day.holiday;
    reg.school_day = !day.holiday && school_scope.settings.IsSchoolWeekday(day.date);
    reg.final = school_scope.final;
    reg.cutoff_passed = school_scope.cutoff_passed;
    reg.finalized_by_admin = day.finalized_by_admin;
    reg.start_time_set = school_scope.settings.school_start_time.has_value();
    reg.silent_devices = school_scope.silent_devices;
    for (const auto& [name, scope] : day.scopes) {
        if (scope.final) {
            reg.final_scopes.push_back(name);
        }
    }
    const auto& people = day.facts->people;
    reg.rows.reserve(people.size());
    for (std::size_t i = 0; i < people.size(); ++i) {
        const auto& person = people[i];
        const auto& scope = *day.person_scope[i];
        auto input = MakeInput(*day.utc_offsets,
                               day.date,
                               scope.settings,
                               day.holiday,
                               scope.final,
                               day.facts->tracked[i],
                               person,
                               day.punches[i],
                               day.facts->directions);
        const auto o = day.overrides.find(person.id);
        reg.rows.push_back(RegisterRow{person,
                                       domain::ComputeDay(input),
                                       o != day.overrides.end() ? std::optional(o->second) : std::nullopt,
                                       std::move(day.punches[i])});
    }
    return reg;
}

}  // namespace

core::Status Attendance::ForEachRegister(std::int64_t school_id,
                                         core::Date from,
                                         core::Date to,
                                         const std::function<core::Status(Register&)>& fn) {
    ROLLCALL_TRY(const auto facts, LoadSchoolFacts(store_, school_id));
    return ForEachDayData(store_, clock_, facts, from, to, [&](DayData& day) -> core::Status {
        auto reg = RegisterOf(day);
        return fn(reg);
    });
}

core::Status Attendance::ForEachRegisterOn(std::int64_t school_id,
                                           std::vector<core::Date> dates,
                                           const std::function<core::Status(Register&)>& fn) {
    if (dates.empty()) {
        return {};
    }
    std::sort(dates.begin(), dates.end());
    ROLLCALL_TRY(const auto facts, LoadSchoolFacts(store_, school_id));
    auto each = [&](DayData& day) -> core::Status {
        auto reg = RegisterOf(day);
        return fn(reg);
    };
    std::size_t run = 0;
    for (std::size_t i = 1; i <= dates.size(); ++i) {
        if (i == dates.size() || dates[i].days != dates[i - 1].days + 1) {
            ROLLCALL_CHECK(ForEachDayData(store_, clock_, facts, dates[run], dates[i - 1], each));
            run = i;
        }
    }
    return {};
}

core::Result<SettingsPreview> Attendance::PreviewSettings(std::int64_t school_id,
                                                          core::Date date,
                                                          const std::string& scope,
                                                          const domain::AttendanceSettings& proposed) {
    ROLLCALL_TRY(const auto facts, LoadSchoolFacts(store_, school_id));
    // The same facts with the proposed settings as the scope's newest version in force on D (a version applies
    // until the next of its scope, and the last one listed wins among equals): held in memory, never stored.
    auto what_if = std::make_shared<SchoolFacts>(*facts);
    storage::SettingsVersion version;
    version.school_id = school_id;
    version.effective_from = date;
    version.json = wire::SettingsToJson(proposed);
    version.scope = scope;
    what_if->versions.push_back(std::move(version));
    const auto day_register = [&](std::shared_ptr<const SchoolFacts> f) -> core::Result<Register> {
        Register out;
        ROLLCALL_CHECK(ForEachDayData(store_, clock_, f, date, date, [&](DayData& day) -> core::Status {
            out = RegisterOf(day);
            return {};
        }));
        return out;
    };
    ROLLCALL_TRY(const auto now, day_register(facts));
    ROLLCALL_TRY(const auto then, day_register(std::move(what_if)));
    // The people the scope's settings are for (R21); those with settings of a narrower scope come out unchanged.
    const auto in_scope = [&](const storage::Person& p) {
        if (scope.starts_with("kind:")) {
            return core::NameOf(p.kind) == std::string_view(scope).substr(5);
        }
        if (scope.starts_with("group:")) {
            return p.group == std::string_view(scope).substr(6);
        }
        return true;
    };
    SettingsPreview out;
    out.date = date;
    out.scope = scope;
    // Both registers list the same people in the same order: they were computed from the same facts.
    for (std::size_t i = 0; i < now.rows.size(); ++i) {
        if (!in_scope(now.rows[i].person)) {
            continue;
        }
        const auto before = ShowRow(now.rows[i]);
        const auto after = ShowRow(then.rows[i]);
        out.current.Add(before.status);
        out.proposed.Add(after.status);
        if (before.status != after.status) {
            ++out.changed;
            if (out.changes.size() < kPreviewChangesShown) {
                out.changes.push_back(
                    StatusChange{now.rows[i].person, before.status, after.status, after.in_time, after.late_minutes});
            }
        }
    }
    return out;
}

core::Result<Register> Attendance::RegisterFor(std::int64_t school_id, core::Date date) {
    Register out;
    ROLLCALL_CHECK(ForEachRegister(school_id, date, date, [&](Register& reg) -> core::Status {
        out = std::move(reg);
        return {};
    }));
    return out;
}

std::int64_t StatusCounts::SchoolDays() const {
    using domain::DayStatus;
    return Of(DayStatus::kPresent) + Of(DayStatus::kLate) + Of(DayStatus::kAbsent) + Of(DayStatus::kExcused) +
           Of(DayStatus::kPending);
}

std::int64_t StatusCounts::Attended() const {
    return Of(domain::DayStatus::kPresent) + Of(domain::DayStatus::kLate);
}

std::optional<double> StatusCounts::AttendancePercent() const {
    const auto decided = SchoolDays() - Of(domain::DayStatus::kPending) - Of(domain::DayStatus::kExcused);
    if (decided <= 0) {
        return std::nullopt;
    }
    return 100.0 * static_cast<double>(Attended()) / static_cast<double>(decided);
}

ShownRow ShowRow(const RegisterRow& row) {
    const auto& r = row.result;
    const auto& o = row.override_row;
    ShownRow shown;
    shown.status = o ? o->status : r.status;
    shown.in_time = o && o->in_time ? o->in_time : r.in_time;
    shown.out_time = o && o->out_time ? o->out_time : r.out_time;
    shown.late_minutes = o && o->status != domain::DayStatus::kLate ? 0 : r.late_minutes;
    return shown;
}

core::Status Attendance::FinalizeDay(const Principal& principal, std::int64_t school_id, core::Date date) {
    ROLLCALL_TRY(auto day, LoadDay(store_, clock_, school_id, date));
    if (!day.school_scope().cutoff_passed) {
        return core::MakeError(core::Errc::kConflict,
                               "date: the day's cutoff has not passed yet; people may still arrive");
    }
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), AuditAction::kFinalize, "day");
    std::string silent;
    for (const auto& d : day.school_scope().silent_devices) {
        silent += (silent.empty() ? "" : ", ") + d.name;
    }
    audit.new_value = "{\"date\":\"" + core::FormatDate(date) + "\"}";
    audit.reason = silent.empty() ? "finalized" : "finalized anyway; silent devices: " + silent;
    Label(audit);
    return store_.FinalizeDay(school_id, date, audit);  // marks the day in the same transaction (R18)
}

core::Result<Explanation> Attendance::Explain(std::int64_t school_id, std::int64_t person_id, core::Date date) {
    ROLLCALL_TRY(const auto person, store_.GetPerson(school_id, person_id));
    ROLLCALL_TRY(const auto day, LoadDay(store_, clock_, school_id, date));
    Explanation out;
    const auto idx = day.facts->person_index.find(person_id);
    if (idx == day.facts->person_index.end()) {
        return MakeError(Errc::kNotFound, "person not found");
    }
    out.punches = day.punches[idx->second];
    const auto& scope = *day.person_scope[idx->second];
    auto input = MakeInput(*day.utc_offsets,
                           date,
                           scope.settings,
                           day.holiday,
                           scope.final,
                           day.facts->tracked[idx->second],
                           person,
                           out.punches,
                           day.facts->directions);
    for (const auto& p : input.punches) {
        out.directions.push_back(p.device_direction);
    }
    out.result = domain::ComputeDay(input);
    if (const auto o = day.overrides.find(person_id); o != day.overrides.end()) {
        out.override_row = o->second;
    }
    return out;
}

core::Result<storage::Override> Attendance::SetOverride(const Principal& principal,
                                                        std::int64_t school_id,
                                                        const OverrideInput& input) {
    using domain::DayStatus;
    if (input.status != DayStatus::kPresent && input.status != DayStatus::kLate && input.status != DayStatus::kAbsent &&
        input.status != DayStatus::kExcused) {
        return MakeError(Errc::kInvalidArgument, "status: must be present, late, absent or excused");
    }
    if (input.reason.empty() || input.reason.size() > 500) {
        return MakeError(Errc::kInvalidArgument, "reason: required (at most 500 characters)");
    }
    if (input.in_time && input.out_time && *input.out_time < *input.in_time) {
        return MakeError(Errc::kInvalidArgument, "out_time: must not be before in_time");
    }
    const auto person = store_.GetPerson(school_id, input.person_id);
    if (!person) {
        return MakeError(Errc::kInvalidArgument, "person_id: no such person in this school");
    }
    ROLLCALL_TRY(auto existing, store_.FindOverride(school_id, input.person_id, input.date));

    storage::Override row;
    row.school_id = school_id;
    row.person_id = input.person_id;
    row.date = input.date;
    row.status = input.status;
    row.in_time = input.in_time;
    row.out_time = input.out_time;
    row.reason = input.reason;
    row.created_by = principal.user_id;
    row.created_at = clock_.NowUnix();
    auto audit = AuditOf(
        principal, school_id, row.created_at, existing ? AuditAction::kReplace : AuditAction::kCreate, "override");
    audit.old_value = existing ? OverrideAuditJson(*existing) : "";
    audit.new_value = OverrideAuditJson(row);
    audit.reason = input.reason;
    Label(audit, *person);
    return store_.PutOverride(row, audit);  // marks the day in the same transaction (R18)
}

core::Status Attendance::ClearOverride(const Principal& principal, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto existing, store_.GetOverride(school_id, id));
    ROLLCALL_TRY(const auto person, store_.GetPerson(school_id, existing.person_id));
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), AuditAction::kDelete, "override");
    audit.old_value = OverrideAuditJson(existing);
    audit.reason = "override cleared";
    Label(audit, person);
    return store_.DeleteOverride(school_id, id, audit);
}

core::Result<std::vector<storage::Override>> Attendance::ListOverrides(std::int64_t school_id, core::Date date) {
    return store_.ListOverrides(school_id, date);
}

core::Result<std::vector<storage::ClockCorrection>> Attendance::ListClockCorrections(std::int64_t school_id) {
    return store_.ListClockCorrections(school_id);
}

core::Result<std::vector<storage::DeviceUser>> Attendance::UnmappedBetween(std::int64_t school_id,
                                                                           core::Date from,
                                                                           core::Date to) {
    return store_.ListUnmappedUsersBetween(school_id, core::AtTime(from, 0), core::AtTime(core::Date{to.days + 1}, 0));
}

core::Result<std::vector<storage::AuditEntry>> Attendance::ListAudit(std::int64_t school_id, const AuditQuery& query) {
    return ReadAuditTrail(store_, school_id, query);
}

core::Result<storage::ClockCorrection> Attendance::AddClockCorrection(const Principal& principal,
                                                                      std::int64_t school_id,
                                                                      const ClockCorrectionInput& input) {
    const auto device = store_.GetDevice(school_id, input.device_id);
    if (!device) {
        return MakeError(Errc::kNotFound, "device not found");
    }
    if (input.to < input.from) {
        return MakeError(Errc::kInvalidArgument, "to: expected YYYY-MM-DD HH:MM:SS, not before from");
    }
    // R4: a correction covers a bounded span of the device's clock: "from 2026 to 9999" is not a correction.
    if (input.to.seconds - input.from.seconds >= std::int64_t{limits_.clock_correction_max_days} * 86400) {
        return MakeError(Errc::kInvalidArgument,
                         fmt::format("to: at most {} days after from (engine.clock_correction_max_days)",
                                     limits_.clock_correction_max_days));
    }
    if (input.offset_seconds == 0 || input.offset_seconds > kMaxCorrectionSeconds ||
        input.offset_seconds < -kMaxCorrectionSeconds) {
        return MakeError(Errc::kInvalidArgument, "offset_seconds: non-zero, at most 100 years either way");
    }
    if (input.reason.empty() || input.reason.size() > 500) {
        return MakeError(Errc::kInvalidArgument, "reason: required (at most 500 characters)");
    }
    storage::ClockCorrection c{0,
                               school_id,
                               input.device_id,
                               input.from,
                               input.to,
                               input.offset_seconds,
                               input.reason,
                               principal.user_id,
                               clock_.NowUnix()};
    auto audit = AuditOf(principal, school_id, c.created_at, AuditAction::kCreate, "clock_correction");
    audit.new_value = ClockCorrectionAuditJson(c);
    audit.reason = input.reason;
    Label(audit, device->name);
    return store_.CreateClockCorrection(c, audit);  // marks the days it moves punches from and to
}

core::Status Attendance::RemoveClockCorrection(const Principal& principal, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListClockCorrections(school_id));
    ROLLCALL_TRY(const auto correction, FindById(all, id, "clock correction not found"));
    ROLLCALL_TRY(const auto device, store_.GetDevice(school_id, correction.device_id));
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), AuditAction::kDelete, "clock_correction");
    audit.old_value = ClockCorrectionAuditJson(correction);
    audit.reason = "clock correction removed";
    Label(audit, device.name);
    return store_.DeleteClockCorrection(school_id, id, audit);
}

core::Result<std::int64_t> Attendance::Reprocess(const Principal& by,
                                                 std::int64_t school_id,
                                                 core::Date from,
                                                 core::Date to) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kRecompute, "days");
    audit.new_value = RangeAuditJson(from, to);
    Label(audit);
    ROLLCALL_CHECK(store_.MarkDirty(school_id, from, to, audit));  // clamped to the window by the store
    // R18: only the days inside the reprocess window, up to today, are marked.
    ROLLCALL_TRY(const auto window, ReprocessWindow(clock_, school.timezone, limits_.reprocess_max_days));
    return std::int64_t{std::max(0, std::min(to.days, window.last.days) - std::max(from.days, window.first.days) + 1)};
}

}  // namespace rollcall::service
