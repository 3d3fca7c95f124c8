#pragma once

// People, the device users mapped to them (R6, R7), and the inbox of device users nobody is mapped to
// (docs/api.md "Admin side").

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/person.hpp"
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

struct ImportReport {
    std::size_t created = 0;
    std::vector<ImportError> errors;
};

class People {
public:
    /// `max_user_id_length`: the longest device user id a mapping may name (push.max_user_id_length).
    People(storage::Store& store, const core::Clock& clock, std::size_t max_user_id_length);

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
    /// Each person created is audited like one created alone.
    core::Result<ImportReport> ImportPeopleCsv(const Principal& by, std::int64_t school_id, std::string_view csv);

    // Mappings (R6, R7).
    core::Result<storage::Mapping> CreateMapping(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::string& user_id,
                                                 std::int64_t person_id,
                                                 std::optional<std::int64_t> device_id);
    core::Result<std::vector<storage::Mapping>> ListMappings(std::int64_t school_id);
    core::Status DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// Device users nobody is mapped to: their punches count for nothing yet (R7).
    core::Result<std::vector<storage::DeviceUser>> Unmapped(std::int64_t school_id);
    /// People with no mapping at all: they will never have a register entry other than not_tracked.
    core::Result<std::vector<storage::Person>> PeopleWithoutMapping(std::int64_t school_id);

private:
    storage::Store& store_;
    const core::Clock& clock_;
    std::size_t max_user_id_length_;
};

}  // namespace rollcall::service
