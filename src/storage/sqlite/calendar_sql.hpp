#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

namespace rollcall::storage::sqlite {

// The statements of a school's calendar (holidays and attendance settings versions, described in tables.hpp)
// beyond those every table has (table.hpp).

/// Stores a settings version, replacing the one of the same scope and effective date; returns its id.
std::int64_t ReplaceSettings(Db& db, const SettingsVersion& version);
/// Deletes every version of one scope of a school; the versions as they were, oldest first.
std::vector<SettingsVersion> RemoveSettingsScope(Db& db, std::int64_t school_id, const std::string& scope);

}  // namespace rollcall::storage::sqlite
