#include "service/calendar.hpp"

#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"
#include "wire/settings.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace rollcall::service {
namespace {

namespace json = boost::json;
using core::Errc;
using core::MakeError;
using domain::AuditAction;

/// The last version of `scope` in force on `date` (versions are ordered by scope, then effective_from).
const storage::SettingsVersion* InForce(const std::vector<storage::SettingsVersion>& versions,
                                        const std::string& scope,
                                        core::Date date) {
    const storage::SettingsVersion* found = nullptr;
    for (const auto& v : versions) {
        if (v.scope == scope && v.effective_from <= date) {
            found = &v;
        }
    }
    return found;
}

/// The scopes that have versions of their own, the school's first, then in the store's order (by scope).
std::vector<std::string> ScopesOf(const std::vector<storage::SettingsVersion>& versions) {
    std::vector<std::string> out;
    for (const auto& v : versions) {
        if (std::find(out.begin(), out.end(), v.scope) == out.end()) {
            out.push_back(v.scope);
        }
    }
    std::stable_partition(out.begin(), out.end(), [](const std::string& scope) { return scope.empty(); });
    return out;
}

}  // namespace

Calendar::Calendar(storage::Store& store, const core::Clock& clock, RecomputeLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

core::Result<core::Date> Calendar::SchoolToday(std::int64_t school_id) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    return TodayIn(clock_, school.timezone);
}

core::Result<std::string> SettingsScope(const std::optional<std::string>& kind,
                                        const std::optional<std::string>& group) {
    if (kind && group) {
        return MakeError(Errc::kInvalidArgument, "scope: give kind or group, not both");
    }
    if (kind) {
        ROLLCALL_CHECK(core::ParseField<domain::PersonKind>("kind", *kind));
        return "kind:" + *kind;
    }
    if (group) {
        ROLLCALL_CHECK(CheckText(*group, "group", true, 64));
        return "group:" + *group;
    }
    return std::string();
}

std::pair<std::string, const storage::SettingsVersion*> VersionFor(
    const std::vector<storage::SettingsVersion>& versions,
    std::optional<domain::PersonKind> kind,
    const std::string& group,
    core::Date date) {
    std::vector<std::string> chain;
    if (!group.empty()) {
        chain.push_back("group:" + group);
    }
    if (kind) {
        chain.push_back("kind:" + std::string(core::NameOf(*kind)));
    }
    chain.emplace_back();
    for (const auto& scope : chain) {
        if (const auto* v = InForce(versions, scope, date)) {
            return {scope, v};
        }
    }
    return {std::string(), nullptr};
}

core::Result<domain::AttendanceSettings> Calendar::SettingsOn(std::int64_t school_id,
                                                              core::Date date,
                                                              const std::string& scope) {
    ROLLCALL_TRY(auto scoped, ScopedSettingsOn(school_id, date, scope));
    return scoped.settings;
}

core::Result<ScopedSettings> Calendar::ScopedSettingsOn(std::int64_t school_id,
                                                        core::Date date,
                                                        const std::string& scope) {
    ROLLCALL_TRY(auto versions, store_.ListSettings(school_id));
    ScopedSettings out;
    out.requested = scope;
    out.own_scopes = ScopesOf(versions);
    out.source = scope;
    const auto* in_force = InForce(versions, scope, date);
    if (in_force == nullptr) {
        out.source.clear();
        in_force = InForce(versions, "", date);
    }
    if (in_force == nullptr) {
        out.source = kDefaultsScope;
        out.settings.effective_from = core::Date{0};
        return out;
    }
    ROLLCALL_TRY(out.settings, wire::ParseSettingsJson(in_force->json, in_force->effective_from));
    return out;
}

core::Result<std::vector<std::string>> Calendar::OwnScopes(std::int64_t school_id) {
    ROLLCALL_TRY(const auto versions, store_.ListSettings(school_id));
    return ScopesOf(versions);
}

core::Status Calendar::DeleteScopeSettings(const Principal& by, std::int64_t school_id, const std::string& scope) {
    if (scope.empty()) {
        return MakeError(Errc::kInvalidArgument,
                         "scope: give kind or group; the school's own settings can be replaced, not deleted");
    }
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    ROLLCALL_TRY(const auto versions, store_.ListSettings(school_id));
    json::array removed;
    for (const auto& v : versions) {
        if (v.scope == scope) {
            removed.push_back(json::parse(v.json));
        }
    }
    if (removed.empty()) {
        return MakeError(Errc::kNotFound, "settings: " + scope + " has no settings of its own");
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "settings");
    audit.old_value = json::serialize(json::object{{"scope", scope}, {"versions", std::move(removed)}});
    audit.reason = scope + " inherits again";
    Label(audit);
    // Its days from the first version on are recomputed with what they inherit now (R18).
    ROLLCALL_CHECK(store_.DeleteSettingsScope(school_id, scope, today, audit));
    return {};
}

core::Result<core::Date> Calendar::CheckSettings(std::int64_t school_id, const domain::AttendanceSettings& settings) {
    ROLLCALL_CHECK(domain::ValidateSettings(settings));
    ROLLCALL_TRY(auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(auto today, TodayIn(clock_, school.timezone));
    // R18: a version may be dated back to any day a real clock punched on (R4: 2000 on), and planned up to the
    // reprocess window's length ahead. What it marks for recomputation is clamped to the window by the store.
    static const core::Date kEarliest = core::DateFromYmd(2000, 1, 1);
    if (settings.effective_from < kEarliest || settings.effective_from.days > today.days + limits_.reprocess_max_days) {
        return MakeError(
            Errc::kInvalidArgument,
            fmt::format("effective_from: from 2000-01-01 to {} days after today (engine.reprocess_max_days)",
                        limits_.reprocess_max_days));
    }
    return today;
}

core::Result<domain::AttendanceSettings> Calendar::PutSettings(const Principal& by,
                                                               std::int64_t school_id,
                                                               domain::AttendanceSettings settings,
                                                               const std::string& scope) {
    ROLLCALL_TRY(const auto today, CheckSettings(school_id, settings));
    storage::SettingsVersion v{
        0, school_id, settings.effective_from, wire::SettingsToJson(settings), clock_.NowUnix(), scope, today};
    auto audit = AuditOf(by, school_id, v.created_at, AuditAction::kUpdate, "settings");
    audit.new_value = SettingsAuditJson(scope, v.json);
    Label(audit);
    ROLLCALL_CHECK(store_.SaveSettings(v, audit));  // also marks effective_from..today for recomputation (R18)
    return settings;
}

core::Result<storage::Holiday> Calendar::CreateHoliday(const Principal& by,
                                                       std::int64_t school_id,
                                                       core::Date date,
                                                       std::string name) {
    ROLLCALL_CHECK(CheckText(name, "name", true, kMaxNameLength));
    storage::Holiday holiday{0, school_id, date, std::move(name)};
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kCreate, "holiday");
    audit.new_value = HolidayAuditJson(holiday);
    Label(audit);
    auto created = store_.CreateHoliday(holiday, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "date: already a holiday");
    }
    return created;
}

core::Result<std::vector<storage::Holiday>> Calendar::ListHolidays(std::int64_t school_id) {
    return store_.ListHolidays(school_id);
}

core::Status Calendar::DeleteHoliday(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListHolidays(school_id));
    ROLLCALL_TRY(const auto holiday, FindById(all, id, "holiday not found"));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "holiday");
    audit.old_value = HolidayAuditJson(holiday);
    Label(audit);
    return store_.DeleteHoliday(school_id, id, audit);  // marks its day in the same transaction
}

}  // namespace rollcall::service
