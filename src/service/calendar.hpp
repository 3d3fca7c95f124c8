#pragma once

// The school's attendance settings, versioned by the day they take effect and by scope (R21), and its
// holidays (docs/api.md "Settings").

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "domain/person.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::service {

class Calendar {
public:
    Calendar(storage::Store& store, const core::Clock& clock);

    /// Today in the school's zone (R5).
    core::Result<core::Date> SchoolToday(std::int64_t school_id);
    /// The settings in force on `date` for a scope ("" the school's, "kind:staff", "group:5A"): the scope's
    /// own version, else the school's, else the defaults.
    core::Result<domain::AttendanceSettings> SettingsOn(std::int64_t school_id,
                                                        core::Date date,
                                                        const std::string& scope = "");
    /// Stores a new version of the settings from their effective_from on (the API's decoder defaults it to the
    /// school's today, SchoolToday); invalid settings are refused with the field they name.
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
