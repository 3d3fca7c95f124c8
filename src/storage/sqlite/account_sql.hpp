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
/// Rewrites a school's name and status; false when there is no such school.
bool RewriteSchool(Db& db, const School& school);
std::optional<User> SelectUserByEmail(Db& db, const std::string& email);
/// Every user, or those of one school, by id.
std::vector<User> SelectUsers(Db& db, std::optional<std::int64_t> school_id);
std::int64_t SelectUserCount(Db& db);
std::int64_t CountActiveSuperAdmins(Db& db);
void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash);
void RewriteUserStatus(Db& db, std::int64_t user_id, domain::ActiveStatus status);
std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash);
void RemoveSession(Db& db, std::int64_t id);
/// Ends every session of the admins of a school.
void RemoveSchoolSessions(Db& db, std::int64_t school_id);
/// Ends every session of a user except `keep` (0 keeps none).
void RemoveUserSessions(Db& db, std::int64_t user_id, std::int64_t keep);

}  // namespace rollcall::storage::sqlite
