#pragma once

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/audit.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

struct AccountsConfig {
    auth::PasswordCost password_cost;
    std::int64_t session_ttl_seconds = std::int64_t{12} * 3600;
};

struct LoginResult {
    std::string token;
    std::string csrf_token;
    std::int64_t expires_at = 0;
    Principal principal;
};

/// A new admin user, as the API or the command line gives it.
struct UserInput {
    std::string email;
    domain::Role role = domain::Role::kSchoolAdmin;
    std::optional<std::int64_t> school_id;  ///< a school admin's school; a school admin creating one may omit it
    std::string password;
};

/// What a super admin may change of a school: its name and whether it is active. `timezone` is read only to be
/// refused with a reason (a school's zone places every punch of its past).
struct SchoolPatch {
    std::optional<std::string> name;
    std::optional<std::string> timezone;
    std::optional<domain::ActiveStatus> status;
};

/// The shortest and longest password a user may choose.
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

/// Users, their login sessions, and the schools they administer (docs/api.md "Authentication", "Users",
/// "Schools"). A super admin manages every user and school; a school admin manages the admins of their own
/// school, and another school's users do not exist for them (404).
class Accounts {
public:
    Accounts(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, AccountsConfig config);

    /// Slow on purpose (argon2id), like every call that hashes a password: call them off the io threads.
    core::Result<storage::User> CreateUser(const Principal& by, UserInput input);
    core::Result<LoginResult> Login(const std::string& email, const std::string& password);
    core::Result<Principal> AuthenticateSession(std::string_view token);
    core::Status Logout(std::string_view token);
    core::Result<bool> HasUsers();

    /// Every user for a super admin (or one school's, with `school_id`); a school admin's own school's admins.
    core::Result<std::vector<storage::User>> ListUsers(const Principal& by, std::optional<std::int64_t> school_id);
    core::Result<storage::User> GetUser(const Principal& by, std::int64_t id);
    /// The command line's way to name a user.
    core::Result<storage::User> FindUserByEmail(const std::string& email);
    /// Disables (every session of theirs ends) or re-enables a user. Nobody disables themselves.
    core::Result<storage::User> SetUserStatus(const Principal& by, std::int64_t id, domain::ActiveStatus status);
    /// An admin sets another user's password (a forgotten one); every session of that user ends.
    core::Status ResetPassword(const Principal& by, std::int64_t id, const std::string& password);
    /// A user changes their own password, proving the current one; their other sessions end, this one stays.
    core::Status ChangeOwnPassword(const Principal& by, const std::string& current, const std::string& next);

    core::Result<storage::School> CreateSchool(const Principal& by,
                                               const std::string& name,
                                               const std::string& timezone);
    core::Result<storage::School> GetSchool(std::int64_t id);
    /// Every school for a super admin; a school admin's own.
    core::Result<std::vector<storage::School>> ListSchools(const Principal& principal);
    /// The server's own audit trail (super admin): what happened to super admins, whose lines belong to no
    /// school. Its days are UTC.
    core::Result<std::vector<storage::AuditEntry>> ServerAudit(const Principal& by, const AuditQuery& query);
    /// Renames, deactivates or re-activates a school (super admin).
    core::Result<storage::School> UpdateSchool(const Principal& by, std::int64_t id, const SchoolPatch& patch);

private:
    /// The user `by` may manage: another school's users, and super admins for a school admin, are not found.
    core::Result<storage::User> ManagedUser(const Principal& by, std::int64_t id);
    core::Result<std::string> HashNewPassword(const std::string& password) const;

    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    AccountsConfig config_;
};

}  // namespace rollcall::service
