#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of people and of the mappings that tie device users to them (R6, R7), run inside the
// store's transactions and reads.

std::int64_t InsertPerson(Db& db, const Person& person);
std::optional<Person> SelectPerson(Db& db, std::int64_t school_id, std::int64_t id);
std::vector<Person> SelectPeople(Db& db, std::int64_t school_id);
void UpdatePersonRow(Db& db, const Person& person);
/// False when the school has no such person. Their mappings and overrides go with them (ON DELETE CASCADE).
bool RemovePerson(Db& db, std::int64_t school_id, std::int64_t id);

std::int64_t InsertMapping(Db& db, const Mapping& mapping);
std::vector<Mapping> SelectMappings(Db& db, std::int64_t school_id);
/// The mapping removed, if the school had it.
std::optional<Mapping> RemoveMapping(Db& db, std::int64_t school_id, std::int64_t id);

}  // namespace rollcall::storage::sqlite
