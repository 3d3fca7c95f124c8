#pragma once

#include <cstdint>

namespace rollcall::storage::sqlite {

class Db;

/// Applies every migration newer than the database's user_version, each in its own transaction.
void Migrate(Db& db);
/// Applies the migrations up to number `last` only: for tests of what a later migration does to older rows.
void MigrateTo(Db& db, std::int64_t last);

}  // namespace rollcall::storage::sqlite
