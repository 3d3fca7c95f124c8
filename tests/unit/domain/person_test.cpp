// Who a person of a school is: settings may differ by kind (R21).

#include "domain/person.hpp"

#include "support/enum_table.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

TEST(Person, APersonIsAStudentOrStaff) {
    test::ExpectNameTable<PersonKind>({{PersonKind::kStudent, "student"}, {PersonKind::kStaff, "staff"}});
}

TEST(Person, AnyOtherKindIsRefusedNamingTheTwo) {
    test::ExpectRefused<PersonKind>("kind", "parent", "kind: must be student or staff");
    test::ExpectRefused<PersonKind>("kind", "students", "kind: must be student or staff");
}

}  // namespace
}  // namespace rollcall::domain
