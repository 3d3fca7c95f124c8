// The register is computed on read from the raw punches (R18: a pure function of its inputs), so a read
// always reflects every acknowledged punch and every mapping made since.

#include "service/services.hpp"
#include "service/settings_codec.hpp"

#include <algorithm>
#include <map>

namespace rollcall::service {

/// The settings of one scope on day D and what they imply for finality (R16, R21).
struct ScopeDay {
    domain::AttendanceSettings settings;
    bool cutoff_passed = false;
    bool final = false;
    std::vector<storage::Device> silent_devices;
};

struct Services::DayData {
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

core::Result<Services::DayData> Services::LoadDay(std::int64_t school_id, core::Date date) {
    DayData day;
    auto school = store_.GetSchool(school_id);
    if (!school) {
        return school.error();
    }
    day.school = *school;
    ROLLCALL_TRY(auto versions, store_.ListSettings(school_id));
    ROLLCALL_TRY(day.finalized_by_admin, store_.IsDayFinalized(school_id, date));
    auto holidays = store_.ListHolidays(school_id);
    auto people = store_.ListPeople(school_id);
    auto mappings = store_.ListMappings(school_id);
    auto devices = store_.ListDevices(school_id);
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
    ROLLCALL_TRY(const auto corrections, store_.ListClockCorrections(school_id));
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
    auto punches = store_.ListPunchesOfUsers(school_id,
                                             core::AtTime(core::Date{date.days - margin}, 0),
                                             core::AtTime(core::Date{date.days + 1 + margin}, 0),
                                             mapped_users);
    auto overrides = store_.ListOverrides(school_id, date);
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
        sd.cutoff_passed = clock_.NowUnix() >= cutoff;
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

namespace {

domain::DayInput MakeInput(const std::map<std::int64_t, std::int64_t>& utc_offsets,
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
    in.active =
        (!person.active_from || *person.active_from <= date) && (!person.active_to || date <= *person.active_to);
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

core::Result<Register> Services::RegisterFor(std::int64_t school_id, core::Date date) {
    auto day = LoadDay(school_id, date);
    if (!day) {
        return day.error();
    }
    // The register's own finality, warnings and silent devices are the school's settings' (scope "");
    // each row is final or not by the settings that apply to its person.
    const auto& school_scope = day->scopes.at("");
    Register reg;
    reg.date = date;
    reg.final = school_scope.final;
    reg.cutoff_passed = school_scope.cutoff_passed;
    reg.finalized_by_admin = day->finalized_by_admin;
    reg.start_time_set = school_scope.settings.school_start_time.has_value();
    reg.silent_devices = school_scope.silent_devices;
    static const std::vector<storage::StoredPunch> kNone;
    reg.rows.reserve(day->people.size());
    for (const auto& person : day->people) {
        const auto it = day->punches.find(person.id);
        const auto& punches = it != day->punches.end() ? it->second : kNone;
        const auto& scope = day->scopes.at(day->person_scope.at(person.id));
        auto input = MakeInput(day->utc_offsets,
                               date,
                               scope.settings,
                               day->holiday,
                               scope.final,
                               day->tracked.contains(person.id),
                               person,
                               punches,
                               day->directions);
        const auto o = day->overrides.find(person.id);
        reg.rows.push_back(RegisterRow{person,
                                       domain::ComputeDay(input),
                                       o != day->overrides.end() ? std::optional(o->second) : std::nullopt,
                                       punches});
    }
    std::stable_sort(reg.rows.begin(), reg.rows.end(), [](const RegisterRow& a, const RegisterRow& b) {
        return std::tie(a.person.kind, a.person.group, a.person.name) <
               std::tie(b.person.kind, b.person.group, b.person.name);
    });
    return reg;
}

ShownRow ShowRow(const RegisterRow& row) {
    const auto& r = row.result;
    const auto& o = row.override_row;
    ShownRow shown;
    shown.status = o ? o->status : std::string(domain::DayStatusName(r.status));
    shown.in_time = o && o->in_time ? o->in_time : r.in_time;
    shown.out_time = o && o->out_time ? o->out_time : r.out_time;
    shown.late_minutes = o && o->status != "late" ? 0 : r.late_minutes;
    return shown;
}

core::Status Services::FinalizeDay(const Principal& principal, std::int64_t school_id, core::Date date) {
    ROLLCALL_TRY(auto day, LoadDay(school_id, date));
    if (!day.scopes.at("").cutoff_passed) {
        return core::MakeError(core::Errc::kConflict,
                               "date: the day's cutoff has not passed yet; people may still arrive");
    }
    auto audit = AuditOf(principal, school_id, clock_.NowUnix(), "finalize", "day");
    std::string silent;
    for (const auto& d : day.scopes.at("").silent_devices) {
        silent += (silent.empty() ? "" : ", ") + d.name;
    }
    audit.new_value = "{\"date\":\"" + core::FormatDate(date) + "\"}";
    audit.reason = silent.empty() ? "finalized" : "finalized anyway; silent devices: " + silent;
    return store_.FinalizeDay(school_id, date, audit);  // marks the day in the same transaction (R18)
}

core::Result<Explanation> Services::Explain(std::int64_t school_id, std::int64_t person_id, core::Date date) {
    auto person = store_.GetPerson(school_id, person_id);
    if (!person) {
        return person.error();
    }
    auto day = LoadDay(school_id, date);
    if (!day) {
        return day.error();
    }
    Explanation out;
    if (auto it = day->punches.find(person_id); it != day->punches.end()) {
        out.punches = it->second;
    }
    const auto& scope = day->scopes.at(day->person_scope.at(person_id));
    auto input = MakeInput(day->utc_offsets,
                           date,
                           scope.settings,
                           day->holiday,
                           scope.final,
                           day->tracked.contains(person_id),
                           *person,
                           out.punches,
                           day->directions);
    for (const auto& p : input.punches) {
        out.directions.push_back(p.device_direction);
    }
    out.result = domain::ComputeDay(input);
    if (const auto o = day->overrides.find(person_id); o != day->overrides.end()) {
        out.override_row = o->second;
    }
    return out;
}

}  // namespace rollcall::service
