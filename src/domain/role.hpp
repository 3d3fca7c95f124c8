#pragma once

#include "core/enum_names.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace rollcall::domain {

/// What an admin user may do (docs/api.md "Authentication"): a super admin runs the server and every school; a
/// school admin sees one school, and another school's data does not exist for them.
enum class Role { kSuperAdmin, kSchoolAdmin };
inline constexpr std::array<std::pair<Role, std::string_view>, 2> kRoleNames{{
    {Role::kSuperAdmin, "super_admin"},
    {Role::kSchoolAdmin, "school_admin"},
}};
constexpr const auto& EnumNameTable(Role) {
    return kRoleNames;
}

}  // namespace rollcall::domain
