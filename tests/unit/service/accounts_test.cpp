// Accounts against a real temporary store: users, logins, sessions and schools.

#include "service/accounts.hpp"

#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class AccountsTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    // The cheapest argon2id cost the library takes keeps the logins fast.
    Accounts accounts_{*w_.store, w_.crypto, w_.clock, AccountsConfig{auth::PasswordCost{1, 8192}, 3600}};
};

TEST_F(AccountsTest, AUserLogsInWithTheirPasswordAndTheSessionNamesThem) {
    const auto school = w_.School();
    ASSERT_TRUE(accounts_.CreateUser("head@hill.example", domain::Role::kSchoolAdmin, school, "long enough").ok());
    auto login = accounts_.Login("head@hill.example", "long enough");
    ASSERT_TRUE(login.ok()) << login.error().message;
    EXPECT_TRUE(login->token.starts_with("rcs_"));
    EXPECT_EQ(login->expires_at, test::kWorldNow + 3600);
    auto principal = accounts_.AuthenticateSession(login->token);
    ASSERT_TRUE(principal.ok());
    EXPECT_EQ(principal->email, "head@hill.example");
    EXPECT_EQ(principal->school_id, school);
    EXPECT_EQ(principal->csrf_token, login->csrf_token);
}

TEST_F(AccountsTest, AWrongPasswordAndAnUnknownEmailAreTheSameRefusal) {
    ASSERT_TRUE(accounts_.CreateUser("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").ok());
    const auto wrong = accounts_.Login("root@example.org", "not the one");
    const auto unknown = accounts_.Login("who@example.org", "long enough");
    ASSERT_FALSE(wrong.ok());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(wrong.error().code, core::Errc::kUnauthorized);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, ASessionEndsAtLogoutAndWhenItExpires) {
    ASSERT_TRUE(accounts_.CreateUser("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").ok());
    const auto first = accounts_.Login("root@example.org", "long enough").value();
    ASSERT_TRUE(accounts_.Logout(first.token).ok());
    EXPECT_EQ(accounts_.AuthenticateSession(first.token).error().code, core::Errc::kUnauthorized);

    const auto second = accounts_.Login("root@example.org", "long enough").value();
    w_.clock.Advance(3600);
    EXPECT_EQ(accounts_.AuthenticateSession(second.token).error().code, core::Errc::kUnauthorized);
}

TEST_F(AccountsTest, AUserNeedsAnEmailARoleThatFitsTheirSchoolAndALongPassword) {
    const auto school = w_.School();
    EXPECT_EQ(accounts_.CreateUser("nobody", domain::Role::kSuperAdmin, std::nullopt, "long enough").error().message,
              "email: not an email address");
    EXPECT_EQ(
        accounts_.CreateUser("zo\xEB@b.c", domain::Role::kSuperAdmin, std::nullopt, "long enough").error().message,
        "email: not an email address")
        << "an address typed in another encoding than UTF-8";
    EXPECT_EQ(accounts_.CreateUser("a@b.c", domain::Role::kSchoolAdmin, std::nullopt, "long enough").error().message,
              "school: a school admin needs --school");
    EXPECT_EQ(accounts_.CreateUser("a@b.c", domain::Role::kSuperAdmin, school, "long enough").error().message,
              "school: a super admin belongs to no school");
    EXPECT_EQ(accounts_.CreateUser("a@b.c", domain::Role::kSuperAdmin, std::nullopt, "short").error().message,
              "password: at least 8 characters");
    EXPECT_EQ(accounts_.CreateUser("a@b.c", domain::Role::kSchoolAdmin, school + 1, "long enough").error().code,
              core::Errc::kNotFound);
    EXPECT_FALSE(*accounts_.HasUsers());
}

TEST_F(AccountsTest, ACreatedSchoolIsAuditedAndASchoolAdminListsOnlyTheirs) {
    auto hill = accounts_.CreateSchool(w_.admin, "Hill School", "Africa/Nairobi");
    ASSERT_TRUE(hill.ok());
    ASSERT_TRUE(accounts_.CreateSchool(w_.admin, "Lake School", "Europe/London").ok());
    EXPECT_EQ(accounts_.CreateSchool(w_.admin, "Moon School", "Moon/Base").error().code, core::Errc::kInvalidArgument);

    const auto audit = w_.Audit(hill->id);
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].action, domain::AuditAction::kCreate);
    EXPECT_EQ(audit[0].entity, "school");
    EXPECT_EQ(audit[0].user_id, w_.admin.user_id);
    EXPECT_NE(audit[0].new_value.find("Africa/Nairobi"), std::string::npos);

    EXPECT_EQ(accounts_.ListSchools(w_.admin)->size(), 2U);
    const Principal head{7, "head@hill.example", domain::Role::kSchoolAdmin, hill->id, ""};
    const auto theirs = accounts_.ListSchools(head).value();
    ASSERT_EQ(theirs.size(), 1U);
    EXPECT_EQ(theirs[0].name, "Hill School");
}

}  // namespace
}  // namespace rollcall::service
