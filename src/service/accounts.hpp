#pragma once

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
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

/// Users, their login sessions, and the schools they administer (docs/api.md "Authentication", "Schools").
class Accounts {
public:
    Accounts(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, AccountsConfig config);

    core::Result<storage::User> CreateUser(const std::string& email,
                                           domain::Role role,
                                           std::optional<std::int64_t> school_id,
                                           const std::string& password);
    /// Slow on purpose (argon2id): call it off the io threads.
    core::Result<LoginResult> Login(const std::string& email, const std::string& password);
    core::Result<Principal> AuthenticateSession(std::string_view token);
    core::Status Logout(std::string_view token);
    core::Result<bool> HasUsers();

    core::Result<storage::School> CreateSchool(const Principal& by,
                                               const std::string& name,
                                               const std::string& timezone);
    core::Result<storage::School> GetSchool(std::int64_t id);
    /// Every school for a super admin; a school admin's own.
    core::Result<std::vector<storage::School>> ListSchools(const Principal& principal);

private:
    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    AccountsConfig config_;
};

}  // namespace rollcall::service
