#pragma once

#include "core/result.hpp"
#include "domain/role.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace rollcall::service {

/// Who is calling the admin API.
struct Principal {
    std::int64_t user_id = 0;
    std::string email;
    domain::Role role = domain::Role::kSchoolAdmin;
    std::optional<std::int64_t> school_id;
    std::string csrf_token;
    std::int64_t session_id = 0;  ///< the login session the call came with; 0 at the command line

    bool IsSuperAdmin() const { return role == domain::Role::kSuperAdmin; }
    /// Tenant isolation: another school's data does not exist for a school admin (404, not 403).
    core::Status RequireSchool(std::int64_t school) const {
        if (IsSuperAdmin() || (school_id && *school_id == school)) {
            return {};
        }
        return core::MakeError(core::Errc::kNotFound, "school not found");
    }
    core::Status RequireSuperAdmin() const {
        if (IsSuperAdmin()) {
            return {};
        }
        return core::MakeError(core::Errc::kForbidden, "only a super admin may do this");
    }
};

/// The operator at the server's own command line (`rollcall school create` ...): a super admin that is no
/// user, so its changes are audited as user 0.
inline Principal CommandLinePrincipal() {
    Principal p;
    p.email = "command line";
    p.role = domain::Role::kSuperAdmin;
    return p;
}

}  // namespace rollcall::service
