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

    /// A user made at the server's command line.
    core::Result<storage::User> Create(const std::string& email,
                                       domain::Role role,
                                       std::optional<std::int64_t> school,
                                       const std::string& password) {
        return accounts_.CreateUser(CommandLinePrincipal(), UserInput{email, role, school, password});
    }
    /// The head of `school` and her deputy, both with the password "long enough"; the deputy.
    storage::User HeadAndDeputy(std::int64_t school) {
        Create("head@hill.example", domain::Role::kSchoolAdmin, school, "long enough").value();
        return Create("deputy@hill.example", domain::Role::kSchoolAdmin, school, "long enough").value();
    }
    Principal LoggedIn(const std::string& email) { return accounts_.Login(email, "long enough").value().principal; }
};

TEST_F(AccountsTest, AUserLogsInWithTheirPasswordAndTheSessionNamesThem) {
    const auto school = w_.School();
    ASSERT_TRUE(Create("head@hill.example", domain::Role::kSchoolAdmin, school, "long enough").ok());
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
    ASSERT_TRUE(Create("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").ok());
    const auto wrong = accounts_.Login("root@example.org", "not the one");
    const auto unknown = accounts_.Login("who@example.org", "long enough");
    ASSERT_FALSE(wrong.ok());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(wrong.error().code, core::Errc::kUnauthorized);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, ASessionEndsAtLogoutAndWhenItExpires) {
    ASSERT_TRUE(Create("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").ok());
    const auto first = accounts_.Login("root@example.org", "long enough").value();
    ASSERT_TRUE(accounts_.Logout(first.token).ok());
    EXPECT_EQ(accounts_.AuthenticateSession(first.token).error().code, core::Errc::kUnauthorized);

    const auto second = accounts_.Login("root@example.org", "long enough").value();
    w_.clock.Advance(3600);
    EXPECT_EQ(accounts_.AuthenticateSession(second.token).error().code, core::Errc::kUnauthorized);
}

TEST_F(AccountsTest, AUserNeedsAnEmailARoleThatFitsTheirSchoolAndALongPassword) {
    const auto school = w_.School();
    EXPECT_EQ(Create("nobody", domain::Role::kSuperAdmin, std::nullopt, "long enough").error().message,
              "email: not an email address");
    EXPECT_EQ(Create("zo\xEB@b.c", domain::Role::kSuperAdmin, std::nullopt, "long enough").error().message,
              "email: not an email address")
        << "an address typed in another encoding than UTF-8";
    EXPECT_EQ(Create("a@b.c", domain::Role::kSchoolAdmin, std::nullopt, "long enough").error().message,
              "school: a school admin needs a school (--school, \"school_id\")");
    EXPECT_EQ(Create("a@b.c", domain::Role::kSuperAdmin, school, "long enough").error().message,
              "school: a super admin belongs to no school");
    EXPECT_EQ(Create("a@b.c", domain::Role::kSuperAdmin, std::nullopt, "short").error().message,
              "password: at least 8 characters");
    EXPECT_EQ(Create("a@b.c", domain::Role::kSchoolAdmin, school + 1, "long enough").error().code,
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

TEST_F(AccountsTest, AHeadAddsAndListsTheAdminsOfTheirOwnSchoolOnly) {
    const auto hill = w_.School();
    const auto lake = w_.School("Lake School");
    const auto head = Create("head@hill.example", domain::Role::kSchoolAdmin, hill, "long enough").value();
    const auto other = Create("head@lake.example", domain::Role::kSchoolAdmin, lake, "long enough").value();
    const auto root = Create("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").value();
    const auto as_head = accounts_.Login("head@hill.example", "long enough").value().principal;

    // The school is the head's own when they leave it out.
    const auto deputy =
        accounts_.CreateUser(as_head, {"deputy@hill.example", domain::Role::kSchoolAdmin, {}, "long enough"});
    ASSERT_TRUE(deputy.ok()) << deputy.error().message;
    EXPECT_EQ(deputy->school_id, hill);
    EXPECT_EQ(
        accounts_.CreateUser(as_head, {"boss@hill.example", domain::Role::kSuperAdmin, {}, "long enough"}).error().code,
        core::Errc::kForbidden);
    EXPECT_EQ(accounts_.CreateUser(as_head, {"spy@lake.example", domain::Role::kSchoolAdmin, lake, "long enough"})
                  .error()
                  .code,
              core::Errc::kNotFound);
    EXPECT_EQ(Create("HEAD@hill.example", domain::Role::kSchoolAdmin, hill, "long enough").error().code,
              core::Errc::kConflict)
        << "emails are one per user, whatever their case";

    const auto listed = accounts_.ListUsers(as_head, std::nullopt).value();
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].email, "head@hill.example");
    EXPECT_EQ(listed[1].email, "deputy@hill.example");
    EXPECT_EQ(accounts_.ListUsers(as_head, lake).error().code, core::Errc::kNotFound);
    EXPECT_EQ(accounts_.GetUser(as_head, other.id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(accounts_.GetUser(as_head, root.id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(accounts_.ListUsers(CommandLinePrincipal(), std::nullopt)->size(), 4U);
    EXPECT_EQ(accounts_.GetUser(as_head, head.id)->email, "head@hill.example");

    // The head's own school's trail says who added the deputy; the password is nowhere in it.
    const auto audit = w_.Audit(hill);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit[0].entity, "user");
    EXPECT_EQ(audit[0].action, domain::AuditAction::kCreate);
    EXPECT_EQ(audit[0].user_id, head.id);
    EXPECT_EQ(audit[0].entity_id, deputy->id);
    EXPECT_NE(audit[0].new_value.find("deputy@hill.example"), std::string::npos);
    EXPECT_EQ(audit[0].new_value.find("argon2"), std::string::npos);
}

TEST_F(AccountsTest, ADisabledAdminIsLoggedOutEverywhereAndCannotLogInUntilEnabled) {
    const auto hill = w_.School();
    const auto deputy = HeadAndDeputy(hill);
    const auto as_head = LoggedIn("head@hill.example");
    const auto phone = accounts_.Login("deputy@hill.example", "long enough").value();
    const auto laptop = accounts_.Login("deputy@hill.example", "long enough").value();

    const auto disabled = accounts_.SetUserStatus(as_head, deputy.id, domain::ActiveStatus::kInactive);
    ASSERT_TRUE(disabled.ok()) << disabled.error().message;
    EXPECT_EQ(disabled->status, domain::ActiveStatus::kInactive);
    EXPECT_EQ(accounts_.AuthenticateSession(phone.token).error().code, core::Errc::kUnauthorized);
    EXPECT_EQ(accounts_.AuthenticateSession(laptop.token).error().code, core::Errc::kUnauthorized);
    const auto refused = accounts_.Login("deputy@hill.example", "long enough");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::Errc::kForbidden);
    EXPECT_EQ(refused.error().message, "this account is disabled; ask an administrator to enable it");
    EXPECT_EQ(accounts_.Login("deputy@hill.example", "not the one").error().code, core::Errc::kUnauthorized)
        << "a stranger guessing learns nothing about the account";

    const auto line = w_.Audit(hill).at(0);
    EXPECT_EQ(line.entity, "user");
    EXPECT_EQ(line.action, domain::AuditAction::kUpdate);
    EXPECT_NE(line.old_value.find("\"status\":\"active\""), std::string::npos) << line.old_value;
    EXPECT_NE(line.new_value.find("\"status\":\"inactive\""), std::string::npos) << line.new_value;

    ASSERT_TRUE(accounts_.SetUserStatus(as_head, deputy.id, domain::ActiveStatus::kActive).ok());
    EXPECT_TRUE(accounts_.Login("deputy@hill.example", "long enough").ok());
}

TEST_F(AccountsTest, NobodyDisablesThemselvesOrTheLastSuperAdmin) {
    const auto root = Create("root@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").value();
    const auto as_root = accounts_.Login("root@example.org", "long enough").value().principal;
    EXPECT_EQ(accounts_.SetUserStatus(as_root, root.id, domain::ActiveStatus::kInactive).error().code,
              core::Errc::kConflict);
    const auto last = accounts_.SetUserStatus(CommandLinePrincipal(), root.id, domain::ActiveStatus::kInactive);
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.error().message, "this is the last active super admin; make another one first");

    const auto second = Create("ops@example.org", domain::Role::kSuperAdmin, std::nullopt, "long enough").value();
    EXPECT_TRUE(accounts_.SetUserStatus(as_root, second.id, domain::ActiveStatus::kInactive).ok());
    // The server's own trail (school 0) keeps what happened to super admins.
    EXPECT_EQ(w_.Audit(0).at(0).entity_id, second.id);
}

TEST_F(AccountsTest, ChangingOnesPasswordNeedsTheCurrentOneAndEndsTheOtherSessionsOnly) {
    Create("head@hill.example", domain::Role::kSchoolAdmin, w_.School(), "long enough").value();
    const auto office = accounts_.Login("head@hill.example", "long enough").value();
    const auto home = accounts_.Login("head@hill.example", "long enough").value();

    const auto wrong = accounts_.ChangeOwnPassword(office.principal, "not the one", "a new password");
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().message, "current_password: not your current password");
    EXPECT_TRUE(accounts_.AuthenticateSession(home.token).ok()) << "a refused change ends nothing";
    EXPECT_EQ(accounts_.ChangeOwnPassword(office.principal, "long enough", "short").error().message,
              "password: at least 8 characters");

    ASSERT_TRUE(accounts_.ChangeOwnPassword(office.principal, "long enough", "a new password").ok());
    EXPECT_TRUE(accounts_.AuthenticateSession(office.token).ok()) << "the session that changed it stays";
    EXPECT_EQ(accounts_.AuthenticateSession(home.token).error().code, core::Errc::kUnauthorized);
    EXPECT_FALSE(accounts_.Login("head@hill.example", "long enough").ok());
    EXPECT_TRUE(accounts_.Login("head@hill.example", "a new password").ok());
    EXPECT_EQ(w_.Audit(*office.principal.school_id).at(0).action, domain::AuditAction::kChangePassword);
}

TEST_F(AccountsTest, AnAdminResetsAForgottenPasswordAndEverySessionOfThatUserEnds) {
    const auto hill = w_.School();
    const auto deputy = HeadAndDeputy(hill);
    const auto as_head = LoggedIn("head@hill.example");
    const auto deputys = accounts_.Login("deputy@hill.example", "long enough").value();

    ASSERT_TRUE(accounts_.ResetPassword(as_head, deputy.id, "given at the desk").ok());
    EXPECT_EQ(accounts_.AuthenticateSession(deputys.token).error().code, core::Errc::kUnauthorized);
    EXPECT_TRUE(accounts_.Login("deputy@hill.example", "given at the desk").ok());
    const auto line = w_.Audit(hill).at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kResetPassword);
    EXPECT_EQ(line.user_id, as_head.user_id);
    EXPECT_EQ(line.entity_id, deputy.id);

    // One's own password is changed with the current one, never reset.
    EXPECT_EQ(accounts_.ResetPassword(as_head, as_head.user_id, "given at the desk").error().code,
              core::Errc::kInvalidArgument);
}

TEST_F(AccountsTest, ASuperAdminRenamesAndDeactivatesASchoolButNeverMovesItsZone) {
    const auto hill = accounts_.CreateSchool(w_.admin, "Hill School", "Africa/Nairobi").value();
    Create("head@hill.example", domain::Role::kSchoolAdmin, hill.id, "long enough").value();
    const auto head = accounts_.Login("head@hill.example", "long enough").value();

    EXPECT_EQ(accounts_.UpdateSchool(head.principal, hill.id, SchoolPatch{"Mine now", {}, {}}).error().code,
              core::Errc::kForbidden);
    EXPECT_EQ(accounts_.UpdateSchool(w_.admin, hill.id, SchoolPatch{{}, "Europe/London", {}}).error().code,
              core::Errc::kInvalidArgument);
    const auto renamed =
        accounts_.UpdateSchool(w_.admin, hill.id, SchoolPatch{"Hill Academy", {}, domain::ActiveStatus::kInactive});
    ASSERT_TRUE(renamed.ok()) << renamed.error().message;
    EXPECT_EQ(accounts_.GetSchool(hill.id)->name, "Hill Academy");
    EXPECT_EQ(accounts_.GetSchool(hill.id)->status, domain::ActiveStatus::kInactive);

    // Its admins are out until it is active again; its record stays.
    EXPECT_EQ(accounts_.AuthenticateSession(head.token).error().code, core::Errc::kUnauthorized);
    EXPECT_EQ(accounts_.Login("head@hill.example", "long enough").error().code, core::Errc::kForbidden);
    const auto line = w_.Audit(hill.id).at(0);
    EXPECT_EQ(line.entity, "school");
    EXPECT_NE(line.old_value.find("Hill School"), std::string::npos);
    EXPECT_NE(line.new_value.find("Hill Academy"), std::string::npos);

    ASSERT_TRUE(accounts_.UpdateSchool(w_.admin, hill.id, SchoolPatch{{}, {}, domain::ActiveStatus::kActive}).ok());
    EXPECT_EQ(accounts_.AuthenticateSession(head.token).error().code, core::Errc::kUnauthorized)
        << "a deactivation ended the sessions for good";
    EXPECT_TRUE(accounts_.Login("head@hill.example", "long enough").ok());
}

}  // namespace
}  // namespace rollcall::service
