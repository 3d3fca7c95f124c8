#pragma once

// The school's attendance settings, versioned by the day they take effect and by scope (R21), and its
// holidays (docs/api.md "Settings").

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "domain/person.hpp"
#include "service/principal.hpp"
#include "service/recompute_window.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::service {

/// What the settings answer tells of a scope (R21): the settings in force, the scope they really come from, and
/// every scope that has settings of its own.
struct ScopedSettings {
    domain::AttendanceSettings settings;
    std::string requested;  ///< the scope asked for: "" the school's, "kind:staff", "group:5A"
    std::string source;     ///< the scope the values come from, "" the school's; kDefaultsScope when none has any
    std::vector<std::string> own_scopes;  ///< the scopes with at least one version of their own, "" first
};

/// The source of settings that no scope of the school has set: the built-in defaults.
inline constexpr std::string_view kDefaultsScope = "defaults";

class Calendar {
public:
    Calendar(storage::Store& store, const core::Clock& clock, RecomputeLimits limits = {});

    /// Today in the school's zone (R5).
    core::Result<core::Date> SchoolToday(std::int64_t school_id);
    /// The settings in force on `date` for a scope ("" the school's, "kind:staff", "group:5A"): the scope's
    /// own version, else the school's, else the defaults.
    core::Result<domain::AttendanceSettings> SettingsOn(std::int64_t school_id,
                                                        core::Date date,
                                                        const std::string& scope = "");
    /// SettingsOn, with where the values come from and which scopes have their own (the settings answer).
    core::Result<ScopedSettings> ScopedSettingsOn(std::int64_t school_id, core::Date date, const std::string& scope);
    /// The scopes with settings of their own, the school's ("") first.
    core::Result<std::vector<std::string>> OwnScopes(std::int64_t school_id);
    /// Deletes every version of a kind's or a group's settings, so its people inherit again (R21); the days from
    /// its first version to today are recomputed (R18) and the deletion is audited with the versions removed.
    /// The school's own settings can be replaced, not deleted.
    core::Status DeleteScopeSettings(const Principal& by, std::int64_t school_id, const std::string& scope);
    /// Stores a new version of the settings from their effective_from on (the API's decoder defaults it to the
    /// school's today, SchoolToday); invalid settings are refused with the field they name, and so is an
    /// effective_from before 2000-01-01 or more than engine.reprocess_max_days days ahead (R18).
    /// What PutSettings refuses, refused alike (the settings' own rules and effective_from's bounds), without
    /// storing anything: the settings preview checks a body with it. The school's today.
    core::Result<core::Date> CheckSettings(std::int64_t school_id, const domain::AttendanceSettings& settings);
    core::Result<domain::AttendanceSettings> PutSettings(const Principal& by,
                                                         std::int64_t school_id,
                                                         domain::AttendanceSettings settings,
                                                         const std::string& scope = "");

    core::Result<storage::Holiday> CreateHoliday(const Principal& by,
                                                 std::int64_t school_id,
                                                 core::Date date,
                                                 std::string name);
    core::Result<std::vector<storage::Holiday>> ListHolidays(std::int64_t school_id);
    core::Status DeleteHoliday(const Principal& by, std::int64_t school_id, std::int64_t id);

private:
    storage::Store& store_;
    const core::Clock& clock_;
    RecomputeLimits limits_;
};

/// R21: the settings scope named by a `kind` or `group` query parameter; "" (the school's) when neither.
core::Result<std::string> SettingsScope(const std::optional<std::string>& kind,
                                        const std::optional<std::string>& group);

/// R21: of the versions given (any scopes), the one that applies to a person on `date`: their group's,
/// else their kind's, else the school's (no kind and no group: the school's alone). Returns the scope it came
/// from and the version (null: defaults).
std::pair<std::string, const storage::SettingsVersion*> VersionFor(
    const std::vector<storage::SettingsVersion>& versions,
    std::optional<domain::PersonKind> kind,
    const std::string& group,
    core::Date date);

}  // namespace rollcall::service
