// The actions a line of the audit trail names (R19).

#include "domain/audit.hpp"

#include "support/enum_table.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

TEST(AuditAction, EveryActionOfTheTrailHasTheNameTheAuditListShows) {
    test::ExpectNameTable<AuditAction>({
        {AuditAction::kCreate, "create"},
        {AuditAction::kUpdate, "update"},
        {AuditAction::kReplace, "replace"},
        {AuditAction::kDelete, "delete"},
        {AuditAction::kRotateToken, "rotate_token"},
        {AuditAction::kRevoke, "revoke"},
        {AuditAction::kFinalize, "finalize"},
        {AuditAction::kRecompute, "recompute"},
        {AuditAction::kChangePassword, "change_password"},
        {AuditAction::kResetPassword, "reset_password"},
    });
}

TEST(AuditAction, AnUnknownActionIsRefused) {
    test::ExpectRefused<AuditAction>("action",
                                     "edit",
                                     "action: must be create, update, replace, delete, rotate_token, revoke, finalize, "
                                     "recompute, change_password or "
                                     "reset_password");
}

}  // namespace
}  // namespace rollcall::domain
