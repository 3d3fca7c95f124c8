#pragma once

#include "core/enum_names.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace rollcall::domain {

/// What an admin did to an object, as a line of the audit trail names it (R19).
enum class AuditAction {
    kCreate,
    kUpdate,
    kReplace,
    kDelete,
    kRotateToken,
    kRevoke,
    kFinalize,
    kRecompute,
    kChangePassword,
    kResetPassword,
};
inline constexpr std::array<std::pair<AuditAction, std::string_view>, 10> kAuditActionNames{{
    {AuditAction::kCreate, "create"},
    {AuditAction::kUpdate, "update"},
    {AuditAction::kReplace, "replace"},  ///< an override put over an earlier one of the same day
    {AuditAction::kDelete, "delete"},
    {AuditAction::kRotateToken, "rotate_token"},
    {AuditAction::kRevoke, "revoke"},
    {AuditAction::kFinalize, "finalize"},               ///< R16 "finalize anyway"
    {AuditAction::kRecompute, "recompute"},             ///< R18 "re-process a range"
    {AuditAction::kChangePassword, "change_password"},  ///< a user's own, with their current password
    {AuditAction::kResetPassword, "reset_password"},    ///< another user's, by an admin or the command line
}};
constexpr const auto& EnumNameTable(AuditAction) {
    return kAuditActionNames;
}

}  // namespace rollcall::domain
