#pragma once

// What the register of one day is computed from (R18: a pure function of these inputs), read in one go.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rollcall::service {

/// The settings of one scope on day D and what they imply for finality (R16, R21).
struct ScopeDay {
    domain::AttendanceSettings settings;
    bool cutoff_passed = false;
    bool final = false;
    std::vector<storage::Device> silent_devices;
};

struct DayData {
    storage::School school;
    std::map<std::string, ScopeDay> scopes;            ///< "" (the school's) is always there
    std::map<std::int64_t, std::string> person_scope;  ///< person id -> the scope whose settings apply
    bool holiday = false;
    bool finalized_by_admin = false;
    std::vector<storage::Person> people;
    std::map<std::int64_t, bool> tracked;                               ///< person id -> has any mapping
    std::map<std::int64_t, std::vector<storage::StoredPunch>> punches;  ///< person id -> their punches of D
    std::map<std::int64_t, domain::DeviceDirection> directions;         ///< device id -> direction
    std::map<std::int64_t, storage::Override> overrides;                ///< person id -> override of D
    std::map<std::int64_t, std::int64_t> utc_offsets;  ///< received_at -> the school's UTC offset then (R4)
};

/// Reads day D of a school: its people, settings, devices, mappings and the punches that fall on D once
/// corrected (R4) and converted to the school's zone (R5). `clock` decides whether the cutoff has passed.
core::Result<DayData> LoadDay(storage::Store& store, const core::Clock& clock, std::int64_t school_id, core::Date date);

}  // namespace rollcall::service
