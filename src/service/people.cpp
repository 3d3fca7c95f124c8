#include "service/people.hpp"

#include "service/audit.hpp"
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

/// Splits one CSV line (RFC 4180 quoting) into fields.
std::vector<std::string> SplitCsvLine(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back().push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back().push_back(c);
        }
    }
    for (auto& f : fields) {
        while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) {
            f.pop_back();
        }
        const auto start = f.find_first_not_of(' ');
        f = start == std::string::npos ? std::string() : f.substr(start);
    }
    return fields;
}

}  // namespace

People::People(storage::Store& store, const core::Clock& clock, std::size_t max_user_id_length)
    : store_(store), clock_(clock), max_user_id_length_(max_user_id_length) {}

core::Result<storage::Person> People::CreatePerson(const Principal& by,
                                                   std::int64_t school_id,
                                                   const PersonPatch& input) {
    ROLLCALL_CHECK(store_.GetSchool(school_id));
    storage::Person p;
    p.school_id = school_id;
    ApplyPatch(p, input);
    ROLLCALL_CHECK(ValidatePerson(p));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kCreate, "person");
    audit.new_value = PersonAuditJson(p);
    auto created = store_.CreatePerson(p, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "external_id: another person of this school has it");
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
            lines.push_back(std::move(person));
            for (const auto& m : removed.mappings) {
                auto line = AuditOf(by, school_id, now, AuditAction::kDelete, "mapping");
                line.entity_id = m.id;
                line.old_value = MappingAuditJson(m);
                line.reason = "its person was deleted";
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

core::Result<ImportReport> People::ImportPeopleCsv(const Principal& by, std::int64_t school_id, std::string_view csv) {
    ROLLCALL_CHECK(store_.GetSchool(school_id));
    ImportReport report;
    std::size_t line_no = 0;
    std::map<std::string, std::size_t> columns;
    std::size_t pos = 0;
    while (pos < csv.size()) {
        auto end = csv.find('\n', pos);
        if (end == std::string_view::npos) {
            end = csv.size();
        }
        const std::string_view line = csv.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.find_first_not_of(" \r") == std::string_view::npos) {
            continue;
        }
        auto fields = SplitCsvLine(line);
        if (columns.empty()) {
            for (std::size_t i = 0; i < fields.size(); ++i) {
                auto name = fields[i];
                if (i == 0 && name.starts_with("\xEF\xBB\xBF")) {
                    name = name.substr(3);  // a BOM, as spreadsheet programs write
                }
                columns[name] = i;
            }
            if (!columns.contains("name") || !columns.contains("kind")) {
                return MakeError(Errc::kInvalidArgument, "csv: the header row needs name,kind,external_id,group");
            }
            continue;
        }
        auto field = [&](const char* name) -> std::string {
            const auto it = columns.find(name);
            return it != columns.end() && it->second < fields.size() ? fields[it->second] : std::string();
        };
        auto created = [&]() -> core::Result<storage::Person> {
            ROLLCALL_TRY(const auto kind, core::ParseField<domain::PersonKind>("kind", field("kind")));
            return CreatePerson(by, school_id, {field("name"), kind, field("external_id"), field("group"), {}, {}});
        }();
        if (created) {
            ++report.created;
        } else {
            report.errors.push_back({line_no, created.error().message});
        }
    }
    if (columns.empty()) {
        return MakeError(Errc::kInvalidArgument, "csv: empty; the header row needs name,kind,external_id,group");
    }
    return report;
}

core::Result<storage::Mapping> People::CreateMapping(const Principal& by,
                                                     std::int64_t school_id,
                                                     const std::string& user_id,
                                                     std::int64_t person_id,
                                                     std::optional<std::int64_t> device_id) {
    ROLLCALL_CHECK(CheckText(user_id, "user_id", true, max_user_id_length_));
    if (auto p = store_.GetPerson(school_id, person_id); !p) {
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
    auto created = store_.CreateMapping(m, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "user_id: already mapped on this device (delete that mapping first)");
    }
    // The register is computed from raw punches on read, so mapping a user makes its past punches count
    // at once (R7); the days they fall on are marked for the worker (R18).
    return created;
}

core::Status People::DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListMappings(school_id));
    ROLLCALL_TRY(const auto mapping, FindById(all, id, "mapping not found"));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "mapping");
    audit.old_value = MappingAuditJson(mapping);
    return store_.DeleteMapping(school_id, id, audit);  // marks the days of its punches in the same transaction
}

core::Result<std::vector<storage::DeviceUser>> People::Unmapped(std::int64_t school_id) {
    ROLLCALL_TRY(auto users, store_.ListDeviceUsers(school_id, std::nullopt));
    std::vector<storage::DeviceUser> out;
    for (auto& u : users) {
        if (!u.person_id) {
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
