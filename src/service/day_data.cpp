// The register is computed on read from the raw punches (R18: a pure function of its inputs), so a read
// always reflects every acknowledged punch and every mapping made since.

#include "service/day_data.hpp"

#include "service/calendar.hpp"
#include "service/time_zone.hpp"
#include "wire/settings.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace rollcall::service {
namespace {

/// The person index a punch belongs to (R6), if any.
std::optional<std::size_t> PersonOf(const SchoolFacts& facts, const storage::StoredPunch& p) {
    const auto it = facts.user_people.find(std::string_view(p.user_id));
    if (it == facts.user_people.end()) {
        return std::nullopt;
    }
    for (const auto& [device_id, person] : it->second.on_device) {
        if (device_id == p.device_id) {
            return person;
        }
    }
    return it->second.school_wide;
}

/// R4 then R5: the punch's time as the engine uses it, on the school's wall clock.
core::Status Correct(const SchoolFacts& facts, storage::StoredPunch& p) {
    // The newest correction covering the punch on its device's own clock wins.
    const auto newest = std::find_if(facts.corrections.rbegin(), facts.corrections.rend(), [&](const auto& c) {
        return c.device_id == p.device_id && c.from <= p.timestamp && p.timestamp <= c.to;
    });
    if (newest != facts.corrections.rend()) {
        p.timestamp.seconds += newest->offset_seconds;
    }
    if (const auto zone = facts.device_zones.find(p.device_id); zone != facts.device_zones.end()) {
        ROLLCALL_TRY(const auto instant, ToUnix(zone->second, p.timestamp));
        ROLLCALL_TRY(p.timestamp, ToLocal(facts.school.timezone, instant));
    }
    return {};
}

/// Day D's settings per scope and per person, and what they imply for finality (R16, R21).
core::Status LoadScopes(const core::Clock& clock, DayData& day) {
    const auto& facts = *day.facts;
    auto load_scope = [&](const std::string& scope,
                          const storage::SettingsVersion* version) -> core::Result<const ScopeDay*> {
        if (const auto it = day.scopes.find(scope); it != day.scopes.end()) {
            return &it->second;
        }
        ScopeDay sd;
        if (version != nullptr) {
            ROLLCALL_TRY(sd.settings, wire::ParseSettingsJson(version->json, version->effective_from));
        }
        // R16: final once the cutoff has passed and every active device was heard from after it. A device counts
        // only on the days it existed: one added today holds nothing of March.
        const core::LocalDateTime cutoff_local{core::AtTime(day.date, 0).seconds + CutoffSecondsOfDay(sd.settings)};
        ROLLCALL_TRY(const auto cutoff, ToUnix(facts.school.timezone, cutoff_local));
        sd.cutoff_passed = clock.NowUnix() >= cutoff;
        for (const auto& d : facts.devices) {
            if (d.status == domain::ActiveStatus::kActive && facts.added_on.at(d.id) <= day.date &&
                (!d.last_seen || *d.last_seen < cutoff)) {
                sd.silent_devices.push_back(d);
            }
        }
        // Finality never goes back: a scope once found final stays so (a device switched back on, a later
        // setting) and only an act about the day itself (a punch, an override, ...) changes its rows.
        sd.recorded_final = day.final_scopes.contains(scope);
        sd.final = sd.recorded_final || (sd.cutoff_passed && (sd.silent_devices.empty() || day.finalized_by_admin));
        return &day.scopes.emplace(scope, std::move(sd)).first->second;
    };
    ROLLCALL_CHECK(load_scope("", VersionFor(facts.versions, std::nullopt, "", day.date).second));
    // R21: each person gets their group's settings, else their kind's, else the school's; people of one kind
    // and group share the answer.
    std::map<std::pair<domain::PersonKind, std::string_view>, const ScopeDay*> by_key;
    day.person_scope.resize(facts.people.size());
    for (std::size_t i = 0; i < facts.people.size(); ++i) {
        const auto& person = facts.people[i];
        auto [it, fresh] = by_key.try_emplace({person.kind, person.group}, nullptr);
        if (fresh) {
            const auto [scope, version] = VersionFor(facts.versions, person.kind, person.group, day.date);
            ROLLCALL_TRY(it->second, load_scope(scope, version));
        }
        day.person_scope[i] = it->second;
    }
    return {};
}

/// The stretches of stored time (half-open, in order, apart) whose punches can fall on block..last once
/// corrected (R4) and converted to the school's zone (R5): the days themselves with the zones' margin, and of
/// each clock correction the part of its span it moves onto them. A correction of a clock reset to 2000 reads
/// the punches of 2000 it moves here, not the quarter of a century between.
std::vector<std::pair<core::LocalDateTime, core::LocalDateTime>> PunchReads(const SchoolFacts& f,
                                                                            core::Date block,
                                                                            core::Date last) {
    const auto lo = core::AtTime(core::Date{block.days - f.margin_days}, 0).seconds;
    const auto hi = core::AtTime(core::Date{last.days + 1 + f.margin_days}, 0).seconds;
    std::vector<std::pair<std::int64_t, std::int64_t>> spans{{lo, hi}};
    for (const auto& c : f.corrections) {
        const auto from = std::max(lo - c.offset_seconds, c.from.seconds);
        const auto to = std::min(hi - c.offset_seconds, c.to.seconds + 1);  // c.to is inclusive
        if (from < to) {
            spans.emplace_back(from, to);
        }
    }
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<core::LocalDateTime, core::LocalDateTime>> out;
    for (const auto& [from, to] : spans) {
        if (!out.empty() && from <= out.back().second.seconds) {
            out.back().second.seconds = std::max(out.back().second.seconds, to);
        } else {
            out.emplace_back(core::LocalDateTime{from}, core::LocalDateTime{to});
        }
    }
    return out;
}

}  // namespace

core::Result<std::shared_ptr<const SchoolFacts>> LoadSchoolFacts(storage::Store& store, std::int64_t school_id) {
    auto facts = std::make_shared<SchoolFacts>();
    ROLLCALL_TRY(facts->school, store.GetSchool(school_id));
    ROLLCALL_TRY(facts->versions, store.ListSettings(school_id));
    ROLLCALL_TRY(const auto holidays, store.ListHolidays(school_id));
    for (const auto& h : holidays) {
        facts->holidays.push_back(h.date);
    }
    ROLLCALL_TRY(facts->people, store.ListPeople(school_id));
    // The register lists people by kind (by its name: staff before students), group and name.
    std::stable_sort(facts->people.begin(), facts->people.end(), [](const auto& a, const auto& b) {
        return std::tuple(core::NameOf(a.kind), std::string_view(a.group), std::string_view(a.name)) <
               std::tuple(core::NameOf(b.kind), std::string_view(b.group), std::string_view(b.name));
    });
    for (std::size_t i = 0; i < facts->people.size(); ++i) {
        facts->person_index.emplace(facts->people[i].id, i);
    }
    facts->tracked.assign(facts->people.size(), false);
    ROLLCALL_TRY(const auto mappings, store.ListMappings(school_id));
    for (const auto& m : mappings) {
        const auto idx = facts->person_index.find(m.person_id);
        if (idx == facts->person_index.end()) {
            continue;
        }
        facts->tracked[idx->second] = true;
        facts->mapped_users.insert(m.user_id);
        auto& people = facts->user_people[m.user_id];
        if (m.device_id) {
            people.on_device.emplace_back(*m.device_id, idx->second);
        } else {
            people.school_wide = idx->second;
        }
    }
    ROLLCALL_TRY(facts->devices, store.ListDevices(school_id));
    for (const auto& d : facts->devices) {
        ROLLCALL_TRY(const auto added, ToLocal(facts->school.timezone, d.created_at));
        facts->added_on.emplace(d.id, added.date());
        facts->directions[d.id] = d.direction;
        if (!d.timezone.empty() && d.timezone != facts->school.timezone) {
            facts->device_zones.emplace(d.id, d.timezone);
        }
    }
    ROLLCALL_TRY(facts->corrections, store.ListClockCorrections(school_id));
    // R5: a device on its own zone stores its own wall clock, so its punches of D can carry the date before or
    // after. A correction's punches are read where they lie (PunchReads), however far it moves them.
    facts->margin_days = facts->device_zones.empty() ? 0 : 1;
    return std::shared_ptr<const SchoolFacts>(std::move(facts));
}

core::Status ForEachDayData(storage::Store& store,
                            const core::Clock& clock,
                            const std::shared_ptr<const SchoolFacts>& facts,
                            core::Date from,
                            core::Date to,
                            const std::function<core::Status(DayData&)>& fn) {
    const auto& f = *facts;
    for (core::Date block = from; block <= to; block = core::Date{block.days + kDaysPerPunchRead}) {
        const core::Date last{std::min(to.days, block.days + kDaysPerPunchRead - 1)};
        const auto days = static_cast<std::size_t>(last.days - block.days) + 1;
        std::vector<storage::StoredPunch> punches;
        for (const auto& [read_from, read_to] : PunchReads(f, block, last)) {
            ROLLCALL_TRY(auto read, store.ListPunchesOfUsers(f.school.id, read_from, read_to, f.mapped_users));
            if (punches.empty()) {
                punches = std::move(read);
            } else {
                std::move(read.begin(), read.end(), std::back_inserter(punches));
            }
        }
        // Each punch goes to the day and the person it belongs to once corrected.
        std::vector<std::vector<std::vector<storage::StoredPunch>>> by_day(
            days, std::vector<std::vector<storage::StoredPunch>>(f.people.size()));
        // What the days of the block hold besides punches, one query each, never one per day.
        ROLLCALL_TRY(const auto final_scopes, store.ListFinalScopes(f.school.id, block, last));
        ROLLCALL_TRY(const auto finalized, store.ListFinalizedDays(f.school.id, block, last));
        ROLLCALL_TRY(auto overrides, store.ListOverridesBetween(f.school.id, block, last));
        std::vector<std::map<std::int64_t, storage::Override>> overrides_by_day(days);
        for (auto& o : overrides) {
            overrides_by_day[static_cast<std::size_t>(o.date.days - block.days)].emplace(o.person_id, std::move(o));
        }
        auto offsets = std::make_shared<std::unordered_map<std::int64_t, std::int64_t>>();
        for (auto& p : punches) {
            ROLLCALL_CHECK(Correct(f, p));
            const auto d = p.timestamp.date();
            if (d < block || last < d) {
                continue;
            }
            const auto person = PersonOf(f, p);
            if (!person) {
                continue;
            }
            if (!offsets->contains(p.received_at)) {
                ROLLCALL_TRY(const auto local, ToLocal(f.school.timezone, p.received_at));
                offsets->emplace(p.received_at, local.seconds - p.received_at);
            }
            by_day[static_cast<std::size_t>(d.days - block.days)][*person].push_back(std::move(p));
        }
        for (std::size_t i = 0; i < days; ++i) {
            DayData day;
            day.facts = facts;
            day.date = core::Date{block.days + static_cast<std::int32_t>(i)};
            day.utc_offsets = offsets;
            day.punches = std::move(by_day[i]);
            day.holiday = std::find(f.holidays.begin(), f.holidays.end(), day.date) != f.holidays.end();
            for (const auto& fs : final_scopes) {
                if (fs.date == day.date) {
                    day.final_scopes.insert(fs.scope);
                }
            }
            day.finalized_by_admin = std::binary_search(finalized.begin(), finalized.end(), day.date);
            day.overrides = std::move(overrides_by_day[i]);
            ROLLCALL_CHECK(LoadScopes(clock, day));
            ROLLCALL_CHECK(fn(day));
        }
    }
    return {};
}

core::Result<DayData> LoadDay(storage::Store& store,
                              const core::Clock& clock,
                              std::int64_t school_id,
                              core::Date date) {
    ROLLCALL_TRY(const auto facts, LoadSchoolFacts(store, school_id));
    DayData out;
    ROLLCALL_CHECK(ForEachDayData(store, clock, facts, date, date, [&](DayData& day) -> core::Status {
        out = std::move(day);
        return {};
    }));
    return out;
}

}  // namespace rollcall::service
