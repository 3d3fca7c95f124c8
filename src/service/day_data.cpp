// The register is computed on read from the raw punches (R18: a pure function of its inputs), so a read
// always reflects every acknowledged punch and every mapping made since.

#include "service/day_data.hpp"

#include "service/calendar.hpp"
#include "service/settings_codec.hpp"
#include "service/time_zone.hpp"

#include <algorithm>

namespace rollcall::service {

core::Result<DayData> LoadDay(storage::Store& store,
                              const core::Clock& clock,
                              std::int64_t school_id,
                              core::Date date) {
    DayData day;
    auto school = store.GetSchool(school_id);
    if (!school) {
        return school.error();
    }
    day.school = *school;
    ROLLCALL_TRY(auto versions, store.ListSettings(school_id));
    ROLLCALL_TRY(day.finalized_by_admin, store.IsDayFinalized(school_id, date));
    auto holidays = store.ListHolidays(school_id);
    auto people = store.ListPeople(school_id);
    auto mappings = store.ListMappings(school_id);
    auto devices = store.ListDevices(school_id);
    // R5: a device with its own zone stores its own wall clock; its punches of D (in the school's zone) can
    // carry the date before or after, so a day on either side is read and each punch converted.
    std::map<std::int64_t, std::string> device_zones;
    if (devices) {
        for (const auto& d : *devices) {
            if (!d.timezone.empty() && d.timezone != school->timezone) {
                device_zones.emplace(d.id, d.timezone);
            }
        }
    }
    // R4: corrected times are what the engine uses; a correction can move a punch into D from further away.
    ROLLCALL_TRY(const auto corrections, store.ListClockCorrections(school_id));
    std::int64_t largest_offset = 0;
    for (const auto& c : corrections) {
        largest_offset = std::max(largest_offset, c.offset_seconds < 0 ? -c.offset_seconds : c.offset_seconds);
    }
    const int margin = (device_zones.empty() ? 0 : 1) + static_cast<int>((largest_offset + 86399) / 86400);
    // Only the punches of mapped users can reach a register row (R6, R7); the rest are never loaded.
    storage::UserIdSet mapped_users;
    if (mappings) {
        for (const auto& m : *mappings) {
            mapped_users.insert(m.user_id);
        }
    }
    auto punches = store.ListPunchesOfUsers(school_id,
                                            core::AtTime(core::Date{date.days - margin}, 0),
                                            core::AtTime(core::Date{date.days + 1 + margin}, 0),
                                            mapped_users);
    auto overrides = store.ListOverrides(school_id, date);
    if (!holidays || !people || !mappings || !devices || !punches || !overrides) {
        return core::MakeError(core::Errc::kInternal, "storage error");
    }
    for (auto& o : *overrides) {
        day.overrides.emplace(o.person_id, std::move(o));
    }
    day.holiday = std::any_of(holidays->begin(), holidays->end(), [&](const auto& h) { return h.date == date; });
    day.people = std::move(*people);

    for (const auto& d : *devices) {
        day.directions[d.id] = domain::ParseDeviceDirection(d.direction).value_or(domain::DeviceDirection::kAuto);
    }
    // R21: each person gets their group's settings, else their kind's, else the school's.
    auto load_scope = [&](const std::string& scope, const storage::SettingsVersion* version) -> core::Status {
        if (day.scopes.contains(scope)) {
            return {};
        }
        ScopeDay sd;
        if (version != nullptr) {
            ROLLCALL_TRY(sd.settings, ParseSettingsJson(version->json, version->effective_from));
        }
        // R16: final once the cutoff has passed and every active device was heard from after it.
        const core::LocalDateTime cutoff_local{core::AtTime(date, 0).seconds + CutoffSecondsOfDay(sd.settings)};
        ROLLCALL_TRY(const auto cutoff, ToUnix(day.school.timezone, cutoff_local));
        sd.cutoff_passed = clock.NowUnix() >= cutoff;
        for (const auto& d : *devices) {
            if (d.status == "active" && (!d.last_seen || *d.last_seen < cutoff)) {
                sd.silent_devices.push_back(d);
            }
        }
        sd.final = sd.cutoff_passed && (sd.silent_devices.empty() || day.finalized_by_admin);
        day.scopes.emplace(scope, std::move(sd));
        return {};
    };
    ROLLCALL_CHECK(load_scope("", VersionFor(versions, "", "", date).second));
    for (const auto& person : day.people) {
        const auto [scope, version] = VersionFor(versions, person.kind, person.group, date);
        ROLLCALL_CHECK(load_scope(scope, version));
        day.person_scope[person.id] = scope;
    }

    // R6: a device-specific mapping beats a school-wide one.
    std::map<std::pair<std::int64_t, std::string>, std::int64_t> by_device;
    std::map<std::string, std::int64_t> school_wide;
    for (const auto& m : *mappings) {
        day.tracked[m.person_id] = true;
        if (m.device_id) {
            by_device[{*m.device_id, m.user_id}] = m.person_id;
        } else {
            school_wide[m.user_id] = m.person_id;
        }
    }
    for (auto& p : *punches) {
        // The newest correction covering the punch on its device's own clock wins.
        for (auto c = corrections.rbegin(); c != corrections.rend(); ++c) {
            if (c->device_id == p.device_id && c->from <= p.timestamp && p.timestamp <= c->to) {
                p.timestamp.seconds += c->offset_seconds;
                break;
            }
        }
        if (const auto zone = device_zones.find(p.device_id); zone != device_zones.end()) {
            ROLLCALL_TRY(const auto instant, ToUnix(zone->second, p.timestamp));
            ROLLCALL_TRY(p.timestamp, ToLocal(day.school.timezone, instant));
        }
        if (p.timestamp.date() != date) {
            continue;
        }
        if (!day.utc_offsets.contains(p.received_at)) {
            ROLLCALL_TRY(auto local, ToLocal(day.school.timezone, p.received_at));
            day.utc_offsets[p.received_at] = local.seconds - p.received_at;
        }
        std::optional<std::int64_t> person;
        if (auto it = by_device.find({p.device_id, p.user_id}); it != by_device.end()) {
            person = it->second;
        } else if (auto jt = school_wide.find(p.user_id); jt != school_wide.end()) {
            person = jt->second;
        }
        if (person) {
            day.punches[*person].push_back(std::move(p));
        }
    }
    return day;
}

}  // namespace rollcall::service
