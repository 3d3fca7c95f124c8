#include "service/accounts.hpp"

#include "core/text_encoding.hpp"
#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

namespace rollcall::service {

using core::Errc;
using core::MakeError;
using domain::ActiveStatus;
using domain::AuditAction;
using domain::Role;

namespace {

/// The audit line of a change to a user: in their school's trail, or the server's (school 0) for a super admin.
storage::AuditEntry UserAudit(const Principal& by, const storage::User& user, std::int64_t at, AuditAction action) {
    return AuditOf(by, user.school_id.value_or(kServerTrail), at, action, "user");
}

}  // namespace

Accounts::Accounts(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, AccountsConfig config)
    : store_(store), crypto_(crypto), clock_(clock), config_(config) {}

core::Result<std::string> Accounts::HashNewPassword(const std::string& password) const {
    if (password.size() < kMinPasswordLength) {
        return MakeError(Errc::kInvalidArgument, "password: at least 8 characters");
    }
    if (password.size() > kMaxPasswordLength) {
        return MakeError(Errc::kInvalidArgument, "password: at most 1024 characters");
    }
    return auth::HashPassword(password, config_.password_cost);
}

core::Result<storage::User> Accounts::CreateUser(const Principal& by, UserInput input) {
    if (!by.IsSuperAdmin()) {
        // A school admin adds admins of their own school, and nothing else.
        if (input.role != Role::kSchoolAdmin) {
            return MakeError(Errc::kForbidden, "only a super admin may create a super admin");
        }
        if (input.school_id && input.school_id != by.school_id) {
            return MakeError(Errc::kNotFound, "school not found");
        }
        input.school_id = by.school_id;
    }
    const auto& email = input.email;
    if (email.find('@') == std::string::npos || email.size() > 254 || !core::IsValidUtf8(email)) {
        return MakeError(Errc::kInvalidArgument, "email: not an email address");
    }
    if (input.role == Role::kSchoolAdmin && !input.school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a school admin needs a school (--school, \"school_id\")");
    }
    if (input.role == Role::kSuperAdmin && input.school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a super admin belongs to no school");
    }
    if (input.school_id) {
        ROLLCALL_CHECK(store_.GetSchool(*input.school_id));
    }
    ROLLCALL_TRY(auto hash, HashNewPassword(input.password));
    storage::User user{0, email, input.role, input.school_id, std::move(hash)};
    auto audit = UserAudit(by, user, clock_.NowUnix(), AuditAction::kCreate);
    audit.new_value = UserAuditJson(user);
    Label(audit);
    return store_.CreateUser(user, audit);
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
    // Said only to whoever knows the password, so it tells a stranger nothing.
    if (user->status != ActiveStatus::kActive) {
        return MakeError(Errc::kForbidden, "this account is disabled; ask an administrator to enable it");
    }
    if (user->school_id) {
        ROLLCALL_TRY(const auto school, store_.GetSchool(*user->school_id));
        if (school.status != ActiveStatus::kActive) {
            return MakeError(Errc::kForbidden, "your school is deactivated; ask the server's administrator");
        }
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
    ROLLCALL_TRY(const auto stored, store_.CreateSession(session));
    out.principal = Principal{user->id, user->email, user->role, user->school_id, out.csrf_token, stored.id};
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
    // Disabling a user ends their sessions; checking here as well keeps a session that raced it out.
    if (!user || user->status != ActiveStatus::kActive) {
        return unauthorized;
    }
    if (user->school_id) {
        auto school = store_.GetSchool(*user->school_id);
        if (!school || school->status != ActiveStatus::kActive) {
            return MakeError(Errc::kUnauthorized, "your school is deactivated; ask the server's administrator");
        }
    }
    return Principal{user->id, user->email, user->role, user->school_id, session->csrf_token, session->id};
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

core::Result<std::vector<storage::User>> Accounts::ListUsers(const Principal& by,
                                                             std::optional<std::int64_t> school_id) {
    if (!by.IsSuperAdmin()) {
        if (school_id && school_id != by.school_id) {
            return MakeError(Errc::kNotFound, "school not found");
        }
        school_id = by.school_id;
    }
    if (school_id) {
        ROLLCALL_CHECK(store_.GetSchool(*school_id));
    }
    return store_.ListUsers(school_id);
}

core::Result<storage::User> Accounts::ManagedUser(const Principal& by, std::int64_t id) {
    auto user = store_.GetUser(id);
    if (!user || by.IsSuperAdmin()) {
        return user;
    }
    if (user->role == Role::kSchoolAdmin && by.school_id && user->school_id == by.school_id) {
        return user;
    }
    return MakeError(Errc::kNotFound, "user not found");
}

core::Result<storage::User> Accounts::GetUser(const Principal& by, std::int64_t id) {
    return ManagedUser(by, id);
}

core::Result<storage::User> Accounts::FindUserByEmail(const std::string& email) {
    auto user = store_.FindUserByEmail(email);
    if (!user && user.error().code == Errc::kNotFound) {
        return MakeError(Errc::kNotFound, "no user has the email " + email);
    }
    return user;
}

core::Result<storage::User> Accounts::SetUserStatus(const Principal& by, std::int64_t id, ActiveStatus status) {
    ROLLCALL_TRY(const auto user, ManagedUser(by, id));
    if (user.id == by.user_id && status != ActiveStatus::kActive) {
        return MakeError(Errc::kConflict, "you cannot disable your own account; ask another admin");
    }
    if (user.status == status) {
        return user;  // nothing changes, so there is nothing to audit
    }
    auto audit = UserAudit(by, user, clock_.NowUnix(), AuditAction::kUpdate);
    audit.old_value = UserAuditJson(user);
    auto changed = user;
    changed.status = status;
    audit.new_value = UserAuditJson(changed);
    Label(audit);
    if (status != ActiveStatus::kActive) {
        audit.reason = "every session of the user ended";
    }
    return store_.SetUserStatus(id, status, audit);
}

core::Status Accounts::ResetPassword(const Principal& by, std::int64_t id, const std::string& password) {
    if (id == by.user_id) {
        return MakeError(Errc::kInvalidArgument,
                         "to change your own password, use POST /api/v1/me/password with your current password");
    }
    ROLLCALL_TRY(const auto user, ManagedUser(by, id));
    ROLLCALL_TRY(const auto hash, HashNewPassword(password));
    auto audit = UserAudit(by, user, clock_.NowUnix(), AuditAction::kResetPassword);
    audit.reason = "every session of the user ended";
    Label(audit, user.email);
    return store_.SetPassword(user.id, hash, 0, audit);
}

core::Status Accounts::ChangeOwnPassword(const Principal& by, const std::string& current, const std::string& next) {
    ROLLCALL_TRY(const auto user, store_.GetUser(by.user_id));
    if (!auth::VerifyPassword(user.password_hash, current)) {
        return MakeError(Errc::kInvalidArgument, "current_password: not your current password");
    }
    ROLLCALL_TRY(const auto hash, HashNewPassword(next));
    auto audit = UserAudit(by, user, clock_.NowUnix(), AuditAction::kChangePassword);
    audit.reason = "the user's other sessions ended";
    Label(audit, user.email);
    return store_.SetPassword(user.id, hash, by.session_id, audit);
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
    Label(audit);
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

core::Result<std::vector<storage::AuditEntry>> Accounts::ServerAudit(const Principal& by, const AuditQuery& query) {
    ROLLCALL_CHECK(by.RequireSuperAdmin());
    return ReadAuditTrail(store_, kServerTrail, query);
}

core::Result<storage::School> Accounts::UpdateSchool(const Principal& by, std::int64_t id, const SchoolPatch& patch) {
    ROLLCALL_CHECK(by.RequireSuperAdmin());
    ROLLCALL_TRY(const auto before, store_.GetSchool(id));
    if (patch.timezone && *patch.timezone != before.timezone) {
        return MakeError(Errc::kInvalidArgument,
                         "timezone: a school's time zone cannot change, as it places every punch of its past; "
                         "a device on another zone has its own timezone");
    }
    auto school = before;
    if (patch.name) {
        ROLLCALL_CHECK(CheckText(*patch.name, "name", true, kMaxNameLength));
        school.name = *patch.name;
    }
    if (patch.status) {
        school.status = *patch.status;
    }
    if (school.name == before.name && school.status == before.status) {
        return before;  // nothing changes, so there is nothing to audit
    }
    auto audit = AuditOf(by, id, clock_.NowUnix(), AuditAction::kUpdate, "school");
    audit.old_value = SchoolAuditJson(before);
    audit.new_value = SchoolAuditJson(school);
    Label(audit);
    return store_.UpdateSchool(school, audit);
}

}  // namespace rollcall::service
