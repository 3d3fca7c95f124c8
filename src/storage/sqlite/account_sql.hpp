#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage::sqlite {

// The statements of schools, admin users and login sessions beyond those every table has (table.hpp; their rows
// are described in tables.hpp), run inside the store's transactions and reads.

std::vector<School> SelectSchools(Db& db);
std::optional<User> SelectUserByEmail(Db& db, const std::string& email);
std::int64_t SelectUserCount(Db& db);
void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash);
std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash);
void RemoveSession(Db& db, std::int64_t id);

}  // namespace rollcall::storage::sqlite
