#pragma once

// What the register of a day is computed from (R18: a pure function of these inputs). What every day of a
// school shares (people, mappings, devices, settings versions, clock corrections) is read once per range of
// days, and the punches once per block of days, so a month's registers or a year's report cost one read of
// their punches rather than one read of everything per day.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace rollcall::service {

/// The days of punches read at once: a month's registers take one read; a year's report twelve.
inline constexpr std::int32_t kDaysPerPunchRead = 31;

/// What every day of a school shares, read once.
struct SchoolFacts {
    storage::School school;
    std::vector<storage::SettingsVersion> versions;
    std::vector<core::Date> holidays;
    std::vector<storage::Person> people;  ///< in register order: kind, group, name
    std::unordered_map<std::int64_t, std::size_t> person_index;
    std::vector<bool> tracked;  ///< by person index: has any mapping (R8)
    std::vector<storage::Device> devices;
    std::map<std::int64_t, core::Date> added_on;                 ///< device id -> the day it was added (R16)
    std::map<std::int64_t, domain::DeviceDirection> directions;  ///< device id -> direction (R9)
    std::map<std::int64_t, std::string> device_zones;            ///< devices on another zone than the school (R5)
    std::vector<storage::ClockCorrection> corrections;           ///< R4
    /// R6: whom a device user id maps to; a device-specific mapping beats a school-wide one.
    struct UserPeople {
        std::vector<std::pair<std::int64_t, std::size_t>> on_device;  ///< device id, person index
        std::optional<std::size_t> school_wide;                       ///< person index
    };
    /// Every punch of a month is looked up here: one hash of its user id, then the few devices of that id.
    std::unordered_map<std::string, UserPeople, storage::TextHash, std::equal_to<>> user_people;
    storage::UserIdSet mapped_users;  ///< only their punches can reach a row (R6, R7)
    /// Days read on either side of a block: a device zone can move a punch across midnight (R5).
    std::int32_t margin_days = 0;
};

/// The settings of one scope on day D and what they imply for finality (R16, R21).
struct ScopeDay {
    domain::AttendanceSettings settings;
    bool cutoff_passed = false;
    bool recorded_final = false;  ///< found final before (R16: finality never goes back)
    bool final = false;
    std::vector<storage::Device> silent_devices;
};

struct DayData {
    std::shared_ptr<const SchoolFacts> facts;
    core::Date date;
    std::map<std::string, ScopeDay> scopes;     ///< "" (the school's) is always there
    std::vector<const ScopeDay*> person_scope;  ///< by person index: the scope whose settings apply (R21)
    bool holiday = false;
    bool finalized_by_admin = false;
    std::set<std::string> final_scopes;                      ///< the scopes a recomputation found final on D (R16)
    std::vector<std::vector<storage::StoredPunch>> punches;  ///< by person index: their punches of D
    std::map<std::int64_t, storage::Override> overrides;     ///< person id -> override of D
    /// received_at -> the school's UTC offset then (R4), shared by the days of a block.
    std::shared_ptr<const std::unordered_map<std::int64_t, std::int64_t>> utc_offsets;

    const ScopeDay& school_scope() const { return scopes.at(""); }
};

core::Result<std::shared_ptr<const SchoolFacts>> LoadSchoolFacts(storage::Store& store, std::int64_t school_id);

/// Reads the days from..to of a school in order, each handed to `fn` as soon as it is ready: the punches that
/// fall on it once corrected (R4) and converted to the school's zone (R5), its settings, overrides and
/// finality. `clock` decides whether a cutoff has passed.
core::Status ForEachDayData(storage::Store& store,
                            const core::Clock& clock,
                            const std::shared_ptr<const SchoolFacts>& facts,
                            core::Date from,
                            core::Date to,
                            const std::function<core::Status(DayData&)>& fn);

/// One day, as ForEachDayData reads it.
core::Result<DayData> LoadDay(storage::Store& store, const core::Clock& clock, std::int64_t school_id, core::Date date);

}  // namespace rollcall::service
