// An admin's role, as the login answer and the command line name it.

#include "domain/role.hpp"

#include "support/enum_table.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

TEST(Role, TheTwoRolesAreNamedAsTheLoginAnswerAndTheCommandLineSayThem) {
    test::ExpectNameTable<Role>({{Role::kSuperAdmin, "super_admin"}, {Role::kSchoolAdmin, "school_admin"}});
}

TEST(Role, AnyOtherRoleIsRefusedNamingTheTwo) {
    test::ExpectRefused<Role>("role", "root", "role: must be super_admin or school_admin");
    test::ExpectRefused<Role>("role", "Super_Admin", "role: must be super_admin or school_admin");
}

}  // namespace
}  // namespace rollcall::domain
