#include "service/people.hpp"

#include "core/text_encoding.hpp"
#include "service/audit.hpp"
#include "service/people_csv.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

core::Status ValidatePerson(const storage::Person& p) {
    ROLLCALL_CHECK(CheckText(p.name, "name", true, kMaxNameLength));
    ROLLCALL_CHECK(CheckText(p.external_id, "external_id", false, 64));
    ROLLCALL_CHECK(CheckText(p.group, "group", false, 64));
    if (p.active_from && p.active_to && *p.active_to < *p.active_from) {
        return MakeError(Errc::kInvalidArgument, "active_to: must not be before active_from");
    }
    return {};
}

std::string Counted(std::int64_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

/// What the record holds about a person, in words ("punches, 1 override"); empty when it holds nothing.
std::string DescribeHistory(const storage::PersonHistory& h) {
    std::vector<std::string> parts;
    if (h.punched) {
        parts.emplace_back("punches");
    }
    if (h.overrides > 0) {
        parts.push_back(Counted(h.overrides, "override"));
    }
    if (h.final_days > 0) {
        parts.push_back(Counted(h.final_days, "final register day"));
    }
    if (h.events > 0) {
        parts.push_back(Counted(h.events, "webhook event"));
    }
    std::string out;
    for (const auto& part : parts) {
        out += (out.empty() ? "" : ", ") + part;
    }
    return out;
}

void ApplyPatch(storage::Person& p, const PersonPatch& patch) {
    SetIfGiven(p.name, patch.name);
    SetIfGiven(p.kind, patch.kind);
    SetIfGiven(p.external_id, patch.external_id);
    SetIfGiven(p.group, patch.group);
    SetIfGiven(p.active_from, patch.active_from);
    SetIfGiven(p.active_to, patch.active_to);
}

/// The device a CSV row names by its name or its id; nullopt (school-wide) when the cell is empty.
core::Result<std::optional<std::int64_t>> DeviceNamed(const std::vector<storage::Device>& devices,
                                                      const std::string& text) {
    if (text.empty()) {
        return std::optional<std::int64_t>();
    }
    for (const auto& d : devices) {
        if (d.name == text || std::to_string(d.id) == text) {
            return std::optional<std::int64_t>(d.id);
        }
    }
    return MakeError(Errc::kInvalidArgument, "device: this school has no device named or numbered \"" + text + "\"");
}

}  // namespace

People::People(storage::Store& store, const core::Clock& clock, std::size_t max_user_id_length)
    : store_(store), clock_(clock), max_user_id_length_(max_user_id_length) {}

core::Result<storage::Person> People::CreatePerson(const Principal& by,
                                                   std::int64_t school_id,
                                                   const PersonPatch& input) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    ROLLCALL_TRY(const auto person, NewPerson(school_id, input, today));
    return StorePerson(by, person, std::nullopt);
}

core::Result<storage::Person> People::NewPerson(std::int64_t school_id, const PersonPatch& input, core::Date today) {
    storage::Person p;
    p.school_id = school_id;
    ApplyPatch(p, input);
    if (!p.active_from) {
        // R8: a person joins the school the day they are added (its today), unless told when: they are never
        // concluded absent on the days before.
        p.active_from = today;
        if (p.active_to && *p.active_to < today) {
            return MakeError(Errc::kInvalidArgument,
                             "active_to: before active_from, which is today (" + core::FormatDate(today) +
                                 ") when not given; give active_from too");
        }
    }
    ROLLCALL_CHECK(ValidatePerson(p));
    return p;
}

core::Result<storage::Person> People::StorePerson(const Principal& by,
                                                  const storage::Person& p,
                                                  const std::optional<storage::Mapping>& mapping) {
    const auto now = clock_.NowUnix();
    auto audit = AuditOf(by, p.school_id, now, AuditAction::kCreate, "person");
    audit.new_value = PersonAuditJson(p);
    Label(audit, p);
    auto created = mapping ? store_.CreatePersonWithMapping(
                                 p,
                                 audit,
                                 *mapping,
                                 [&](const storage::Mapping& m) {
                                     auto line = AuditOf(by, p.school_id, now, AuditAction::kCreate, "mapping");
                                     line.new_value = MappingAuditJson(m);
                                     Label(line, p);
                                     return line;
                                 })
                           : store_.CreatePerson(p, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict,
                         mapping ? "external_id or user_id: another person of this school has it"
                                 : "external_id: another person of this school has it");
    }
    return created;
}

core::Result<storage::Person> People::UpdatePerson(const Principal& by,
                                                   std::int64_t school_id,
                                                   std::int64_t id,
                                                   const PersonPatch& patch) {
    ROLLCALL_TRY(auto p, store_.GetPerson(school_id, id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kUpdate, "person");
    audit.old_value = PersonAuditJson(p);
    ApplyPatch(p, patch);
    ROLLCALL_CHECK(ValidatePerson(p));
    audit.new_value = PersonAuditJson(p);
    Label(audit, p);
    auto updated = store_.UpdatePerson(p, audit);
    if (!updated && updated.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "external_id: another person of this school has it");
    }
    // R18: a change of kind, group (R21) or active dates (R8) marks the days the person punched on, in the
    // same transaction (the store does).
    return updated;
}

core::Status People::DeletePerson(const Principal& by, std::int64_t school_id, std::int64_t id) {
    const auto now = clock_.NowUnix();
    // Decided and audited in the deleting transaction from what it would remove, so a punch or a mapping made a
    // moment before cannot slip past the check or go unaudited.
    return store_.DeletePerson(
        school_id, id, [&](const storage::PersonRemoval& removed) -> core::Result<std::vector<storage::AuditEntry>> {
            if (const auto history = DescribeHistory(removed.history); !history.empty()) {
                return MakeError(Errc::kConflict,
                                 "this person has a history (" + history +
                                     "); set active_to to deactivate them instead: only a person with no history "
                                     "can be deleted");
            }
            std::vector<storage::AuditEntry> lines;
            auto person = AuditOf(by, school_id, now, AuditAction::kDelete, "person");
            person.entity_id = removed.person.id;
            person.old_value = PersonAuditJson(removed.person);
            Label(person, removed.person);
            lines.push_back(std::move(person));
            for (const auto& m : removed.mappings) {
                auto line = AuditOf(by, school_id, now, AuditAction::kDelete, "mapping");
                line.entity_id = m.id;
                line.old_value = MappingAuditJson(m);
                line.reason = "its person was deleted";
                Label(line, removed.person);
                lines.push_back(std::move(line));
            }
            return lines;
        });
}

core::Result<std::vector<storage::Person>> People::ListPeople(std::int64_t school_id) {
    return store_.ListPeople(school_id);
}

core::Result<storage::Person> People::GetPerson(std::int64_t school_id, std::int64_t id) {
    return store_.GetPerson(school_id, id);
}

core::Result<ImportReport> People::ImportPeopleCsv(const Principal& by,
                                                   std::int64_t school_id,
                                                   std::string_view csv,
                                                   bool dry_run) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(const auto table, ReadPeopleCsv(csv));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    ROLLCALL_TRY(const auto devices, store_.ListDevices(school_id));
    ROLLCALL_TRY(const auto people, store_.ListPeople(school_id));
    ROLLCALL_TRY(const auto mappings, store_.ListMappings(school_id));
    // What the file may not repeat, known before it is read and grown as its rows are stored, so a clash is that
    // row's error with its reason rather than the store's bare conflict.
    std::set<std::string> external_ids;
    for (const auto& p : people) {
        if (!p.external_id.empty()) {
            external_ids.insert(p.external_id);
        }
    }
    std::set<std::pair<std::int64_t, std::string>> mapped;  // (device id, 0 school-wide; user id)
    for (const auto& m : mappings) {
        mapped.emplace(m.device_id.value_or(0), m.user_id);
    }
    ImportReport report;
    report.encoding = table.encoding;
    for (const auto& row : table.rows) {
        auto imported = [&]() -> core::Result<bool> {
            if (!row.error.empty()) {
                return MakeError(Errc::kInvalidArgument, row.error);
            }
            if (row.fields.size() > table.columns.size()) {
                return MakeError(Errc::kInvalidArgument,
                                 "the line has " + std::to_string(row.fields.size()) + " fields and the header " +
                                     std::to_string(table.columns.size()) +
                                     " columns; quote a field that holds a comma");
            }
            const auto field = [&](const char* name) -> std::string {
                const auto it = table.columns.find(name);
                return it != table.columns.end() && it->second < row.fields.size() ? row.fields[it->second]
                                                                                   : std::string();
            };
            ROLLCALL_TRY(const auto kind, core::ParseField<domain::PersonKind>("kind", field("kind")));
            PersonPatch input{field("name"), kind, field("external_id"), field("group"), {}, {}};
            for (const auto& [column, target] :
                 {std::pair{"active_from", &input.active_from}, std::pair{"active_to", &input.active_to}}) {
                if (const auto text = field(column); !text.empty()) {
                    const auto date = core::ParseDate(text);
                    if (!date) {
                        return MakeError(Errc::kInvalidArgument, std::string(column) + ": expected YYYY-MM-DD");
                    }
                    *target = std::optional<core::Date>(*date);
                }
            }
            ROLLCALL_TRY(const auto person, NewPerson(school_id, input, today));
            if (!person.external_id.empty() && external_ids.contains(person.external_id)) {
                return MakeError(Errc::kConflict, "external_id: another person of this school has it");
            }
            const auto user_id = field("user_id");
            const auto device = field("device");
            std::optional<storage::Mapping> mapping;
            if (!user_id.empty()) {
                ROLLCALL_CHECK(CheckText(user_id, "user_id", true, max_user_id_length_));
                ROLLCALL_TRY(const auto device_id, DeviceNamed(devices, device));
                if (mapped.contains({device_id.value_or(0), user_id})) {
                    return MakeError(
                        Errc::kConflict,
                        device_id ? "user_id: already mapped on this device" : "user_id: already mapped school-wide");
                }
                mapping = storage::Mapping{0, school_id, device_id, user_id, 0, clock_.NowUnix()};
            } else if (!device.empty()) {
                return MakeError(Errc::kInvalidArgument, "device: given without a user_id to map on it");
            }
            if (!dry_run) {
                ROLLCALL_CHECK(StorePerson(by, person, mapping));
            }
            report.rows.push_back({row.line, person, user_id});
            if (!person.external_id.empty()) {
                external_ids.insert(person.external_id);
            }
            if (mapping) {
                mapped.emplace(mapping->device_id.value_or(0), mapping->user_id);
            }
            return mapping.has_value();
        }();
        if (imported) {
            ++report.created;
            report.mapped += *imported ? 1 : 0;
        } else {
            report.errors.push_back({row.line, imported.error().message});
        }
    }
    return report;
}

core::Result<storage::Mapping> People::CreateMapping(const Principal& by,
                                                     std::int64_t school_id,
                                                     const std::string& user_id,
                                                     std::int64_t person_id,
                                                     std::optional<std::int64_t> device_id,
                                                     const std::string& reason) {
    ROLLCALL_CHECK(CheckText(user_id, "user_id", true, max_user_id_length_));
    const auto person = store_.GetPerson(school_id, person_id);
    if (!person) {
        return MakeError(Errc::kInvalidArgument, "person_id: no such person in this school");
    }
    if (device_id) {
        if (auto d = store_.GetDevice(school_id, *device_id); !d) {
            return MakeError(Errc::kInvalidArgument, "device_id: no such device in this school");
        }
    }
    storage::Mapping m{0, school_id, device_id, user_id, person_id, clock_.NowUnix()};
    auto audit = AuditOf(by, school_id, m.created_at, AuditAction::kCreate, "mapping");
    audit.new_value = MappingAuditJson(m);
    audit.reason = reason;
    Label(audit, *person);
    auto created = store_.CreateMapping(m, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "user_id: already mapped on this device (delete that mapping first)");
    }
    // The register is computed from raw punches on read, so mapping a user makes its past punches count
    // at once (R7); the days they fall on are marked for the worker (R18).
    return created;
}

core::Result<TerminalPeopleReport> People::CreateFromTerminalUsers(const Principal& by,
                                                                   std::int64_t school_id,
                                                                   std::int64_t device_id,
                                                                   const TerminalPeopleInput& input,
                                                                   std::size_t max_users) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(const auto device, store_.GetDevice(school_id, device_id));
    if (input.user_ids.empty()) {
        return MakeError(Errc::kInvalidArgument, "user_ids: name at least one user of the terminal");
    }
    if (input.user_ids.size() > max_users) {
        return MakeError(Errc::kInvalidArgument,
                         "user_ids: at most " + std::to_string(max_users) + " (agent.max_terminal_users)");
    }
    ROLLCALL_CHECK(CheckText(input.group, "group", false, 64));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    ROLLCALL_TRY(const auto users, store_.ListDeviceUsers(school_id, device_id));
    std::map<std::string, const storage::DeviceUser*, std::less<>> by_user_id;
    for (const auto& u : users) {
        by_user_id.emplace(u.user_id, &u);
    }
    const auto now = clock_.NowUnix();
    const std::string reason = "created from the terminal's user table of " + device.name;
    TerminalPeopleReport report;
    std::vector<storage::Store::MappedPerson> batch;
    std::vector<std::string> batch_users;
    std::vector<storage::Mapping> mapped;  // filled as the store writes each mapping, in the batch's order
    std::set<std::string, std::less<>> named;
    for (const auto& user_id : input.user_ids) {
        const auto skip = [&](std::string why) { report.skipped.push_back({user_id, std::move(why)}); };
        if (!named.insert(user_id).second) {
            skip("listed twice");
            continue;
        }
        const auto it = by_user_id.find(user_id);
        if (it == by_user_id.end()) {
            skip("not a user of this device");
            continue;
        }
        const auto& u = *it->second;
        if (u.person_id) {
            skip("already mapped to person " + std::to_string(*u.person_id));
            continue;
        }
        if (!u.in_terminal || core::TrimAscii(u.name).empty()) {
            skip("the terminal holds no name for this user");
            continue;
        }
        PersonPatch patch;
        patch.name = std::string(core::TrimAscii(u.name));
        patch.kind = input.kind;
        patch.group = input.group;
        if (input.active_from) {
            patch.active_from = std::optional<core::Date>(*input.active_from);
        }
        auto person = NewPerson(school_id, patch, today);
        if (!person) {
            skip(person.error().message);
            continue;
        }
        auto audit = AuditOf(by, school_id, now, AuditAction::kCreate, "person");
        audit.new_value = PersonAuditJson(*person);
        audit.reason = reason;
        Label(audit, *person);
        storage::Mapping mapping{0, school_id, device_id, user_id, 0, now};
        auto mapping_audit = [&by, &mapped, &reason, school_id, now, p = *person](const storage::Mapping& m) {
            mapped.push_back(m);
            auto line = AuditOf(by, school_id, now, AuditAction::kCreate, "mapping");
            line.new_value = MappingAuditJson(m);
            line.reason = reason;
            Label(line, p);
            return line;
        };
        batch.push_back({*person, std::move(audit), std::move(mapping), std::move(mapping_audit)});
        batch_users.push_back(user_id);
    }
    if (batch.empty()) {
        return report;
    }
    auto created = store_.CreatePeopleWithMappings(std::move(batch));
    if (!created) {
        if (created.error().code == Errc::kConflict) {
            return MakeError(Errc::kConflict, "user_ids: a user was mapped meanwhile; nothing was created, try again");
        }
        return created.error();
    }
    for (std::size_t i = 0; i < created->size() && i < mapped.size(); ++i) {
        report.created.push_back({batch_users[i], (*created)[i], mapped[i]});
    }
    return report;
}

core::Status People::DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListMappings(school_id));
    ROLLCALL_TRY(const auto mapping, FindById(all, id, "mapping not found"));
    ROLLCALL_TRY(const auto person, store_.GetPerson(school_id, mapping.person_id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "mapping");
    audit.old_value = MappingAuditJson(mapping);
    Label(audit, person);
    return store_.DeleteMapping(school_id, id, audit);  // marks the days of its punches in the same transaction
}

core::Result<std::vector<storage::DeviceUser>> People::Unmapped(std::int64_t school_id) {
    ROLLCALL_TRY(auto users, store_.ListDeviceUsers(school_id, std::nullopt));
    std::vector<storage::DeviceUser> out;
    for (auto& u : users) {
        // A terminal's user who never punched has nothing that counts for nothing yet: not in the inbox.
        if (!u.person_id && u.punches > 0) {
            out.push_back(std::move(u));
        }
    }
    return out;
}

core::Result<std::vector<storage::Mapping>> People::ListMappings(std::int64_t school_id) {
    return store_.ListMappings(school_id);
}

core::Result<std::vector<storage::Person>> People::PeopleWithoutMapping(std::int64_t school_id) {
    ROLLCALL_TRY(auto people, store_.ListPeople(school_id));
    ROLLCALL_TRY(const auto mappings, store_.ListMappings(school_id));
    std::set<std::int64_t> mapped;
    for (const auto& m : mappings) {
        mapped.insert(m.person_id);
    }
    std::erase_if(people, [&](const storage::Person& p) { return mapped.contains(p.id); });
    return people;
}

}  // namespace rollcall::service
