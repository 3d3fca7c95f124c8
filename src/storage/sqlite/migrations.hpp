#pragma once

namespace rollcall::storage::sqlite {

class Db;

/// Applies every migration newer than the database's user_version, each in its own transaction.
void Migrate(Db& db);

}  // namespace rollcall::storage::sqlite
