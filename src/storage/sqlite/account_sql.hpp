#pragma once

#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of schools, admin users and their login sessions, run inside the store's transactions and
// reads. Inserts return the new row's id.

std::int64_t InsertSchool(Db& db, const School& school);
std::optional<School> SelectSchool(Db& db, std::int64_t id);
std::vector<School> SelectSchools(Db& db);

std::int64_t InsertUser(Db& db, const User& user);
std::optional<User> SelectUser(Db& db, std::int64_t id);
std::optional<User> SelectUserByEmail(Db& db, const std::string& email);
std::int64_t SelectUserCount(Db& db);
void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash);

std::int64_t InsertSession(Db& db, const Session& session);
std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash);
void RemoveSession(Db& db, std::int64_t id);

}  // namespace rollcall::storage::sqlite
