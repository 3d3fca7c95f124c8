#include "service/accounts.hpp"

#include "core/text_encoding.hpp"
#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

namespace rollcall::service {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

Accounts::Accounts(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, AccountsConfig config)
    : store_(store), crypto_(crypto), clock_(clock), config_(config) {}

core::Result<storage::User> Accounts::CreateUser(const std::string& email,
                                                 domain::Role role,
                                                 std::optional<std::int64_t> school_id,
                                                 const std::string& password) {
    if (email.find('@') == std::string::npos || email.size() > 254 || !core::IsValidUtf8(email)) {
        return MakeError(Errc::kInvalidArgument, "email: not an email address");
    }
    if (role == domain::Role::kSchoolAdmin && !school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a school admin needs --school");
    }
    if (role == domain::Role::kSuperAdmin && school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a super admin belongs to no school");
    }
    if (password.size() < 8) {
        return MakeError(Errc::kInvalidArgument, "password: at least 8 characters");
    }
    if (password.size() > 1024) {
        return MakeError(Errc::kInvalidArgument, "password: at most 1024 characters");
    }
    if (school_id) {
        ROLLCALL_CHECK(store_.GetSchool(*school_id));
    }
    ROLLCALL_TRY(auto hash, auth::HashPassword(password, config_.password_cost));
    storage::User user{0, email, role, school_id, std::move(hash)};
    return store_.CreateUser(user);
}

core::Result<LoginResult> Accounts::Login(const std::string& email, const std::string& password) {
    const auto invalid = MakeError(Errc::kUnauthorized, "wrong email or password");
    auto user = store_.FindUserByEmail(email);
    if (!user) {
        if (user.error().code != Errc::kNotFound) {
            return user.error();
        }
        // Same work for an unknown email as for a wrong password, so timing tells nothing.
        static const std::string kDummy = auth::HashPassword("not a password", config_.password_cost).value();
        (void)auth::VerifyPassword(kDummy, password);
        return invalid;
    }
    if (!auth::VerifyPassword(user->password_hash, password)) {
        return invalid;
    }
    if (auth::PasswordNeedsRehash(user->password_hash, config_.password_cost)) {
        if (auto h = auth::HashPassword(password, config_.password_cost)) {
            (void)store_.UpdatePasswordHash(user->id, *h);
        }
    }
    LoginResult out;
    out.token = auth::Crypto::NewToken(auth::kSessionTokenPrefix);
    out.csrf_token = auth::Crypto::NewToken("");
    out.expires_at = clock_.NowUnix() + config_.session_ttl_seconds;
    storage::Session session{0, user->id, crypto_.HashToken(out.token), out.csrf_token, out.expires_at};
    ROLLCALL_CHECK(store_.CreateSession(session));
    out.principal = Principal{user->id, user->email, user->role, user->school_id, out.csrf_token};
    return out;
}

core::Result<Principal> Accounts::AuthenticateSession(std::string_view token) {
    const auto unauthorized = MakeError(Errc::kUnauthorized, "unknown or expired login token; log in again");
    if (!token.starts_with(auth::kSessionTokenPrefix)) {
        return unauthorized;
    }
    const auto hash = crypto_.HashToken(token);
    auto session = store_.FindSessionByTokenHash(hash);
    if (!session) {
        return session.error().code == Errc::kNotFound ? unauthorized : session.error();
    }
    if (!auth::ConstantTimeEqual(session->token_hash, hash) || session->expires_at <= clock_.NowUnix()) {
        return unauthorized;
    }
    auto user = store_.GetUser(session->user_id);
    if (!user) {
        return unauthorized;
    }
    return Principal{user->id, user->email, user->role, user->school_id, session->csrf_token};
}

core::Status Accounts::Logout(std::string_view token) {
    auto session = store_.FindSessionByTokenHash(crypto_.HashToken(token));
    if (!session) {
        return {};
    }
    return store_.DeleteSession(session->id);
}

core::Result<bool> Accounts::HasUsers() {
    ROLLCALL_TRY(const auto n, store_.CountUsers());
    return n > 0;
}

core::Result<storage::School> Accounts::CreateSchool(const Principal& by,
                                                     const std::string& name,
                                                     const std::string& timezone) {
    ROLLCALL_CHECK(CheckText(name, "name", true, kMaxNameLength));
    if (!IsKnownTimeZone(timezone)) {
        return MakeError(Errc::kInvalidArgument, "timezone: not an IANA time zone such as Africa/Nairobi");
    }
    const storage::School school{0, name, timezone, clock_.NowUnix()};
    auto audit =
        AuditOf(by, 0, school.created_at, AuditAction::kCreate, "school");  // the store sets the new school's id
    audit.new_value = SchoolAuditJson(school);
    return store_.CreateSchool(school, audit);
}

core::Result<storage::School> Accounts::GetSchool(std::int64_t id) {
    return store_.GetSchool(id);
}

core::Result<std::vector<storage::School>> Accounts::ListSchools(const Principal& principal) {
    if (principal.IsSuperAdmin()) {
        return store_.ListSchools();
    }
    std::vector<storage::School> out;
    if (principal.school_id) {
        auto s = store_.GetSchool(*principal.school_id);
        if (s) {
            out.push_back(*s);
        }
    }
    return out;
}

}  // namespace rollcall::service
