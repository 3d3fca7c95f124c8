#pragma once

// People, the device users mapped to them (R6, R7), and the inbox of device users nobody is mapped to
// (docs/api.md "Admin side").

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/person.hpp"
#include "service/people_csv.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

struct PersonPatch {
    std::optional<std::string> name;
    std::optional<domain::PersonKind> kind;
    std::optional<std::string> external_id;
    std::optional<std::string> group;
    std::optional<std::optional<core::Date>> active_from;
    std::optional<std::optional<core::Date>> active_to;
};

struct ImportError {
    std::size_t line = 0;  ///< the CSV line number
    std::string reason;
};

/// A row the import made a person of (or, in a dry run, would make).
struct ImportedRow {
    std::size_t line = 0;
    storage::Person person;
    std::string user_id;  ///< the terminal user mapped to them, or empty
};

struct ImportReport {
    CsvEncoding encoding = CsvEncoding::kUtf8;  ///< how the file was written (Windows-1252 was converted)
    std::size_t created = 0;
    std::size_t mapped = 0;  ///< of the people created, those with a mapping (a user_id)
    std::vector<ImportError> errors;
    std::vector<ImportedRow> rows;  ///< the people created, in file order
};

/// "Create people from these terminal users": who to make of a device's terminal users, and as what.
struct TerminalPeopleInput {
    std::vector<std::string> user_ids;
    domain::PersonKind kind = domain::PersonKind::kStudent;
    std::string group;
    std::optional<core::Date> active_from;  ///< the school's today when not given (R8)
};

/// A terminal user made into a person, mapped to them on the device.
struct TerminalPersonCreated {
    std::string user_id;
    storage::Person person;
    storage::Mapping mapping;
};

/// A user id of the request nobody was made of, and why.
struct SkippedUser {
    std::string user_id;
    std::string reason;
};

struct TerminalPeopleReport {
    std::vector<TerminalPersonCreated> created;
    std::vector<SkippedUser> skipped;
};

class People {
public:
    /// `max_user_id_length`: the longest device user id a mapping may name (push.max_user_id_length).
    People(storage::Store& store, const core::Clock& clock, std::size_t max_user_id_length);

    /// A person; without active_from they are active from the school's today (R8).
    core::Result<storage::Person> CreatePerson(const Principal& by, std::int64_t school_id, const PersonPatch& input);
    core::Result<std::vector<storage::Person>> ListPeople(std::int64_t school_id);
    core::Result<storage::Person> GetPerson(std::int64_t school_id, std::int64_t id);
    core::Result<storage::Person> UpdatePerson(const Principal& by,
                                               std::int64_t school_id,
                                               std::int64_t id,
                                               const PersonPatch& patch);
    /// Deletes a person who has no history, with their mappings, each with its audit line (R19). A person with a
    /// history (a punch through their mappings, an override, a stored register row of a final day, a webhook
    /// event) is a conflict: they are deactivated with active_to instead, so no past register changes.
    core::Status DeletePerson(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// The people CSV (docs/api.md "The people CSV"): each row a person, audited like one created alone, and with
    /// a `user_id` their mapping, in the same transaction. A row that cannot be imported is reported by its line
    /// and the others are; a file that cannot be read (its header, its encoding) is refused whole. A dry run checks
    /// every row as the import would and stores nothing: the panel shows its errors before anything is saved.
    core::Result<ImportReport> ImportPeopleCsv(const Principal& by,
                                               std::int64_t school_id,
                                               std::string_view csv,
                                               bool dry_run = false);

    /// A person for each of the device's terminal users named in `input`, named as the terminal names them and
    /// mapped to them on that device (R6), all in one transaction, every person and mapping with its audit line. A
    /// user who is mapped already, has no name on the terminal, is not the device's, or is named twice is skipped
    /// with the reason. NotFound for another school's device.
    core::Result<TerminalPeopleReport> CreateFromTerminalUsers(const Principal& by,
                                                               std::int64_t school_id,
                                                               std::int64_t device_id,
                                                               const TerminalPeopleInput& input,
                                                               std::size_t max_users);

    // Mappings (R6, R7).
    /// `reason` goes into the audit line (an accepted suggestion says so).
    core::Result<storage::Mapping> CreateMapping(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::string& user_id,
                                                 std::int64_t person_id,
                                                 std::optional<std::int64_t> device_id,
                                                 const std::string& reason = {});
    core::Result<std::vector<storage::Mapping>> ListMappings(std::int64_t school_id);
    core::Status DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// Device users nobody is mapped to: their punches count for nothing yet (R7).
    core::Result<std::vector<storage::DeviceUser>> Unmapped(std::int64_t school_id);
    /// People with no mapping at all: they will never have a register entry other than not_tracked.
    core::Result<std::vector<storage::Person>> PeopleWithoutMapping(std::int64_t school_id);

private:
    /// A valid new person of the school from `input`; active_from is `today` unless the input gives one.
    static core::Result<storage::Person> NewPerson(std::int64_t school_id, const PersonPatch& input, core::Date today);
    /// Stores a new person, with their mapping if there is one (its person_id is filled in), each audited.
    core::Result<storage::Person> StorePerson(const Principal& by,
                                              const storage::Person& person,
                                              const std::optional<storage::Mapping>& mapping);

    storage::Store& store_;
    const core::Clock& clock_;
    std::size_t max_user_id_length_;
};

}  // namespace rollcall::service
